"""Typed records that flow through Marsad (DESIGN.md §3).

Every span (``start``, ``end``) is a pair of character offsets into ``Document.body``,
the original decoded text (NFC), never into a normalised copy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

EntityType = Literal["PER", "ORG", "LOC"]
Qualifier = Literal["exact", "approx", "at_least", "at_most", "only"]
TLP_LEVELS: tuple[str, ...] = ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED")
QUALIFIERS: tuple[str, ...] = ("exact", "approx", "at_least", "at_most", "only")
EVENT_TYPES: tuple[str, ...] = (
    "ATTACK", "KILL", "ARREST", "RELEASE", "AIRSTRIKE", "CLASH", "INFILTRATION", "MEETING",
    "AGREEMENT", "STATEMENT", "REPATRIATION", "RECRUITMENT", "TRAVEL_TO_FIGHT", "SEIZURE",
    "SECURITY_MEASURE",
)


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(slots=True)
class Document:
    """A report as ingested: the original text plus its metadata and marking."""

    id: str
    title: str
    body: str
    source: str
    outlet: str | None = None
    published: dt.date | None = None
    url: str | None = None
    language: str = "ar"
    tlp: str = "CLEAR"
    owner: str | None = None
    ingested_at: dt.datetime | None = None


@dataclass(slots=True)
class NumberMatch:
    """A number found in text: digits in any script, number words or both."""

    start: int
    end: int
    text: str
    value: float
    low: float | None = None
    high: float | None = None
    qualifier: str = "exact"
    ordinal: bool = False
    vague: bool = False  # عشرات، مئات، آلاف: a range, not a figure

    @property
    def int_value(self) -> int | float:
        return int(self.value) if float(self.value).is_integer() else self.value


@dataclass(slots=True)
class DateMatch:
    start: int
    end: int
    text: str
    normalized: str | None  # YYYY-MM-DD, YYYY-MM or YYYY; None when unresolvable
    calendar: str = "gregorian"  # or "hijri"
    relative: bool = False
    note: str | None = None  # part of day (مساء، فجر) and the like


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str
    type: str  # PER | ORG | LOC
    canonical: str | None = None
    role: str | None = None
    entity_id: str | None = None
    confidence: float = 1.0
    lat: float | None = None
    lon: float | None = None
    geo_kind: str | None = None
    geonames_id: int | None = None


@dataclass(slots=True)
class Quantity:
    start: int
    end: int
    text: str
    value: float
    qualifier: str = "exact"
    low: float | None = None
    high: float | None = None
    what: str | None = None  # the Arabic counted phrase
    category: str | None = None  # normalised category, e.g. "ISIS members", "detainees"
    where: str | None = None
    when: str | None = None
    source: str | None = None
    parent: int | None = None  # index of the parent claim in the same document's list
    kind: str = "stock"  # stock | flow
    confidence: float = 0.5


@dataclass(slots=True)
class Event:
    start: int
    end: int
    trigger: str
    type: str
    actors: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    where: str | None = None
    when: str | None = None
    source: str | None = None
    modality: str = "asserted"  # asserted | denied | expected | hypothetical
    plover: str | None = None
    confidence: float = 0.5


@dataclass(slots=True)
class Quote:
    start: int
    end: int
    text: str
    speaker: str | None
    cue: str | None = None
    speaker_kind: str | None = None  # person | organisation | anonymous
    channel: str | None = None  # outlet the statement was given to or relayed by
    direct: bool = True
    confidence: float = 0.5


@dataclass(slots=True)
class Analysis:
    """Everything Marsad extracted from one document."""

    doc: Document
    entities: list[Mention] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    dates: list[DateMatch] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    numbers: list[NumberMatch] = field(default_factory=list)
    sentences: list[Span] = field(default_factory=list)


def to_contract(analysis: Analysis) -> dict[str, Any]:
    """The output contract of DESIGN.md §5 for one document. Every record belongs to ``doc`` and
    carries its marking (``doc.tlp``); records add a confidence to the contract's fields."""
    doc = analysis.doc
    return {
        "doc": {
            "id": doc.id,
            "source": doc.source,
            "title": doc.title,
            "published": doc.published.isoformat() if doc.published else None,
            "outlet": doc.outlet,
            "tlp": doc.tlp,
        },
        "entities": [
            {
                "text": m.text, "type": m.type, "start": m.start, "end": m.end,
                "canonical": m.canonical, "role": m.role, "entity_id": m.entity_id,
                "lat": m.lat, "lon": m.lon, "geo_kind": m.geo_kind, "confidence": m.confidence,
            }
            for m in analysis.entities
        ],
        "quantities": [
            {
                "text": q.text, "start": q.start, "end": q.end, "value": _num(q.value),
                "low": _num(q.low), "high": _num(q.high), "qualifier": q.qualifier,
                "what": q.category or q.what, "what_ar": q.what, "where": q.where, "when": q.when,
                "source": q.source, "parent": q.parent, "kind": q.kind, "confidence": q.confidence,
            }
            for q in analysis.quantities
        ],
        "dates": [
            {"text": d.text, "start": d.start, "end": d.end, "normalized": d.normalized,
             "calendar": d.calendar, "relative": d.relative, "note": d.note}
            for d in analysis.dates
        ],
        "events": [
            {
                "type": e.type, "trigger": e.trigger, "start": e.start, "end": e.end,
                "actors": e.actors, "targets": e.targets, "where": e.where, "when": e.when,
                "plover": e.plover, "modality": e.modality, "source": e.source,
                "confidence": e.confidence,
            }
            for e in analysis.events
        ],
        "quotes": [
            {"speaker": q.speaker, "cue": q.cue, "start": q.start, "end": q.end, "text": q.text,
             "speaker_kind": q.speaker_kind, "channel": q.channel, "direct": q.direct,
             "confidence": q.confidence}
            for q in analysis.quotes
        ],
    }


def _num(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def record_dict(record: Any) -> dict[str, Any]:
    return asdict(record)
