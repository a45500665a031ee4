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

from marsad.fuse.cells import cell_of, cells_around
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
        first = None
        for m in members:  # every member must be the same incident: stop at the first that is not
            reason = same_incident(event, m)
            if reason is None:
                break
            first = first or reason
        else:
            return fid, first  # type: ignore[return-value]
    return None


def _place_keys(event: EventRow) -> list[tuple]:
    """Where an indexed event is: nowhere said, or its place's name and one-degree cell."""
    if not event.place:
        return [("none",)]
    keys: list[tuple] = [("name", event.place)]
    if event.lat is not None and event.lon is not None:
        keys.append(("cell", *cell_of(event.lat, event.lon)))
    return keys


def probe_keys(event: EventRow) -> list[tuple] | None:
    """The place keys of the events ``event`` could be one incident with (see same_incident):
    those with no place, of its place's name, or in the cells within ``NEAR_KM``; None (any
    place) for an event with no place."""
    if not event.place:
        return None
    keys: list[tuple] = [("none",), ("name", event.place)]
    if event.lat is not None and event.lon is not None:
        keys += [("cell", y, x) for y, x in cells_around(event.lat, event.lon, NEAR_KM)]
    return keys


class FusedIndex:
    """Fused events indexed by type, day and place, so that a new event meets only the fused
    events of its type within ``DAYS`` of it at a compatible place (never every fused event of
    its type)."""

    def __init__(self) -> None:
        self.members: dict[str, list[EventRow]] = {}
        self._by_day: dict[tuple[str, int], dict[tuple, set[str]]] = {}

    def add(self, fid: str, event: EventRow) -> None:
        self.members.setdefault(fid, []).append(event)
        day = _day(event)
        if day is not None:
            held = self._by_day.setdefault((event.type, day.toordinal()), {})
            for key in _place_keys(event):
                held.setdefault(key, set()).add(fid)

    def choose(self, event: EventRow) -> tuple[str, str] | None:
        day = _day(event)
        if day is None:
            return None  # an undated event is never the same incident (see same_incident)
        keys = probe_keys(event)
        near: set[str] = set()
        for d in range(day.toordinal() - DAYS, day.toordinal() + DAYS + 1):
            held = self._by_day.get((event.type, d))
            if not held:
                continue
            for key in held if keys is None else keys:
                near |= held.get(key, set())
        # a fused event found here has a member at a compatible place; one whose members all
        # are is found through each of them, so no incident it could join is missed
        return choose_fused(event, {fid: self.members[fid] for fid in near})


def summarise(members: Sequence[EventRow]) -> dict[str, list[str]]:
    """Values on which the reports differ (kept, not resolved)."""
    out: dict[str, list[str]] = {}
    for name in ("place", "when"):
        values = sorted({getattr(m, name) for m in members if getattr(m, name)})
        if len(values) > 1:
            out[name] = values
    return out
