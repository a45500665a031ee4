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
_MAX_CACHED_KEYS = 200_000  # per matcher; cleared when full (a long-running server)
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
        # the most words a phrase starting with each first word has: longer keys are never tried
        self._longest: dict[str, int] = {}
        for k in self._index:
            self._longest[k[0]] = max(self._longest.get(k[0], 0), len(k))
        # word key -> its proclitic variants that begin some phrase (most words: none), so a word
        # of the text costs one dict lookup once its key has been seen
        self._starts: dict[str, tuple[tuple[str, int], ...]] = {}

    def _variants_starting(self, key: str) -> tuple[tuple[str, int], ...]:
        found = self._starts.get(key)
        if found is None:
            if len(self._starts) > _MAX_CACHED_KEYS:
                self._starts.clear()
            found = self._starts[key] = tuple(v for v in key_variants(key) if v[0] in self._longest)
        return found

    def match_at(self, text: str, ws: list[Word], i: int) -> PhraseHit | None:
        for variant, clitic_len in self._variants_starting(ws[i].key):
            for n in range(min(self._longest[variant], len(ws) - i), 0, -1):
                key = (variant, *(w.key for w in ws[i + 1:i + n]))
                if key in self._index:
                    start = _skip_letters(text, ws[i].start, clitic_len)
                    return PhraseHit(i, i + n - 1, start, ws[i + n - 1].end, self._index[key])
        return None

    def find_all(self, text: str, ws: list[Word] | None = None) -> list[PhraseHit]:
        ws = words(text) if ws is None else ws
        hits: list[PhraseHit] = []
        starts = self._starts
        i = 0
        while i < len(ws):
            key = ws[i].key
            # the inline lookup skips, without a call, the many words that begin no phrase
            variants = starts.get(key)
            if variants is None:
                variants = self._variants_starting(key)
            hit = self.match_at(text, ws, i) if variants else None
            if hit:
                hits.append(hit)
                i = hit.last + 1
            else:
                i += 1
        return hits
