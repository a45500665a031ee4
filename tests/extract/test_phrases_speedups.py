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
