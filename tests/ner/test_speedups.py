"""The shortcuts taken for speed give what the plain computations give.

Cached proclitic variants, the word splitter's fast path for plain spaces, key-based given-name
tests, the title first-word index and the geocoder's per-key context are checked against the
straightforward versions.
"""

from __future__ import annotations

from collections import Counter

import pytest

from marsad.arabic.segment import token_spans, tokens
from marsad.geo.keys import token_key
from marsad.geo.resolve import GeoContext, Place, score
from marsad.ner import tokens as ner_tokens
from marsad.ner.lexicon import LexiconRecogniser
from marsad.ner.persons import _title_at
from marsad.ner.resources import resources
from marsad.ner.romanise import known_given_key, known_given_name, unambiguous_given_key, unambiguous_given_name
from marsad.ner.tokens import Word, _keys, _TRANSPARENT_GAP, proclitic_variants, words

TEXT = ("وقال رئيس جهاز المخابرات العراقي حميد الشاطري،  إن «الدولة» - وبالحسكة للمخابرات\n"
        "والرئيس السوري أحمد الشرع في دمشق ½ 12.5 F16 عبد الله")


def _plain_words(text: str) -> list[Word]:
    """words() as first written: a regex test for every gap."""
    out: list[Word] = []
    prev_end = None
    for t in tokens(text):
        if not ner_tokens._WORD.match(t.text):
            continue
        joined = prev_end is not None and _TRANSPARENT_GAP.fullmatch(text, prev_end, t.start) is not None
        spaced = joined and not text[prev_end:t.start].strip()
        key, light = _keys(t.text)
        out.append(Word(t.start, t.end, t.text, key, light, joined, spaced))
        prev_end = t.end
    return out


def test_words_fast_path_matches_the_regex_path() -> None:
    assert words(TEXT, tokens(TEXT)) == _plain_words(TEXT)
    assert words(TEXT, spans=token_spans(TEXT)) == _plain_words(TEXT)
    assert words(TEXT) == _plain_words(TEXT)


def test_lexicon_start_index_finds_what_a_full_search_finds() -> None:
    """The per-key list of variants that begin a name keeps exactly the variants the plain
    test (a name or a pattern starts with it) keeps, in order."""
    lexicon = LexiconRecogniser()
    for w in words(TEXT):
        plain = tuple((v, skip, lexicon._name_starts.get(v, 0)) for v, skip in proclitic_variants(w.key)
                      if lexicon._name_starts.get(v, 0) or v in lexicon._pattern_heads)
        assert lexicon._starting(w.key) == plain
    assert any(lexicon._starting(w.key) for w in words(TEXT))


def test_words_are_hashable_values() -> None:
    ws = words(TEXT)
    assert len(set(ws)) == len(ws)
    assert ws[0] == words(TEXT)[0] and hash(ws[0]) == hash(words(TEXT)[0])


@pytest.mark.parametrize("word", ["وبالحسكة", "للمخابرات", "فلبنان", "والرئيس", "من", "وبه", "كالعادة"])
def test_cached_proclitic_variants_equal_uncached(word: str) -> None:
    key = token_key(word)
    assert proclitic_variants(key) == tuple(ner_tokens._proclitic_variants(key))
    assert proclitic_variants(key) is proclitic_variants(key)


@pytest.mark.parametrize("word", ["أحمد", "احمد", "عبد", "محمود", "الشاطري", "قال", "أسامة"])
def test_given_name_tests_by_key(word: str) -> None:
    key = token_key(word)
    assert known_given_key(key) == known_given_name(word)
    assert unambiguous_given_key(key) == unambiguous_given_name(word)


def test_title_index_finds_what_a_full_search_finds() -> None:
    res = resources()
    ws = words(TEXT)
    for i in range(len(ws)):
        found = _title_at(ws, i, res)
        full = None
        for variant, skip in proclitic_variants(ws[i].key)[:2]:
            if skip and ws[i].key[:1] not in ("و", "ف"):
                continue
            keys = [variant] + [w.key for w in ws[i + 1: i + res.max_title_words]]
            for n in range(len(keys), 0, -1):
                if (n == 1 or ws[i + n - 1].joined) and " ".join(keys[:n]) in res.titles:
                    full = (" ".join(keys[:n]), n, skip)
                    break
            if full:
                break
        assert found == full, ws[i].text


def test_repeated_points_do_not_change_a_score() -> None:
    here = Place("حلب", "Aleppo", "SY", "city", 36.2, 37.16, 2_000_000)
    far = Place("الموصل", "Mosul", "IQ", "city", 36.34, 43.13, 1_000_000)
    once, twice = GeoContext(countries=Counter()), GeoContext(countries=Counter())
    once.add(far)
    twice.add(far)
    twice.add(far)
    assert twice.points == once.points
    assert score(here, twice) == pytest.approx(score(here, GeoContext(countries=Counter({"IQ": 2}), points=[(36.34, 43.13)])))
