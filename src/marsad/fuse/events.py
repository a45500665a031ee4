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
from collections.abc import Iterable, Sequence
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


@dataclass(slots=True)
class FusedEvent:
    """What deciding whether an event joins a fused event needs of all its members (see
    :meth:`admits`): its first member (whose agreement is the reason given), reports, type,
    modalities, days, places and actors. Kept instead of the members, so that a fused event of
    many reports is judged, stored and read as one record."""

    first: EventRow
    docs: set[str]
    asserted: bool  # every member asserted
    undated: bool  # some member has no day
    first_day: int  # day ordinals over the dated members
    last_day: int
    places: dict[str, tuple[float | None, float | None]]  # the members' places (name -> lat, lon)
    actor_sets: set[frozenset[str]]  # the members' actors, where they name any
    unplaced_actor_sets: set[frozenset[str]]  # the actors of each member without a place

    @classmethod
    def of(cls, event: EventRow) -> FusedEvent:
        day = _day(event)
        fused = cls(event, set(), True, False, *(2 * [day.toordinal() if day else 0]), {}, set(), set())
        fused.add(event)
        return fused

    def add(self, event: EventRow) -> None:
        day = _day(event)
        if day is None:
            self.undated = True
        else:
            self.first_day, self.last_day = min(self.first_day, day.toordinal()), max(self.last_day, day.toordinal())
        self.docs.add(event.doc_id)
        self.asserted = self.asserted and event.modality == "asserted"
        if event.place:
            self.places.setdefault(event.place, (event.lat, event.lon))
        else:
            self.unplaced_actor_sets.add(event.actors)
        if event.actors:
            self.actor_sets.add(event.actors)

    def admits(self, event: EventRow) -> str | None:
        """The reason ``event`` is one incident with every member (:func:`same_incident` with
        each of them), or None."""
        if event.doc_id in self.docs or event.type != self.first.type or event.type not in FUSABLE_TYPES:
            return None
        if event.modality != "asserted" or not self.asserted or self.undated:
            return None
        day = _day(event)
        if day is None or self.first_day < day.toordinal() - DAYS or self.last_day > day.toordinal() + DAYS:
            return None
        if event.place:
            for name, (lat, lon) in self.places.items():
                if name != event.place and (None in (event.lat, event.lon, lat, lon)
                                            or distance_km(event.lat, event.lon, lat, lon) > NEAR_KM):  # type: ignore[arg-type]
                    return None
        if event.actors and any(not (actors & event.actors) for actors in self.actor_sets):
            return None
        if not event.place and any(not (actors & event.actors) for actors in self.unplaced_actor_sets):
            return None  # nothing but a type and a date in common with one of them
        return same_incident(event, self.first)

    def days(self) -> range:
        return range(self.first_day, self.last_day + 1)

    def place_keys(self) -> list[tuple]:
        """Where its members are (see _place_keys)."""
        keys: list[tuple] = [("none",)] if self.unplaced_actor_sets else []
        for name, (lat, lon) in self.places.items():
            keys += _place_keys(name, lat, lon)
        return keys

    def to_json(self) -> dict:
        e = self.first
        return {"first": [e.key, e.doc_id, e.type, e.modality, e.when, e.published.isoformat() if e.published else None,
                          e.place, e.lat, e.lon, sorted(e.actors)],
                "docs": sorted(self.docs), "asserted": self.asserted, "undated": self.undated,
                "days": [self.first_day, self.last_day], "places": [[n, *c] for n, c in sorted(self.places.items())],
                "actors": sorted(sorted(a) for a in self.actor_sets),
                "unplaced": sorted(sorted(a) for a in self.unplaced_actor_sets)}

    @classmethod
    def from_json(cls, data: dict) -> FusedEvent:
        key, doc, type_, modality, when, published, place, lat, lon, actors = data["first"]
        first = EventRow(key, doc, type_, modality, when, dt.date.fromisoformat(published) if published else None,
                         place, lat, lon, frozenset(actors))
        return cls(first, set(data["docs"]), data["asserted"], data["undated"], *data["days"],
                   {n: (y, x) for n, y, x in data["places"]}, {frozenset(a) for a in data["actors"]},
                   {frozenset(a) for a in data["unplaced"]})


def choose_fused(event: EventRow, fused: dict[str, FusedEvent]) -> tuple[str, str] | None:
    """(fused id, reason) of the fused event this one joins (the first by id of those it is one
    incident with every member of), or None."""
    for fid, candidate in sorted(fused.items()):
        reason = candidate.admits(event)
        if reason is not None:
            return fid, reason
    return None


def _place_keys(place: str | None, lat: float | None, lon: float | None) -> list[tuple]:
    """Where an indexed event is: nowhere said, or its place's name and one-degree cell."""
    if not place:
        return [("none",)]
    keys: list[tuple] = [("name", place)]
    if lat is not None and lon is not None:
        keys.append(("cell", *cell_of(lat, lon)))
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
        self.fused: dict[str, FusedEvent] = {}
        self._by_day: dict[tuple[str, int], dict[tuple, set[str]]] = {}

    def add(self, fid: str, event: EventRow) -> None:
        held_before = self.fused.get(fid)
        if held_before is None:
            self.fused[fid] = FusedEvent.of(event)
        else:
            held_before.add(event)
        day = _day(event)
        if day is not None:
            self._index(fid, event.type, [day.toordinal()], _place_keys(event.place, event.lat, event.lon))

    def add_fused(self, fid: str, fused: FusedEvent) -> None:
        """A stored fused event, indexed on each day it spans and at each of its places."""
        self.fused[fid] = fused
        if not fused.undated:
            self._index(fid, fused.first.type, fused.days(), fused.place_keys())

    def _index(self, fid: str, type_: str, days: Iterable[int], keys: list[tuple]) -> None:
        for day in days:
            held = self._by_day.setdefault((type_, day), {})
            for key in keys:
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
        return choose_fused(event, {fid: self.fused[fid] for fid in near})


def summarise(members: Sequence[EventRow]) -> dict[str, list[str]]:
    """Values on which the reports differ (kept, not resolved)."""
    out: dict[str, list[str]] = {}
    for name in ("place", "when"):
        values = sorted({getattr(m, name) for m in members if getattr(m, name)})
        if len(values) > 1:
            out[name] = values
    return out
