"""Keys under which two spellings of one name meet.

``skeleton``: the Arabic name with hamza forms, ta marbuta, alef maqsura, diacritics,
punctuation and spaces folded away (البو كمال = البوكمال, الشاطرى = الشاطري), and a leading
article dropped from every word, because reports attach and detach it freely.
``english_key``: the English name lower-cased with the article and hyphens folded
(al-Shatri = Al Shatri = alShatri).
"""

from __future__ import annotations

import unicodedata

import regex

from marsad.geo.keys import name_key

_NON_LETTER = regex.compile(r"[^\p{L}\p{N}]+")
_EN_ARTICLE = regex.compile(r"\b(?:al|el|ad|ar|as|ash|at|az|an|ath|adh)[- ]")


def words(name: str) -> list[str]:
    return name_key(name).split()


def _strip_article(word: str) -> str:
    return word[2:] if word.startswith("ال") and len(word) >= 4 else word


def skeleton(name: str) -> str:
    return "".join(_strip_article(w) for w in words(name))


def surname(name: str) -> str | None:
    """The last word's skeleton of a name of two words or more; None for one word."""
    ws = words(name)
    return _strip_article(ws[-1]) if len(ws) >= 2 else None


def english_key(name: str | None) -> str | None:
    if not name:
        return None
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = _EN_ARTICLE.sub("", text)
    text = regex.sub(r"\([^)]*\)", "", text)  # "Hasaka (Al Haksa)": the gazetteer's variant
    key = _NON_LETTER.sub("", text)
    return key or None
