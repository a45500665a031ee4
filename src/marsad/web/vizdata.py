"""Data for the workspace's map, timeline, graph and mentions chart (``/web/data/*.json``).

Pure builders over store reads: every read passes the caller's viewer, so a marker, a
timeline item, a node or a monthly count only ever comes from documents that viewer may
see (the sharing rule lives in the store's query layer, never here).  The builders return
dataclass records; :mod:`marsad.web.viz_routes` turns them into JSON.

Dates of events are often partial ("2025", "2025-09"): an item keeps its precision and
covers the whole period it names (``start`` .. ``end``), so a range filter keeps an event
of "2025-09" in a range that touches September.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from marsad.arabic.normalise import match_key

#: the reader and entity pages of the workspace (marsad.web pages)
DOC_URL = "/doc/{id}"
ENTITY_URL = "/entity/{id}"
#: bounds that keep a page light on a large store (the most mentioned come first)
MAX_PLACES = 400
MAX_EVENTS = 2000
MAX_GRAPH_NODES = 45
MAX_SOURCES_PER_ITEM = 8

Box = tuple[float, float, float, float]  # (west, south, east, north) in degrees
_PARTIAL_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


# ---------------------------------------------------------------------------- records

@dataclass(frozen=True, slots=True)
class Source:
    """A report an item comes from, with its reader link."""

    doc_id: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    href: str = ""

    @classmethod
    def of(cls, doc_id: str, title: str | None = None, outlet: str | None = None,
           published: Any = None) -> Source:
        return cls(doc_id, title, outlet, _iso(published), DOC_URL.format(id=doc_id))


@dataclass(frozen=True, slots=True)
class Marker:
    """A point on the map: a place (fused LOC entity) or an event located at a place."""

    id: str
    kind: str  # "place" | "event"
    lat: float
    lon: float
    name: str  # Arabic (as the viewer's reports spell it) or the event type
    label_en: str | None
    type: str | None  # entity type or event type
    count: int  # mentions of a place, reports of an event
    href: str | None
    place_id: str | None = None  # the place an event marker sits at
    when: str | None = None
    sources: list[Source] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class MapData:
    markers: list[Marker]
    unplaced_events: int  # visible events whose place has no coordinates
    focus: Box | None  # (west, south, east, north) of most markers
    admin1: list[str]  # ISO 3166-1 alpha-3 codes whose admin-1 boundaries to draw (within focus)


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date as precise as the report gives it, with the period it covers."""

    text: str
    precision: str  # "year" | "month" | "day"
    start: dt.date
    end: dt.date


@dataclass(frozen=True, slots=True)
class TimelineItem:
    id: str
    kind: str  # "event" | "claim" | "quote"
    date: str
    precision: str
    start: str
    end: str
    label: str  # event type, claim text or quote
    type: str | None
    where: str | None
    detail: str | None
    reports: int
    sources: list[Source]


@dataclass(frozen=True, slots=True)
class TimelineData:
    items: list[TimelineItem]
    undated: int
    since: str | None
    until: str | None
    entity: str | None


@dataclass(frozen=True, slots=True)
class GraphNode:
    id: str
    kind: str  # "entity" | "event"
    type: str | None
    name: str  # Arabic spelling (entities) or event type
    label_en: str | None
    href: str | None
    when: str | None = None
    where: str | None = None
    weight: int = 0  # shared reports with the centre, or the event's reports


@dataclass(frozen=True, slots=True)
class GraphEdge:
    source: str
    target: str
    kind: str  # "co-occurs" | "actor" | "target" | "place"
    weight: int


@dataclass(frozen=True, slots=True)
class GraphData:
    center: str
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: int  # neighbours left out to keep the drawing readable


@dataclass(frozen=True, slots=True)
class MonthCount:
    month: str  # YYYY-MM
    mentions: int
    documents: int


@dataclass(frozen=True, slots=True)
class MentionsData:
    entity: str
    name: str
    label_en: str | None
    months: list[MonthCount]
    undated: int


def to_json(record: Any) -> dict:
    return asdict(record)


# ---------------------------------------------------------------------------- dates

def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def parse_partial_date(text: str | None) -> PartialDate | None:
    """``2025`` / ``2025-09`` / ``2025-09-07`` (also a longer ISO string) -> the period it covers."""
    if not text:
        return None
    m = _PARTIAL_DATE.match(str(text))
    if not m:
        return None
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    try:
        if month is None:
            return PartialDate(m.group(0).strip(), "year", dt.date(year, 1, 1), dt.date(year, 12, 31))
        last = calendar.monthrange(year, month)[1]
        if day is None:
            return PartialDate(m.group(0).strip(), "month", dt.date(year, month, 1), dt.date(year, month, last))
        return PartialDate(m.group(0).strip(), "day", dt.date(year, month, day), dt.date(year, month, day))
    except ValueError:  # month 13, day 31 of a 30-day month: not a date
        return None


def _overlaps(period: PartialDate, since: dt.date | None, until: dt.date | None) -> bool:
    return (since is None or period.end >= since) and (until is None or period.start <= until)


# ---------------------------------------------------------------------------- places

@dataclass(slots=True)
class _PlaceIndex:
    """Visible geocoded places, looked up by any of their names (English or Arabic)."""

    places: list[dict]
    by_key: dict[str, dict]

    @classmethod
    def build(cls, store: Any, viewer: Any) -> _PlaceIndex:
        places = [p for p in store.fused_entities(viewer=viewer, type="LOC", limit=MAX_PLACES)
                  if p.get("lat") is not None and p.get("lon") is not None]
        by_key: dict[str, dict] = {}
        for p in places:  # most mentioned first, so a shared name goes to the main place
            for name in (p.get("canonical"), p.get("name"), *p.get("aliases", ())):
                if name:
                    by_key.setdefault(match_key(name), p)
        return cls(places, by_key)

    def find(self, name: str | None) -> dict | None:
        return self.by_key.get(match_key(name)) if name else None


def _place_marker(p: dict) -> Marker:
    return Marker(id=p["id"], kind="place", lat=p["lat"], lon=p["lon"], name=p["name"],
                  label_en=p.get("canonical"), type=p.get("geo_kind") or "LOC",
                  count=p.get("mention_count", 0), href=ENTITY_URL.format(id=p["id"]))


def _event_sources(event: dict) -> list[Source]:
    seen: dict[str, Source] = {}
    for m in event.get("members", ()):
        if m["doc_id"] not in seen:
            seen[m["doc_id"]] = Source.of(m["doc_id"], m.get("doc_title"), m.get("outlet"), m.get("published"))
    return list(seen.values())[:MAX_SOURCES_PER_ITEM]


@dataclass(frozen=True, slots=True)
class EventFilter:
    """The map's and timeline's filters: event type and a date range (both ends inclusive)."""

    type: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    def keeps(self, event: dict) -> bool:
        if self.type and event.get("type") != self.type.upper():
            return False
        if self.since is None and self.until is None:
            return True
        period = parse_partial_date(event.get("when"))
        return period is not None and _overlaps(period, self.since, self.until)


def map_data(store: Any, viewer: Any, entity: str | None = None,
             region_boxes: dict[str, list[Box]] | None = None,
             events_filter: EventFilter = EventFilter()) -> MapData | None:
    """Places and located events; for ``entity``, its own place and the places and events
    around it.  None when the entity is not visible to the viewer."""
    index = _PlaceIndex.build(store, viewer)
    if entity is None:
        places = index.places
        events = store.fused_events(viewer=viewer, limit=MAX_EVENTS)
    else:
        neighbourhood = store.graph(entity, viewer=viewer)
        if neighbourhood is None:
            return None
        wanted = {n["id"] for n in neighbourhood["nodes"] if n["kind"] == "entity"}
        places = [p for p in index.places if p["id"] in wanted]
        have = {p["id"] for p in places}
        for n in neighbourhood["nodes"]:  # located neighbours beyond the most mentioned places
            if n["kind"] == "entity" and n.get("lat") is not None and n["id"] not in have:
                places.append({"id": n["id"], "name": n.get("name") or n["label"], "canonical": n.get("label"),
                               "lat": n["lat"], "lon": n["lon"], "geo_kind": None, "mention_count": 0})
        event_ids = {n["id"].removeprefix("event:") for n in neighbourhood["nodes"] if n["kind"] == "event"}
        events = [e for e in store.fused_events(viewer=viewer, limit=MAX_EVENTS) if e["id"] in event_ids]
    markers = [_place_marker(p) for p in places]
    unplaced = 0
    for e in filter(events_filter.keeps, events):
        place = index.find(e.get("where"))
        if place is None:
            unplaced += 1
            continue
        markers.append(Marker(id=e["id"], kind="event", lat=place["lat"], lon=place["lon"], name=e["type"],
                              label_en=e["type"], type=e["type"], count=e["reports"],
                              href=DOC_URL.format(id=e["members"][0]["doc_id"]) if e.get("members") else None,
                              place_id=place["id"], when=e.get("when"), sources=_event_sources(e)))
    focus = focus_extent(markers)
    return MapData(markers, unplaced, focus, countries_within(focus, region_boxes or {}))


def focus_extent(markers: list[Marker], keep_percent: int = 90, margin: float = 1.0) -> Box | None:
    """The box holding the central ``keep_percent`` of markers on each axis, with a margin in
    degrees: one mis-geocoded far place must not zoom the map out to half the world."""
    if not markers:
        return None
    lons, lats = sorted(m.lon for m in markers), sorted(m.lat for m in markers)
    cut = len(markers) * (100 - keep_percent) // 200 if len(markers) >= 10 else 0
    lo, hi = cut, len(markers) - 1 - cut
    return (lons[lo] - margin, lats[lo] - margin, lons[hi] + margin, lats[hi] + margin)


def countries_within(focus: Box | None, region_boxes: dict[str, list[Box]]) -> list[str]:
    """Countries with an admin-1 region whose bounding box meets the focus box."""
    if focus is None:
        return []
    west, south, east, north = focus
    return [code for code, boxes in sorted(region_boxes.items())
            if any(w <= east and e >= west and s <= north and n >= south for w, s, e, n in boxes)]


# ---------------------------------------------------------------------------- timeline

def timeline_data(store: Any, viewer: Any, since: dt.date | None = None, until: dt.date | None = None,
                  entity: str | None = None, event_type: str | None = None) -> TimelineData | None:
    """Events (or, for an entity, its events, claims and quotes) in the range, oldest first."""
    items: list[TimelineItem] = []
    undated = 0
    if entity is None:
        for e in store.fused_events(viewer=viewer, type=event_type.upper() if event_type else None,
                                    limit=MAX_EVENTS):
            period = parse_partial_date(e.get("when"))
            if period is None:
                undated += 1
                continue
            if not _overlaps(period, since, until):
                continue
            detail = ", ".join(filter(None, [" / ".join(e.get("actors", [])), " / ".join(e.get("targets", []))]))
            items.append(_item(e["id"], "event", period, e["type"], e["type"], e.get("where"), detail or None,
                               e["reports"], _event_sources(e)))
    else:
        entries = store.timeline(entity, viewer=viewer)
        if entries is None:
            return None
        titles: dict[str, Source] = {}
        for n, entry in enumerate(entries):
            period = parse_partial_date(entry.get("date"))
            if period is None:
                undated += 1
                continue
            if not _overlaps(period, since, until):
                continue
            sources = [_source(store, viewer, d, titles) for d in entry.get("documents", [])[:MAX_SOURCES_PER_ITEM]]
            sources = [s for s in sources if s is not None]
            kind = entry["kind"]
            if event_type and (kind != "event" or entry.get("type") != event_type.upper()):
                continue
            if kind == "event":
                label, detail = entry["type"], ", ".join(entry.get("actors", []) + entry.get("targets", [])) or None
            elif kind == "claim":
                label, detail = entry["text"], entry.get("source")
            else:
                label, detail = entry["text"], entry.get("speaker")
            items.append(_item(entry.get("id") or f"{kind}-{n}", kind, period, label, entry.get("type") or
                               entry.get("category"), entry.get("where"), detail,
                               entry.get("reports", len(sources)), sources))
    items.sort(key=lambda i: (i.start, i.end, i.id))
    return TimelineData(items, undated, _iso(since), _iso(until), entity)


def _item(id_: str, kind: str, period: PartialDate, label: str, type_: str | None, where: str | None,
          detail: str | None, reports: int, sources: list[Source]) -> TimelineItem:
    return TimelineItem(id=id_, kind=kind, date=period.text, precision=period.precision,
                        start=period.start.isoformat(), end=period.end.isoformat(), label=label, type=type_,
                        where=where, detail=detail, reports=reports, sources=sources)


def _source(store: Any, viewer: Any, doc_id: str, cache: dict[str, Source]) -> Source | None:
    if doc_id not in cache:
        doc = store.get_document(doc_id, viewer=viewer)
        if doc is None:  # not visible: never named, never linked
            return None
        cache[doc_id] = Source.of(doc_id, doc.title, doc.outlet, doc.published)
    return cache[doc_id]


# ---------------------------------------------------------------------------- graph

def graph_data(store: Any, viewer: Any, entity: str, depth: int = 1,
               max_nodes: int = MAX_GRAPH_NODES) -> GraphData | None:
    """Actors, events and places around an entity; the neighbours sharing most reports
    with it are kept when there are more than ``max_nodes``."""
    raw = store.graph(entity, viewer=viewer, depth=max(1, min(depth, 2)))
    if raw is None:
        return None
    center = raw["center"]
    strength: Counter = Counter()
    for e in raw["edges"]:
        if center in (e["source"], e["target"]):
            other = e["target"] if e["source"] == center else e["source"]
            strength[other] = max(strength[other], e["weight"])
    for e in raw["edges"]:  # second-hop neighbours: as strong as their weakest link
        for a, b in ((e["source"], e["target"]), (e["target"], e["source"])):
            if a in strength and b != center and b not in strength:
                strength[b] = min(strength[a], e["weight"])
    ranked = sorted((n for n in raw["nodes"] if n["id"] != center),
                    key=lambda n: (-strength.get(n["id"], 0), n["kind"] != "event", n["id"]))
    kept_ids = {center, *(n["id"] for n in ranked[:max(0, max_nodes - 1)])}
    nodes = []
    for n in raw["nodes"]:
        if n["id"] not in kept_ids:
            continue
        if n["kind"] == "event":
            nodes.append(GraphNode(id=n["id"], kind="event", type=n.get("type"), name=n.get("type") or "",
                                   label_en=n.get("type"), href=None, when=n.get("when"), where=n.get("where"),
                                   weight=n.get("reports", 1)))
        else:
            nodes.append(GraphNode(id=n["id"], kind="entity", type=n.get("type"), name=n.get("name") or n["label"],
                                   label_en=n.get("label"), href=ENTITY_URL.format(id=n["id"]),
                                   weight=strength.get(n["id"], 0)))
    edges = [GraphEdge(e["source"], e["target"], e["kind"], e["weight"]) for e in raw["edges"]
             if e["source"] in kept_ids and e["target"] in kept_ids]
    return GraphData(center, nodes, edges, len(raw["nodes"]) - len(nodes))


# ---------------------------------------------------------------------------- mentions

def mentions_data(store: Any, viewer: Any, entity: str) -> MentionsData | None:
    """Mentions (and distinct reports) of an entity per month of publication, gaps as zeros."""
    item = store.fused_entity(entity, viewer=viewer)
    return None if item is None else mentions_per_month(item)


def mentions_per_month(item: dict) -> MentionsData:
    """:func:`mentions_data` of a fused entity already read (the entity page has one)."""
    mentions: Counter = Counter()
    docs: dict[str, set[str]] = {}
    undated = 0
    for m in item.get("mentions", ()):
        published = m.get("published")
        if not published:
            undated += 1
            continue
        month = _iso(published)[:7]
        mentions[month] += 1
        docs.setdefault(month, set()).add(m["doc_id"])
    months = [MonthCount(month, mentions.get(month, 0), len(docs.get(month, ())))
              for month in month_range(min(mentions), max(mentions))] if mentions else []
    return MentionsData(item["id"], item["name"], item.get("canonical"), months, undated)


def month_range(first: str, last: str) -> list[str]:
    """Every ``YYYY-MM`` from ``first`` to ``last`` inclusive."""
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out
