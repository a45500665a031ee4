"""The ``re`` twins of the whole-document scans (arabic._patterns.BmpTwin) find what the
``regex`` patterns find: the token scan, the marks dropped by normalise, on any text."""

from __future__ import annotations

import re
import unicodedata

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from marsad.arabic import normalise as normalise_module
from marsad.arabic import segment
from marsad.arabic._patterns import BmpTwin, bmp_class, class_chars, is_bmp
from marsad.arabic.normalise import normalise
from marsad.arabic.segment import token_spans, token_texts, tokens
from tests.text_strategies import SETTINGS, texts_of

_PIECES = [
    "ألفاً", "وبالحسكة", "كتـــاب", "مَدْرَسَةٌ", "و31", "1,200", "2.5", "١٬٢٠٠", "٢٫٥", "½", "x²",
    "F16", "U.S.", "«", "»", "“", "”", '"', ".", "،", "؛", "…", "\n", " ", "\t", "\u00a0", "-",
    "\u064e", "\u0651", "\u064b", "\u0670", "\u0640", "\u200c", "\u200d", "\u200f", "\u202b", "\ufeff",
    "𝐀", "\U0001d7d9", "\U00010400", "😀", "\U000e0100", "\ud800",
]
text_pieces = texts_of(_PIECES, arbitrary=4)


@pytest.mark.parametrize("char_class", [
    r"\p{L}", r"\p{Nd}", r"[\p{L}\p{M}\u0640\u200c\u200d]",
    r"[^\s\p{L}\p{Nd}\p{M}\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]",
    f"[{normalise_module._DROP_CLASS}]",
])
def test_bmp_class_holds_exactly_the_classes_bmp_characters(char_class: str) -> None:
    bmp = "".join(map(chr, range(0x10000)))
    assert "".join(re.findall(bmp_class(char_class), bmp)) == "".join(regex.findall(char_class, bmp))
    assert class_chars(char_class) == "".join(regex.findall(char_class, bmp))


def test_is_bmp() -> None:
    assert is_bmp("") and is_bmp("abc") and is_bmp("بغداد\u200f\uffff") and is_bmp("\ud800")
    assert not is_bmp("بغداد 𝐀") and not is_bmp("\U0010ffff")


def test_twin_falls_back_beyond_the_bmp() -> None:
    twin = BmpTwin(lambda char_class: char_class(r"\p{L}") + "+")
    assert twin.full.pattern == r"\p{L}+"
    assert twin.on("بغداد") is twin.bmp
    assert twin.on("بغداد 𝐀𝐁") is twin.full
    assert twin.on("بغداد 𝐀𝐁").findall("بغداد 𝐀𝐁") == ["بغداد", "𝐀𝐁"]


def test_token_pattern_is_the_regex_pattern_as_written() -> None:
    assert segment._TOKENS.full.pattern == (
        r"\p{L}[\p{L}\p{M}\u0640\u200c\u200d]*"
        r"|\p{Nd}+(?:[.,٫٬]\p{Nd}+)*"
        r"|[^\s\p{L}\p{Nd}\p{M}\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


@SETTINGS
@given(text_pieces)
def test_token_scan_twin_agrees_with_regex(text: str) -> None:
    full = segment._TOKENS.full
    assert token_spans(text) == [m.span() for m in full.finditer(text)]
    assert token_texts(text) == full.findall(text) == [t.text for t in tokens(text)]
    bmp_only = "".join(ch for ch in text if ord(ch) < 0x10000)
    assert segment._TOKENS.bmp.findall(bmp_only) == full.findall(bmp_only)


def test_token_texts_find_their_spans() -> None:
    """What lies between two tokens never starts one: each token is where str.find finds it
    from the end of the one before (document_words relies on it)."""
    text = "\u064bوقال  ،\u200f«الدولة» ً5 و31 1,200\n\ufeff½"
    pos, spans = 0, []
    for surface in token_texts(text):
        start = text.find(surface, pos)
        pos = start + len(surface)
        spans.append((start, pos))
    assert spans == token_spans(text)


def _plain_normalised_text(text: str) -> str:
    kept = regex.sub(f"[{normalise_module._DROP_CLASS}]+", "", text)
    for source, target in normalise_module._PAIRS[(True, True)]:
        kept = kept.replace(source, target)
    return kept


@SETTINGS
@given(text_pieces)
def test_normalise_single_scan_keeps_what_the_regex_keeps(text: str) -> None:
    text = unicodedata.normalize("NFC", text)
    assert normalise(text).text == _plain_normalised_text(text)


# Figures with the words and spaces around them that pass 3 of find_numbers looks at
_NUMBER_PIECES = [
    "نحو", "أكثر من", "أقل من", "حوالي", "قرابة", "ما يزيد على", "إلا", "لا", "لم", "ليس", "ما",
    "فقط", "على الأقل", "تقريباً", "أو أكثر", "لا يتجاوز", "لم تتعد", "عددهم", "تجاوز", "يقارب",
    "ناهز", "عتبة", "حاجز", "بين", "ما بين", "من", "إلى", "حتى", "و", "-", "–", "40", "2.5",
    "1,200", "ثلاثة", "آلاف", "خمسة وعشرين ألفاً", " ", "  ", "\n", "\t", "\u00a0", "\x1c", "\x85",
    "\u2028", "\u3000",
]
number_text = st.lists(st.one_of(st.sampled_from(_NUMBER_PIECES), st.text(max_size=3)), max_size=30).map(" ".join)


def test_number_context_patterns_read_as_written() -> None:
    from marsad.arabic.numbers import _context

    full = _context(False)
    assert full.negation.pattern == r"(?<!\p{L})(?:لا|لم|لن|ما|ليس|ليست)\s+(?:\S+\s+){0,3}$"
    assert full.range_gap.pattern == r"\s*(?:و|-|–|الي|حتي)\s*"


@SETTINGS
@given(number_text, st.data())
def test_number_context_twins_agree_with_regex(text: str, data: st.DataObject) -> None:
    from marsad.arabic.numbers import _context

    norm = normalise(text).text
    if not is_bmp(norm):
        return
    lo = data.draw(st.integers(0, len(norm)))
    hi = data.draw(st.integers(lo, len(norm)))
    full, bmp = _context(False), _context(True)
    pairs = [(full.range_open, bmp.range_open), (full.negation_just_before, bmp.negation_just_before),
             (full.negation, bmp.negation), (full.before, bmp.before), (full.after, bmp.after),
             (full.ceiling, bmp.ceiling), *zip([p for p, _ in full.verbs], [p for p, _ in bmp.verbs])]
    for slow, fast in pairs:
        for method in ("search", "match"):
            a, b = getattr(slow, method)(norm, lo, hi), getattr(fast, method)(norm, lo, hi)
            assert (a and (a.span(), a.groupdict())) == (b and (b.span(), b.groupdict())), (slow.pattern, method)
    a, b = full.range_gap.fullmatch(norm, lo, hi), bmp.range_gap.fullmatch(norm, lo, hi)
    assert (a and a.span()) == (b and b.span())


@SETTINGS
@given(number_text)
def test_find_numbers_same_with_either_pattern_set(text: str) -> None:
    from unittest import mock

    from marsad.arabic import numbers

    with mock.patch.object(numbers, "is_bmp", return_value=False):
        slow = numbers.find_numbers(text)
    assert numbers.find_numbers(text) == slow
