"""Matching lexicon phrases against the words of a text, tolerant of Arabic proclitics.

Phrases come from data files; a phrase's first word may carry و ف ب ل ك (and لل for ال) in the
text, and "لـ" may be written apart. Matching is on :func:`match_key` forms, so hamza, ة/ه, ى/ي
and diacritics never matter.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import regex

from marsad.arabic.normalise import match_key

_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")
_MARK = regex.compile(r"[\p{M}\u0640]")
# The same word comes back in every report: its key is computed once (match_key is pure).
_key = lru_cache(maxsize=131072)(match_key)
_PROCLITICS = ("وب", "ول", "وك", "فب", "فل", "و", "ف", "ب", "ل", "ك")


# Not frozen (but hashable, and never changed once built): one is made for every word of every
# report, and a frozen dataclass's __init__ costs four times as much.
@dataclass(slots=True, unsafe_hash=True)
class Word:
    start: int
    end: int
    text: str
    key: str


@dataclass(frozen=True, slots=True)
class PhraseHit:
    first: int  # index of the first word
    last: int  # index of the last word (inclusive)
    start: int  # character span in the text, proclitic excluded
    end: int
    value: object


def words(text: str) -> list[Word]:
    out: list[Word] = []
    for m in _WORD.finditer(text):
        word = m.group()
        out.append(Word(m.start(), m.end(), word, _key(word)))
    return out


def word_count(text: str) -> int:
    """``len(words(text))`` without building the words."""
    return sum(1 for _ in _WORD.finditer(text))


@lru_cache(maxsize=131072)
def key_variants(key: str) -> tuple[tuple[str, int], ...]:
    """The key with each possible proclitic removed, with the proclitic's length (cached: the
    extractors ask for the same words many times per report)."""
    return tuple(_key_variants(key))


def _key_variants(key: str) -> list[tuple[str, int]]:
    variants = [(key, 0)]
    for clitic in _PROCLITICS:
        if key.startswith(clitic) and len(key) - len(clitic) >= 2:
            rest = key[len(clitic):]
            variants.append((rest, len(clitic)))
            if clitic.endswith("ل") and rest.startswith("ل"):
                variants.append(("ا" + rest, len(clitic)))  # للمخابرات → المخابرات
    return variants


def _skip_letters(text: str, start: int, letters: int) -> int:
    """Offset after ``letters`` base letters from ``start`` (marks ride on their letter)."""
    pos = start
    while letters and pos < len(text):
        pos += 1
        while pos < len(text) and _MARK.match(text[pos]):
            pos += 1
        letters -= 1
    return pos


class PhraseMatcher:
    """Finds the longest lexicon phrase starting at each word."""

    def __init__(self, phrases: Iterable[tuple[str, object]], *, inflect=None) -> None:
        self._index: dict[tuple[str, ...], object] = {}
        for phrase, value in phrases:
            forms = inflect(phrase) if inflect else [phrase]
            for form in forms:
                key = tuple(match_key(w) for w in _WORD.findall(form))
                if key:
                    self._index.setdefault(key, value)
        self._longest = max((len(k) for k in self._index), default=0)
        self._firsts = {k[0] for k in self._index}

    def match_at(self, text: str, ws: list[Word], i: int) -> PhraseHit | None:
        for variant, clitic_len in key_variants(ws[i].key):
            if variant not in self._firsts:
                continue
            for n in range(min(self._longest, len(ws) - i), 0, -1):
                key = (variant, *(w.key for w in ws[i + 1:i + n]))
                if key in self._index:
                    start = _skip_letters(text, ws[i].start, clitic_len)
                    return PhraseHit(i, i + n - 1, start, ws[i + n - 1].end, self._index[key])
        return None

    def find_all(self, text: str, ws: list[Word] | None = None) -> list[PhraseHit]:
        ws = words(text) if ws is None else ws
        hits: list[PhraseHit] = []
        i = 0
        while i < len(ws):
            hit = self.match_at(text, ws, i)
            if hit:
                hits.append(hit)
                i = hit.last + 1
            else:
                i += 1
        return hits
