"""Event deduplication: reports of one incident become one fused event.

Two event records are the same incident when they have the same type, dates within
``DAYS`` of each other (an event's own date, else its report's publication date), compatible
places (the same, within ``NEAR_KM``, or unsaid on one side) and actors that do not exclude
each other (they overlap, or one side names none).  Only asserted events are fused: a denied
or expected attack is not the attack.  Disagreements (places, actors, dates) are kept on the
members, not resolved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from marsad.geo.resolve import distance_km

DAYS = 3
NEAR_KM = 40.0
# a statement or a meeting is specific to its speaker and day; the rest are field events
FUSABLE_TYPES = frozenset({"ATTACK", "KILL", "ARREST", "RELEASE", "AIRSTRIKE", "CLASH",
                           "INFILTRATION", "MEETING", "AGREEMENT", "REPATRIATION", "SEIZURE",
                           "SECURITY_MEASURE", "RECRUITMENT", "TRAVEL_TO_FIGHT"})


@dataclass(frozen=True, slots=True)
class EventRow:
    key: str  # "doc_id:idx"
    doc_id: str
    type: str
    modality: str
    when: str | None
    published: dt.date | None
    place: str | None
    lat: float | None
    lon: float | None
    actors: frozenset[str] = field(default_factory=frozenset)  # English names, lower-cased


def _day(e: EventRow) -> dt.date | None:
    if e.when and len(e.when) >= 10:
        try:
            return dt.date.fromisoformat(e.when[:10])
        except ValueError:
            pass
    return e.published


def event_day(e: EventRow) -> dt.date | None:
    """The day an event is dated to: its own date, else its report's."""
    return _day(e)


def same_incident(a: EventRow, b: EventRow) -> str | None:
    """The reason two events are one incident, or None."""
    if a.doc_id == b.doc_id or a.type != b.type or a.type not in FUSABLE_TYPES:
        return None
    if a.modality != "asserted" or b.modality != "asserted":
        return None
    da, db = _day(a), _day(b)
    if da is None or db is None or abs((da - db).days) > DAYS:
        return None
    if a.place and b.place and a.place != b.place:
        if None in (a.lat, a.lon, b.lat, b.lon):
            return None
        if distance_km(a.lat, a.lon, b.lat, b.lon) > NEAR_KM:  # type: ignore[arg-type]
            return None
    if a.actors and b.actors and not (a.actors & b.actors):
        return None
    if not a.place and not b.place and not (a.actors & b.actors):
        return None  # nothing but a type and a date in common
    parts = [f"same type {a.type}", f"dates {da} / {db}"]
    if a.place and b.place:
        parts.append(f"place {a.place}" if a.place == b.place else f"places {a.place} / {b.place} nearby")
    if a.actors & b.actors:
        parts.append("actors " + ", ".join(sorted(a.actors & b.actors)))
    return "; ".join(parts)


def choose_fused(event: EventRow, fused: dict[str, list[EventRow]]) -> tuple[str, str] | None:
    """(fused id, reason) of the fused event this one joins, or None."""
    for fid, members in sorted(fused.items()):
        if any(m.doc_id == event.doc_id for m in members):
            continue
        reasons = [same_incident(event, m) for m in members]
        if all(reasons):
            return fid, reasons[0]  # type: ignore[return-value]
    return None


class FusedIndex:
    """Fused events indexed by type and day, so that a new event meets only the fused events
    of its type within ``DAYS`` of it (never every fused event of its type)."""

    def __init__(self) -> None:
        self.members: dict[str, list[EventRow]] = {}
        self._by_day: dict[tuple[str, int], set[str]] = {}

    def add(self, fid: str, event: EventRow) -> None:
        self.members.setdefault(fid, []).append(event)
        day = _day(event)
        if day is not None:
            self._by_day.setdefault((event.type, day.toordinal()), set()).add(fid)

    def choose(self, event: EventRow) -> tuple[str, str] | None:
        day = _day(event)
        if day is None:
            return None  # an undated event is never the same incident (see same_incident)
        near: set[str] = set()
        for d in range(day.toordinal() - DAYS, day.toordinal() + DAYS + 1):
            near |= self._by_day.get((event.type, d), set())
        return choose_fused(event, {fid: self.members[fid] for fid in near})


def summarise(members: Sequence[EventRow]) -> dict[str, list[str]]:
    """Values on which the reports differ (kept, not resolved)."""
    out: dict[str, list[str]] = {}
    for name in ("place", "when"):
        values = sorted({getattr(m, name) for m in members if getattr(m, name)})
        if len(values) > 1:
            out[name] = values
    return out
