"""Who held a post on a given day, from the reports that named the holder with that post.

A report naming "رئيس جهاز المخابرات العراقي حميد الشاطري" asserts that al-Shatri held the
post on its date.  A bare title in another report dated D refers to the holder whose latest
assertion is on or before D (a post is held until another holder is reported), or, when
every assertion is later, to the earliest holder if within ``LOOKAHEAD_DAYS``.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

LOOKAHEAD_DAYS = 365


@dataclass(frozen=True, slots=True)
class RoleAssertion:
    role_key: str
    entity_id: str
    name: str
    day: dt.date
    doc_id: str


def role_key(role: str) -> str:
    return " ".join(role.lower().replace("the ", "").split())


@dataclass(frozen=True, slots=True)
class Holder:
    entity_id: str
    name: str
    doc_id: str
    since: dt.date


def holder_on(assertions: Iterable[RoleAssertion], day: dt.date | None) -> Holder | None:
    return Holders(assertions).on(day)


class Holders:
    """The holders of one post, ordered once by day, for many reports' dates."""

    def __init__(self, assertions: Iterable[RoleAssertion]) -> None:
        self.ordered = sorted(assertions, key=lambda a: (a.day, a.entity_id))
        self.days = [a.day for a in self.ordered]

    def on(self, day: dt.date | None) -> Holder | None:
        ordered = self.ordered
        if not ordered:
            return None
        if day is None:
            people = {a.entity_id for a in ordered}
            if len(people) != 1:
                return None  # undated report and several holders: no guess
            a = ordered[-1]
            return Holder(a.entity_id, a.name, a.doc_id, a.day)
        named = bisect_right(self.days, day)  # named on or before the day
        if named:
            a = ordered[named - 1]
            return Holder(a.entity_id, a.name, a.doc_id, a.day)
        a = ordered[0]
        if (a.day - day).days <= LOOKAHEAD_DAYS:
            return Holder(a.entity_id, a.name, a.doc_id, a.day)
        return None
