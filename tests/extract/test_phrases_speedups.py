"""Cached and shortcut helpers of the extractors agree with the plain computations."""

from __future__ import annotations

import pytest

from marsad.arabic._patterns import compiled
from marsad.arabic.normalise import match_key
from marsad.extract import phrases
from marsad.extract.phrases import key_variants, word_count, words

TEXT = "وقال مصدر أمني للمخابرات، إن F16 ضربت 12 موقعاً فيما أكدَّ وبالحسكة — «الدولة»"


@pytest.mark.parametrize("word", ["للمخابرات", "وبالحسكة", "فلبنان", "ولل", "من", "كالعادة"])
def test_cached_key_variants_equal_uncached(word: str) -> None:
    key = match_key(word)
    assert key_variants(key) == tuple(phrases._key_variants(key))
    assert key_variants(key) is key_variants(key)


def test_word_count_and_cached_keys() -> None:
    for stretch in (TEXT, TEXT[:17], "", "، ، ."):
        assert word_count(stretch) == len(words(stretch))
    assert [w.key for w in words(TEXT)] == [match_key(w.text) for w in words(TEXT)]


def test_compiled_is_regex_compile_once() -> None:
    assert compiled(r"[،,]") is compiled(r"[،,]")
    assert compiled(r"[،,]").search("أ، ب").start() == 1


def _plain_match_at(matcher: phrases.PhraseMatcher, text: str, ws: list[phrases.Word],
                    i: int) -> phrases.PhraseHit | None:
    """The matcher's rule without its shortcuts: the first proclitic variant of word ``i`` that
    begins a phrase of the index, with the longest phrase it begins."""
    longest = max(len(k) for k in matcher._index)
    for variant, clitic_len in key_variants(ws[i].key):
        for n in range(min(longest, len(ws) - i), 0, -1):
            key = (variant, *(w.key for w in ws[i + 1:i + n]))
            if key in matcher._index:
                return phrases.PhraseHit(i, i + n - 1, phrases._skip_letters(text, ws[i].start, clitic_len),
                                         ws[i + n - 1].end, matcher._index[key])
    return None


def test_phrase_matcher_shortcuts_find_what_the_plain_rule_finds() -> None:
    matcher = phrases.PhraseMatcher([("المخابرات", "a"), ("جهاز المخابرات العراقي", "b"), ("مصدر", "c"),
                                     ("مصدر أمني رفيع", "d"), ("الحسكة", "e"), ("موقع", "f")])
    texts = [TEXT, "جهاز المخابرات العراقي ومصدر أمني رفيع في الحسكة", "وجهاز المخابرات قال مصدر أمني",
             "للمخابرات فالحسكة مصدر", "", "12 ، ."]
    found = 0
    for text in texts:
        ws = words(text)
        plain = [_plain_match_at(matcher, text, ws, i) for i in range(len(ws))]
        assert [matcher.match_at(text, ws, i) for i in range(len(ws))] == plain
        expected, i = [], 0
        while i < len(ws):
            if plain[i]:
                expected.append(plain[i])
                i = plain[i].last + 1
            else:
                i += 1
        assert matcher.find_all(text, ws) == expected
        found += len(expected)
    assert found >= 8  # the texts do exercise the matcher


def _finditer_words(text: str) -> list[phrases.Word]:
    """words() as first written: one match object per word."""
    return [phrases.Word(m.start(), m.end(), m.group(), match_key(m.group())) for m in phrases._WORD.finditer(text)]


@pytest.mark.parametrize("text", [TEXT, "", "، ، .", "F16 ضربت ١٢ موقعاً — «الدولة»\nوقال", "ـــ مُحَمَّد 3.5 كم"])
def test_words_by_findall_are_the_match_objects_words(text: str) -> None:
    assert words(text) == _finditer_words(text)


def test_find_between_is_find_all_on_the_slice() -> None:
    matcher = phrases.PhraseMatcher([("المخابرات", "a"), ("جهاز المخابرات العراقي", "b"), ("مصدر", "c"),
                                     ("مصدر أمني رفيع", "d"), ("الحسكة", "e"), ("موقع", "f")])
    text = TEXT + " جهاز المخابرات العراقي ومصدر أمني رفيع في الحسكة، وجهاز المخابرات قال مصدر أمني"
    ws = words(text)
    checked = 0
    for fresh in (True, False):  # with and without the whole list's start indices known
        for first in range(len(ws) + 1):
            for last in range(first, len(ws) + 2):
                if fresh:
                    matcher._last_indexed = None
                expected = matcher.find_all(text, ws[first:last])
                assert matcher.find_between(text, ws, first, last) == expected
                checked += bool(expected)
        plain = [i for i in range(len(ws)) if _plain_match_at(matcher, text, ws, i) is not None]
        assert set(plain) <= set(matcher.start_indices(ws))
        assert matcher.starts_between(ws, 3, 9) == [i for i in matcher.start_indices(ws) if 3 <= i < 9]
    assert checked > 50


def test_trim_end_strips_what_the_trailing_pattern_matches() -> None:
    import regex

    from marsad.extract import quotes

    trailing = regex.compile(quotes.TRAILING_CLASS + "+$")
    for stretch in ("قال إن الوضع هادئ.» \n", "نص، ", "…؟!", "", "كلمة", " \u00a0«نص»\u3000", "أ\n\n"):
        text = "x" + stretch
        assert quotes._trim_end(text, 1, len(text)) == 1 + len(trailing.sub("", stretch))


def test_event_start_indices_are_the_words_could_start_accepts() -> None:
    from marsad.extract.context import DocContext
    from marsad.extract.events import _Doc
    from marsad.records import Analysis, Document

    text = TEXT + " واعتقلت القوات خمسة بعد هجوم على موقع، ثم شنت غارات واستهدفت الطائرات مواقع"
    doc = _Doc(DocContext(Analysis(doc=Document(id="t", title="", body=text, source="test"))))
    expected = [i for i in range(len(doc.words)) if doc.could_start(i)]
    assert doc.start_indices() == expected
    assert expected


def test_mentions_in_by_bisection_are_the_filtered_list() -> None:
    from marsad.extract.context import DocContext
    from marsad.records import Analysis, Document, Mention

    text = "ا" * 60
    ordered = [Mention(0, 5, "", "PER"), Mention(3, 9, "", "LOC"), Mention(9, 9, "", "ORG"), Mention(10, 20, "", "ORG"),
               Mention(12, 14, "", "PER"), Mention(30, 40, "", "LOC")]
    for entities in (ordered, list(reversed(ordered))):
        ctx = DocContext(Analysis(doc=Document(id="t", title="", body=text, source="t"), entities=entities))
        for start in range(0, 42, 3):
            for end in range(start, 45, 2):
                for types in (("PER", "ORG", "LOC"), ("LOC",)):
                    assert ctx.mentions_in(start, end, types) == [
                        m for m in entities if m.type in types and m.start >= start and m.end <= end]


class _Everything:
    """A set that holds every pair: the matchers without their two-word shortcut."""

    def __contains__(self, item: object) -> bool:
        return True


def test_two_word_shortcut_finds_what_the_full_lookup_finds() -> None:
    """Phrase matchers and the event lexicons skip the longer phrases at a word when it and the
    next begin none: the same hits as looking every length up."""
    from pathlib import Path

    from marsad.extract import events
    from marsad.extract.context import DocContext
    from marsad.pipeline import Pipeline
    from marsad.records import Document

    root = Path(__file__).resolve().parents[2]
    matcher = phrases.PhraseMatcher([("جهاز المخابرات العراقي", "b"), ("مصدر", "c"), ("مصدر أمني رفيع", "d")])
    lexicons = [events._triggers(), events._modality()[0]]
    pipeline = Pipeline(("sentences",))
    hits = 0
    for path in sorted((root / "examples" / "reports").iterdir())[:6]:
        text = path.read_text(encoding="utf-8", errors="replace")
        doc = events._Doc(DocContext(pipeline(Document(id="t", title="", body=text, source="t"))))
        ws = doc.words
        fast = [[lexicon.match_at(doc, i) for i in range(len(ws))] for lexicon in lexicons]
        fast.append([matcher.match_at(text, ws, i) for i in range(len(ws))])
        saved = [lexicon.pairs for lexicon in lexicons], matcher._pairs
        try:
            for lexicon in lexicons:
                lexicon.pairs = _Everything()  # type: ignore[assignment]
            matcher._pairs = _Everything()  # type: ignore[assignment]
            full = [[lexicon.match_at(doc, i) for i in range(len(ws))] for lexicon in lexicons]
            full.append([matcher.match_at(text, ws, i) for i in range(len(ws))])
        finally:
            for lexicon, pairs in zip(lexicons, saved[0]):
                lexicon.pairs = pairs
            matcher._pairs = saved[1]
        assert fast == full
        hits += sum(1 for found in fast for hit in found if hit is not None and hit.last > hit.first)
    assert hits  # longer phrases were found
