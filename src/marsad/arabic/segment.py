"""Sentence splitting and tokenisation of Arabic news text, with offsets into the original.

Sentences end at ؟ ؛ . ! … and at line breaks; the Arabic comma ، does not end one. A quotation
(“…” «…» "…") stays inside its sentence unless a line break interrupts it; a full stop inside a
decimal number (2.5), after an abbreviation (د. ، U.S.) or not followed by a space (URLs) does not
end one either. Headlines and datelines ("بغداد –") need no rule: a headline is its own line, and a
dateline dash is not a sentence end.

Tokens are words, numbers (with their separators) and single punctuation marks. Each carries its
match key and a stem with clitics stripped; see :func:`strip_clitics`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

import regex

from marsad.arabic._data import tsv_rows
from marsad.arabic._patterns import BmpTwin, class_chars
from marsad.arabic.normalise import match_key
from marsad.records import Span

# ---------------------------------------------------------------------------------------------
# sentences

# One scan finds everything that can change the sentence state: line breaks, runs of terminal
# punctuation (a '.' between two digits is a decimal point, not a terminator) and quote marks.
_EVENTS = regex.compile(
    r"(?P<nl>\r\n|[\n\r\u2028\u2029\x0b\x0c\x1c-\x1e\x85])"
    r"|(?P<term>(?:[!?؟؛…\u06d4]|(?<!\d)\.|\.(?!\d))+)"
    r"|(?P<open>[“«])|(?P<close>[”»])|(?P<straight>\")"
)
# What may follow a sentence-final '.' (anything else, e.g. a letter, means a URL or an initial).
_AFTER_STOP = regex.compile(r"(?:\s|[”»\"')\]}]|$)")
_CLOSERS = regex.compile(r"[”»)\]}]*")
_WORD_BEFORE = regex.compile(r"([\p{L}\p{M}\u0640.]+)$")
# str.isspace() also counts the information separators U+001C–U+001F as space
SPACE_CLASS = r"[\s\x1c-\x1f]"
_SPACE = regex.compile(SPACE_CLASS + "*")


@cache
def _abbreviations() -> frozenset[str]:
    return frozenset(match_key(row[0]) for row in tsv_rows("abbreviations.tsv"))


def _is_abbreviation(text: str, dot: int) -> bool:
    """Is the full stop at ``dot`` the end of an abbreviation (د. ، U.S.)?"""
    found = _WORD_BEFORE.search(text, max(0, dot - 12), dot)
    if not found:
        return False
    word = match_key(found.group(1)).strip(".")
    last = word.rsplit(".", 1)[-1]
    return len(last) == 1 or word in _abbreviations() or last in _abbreviations()


def sentences(text: str) -> list[Span]:
    """Sentence spans of ``text`` (offsets into ``text``, surrounding whitespace excluded)."""
    return list(_sentences(text))


@lru_cache(maxsize=4)
def _sentences(text: str) -> tuple[Span, ...]:
    # Cached: the pipeline's sentence stage and the NER model split the same document body.
    return tuple(_split(text))


def _split(text: str) -> list[Span]:
    cuts: list[int] = []
    depth = 0  # nesting of “ « quotes
    in_straight = False
    for event in _EVENTS.finditer(text):
        kind = event.lastgroup
        if kind == "nl":
            cuts.append(event.end())
            depth, in_straight = 0, False
        elif kind == "open":
            depth += 1
        elif kind == "close":
            if depth:
                depth -= 1
                if not depth and not in_straight and _ends_with_terminator(text, event.start()):
                    cuts.append(_CLOSERS.match(text, event.end()).end())
        elif kind == "straight":
            in_straight = not in_straight
            if not in_straight and not depth and _ends_with_terminator(text, event.start()):
                cuts.append(event.end())
        elif not depth and not in_straight:  # a terminator outside quotes
            end = event.end()
            if text[end - 1] == "." and len(event.group()) == 1:
                if not _AFTER_STOP.match(text, end) or _is_abbreviation(text, event.start()):
                    continue
            cuts.append(_CLOSERS.match(text, end).end())
    return _spans_between(text, cuts)


def _ends_with_terminator(text: str, quote_at: int) -> bool:
    before = text[max(0, quote_at - 3):quote_at].rstrip()
    return bool(before) and before[-1] in ".!?؟…"


def _spans_between(text: str, cuts: list[int]) -> list[Span]:
    spans: list[Span] = []
    start = 0
    space = class_chars(SPACE_CLASS)
    for cut in [*cuts, len(text)]:
        if cut <= start:
            continue
        s = _SPACE.match(text, start).end()
        e = s + len(text[s:cut].rstrip(space))
        if e > s:
            spans.append(Span(s, e))
        start = cut
    return spans


# ---------------------------------------------------------------------------------------------
# tokens

def _token_pattern(char_class: Callable[[str], str]) -> str:
    """The token pattern, its character classes written by ``char_class`` (see BmpTwin)."""
    digit = char_class(r"\p{Nd}")
    # a word (harakat, tatweel and ZWNJ/ZWJ inside) | a number with its separators | punctuation
    return (char_class(r"\p{L}") + char_class(r"[\p{L}\p{M}\u0640\u200c\u200d]") + "*"
            + f"|{digit}+(?:[.,٫٬]{digit}+)*"
            + "|" + char_class(r"[^\s\p{L}\p{Nd}\p{M}\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"))


# Every document is tokenised, and the pattern is nearly all Unicode classes: its re twin (text
# within the BMP) takes half the time.
_TOKENS = BmpTwin(_token_pattern)

# Proclitics, most specific first. Minimum stem lengths keep short words whole.
_FUSED_ARTICLE = regex.compile(r"^([وف]?لل)(..+)$")  # للحكومة = ل + الحكومة
_WITH_ARTICLE = regex.compile(r"^([وف]?[بكل]?ال)(..+)$")
_CONJ_PREP = regex.compile(r"^([وف][بل])(...+)$")
_FUTURE = regex.compile(r"^([وف]?س)([يتن]..+)$")
_PREP = regex.compile(r"^([بل])(....+)$")
_CONJ = regex.compile(r"^([وف])(...+)$")
_PROCLITICS = (_FUSED_ARTICLE, _WITH_ARTICLE, _CONJ_PREP, _FUTURE, _PREP, _CONJ)

# Enclitic pronouns; ـكم and ـنا need a longer stem that does not end in a long vowel, because
# accusative nouns in -نا (قانونا) and words like محاكم would otherwise lose letters.
_ENCLITIC_LONG = regex.compile(r"^(...+?)(هما|ها|هم)$")
_ENCLITIC_KUM_NA = regex.compile(r"^(...[^اوي]*[^اوي])(كم|نا)$")
_ENCLITIC_HA = regex.compile(r"^(...[^ا]*[^ا])ه$")


@cache
def _protected() -> frozenset[str]:
    # hand-kept words, plus the notable place names that `marsad geo build` draws from the gazetteer
    rows = (*tsv_rows("protected_words.tsv"), *tsv_rows("protected_places.tsv"))
    return frozenset(match_key(row[0]) for row in rows)


@lru_cache(maxsize=65536)
def strip_clitics(key: str, final_ha: bool = False) -> tuple[str, str]:
    """Split a match key into (proclitic string, stem): و ف ب ل ك س, the article ال and fused لل
    are stripped from the front, the pronouns ـها ـهم ـهما ـكم ـنا from the end (and ـه when
    ``final_ha`` says the word really ends in ه, not in a folded ة). Words in the protected
    lexicon (بغداد، بيروت، وزير …) are never split."""
    protected = _protected()
    if key in protected:
        return "", key
    stem = key
    for pattern in (_ENCLITIC_LONG, _ENCLITIC_KUM_NA, *((_ENCLITIC_HA,) if final_ha else ())):
        found = pattern.match(stem)
        if found:
            stem = found.group(1)
            break
    if stem in protected:
        return "", stem
    # "وبغداد", "لبيروت": clitics in front of a protected word come off, the word stays whole
    for cut in (1, 2):
        if stem[:cut] in _PROTECTED_PREFIXES and stem[cut:] in protected:
            return stem[:cut], stem[cut:]
    for pattern in _PROCLITICS:
        found = pattern.match(stem)
        if found:
            return found.group(1), found.group(2)
    return "", stem


_PROTECTED_PREFIXES = frozenset({"و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"})


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str
    key: str
    stem: str
    prefix: str


@lru_cache(maxsize=131072)
def _analyse(word: str) -> tuple[str, str, str]:
    key = match_key(word)
    prefix, stem = strip_clitics(key, final_ha=word.endswith("ه"))
    return key, stem, prefix


def token_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the tokens of :func:`tokens`, without their keys and stems (the NER
    back-end needs only the spans, and builds its own words)."""
    return [m.span() for m in _TOKENS.on(text).finditer(text)]


def token_texts(text: str) -> list[str]:
    """The texts of the tokens of :func:`tokens`, in order, without spans: each one's span is
    where ``text.find`` finds it from the end of the one before (what lies between two tokens,
    spaces, controls and stray marks, never starts a token), which is cheaper than a match
    object per token."""
    return _TOKENS.on(text).findall(text)


def tokens(text: str) -> list[Token]:
    """Tokens of ``text`` with spans into it."""
    out: list[Token] = []
    append = out.append
    analyse = _analyse
    for m in _TOKENS.on(text).finditer(text):
        word = m.group()
        key, stem, prefix = analyse(word)
        append(Token(m.start(), m.end(), word, key, stem, prefix))
    return out
