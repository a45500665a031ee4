"""The Arabic text core: normalisation with an offset map, sentences, tokens and clitics,
numbers and dates. Every span these functions return is an offset into the original text.

``normalise`` is not re-exported here on purpose: the name would shadow the submodule
``marsad.arabic.normalise``; import it from there."""

from marsad.arabic.dates import find_dates
from marsad.arabic.normalise import Normalised, match_key
from marsad.arabic.numbers import find_numbers
from marsad.arabic.segment import Token, sentences, strip_clitics, tokens

__all__ = [
    "Normalised", "Token", "find_dates", "find_numbers", "match_key", "sentences", "strip_clitics",
    "tokens",
]
