"""Match keys for place and entity names.

One key function is shared by the index builder and the recogniser, so a name in the
gazetteer and the same name in a report always meet on the same string.
"""

from __future__ import annotations

import regex

from marsad.arabic.normalise import match_key

# Persian/Kurdish letter forms that appear in WOF and GeoNames Arabic-script names.
_EXTRA_FOLD = str.maketrans({"ک": "ك", "ی": "ي", "ې": "ي", "ھ": "ه", "ۀ": "ه"})
_NON_WORD = regex.compile(r"[^\p{L}\p{N}]+")
_ARABIC = regex.compile(r"\p{Arabic}")


def name_key(text: str) -> str:
    """match_key, then punctuation and hyphens to single spaces (``البو-كمال`` = ``البو كمال``)."""
    folded = match_key(text).translate(_EXTRA_FOLD)
    return _NON_WORD.sub(" ", folded).strip()


def token_key(text: str) -> str:
    """The key of one word: as :func:`name_key` but a word has no inner spaces."""
    return match_key(text).translate(_EXTRA_FOLD)


def has_arabic(text: str) -> bool:
    return bool(_ARABIC.search(text))
