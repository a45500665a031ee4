"""Property tests: no exception on any input, every offset valid, the offset map exact."""

from __future__ import annotations

import datetime as dt
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.arabic.dates import find_dates
from marsad.arabic.normalise import match_key, normalise
from marsad.arabic.numbers import find_numbers
from marsad.arabic.segment import sentences, tokens

# Arabic-heavy text: letters, harakat, tatweel, digits in three scripts, separators, quotes,
# controls and words the finders know, mixed with arbitrary Unicode.
_PIECES = [
    "ألف", "آلاف", "خمسة", "وعشرين", "مئة", "الحادي", "عشر", "نحو", "أكثر من", "فقط", "جنديين",
    "يناير", "كانون الثاني", "الماضي", "أمس", "اليوم", "الأربعاء", "شوال", "هـ", "عام", "في",
    "بين", "و", "من", "إلى", "2.5", "1,200", "١٬٢٠٠", "٢٫٥", "27/9/2015", "2015-09-27", "1436",
    "«", "»", "“", "”", '"', ".", "؟", "،", "؛", "…", "\n", " ", "  ", "(", ")", "/", "-",
    "\u064e", "\u0651", "\u064b", "\u0640", "\u200f", "\u200c", "\ufeff", "ا\u0653", "د.",
]
arabic_text = st.lists(
    st.one_of(st.sampled_from(_PIECES), st.text(max_size=4),
              st.characters(min_codepoint=0x0600, max_codepoint=0x06FF).map(str)),
    max_size=40,
).map("".join)
any_text = st.one_of(st.text(max_size=80), arabic_text)

_SETTINGS = settings(max_examples=int(__import__("os").environ.get("MARSAD_HYPOTHESIS_EXAMPLES", "300")), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(any_text)
def test_normalise_map_is_monotonic_and_in_bounds(text: str) -> None:
    result = normalise(text)
    mapped = [result.to_original(i) for i in range(len(result.text) + 1)]
    assert all(0 <= p <= len(text) for p in mapped)
    assert mapped == sorted(mapped)
    assert mapped[-1] == len(text)
    for start in range(len(result.text)):
        s, e = result.span_to_original(start, start + 1)
        assert 0 <= s < e <= len(text)


@_SETTINGS
@given(any_text, st.data())
def test_normalise_spans_round_trip(text: str, data: st.DataObject) -> None:
    text = unicodedata.normalize("NFC", text)
    result = normalise(text)
    n = len(result.text)
    start = data.draw(st.integers(0, n))
    end = data.draw(st.integers(start, n))
    s, e = result.span_to_original(start, end)
    assert 0 <= s <= e <= len(text)
    # the original span normalises back to exactly the normalised slice
    assert normalise(text[s:e]).text == result.text[start:end]


@_SETTINGS
@given(any_text)
def test_match_key_agrees_with_normalise(text: str) -> None:
    text = unicodedata.normalize("NFC", text)
    assert match_key(text) == normalise(text).text.lower()


@_SETTINGS
@given(any_text)
def test_sentences_are_valid_ordered_spans(text: str) -> None:
    spans = sentences(text)
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
        assert not text[span.start].isspace() and not text[span.end - 1].isspace()
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))


@_SETTINGS
@given(any_text)
def test_tokens_are_valid_spans(text: str) -> None:
    previous_end = 0
    for token in tokens(text):
        assert previous_end <= token.start < token.end <= len(text)
        assert text[token.start:token.end] == token.text
        assert token.key == match_key(token.text)
        previous_end = token.end


@_SETTINGS
@given(any_text)
def test_find_numbers_spans(text: str) -> None:
    previous_end = 0
    for m in find_numbers(text):
        assert previous_end <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text
        assert m.qualifier in ("exact", "approx", "at_least", "at_most", "only")
        if m.low is not None and m.high is not None:
            assert m.low <= m.high
        previous_end = m.end


@_SETTINGS
@given(any_text, st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))))
def test_find_dates_spans(text: str, published: dt.date | None) -> None:
    previous_end = 0
    for d in find_dates(text, published):
        assert previous_end <= d.start < d.end <= len(text)
        assert text[d.start:d.end] == d.text
        if d.normalized is not None:
            assert len(d.normalized) in (4, 7, 10)
            dt.date.fromisoformat(d.normalized + "-01-01"[len(d.normalized) - 4:])
        previous_end = d.end
