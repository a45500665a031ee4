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
