"""TLP 2.0 markings (FIRST, 2022): the five levels, their order and parsing.

The level names are stored as written here (``"AMBER+STRICT"``), the same strings as
:data:`marsad.records.TLP_LEVELS`; parsing is shared with ingest (``normalise_tlp``) so a
file's front matter, ``--tlp`` and the API accept exactly the same spellings.
"""

from __future__ import annotations

from enum import Enum
from functools import lru_cache
from typing import Iterable

from marsad.ingest.meta import normalise_tlp
from marsad.records import TLP_LEVELS


class TLP(str, Enum):
    """A TLP 2.0 level; members compare by strictness (CLEAR < GREEN < … < RED)."""

    CLEAR = "CLEAR"
    GREEN = "GREEN"
    AMBER = "AMBER"
    AMBER_STRICT = "AMBER+STRICT"
    RED = "RED"

    @property
    def rank(self) -> int:
        return TLP_LEVELS.index(self.value)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, TLP):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, TLP):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, TLP):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, TLP):
            return NotImplemented
        return self.rank >= other.rank

    def __str__(self) -> str:
        return self.value

    @classmethod
    def parse(cls, value: object) -> TLP:
        """'amber-strict', 'TLP:RED', 'white' (TLP 1.0) … → a level; ValueError names the input."""
        if isinstance(value, TLP):
            return value
        if isinstance(value, str):
            return _parse_text(value)  # stored markings repeat: a few distinct texts
        return cls(normalise_tlp(value))


@lru_cache(maxsize=256)
def _parse_text(value: str) -> TLP:
    return TLP(normalise_tlp(value))


def parse_tlp(value: object) -> TLP:
    return TLP.parse(value)


def strictest(*levels: TLP | str | Iterable[TLP | str]) -> TLP:
    """The strictest of the given levels (a record carries the strictest of its sources).

    Accepts levels as arguments or one iterable; with none, CLEAR (nothing restricts it).
    """
    flat: list[TLP | str] = []
    for item in levels:
        if isinstance(item, (str, TLP)):
            flat.append(item)
        else:
            flat.extend(item)
    return max((TLP.parse(x) for x in flat), default=TLP.CLEAR)
