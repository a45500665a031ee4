"""Word tokens for the lexicon back-end, with the punctuation that separates them.

Uses the shared tokenizer (``marsad.arabic.segment.tokens``) for spans when it is present, and a
small regex tokenizer otherwise. Lookup keys are computed here with
:func:`marsad.geo.keys.token_key`, the same function that keys the place index and the alias
lexicon, so both sides always agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from functools import lru_cache

import regex

from marsad.geo.keys import token_key

try:  # the Arabic-core tokenizer; its spans are the project's shared notion of a token
    from marsad.arabic.segment import tokens as _shared_tokens
except ImportError:  # pragma: no cover - only before marsad.arabic.segment exists
    _shared_tokens = None

_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{M}\p{N}\u0640\u200c\u200d]*")
_MARKS = regex.compile(r"[\p{Mn}\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
# What may stand between two words of one name: spaces and quotes (تنظيم "الدولة"), hyphens.
_TRANSPARENT_GAP = regex.compile(r"[ \t\u00a0\"'«»“”‘’\-–]*")
_HAMZA_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا"})


# Not frozen (but hashable, and never changed once built): one is made for every word of every
# report, and a frozen dataclass's __init__ costs four times as much.
@dataclass(slots=True, unsafe_hash=True)
class Word:
    start: int
    end: int
    text: str
    key: str  # token_key(text): the lookup key
    light: str  # marks removed and alef forms folded, ى and ة kept (على is not علي)
    joined: bool  # True when only spaces/quotes separate it from the previous word
    spaced: bool  # True when only spaces separate it (names do not run across quotes)


def words(text: str, shared: Sequence[Any] | None = None,
          spans: Sequence[tuple[int, int]] | None = None) -> list[Word]:
    """Words of ``text``; ``shared`` are its tokens from ``marsad.arabic.segment.tokens``, or
    ``spans`` their spans (``token_spans``), when the caller has them already."""
    if spans is None:
        spans = [(t.start, t.end) for t in shared] if shared is not None else _word_spans(text)
    out: list[Word] = []
    append = out.append
    known, unseen, make = _SURFACES.get, _UNSEEN, Word
    prev_end = -2  # no word yet (never within one character of a token start)
    for start, end in spans:
        surface = text[start:end]
        # one dict lookup per surface form: punctuation tokens are no words; keys of the rest
        found = known(surface, unseen)
        if found is unseen:
            found = _surface_keys(surface)
        if found is None:
            continue
        joined, spaced = word_flags(text, prev_end, start)
        append(make(start, end, surface, found[0], found[1], joined, spaced))
        prev_end = end
    return out


def word_flags(text: str, prev_end: int, start: int) -> tuple[bool, bool]:
    """(joined, spaced) of a word starting at ``start`` after a word ending at ``prev_end`` (-1:
    none before it), the common gaps (none, one space) tested inline."""
    if start == prev_end or (start == prev_end + 1 and text[prev_end] == " "):
        return True, True
    if prev_end < 0:
        return False, False
    return _gap_flags(text, prev_end, start)


def _gap_flags(text: str, prev_end: int, start: int) -> tuple[bool, bool]:
    """(joined, spaced) of a word starting at ``start`` after a word ending at ``prev_end``
    (:class:`Word`) when the gap is neither empty nor one space (see :func:`word_flags`). The gaps
    are few ("، ", ". ", a line break, " «") and recur in every report: remembered per gap."""
    gap = text[prev_end:start]
    found = _GAP_FLAGS.get(gap)
    if found is None:
        joined = _TRANSPARENT_GAP.fullmatch(gap) is not None
        found = (joined, joined and not gap.strip())
        if len(_GAP_FLAGS) < _MAX_GAPS:  # (a long gap is rare: stop remembering, never forget)
            _GAP_FLAGS[gap] = found
    return found


_GAP_FLAGS: dict[str, tuple[bool, bool]] = {}
_MAX_GAPS = 4096


# surface form -> (key, light form), or None for punctuation: a plain dict (one lookup, no call
# per token), emptied when full so a long-running server stays bounded
_SURFACES: dict[str, tuple[str, str] | None] = {}
_MAX_SURFACES = 131072
_UNSEEN = ("", "")


def _surface_keys(surface: str) -> tuple[str, str] | None:
    if len(_SURFACES) >= _MAX_SURFACES:
        _SURFACES.clear()
    found = _SURFACES[surface] = word_keys(surface)
    return found


def word_keys(surface: str) -> tuple[str, str] | None:
    """(key, light form) of a token that is a word, None for punctuation (see :func:`_keys`);
    :func:`words` remembers them per surface form in ``_SURFACES``."""
    return _keys(surface) if _starts_word(surface[0]) else None


@lru_cache(maxsize=4096)
def _starts_word(first: str) -> bool:
    """Does a token starting with ``first`` match ``_WORD`` (which needs only its first
    character to be a letter or a number)?"""
    return _WORD.match(first) is not None


def _word_spans(text: str) -> list[tuple[int, int]]:
    if _shared_tokens is not None:
        return [(t.start, t.end) for t in _shared_tokens(text) if _WORD.match(t.text)]
    return [(m.start(), m.end()) for m in _WORD.finditer(text)]


def _keys(surface: str) -> tuple[str, str]:
    return token_key(surface), _MARKS.sub("", surface).translate(_HAMZA_ALEF)


def light_form(text: str) -> str:
    return _MARKS.sub("", text).translate(_HAMZA_ALEF)


def text_offset(surface: str, key_chars: int) -> int:
    """Offset in ``surface`` of the ``key_chars``-th letter of its key (marks do not count)."""
    seen = 0
    for i, ch in enumerate(surface):
        if seen == key_chars:
            return i
        if not _MARKS.match(ch):
            seen += 1
    return len(surface)


@lru_cache(maxsize=131072)
def proclitic_variants(key: str) -> tuple[tuple[str, int], ...]:
    """(stem key, key chars to skip) for a first word with attached proclitics, the word itself
    first. و ف ب ك ل come off; fused لل reads as ال and keeps its لل in the span (للحكومة).
    Cached: the lexicon, the person finder and coreference ask for every word of a report."""
    return tuple(_proclitic_variants(key))


def _proclitic_variants(key: str) -> list[tuple[str, int]]:
    out = [(key, 0)]
    bases = [(key, 0)]
    if key[:1] in ("و", "ف") and len(key) >= 4:
        bases.append((key[1:], 1))
        out.append((key[1:], 1))
    for base, skip in bases:
        if base.startswith("لل") and len(base) >= 4:
            out.append(("ا" + base[1:], skip))
        elif base[:1] in ("ب", "ك", "ل") and len(base) >= 4:
            out.append((base[1:], skip + 1))
    return out
