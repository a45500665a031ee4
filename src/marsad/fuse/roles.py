"""Who held a post on a given day, from the reports that named the holder with that post.

A report naming "رئيس جهاز المخابرات العراقي حميد الشاطري" asserts that al-Shatri held the
post on its date.  A bare title in another report dated D refers to the holder whose latest
assertion is on or before D (a post is held until another holder is reported), or, when
every assertion is later, to the earliest holder if within ``LOOKAHEAD_DAYS``.
"""

from __future__ import annotations

import datetime as dt
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
    ordered = sorted(assertions, key=lambda a: (a.day, a.entity_id))
    if not ordered:
        return None
    if day is None:
        people = {a.entity_id for a in ordered}
        if len(people) != 1:
            return None  # undated report and several holders: no guess
        a = ordered[-1]
        return Holder(a.entity_id, a.name, a.doc_id, a.day)
    before = [a for a in ordered if a.day <= day]
    if before:
        a = before[-1]
        return Holder(a.entity_id, a.name, a.doc_id, a.day)
    a = ordered[0]
    if (a.day - day).days <= LOOKAHEAD_DAYS:
        return Holder(a.entity_id, a.name, a.doc_id, a.day)
    return None
