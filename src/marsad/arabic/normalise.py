"""Arabic normalisation (initial version; the Arabic-core work replaces the internals).

Public API kept stable: ``match_key(text) -> str``.
"""

from __future__ import annotations

import unicodedata

import regex

_DROP = regex.compile(r"[\p{Mn}\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})


def match_key(text: str) -> str:
    """A key for matching: no diacritics/tatweel, alef/hamza, ى/ي and ة/ه folded, lower-case."""
    return _DROP.sub("", unicodedata.normalize("NFC", text)).translate(_FOLD).lower()
