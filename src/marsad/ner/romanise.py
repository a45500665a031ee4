"""Readable English spellings of Arabic personal names (حميد الشاطري -> "Hamid al-Shatri").

Unvocalised Arabic does not say which short vowels a name has, so common names come from a
table (``ner/data/given_names.tsv``) and the rest are spelled by rule: consonants by a
journalistic table, the article as "al-" (sun letters are not assimilated in English copy:
al-Shatri, not ash-Shatri), long vowels from ا و ي, ة as "a", and an "a" (or the "i" of the
CāCiC pattern, قاسم -> Qasim) between consonants where a syllable needs a vowel.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import regex

from marsad.geo.keys import token_key

DATA = Path(__file__).parent / "data" / "given_names.tsv"
_MARKS = regex.compile(r"[\p{Mn}\u0640]")
_CONSONANTS: dict[str, str] = {
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r",
    "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "dh", "ط": "t", "ظ": "dh", "غ": "gh", "ف": "f",
    "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ء": "'", "ئ": "'", "ؤ": "'",
    "ع": "'", "پ": "p", "چ": "ch", "گ": "g", "ڤ": "v", "ک": "k",
}
_LONG_VOWELS = {"ا": "a", "آ": "a", "أ": "a", "إ": "i", "ى": "a", "و": "u", "ي": "i"}


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], dict[str, str]]:
    given: dict[str, str] = {}
    family: dict[str, str] = {}
    for name_ar, name_en, kind in _data_rows():
        target = family if kind == "family" else given
        target.setdefault(token_key(name_ar), name_en)
    return given, family


@lru_cache(maxsize=1)
def _common_word_names() -> frozenset[str]:
    return frozenset(token_key(name_ar) for name_ar, _en, kind in _data_rows() if kind == "given_common")


def _data_rows() -> list[tuple[str, str, str]]:
    rows = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("name_ar"):
            continue
        name_ar, name_en, kind = line.split("\t")
        rows.append((name_ar, name_en, kind))
    return rows


def known_given_name(word: str) -> bool:
    return known_given_key(token_key(word))


def known_given_key(key: str) -> bool:
    """:func:`known_given_name` for a word whose ``token_key`` is already known."""
    return key in _table()[0]


def unambiguous_given_name(word: str) -> bool:
    """A given name that is not also a common word, so it can start a name without a title."""
    return unambiguous_given_key(token_key(word))


def unambiguous_given_key(key: str) -> bool:
    return key in unambiguous_given_keys()


@lru_cache(maxsize=1)
def unambiguous_given_keys() -> frozenset[str]:
    """The given-name keys that are not common words (one set test per word of a report)."""
    return frozenset(_table()[0]) - _common_word_names()


def romanise_name(name: str) -> str:
    """English spelling of a personal name, word by word."""
    words = _MARKS.sub("", name).split()
    given, family = _table()
    out: list[str] = []
    i = 0
    while i < len(words):
        pair = token_key(" ".join(words[i:i + 2])) if i + 1 < len(words) else ""
        if pair in given:  # عبد الله, عبد الرحمن
            out.append(given[pair])
            i += 2
            continue
        out.append(romanise_word(words[i], first=i == 0))
        i += 1
    return " ".join(out)


def romanise_word(word: str, first: bool = False) -> str:
    given, family = _table()
    key = token_key(word)
    if key.startswith("ال") and len(key) > 3:
        stem = word[2:] if word.startswith("ال") else word
        stem_key = key[2:]
        spelled = family.get(stem_key) or given.get(stem_key) or _by_rule(stem).capitalize()
        return "al-" + spelled
    if key in given:
        return given[key]
    if key in family:
        return family[key]
    return _by_rule(word).capitalize()


def _by_rule(word: str) -> str:
    letters = [ch for ch in word if ch in _CONSONANTS or ch in _LONG_VOWELS or ch == "ة"]
    out: list[str] = []
    prev_was_consonant = False
    for i, ch in enumerate(letters):
        nxt = letters[i + 1] if i + 1 < len(letters) else ""
        last = i == len(letters) - 1
        if ch == "ة":
            out.append("a")
            prev_was_consonant = False
            continue
        if ch in _LONG_VOWELS and not (ch in "وي" and (i == 0 or not prev_was_consonant) and nxt):
            if i == 0 and ch == "ا":
                out.append("a")
            elif ch in "وي" and i == 0:
                out.append("w" if ch == "و" else "y")
                prev_was_consonant = True
                continue
            else:
                out.append(_LONG_VOWELS[ch])
            prev_was_consonant = False
            continue
        # a consonant (و/ي between vowels act as w/y)
        sound = {"و": "w", "ي": "y"}.get(ch, _CONSONANTS.get(ch, ""))
        if ch == "ع" and (i == 0 or not prev_was_consonant):
            sound = ""
        if ch == "ع" and i == 0:
            out.append("a" if nxt not in _LONG_VOWELS else "")
            prev_was_consonant = False
            continue
        out.append(sound)
        if last:
            break
        if nxt and nxt not in _LONG_VOWELS and nxt != "ة" and _needs_vowel(letters, i, prev_was_consonant):
            out.append(_inserted_vowel(letters, i))
            prev_was_consonant = False
        else:
            prev_was_consonant = True
    return "".join(out).replace("''", "'").strip("'")


def _needs_vowel(letters: list[str], i: int, prev_was_consonant: bool) -> bool:
    """Break consonant clusters: after the first consonant, and never three in a row."""
    if i == 0:
        return True
    if prev_was_consonant:
        return True
    # CāCC at the end of the word: the CāCiC pattern (قاسم, خالد, ثابت).
    return i >= 2 and letters[i - 1] == "ا" and i + 2 == len(letters)


def _inserted_vowel(letters: list[str], i: int) -> str:
    if i >= 2 and letters[i - 1] == "ا" and i + 2 == len(letters):
        return "i"
    return "a"
