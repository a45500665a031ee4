"""Matching lexicon phrases against the words of a text, tolerant of Arabic proclitics.

Phrases come from data files; a phrase's first word may carry و ف ب ل ك (and لل for ال) in the
text, and "لـ" may be written apart. Matching is on :func:`match_key` forms, so hamza, ة/ه, ى/ي
and diacritics never matter.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import regex

from marsad.arabic.normalise import match_key

_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")
_MARK = regex.compile(r"[\p{M}\u0640]")
_MAX_CACHED_KEYS = 200_000  # per matcher; cleared when full (a long-running server)
_UNSEEN = (("", 0),)  # truthy: see PhraseMatcher._starting_between
_PROCLITICS = ("وب", "ول", "وك", "فب", "فل", "و", "ف", "ب", "ل", "ك")


# Not frozen (but hashable, and never changed once built): one is made for every word of every
# report, and a frozen dataclass's __init__ costs four times as much.
@dataclass(slots=True, unsafe_hash=True)
class Word:
    start: int
    end: int
    text: str
    key: str


# Not frozen either (hashable, never changed once built): the extractors make one for every
# phrase they find, and a frozen dataclass's __init__ costs several times as much.
@dataclass(slots=True, unsafe_hash=True)
class PhraseHit:
    first: int  # index of the first word
    last: int  # index of the last word (inclusive)
    start: int  # character span in the text, proclitic excluded
    end: int
    value: object


def words(text: str) -> list[Word]:
    out: list[Word] = []
    append, find, known, make = out.append, text.find, _KEYS.get, Word
    pos = 0
    # findall and str.find instead of match objects: a word is made of word characters only
    # and what lies between two words of none, so the word's first occurrence from the end of
    # the previous one is where the regex found it
    for word in _WORD.findall(text):
        start = find(word, pos)
        pos = start + len(word)
        append(make(start, pos, word, known(word) or _new_key(word)))
    return out


# word -> its match key: a plain dict (one lookup, no call per word; the rare empty key, of a
# run of marks alone, is only computed again), emptied when full so a long-running server stays
# bounded
_KEYS: dict[str, str] = {}


def _new_key(word: str) -> str:
    if len(_KEYS) >= 131072:
        _KEYS.clear()
    found = _KEYS[word] = match_key(word)
    return found


def word_key(word: str) -> str:
    """A word's match key, as :func:`words` gives it (remembered in the same dict)."""
    return _KEYS.get(word) or _new_key(word)


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
        # the first two words of every longer phrase: when a word and the next are none of these,
        # only the one-word phrase can start there (most tries of a longer phrase fail so)
        self._pairs = frozenset(k[:2] for k in self._index if len(k) > 1)
        # word key -> its proclitic variants that begin some phrase (most words: none), so a word
        # of the text costs one dict lookup once its key has been seen
        self._starts: dict[str, tuple[tuple[str, int], ...]] = {}
        self._last_indexed: tuple[list[Word], list[int]] | None = None  # see start_indices

    def _variants_starting(self, key: str) -> tuple[tuple[str, int], ...]:
        found = self._starts.get(key)
        if found is None:
            if len(self._starts) > _MAX_CACHED_KEYS:
                self._starts.clear()
            found = self._starts[key] = tuple(v for v in key_variants(key) if v[0] in self._longest)
        return found

    def match_at(self, text: str, ws: list[Word], i: int, end: int | None = None) -> PhraseHit | None:
        """The longest phrase starting at word ``i`` and ending before word ``end`` (the end of
        ``ws`` by default)."""
        end = len(ws) if end is None else end
        for variant, clitic_len in self._variants_starting(ws[i].key):
            most = min(self._longest[variant], end - i)
            if most > 1 and (variant, ws[i + 1].key) not in self._pairs:
                most = 1
            rest = [w.key for w in ws[i + 1:i + most]]  # the keys of the words after it, once
            for n in range(most, 0, -1):
                key = (variant, *rest[:n - 1])
                if key in self._index:
                    start = _skip_letters(text, ws[i].start, clitic_len)
                    return PhraseHit(i, i + n - 1, start, ws[i + n - 1].end, self._index[key])
        return None

    def start_indices(self, ws: list[Word]) -> list[int]:
        """Indices of the words of ``ws`` that begin some phrase (the only ones where
        :meth:`match_at` can find one), ascending. Remembered for the last list asked about:
        the extractors ask again and again about the same document's words."""
        last = self._last_indexed
        if last is not None and last[0] is ws:
            return last[1]
        found = self._starting_between(ws, 0, len(ws))
        self._last_indexed = (ws, found)
        return found

    def starts_between(self, ws: list[Word], first: int, last: int) -> list[int]:
        """The indices of :meth:`start_indices` in [first, last): from the whole list's when it
        is known, else by looking at the words of the stretch only."""
        known = self._last_indexed
        if known is not None and known[0] is ws:
            indices = known[1]
            return indices[bisect_left(indices, first):bisect_left(indices, last)]
        if 2 * (last - first) < len(ws):  # a short stretch: cheaper than the whole list
            return self._starting_between(ws, first, last)
        indices = self.start_indices(ws)
        return indices[bisect_left(indices, first):bisect_left(indices, last)]

    def _starting_between(self, ws: list[Word], first: int, last: int) -> list[int]:
        # one dict lookup per word already seen (nearly all): an unseen key reads as a possible
        # start (a truthy default) and is looked at properly in the second, short pass
        get, unseen = self._starts.get, _UNSEEN
        maybe = [i for i in range(first, last) if get(ws[i].key, unseen)]
        variants_starting = self._variants_starting
        return [i for i in maybe if variants_starting(ws[i].key)]

    def find_all(self, text: str, ws: list[Word] | None = None) -> list[PhraseHit]:
        """Longest phrases, left to right, none overlapping."""
        ws = words(text) if ws is None else ws
        return self._find(text, ws, 0, len(ws))

    def find_between(self, text: str, ws: list[Word], first: int, last: int) -> list[PhraseHit]:
        """``find_all(text, ws[first:last])`` (word indices relative to ``first``), using the
        start indices of the whole ``ws``."""
        hits = self._find(text, ws, max(first, 0), min(last, len(ws)))
        if first:
            hits = [PhraseHit(h.first - first, h.last - first, h.start, h.end, h.value) for h in hits]
        return hits

    def _find(self, text: str, ws: list[Word], first: int, last: int) -> list[PhraseHit]:
        hits: list[PhraseHit] = []
        if first >= last:
            return hits
        i = first  # the next word a phrase may start at
        for j in self.starts_between(ws, first, last):
            if j < i:
                continue
            hit = self.match_at(text, ws, j, last)
            if hit:
                hits.append(hit)
                i = hit.last + 1
        return hits
