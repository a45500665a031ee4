"""Building blocks for the hot-path patterns over *normalised* text.

The scans over whole documents (number atoms, dates) use the standard library's ``re`` with
word lists compiled into a character trie: measured on the seed corpus, this runs about 2.5×
faster than the same pattern in ``regex`` (whose Unicode classes the normalised text does not
need: it holds no combining marks, so ``\\w`` is exactly "letter or digit or _"). Everything
else uses ``regex``; the patterns made mostly of Unicode classes that run over every document
(its tokens, the marks normalise drops, the windows around each number) also have an ``re``
twin for text within the BMP (:class:`BmpTwin`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cached_property, lru_cache

import regex

LETTER = r"[^\W\d_]"
NOT_LETTER_AFTER = rf"(?!{LETTER})"


def trie_alternation(phrases: Iterable[str], space: str = r"\s") -> str:
    """A regex (``re`` syntax) matching any of ``phrases``, factored into a character trie so
    that a failing position costs one character test; spaces inside a phrase match any run of
    ``space`` (whitespace). Longer phrases win over their prefixes (greedy optional tails)."""
    root: dict[str, dict] = {}
    for phrase in phrases:
        node = root
        for ch in " ".join(phrase.split()):
            node = node.setdefault(ch, {})
        node[""] = {}
    body = _emit(root, space)
    if not body:
        return "(?!)"
    # ``re`` tries the branches of an alternation one by one; a leading character-class test
    # rejects most positions in one step.
    firsts = sorted({ch for ch in root if ch})
    if len(firsts) > 2:
        body = "(?=[" + "".join(re.escape(ch) for ch in firsts) + "])" + body
    return body


def _emit(node: dict[str, dict], space: str) -> str:
    branches = [
        (space + "+" if ch == " " else re.escape(ch)) + _emit(child, space)
        for ch, child in sorted(node.items()) if ch
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:  # a phrase may end here: the rest is optional
        body = f"(?:{body})?"
    return body


@lru_cache(maxsize=None)
def compiled(pattern: str) -> regex.Pattern[str]:
    """``regex.compile`` memoised: ``regex.search(pattern, …)`` looks its pattern up in the
    module's cache on every call (microseconds), too slow on paths run per word."""
    return regex.compile(pattern)


@lru_cache(maxsize=None)
def class_chars(char_class: str) -> str:
    """Every character the ``regex`` character class ``char_class`` matches, for ``str.rstrip``,
    which strips the same trailing run as ``char_class + "*$"`` without a match tried at every
    position. BMP only (regex's \\s has no character beyond it); made on first use."""
    return "".join(regex.findall(char_class, "".join(map(chr, range(0x10000)))))


def bmp_class(char_class: str) -> str:
    """An ``re`` character class holding exactly the BMP characters that the ``regex`` class
    ``char_class`` matches, written as ``\\uXXXX`` ranges. ``re`` tests such a class with one
    table lookup per character, where ``regex`` looks up Unicode properties: whole-document scans
    built from these classes run about twice as fast (benchmarks/bench_extract.py). Characters
    beyond the BMP are left out: see :class:`BmpTwin`."""
    codes = [ord(ch) for ch in class_chars(char_class)]
    ranges: list[str] = []
    first = 0
    for k in range(1, len(codes) + 1):
        if k == len(codes) or codes[k] != codes[k - 1] + 1:  # a run of consecutive code points ends
            low, high = codes[first], codes[k - 1]
            ranges.append(f"\\u{low:04x}" if low == high else f"\\u{low:04x}-\\u{high:04x}")
            first = k
    return "[" + "".join(ranges) + "]" if ranges else "(?!)"


def is_bmp(text: str) -> bool:
    """Whether every character of ``text`` lies in the BMP (one UTF-16 code unit each): a copy in
    C, about a microsecond for a 500-word report."""
    return len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text)


class BmpTwin:
    """A ``regex`` pattern and its ``re`` twin, which match alike on text within the BMP.

    ``build`` writes the pattern from a function that turns a ``regex`` character class into
    the class to use: the identity gives the ``regex`` pattern, :func:`bmp_class` the ``re``
    twin (compiled on first use: listing a class's characters takes milliseconds). Only the
    character classes differ, so the two find the same matches wherever every character is in
    the BMP; :meth:`on` picks the twin for such text (nearly all) and the ``regex`` pattern for
    the rest."""

    def __init__(self, build: Callable[[Callable[[str], str]], str]) -> None:
        self.build = build
        self.full = regex.compile(build(lambda char_class: char_class))

    @cached_property
    def bmp(self) -> re.Pattern[str]:
        return re.compile(self.build(bmp_class))

    def on(self, text: str) -> re.Pattern[str] | regex.Pattern[str]:
        return self.bmp if is_bmp(text) else self.full
