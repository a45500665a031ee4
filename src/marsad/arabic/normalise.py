"""Arabic normalisation with an exact map back to the original text.

Two entry points:

* :func:`match_key` — a lossy key for comparing words (used on every token, so it is one
  ``str.translate`` call plus NFC and ``lower``).
* :func:`normalise` — the same folding over a whole text, returned with an offset map so that
  every span found in the normalised text can be reported in the original (DESIGN.md §3: spans are
  always offsets into the original body).

What is removed: combining marks (harakat, tanween, shadda, sukun, superscript alef …), tatweel,
zero-width and bidirectional control characters. What is folded (``fold_letters``): أ إ آ ٱ → ا,
ى → ي, ة → ه, ؤ → و, ئ → ي. Digits (``ascii_digits``): Arabic-Indic and Persian → ASCII. The
Arabic decimal and thousands separators (٫ ٬) are left alone on purpose: the number finder needs
to tell them apart from the Latin '.' and ',' (١٫٢٠٠ is 1.2, but 1.200 may be 1200).
"""

from __future__ import annotations

import sys
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from marsad.arabic._patterns import BmpTwin

# Characters dropped everywhere: combining marks, tatweel, zero-width and bidi controls, BOM.
_DROP_CLASS = r"\p{Mn}\u0640\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
# every document is scanned for them (numbers, dates): the re twin takes half the time
_DROP_RUNS = BmpTwin(lambda char_class: char_class(f"[{_DROP_CLASS}]") + "+")
# Marks that belong to the letter before them: a span ending on a letter keeps its harakat.
_TRAILING_MARKS = regex.compile(r"[\p{Mn}\u0640]*")
_GRAPHEME = regex.compile(r"\X", regex.DOTALL)

_LETTER_FOLDS = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"}
_DIGIT_FOLDS = {chr(base + i): str(i) for base in (0x0660, 0x06F0) for i in range(10)}


def _drop_codepoints() -> list[int]:
    """Every code point of the drop class (built once: str.translate needs them listed)."""
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    return [ord(ch) for ch in regex.findall(f"[{_DROP_CLASS}]", every)]


_DROPPED: dict[int, None] = dict.fromkeys(_drop_codepoints())
_FOLD_ONLY = str.maketrans({**_LETTER_FOLDS, **_DIGIT_FOLDS})
_KEY_TABLE: dict[int, str | int | None] = {**_DROPPED, **_FOLD_ONLY}
_TABLES = {
    (True, True): str.maketrans({**_LETTER_FOLDS, **_DIGIT_FOLDS}),
    (True, False): str.maketrans(_LETTER_FOLDS),
    (False, True): str.maketrans(_DIGIT_FOLDS),
    (False, False): {},
}
_DROP_AND_FOLD = {key: {**_DROPPED, **table} for key, table in _TABLES.items()}
# The same folds as (from, to) pairs: on a long text a chain of str.replace calls is about 15×
# faster than str.translate, and equivalent here since no target letter is itself folded.
_PAIRS = {
    (fold, digits): [(k, v) for k, v in ({**(_LETTER_FOLDS if fold else {}),
                                          **(_DIGIT_FOLDS if digits else {})}).items()]
    for fold in (True, False) for digits in (True, False)
}


@lru_cache(maxsize=1 << 16)  # pure, and the same words come back in every report
def match_key(text: str) -> str:
    """A key for matching: no diacritics/tatweel/invisible controls, letters and digits folded,
    lower-case."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text).translate(_KEY_TABLE)
    return text.lower()


@dataclass(frozen=True, slots=True)
class Normalised:
    """A normalised text and the map from its offsets to those of ``original``.

    The map is stored as kept segments: normalised offsets ``norm_starts[k]`` onwards come
    one-to-one from original offsets ``orig_starts[k]`` onwards (the fast path for NFC input,
    where normalising only deletes and folds one-to-one). When NFC had to recompose characters,
    ``char_ends`` additionally holds, per normalised character, the end of its source in the
    original.
    """

    text: str
    original: str
    norm_starts: tuple[int, ...] = field(repr=False, default=(0,))
    orig_starts: tuple[int, ...] = field(repr=False, default=(0,))
    char_ends: tuple[int, ...] | None = field(repr=False, default=None)

    def to_original(self, i: int) -> int:
        """Offset in the original of the character that produced normalised offset ``i``
        (``len(text)`` maps to ``len(original)``)."""
        if i >= len(self.text):
            return len(self.original)
        if i <= 0:
            return self.orig_starts[0] if self.text else 0
        k = bisect_right(self.norm_starts, i) - 1
        return self.orig_starts[k] + (i - self.norm_starts[k])

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """The original span whose characters produced ``text[start:end]``: removed marks inside
        the span, and the harakat/tatweel right after its last letter, are included."""
        start = max(0, min(start, len(self.text)))
        end = max(start, min(end, len(self.text)))
        s = self.to_original(start)
        if end == start:
            return s, s
        if self.char_ends is not None:
            e = self.char_ends[end - 1]
        else:
            e = self.to_original(end - 1) + 1
        e = _TRAILING_MARKS.match(self.original, e).end()
        return s, e


def normalise(text: str, *, fold_letters: bool = True, ascii_digits: bool = True) -> Normalised:
    """Normalise ``text`` (see module docstring) keeping an exact offset map to it."""
    return _normalise(text, fold_letters, ascii_digits)


@lru_cache(maxsize=8)
def _normalise(text: str, fold_letters: bool, ascii_digits: bool) -> Normalised:
    # Cached because numbers, dates and other stages all normalise the same document body.
    if unicodedata.is_normalized("NFC", text):
        return _normalise_nfc(text, _PAIRS[(fold_letters, ascii_digits)])
    return _normalise_by_cluster(text, _DROP_AND_FOLD[(fold_letters, ascii_digits)])


def _normalise_nfc(text: str, pairs: list[tuple[str, str]]) -> Normalised:
    """Fast path: only deletions and one-to-one folds, so the map is a list of kept segments."""
    norm_starts = [0]
    orig_starts = [0]
    removed = 0
    pieces: list[str] = []  # the kept stretches: joined, the text without the dropped runs
    for run in _DROP_RUNS.on(text).finditer(text):  # one scan for the map and the kept text
        s, e = run.span()
        pieces.append(text[orig_starts[-1]:s])
        removed += e - s
        if orig_starts[-1] == s:  # only at the very start of the text: the segment is empty
            orig_starts[-1] = e
        else:  # the next kept character starts a new segment
            norm_starts.append(e - removed)
            orig_starts.append(e)
    kept = "".join((*pieces, text[orig_starts[-1]:])) if removed else text
    for source, target in pairs:
        kept = kept.replace(source, target)
    return Normalised(kept, text, tuple(norm_starts), tuple(orig_starts))


def _normalise_by_cluster(text: str, table: dict[int, str | None]) -> Normalised:
    """Slow path for non-NFC input: normalise grapheme cluster by cluster, so every output
    character can name the cluster it came from."""
    pieces: list[str] = []
    norm_starts: list[int] = []
    orig_starts: list[int] = []
    char_ends: list[int] = []
    n = 0
    for cluster in _GRAPHEME.finditer(text):
        out = unicodedata.normalize("NFC", cluster.group()).translate(table)
        if not out:
            continue
        s, e = cluster.span()
        for _ in out:
            norm_starts.append(n)
            orig_starts.append(s)
            char_ends.append(e)
            n += 1
        pieces.append(out)
    if not norm_starts:
        return Normalised("", text, (0,), (len(text),), ())
    return Normalised("".join(pieces), text, tuple(norm_starts), tuple(orig_starts), tuple(char_ends))
