"""Marsad store → STIX 2.1 bundle (a JSON-serialisable dict).

Every object is built through stix2's classes (so it is validated), every object carries
the TLP 2.0 marking of its documents, and every id is a uuid5 of a Marsad id, so exporting
the same documents again gives the same objects.  The mapping is in docs/stix-taxii.md.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.sql.elements import ColumnElement
from stix2.v21 import Identity, Location, Report, ThreatActor

from marsad.records import Analysis, Document, Mention
from marsad.store import Store
from marsad.store.queries import visible_documents
from marsad.store.schema import documents

from . import stix_model as sm

DESCRIPTION_CHARS = 500  # the report's description is the lead; x_marsad_body is the full text
SYSTEM_ID = sm.stix_id("identity", "system", "marsad")


# ---------------------------------------------------------------------------- selection

def parse_since(since: dt.date | dt.datetime | str | None) -> dt.datetime | None:
    if since is None:
        return None
    if isinstance(since, str):
        since = dt.datetime.fromisoformat(since.replace("Z", "+00:00")) if "T" in since \
            else dt.date.fromisoformat(since)
    if not isinstance(since, dt.datetime):
        since = dt.datetime(since.year, since.month, since.day, tzinfo=dt.UTC)
    # the store keeps ingested_at as naive UTC
    return sm.stix_time(since).replace(tzinfo=None)


def select_documents(store: Store, viewer: Any = None, *, since: Any = None,
                     doc_ids: Iterable[str] | None = None,
                     condition: ColumnElement[bool] | None = None) -> list[str]:
    """Ids of the documents the viewer may see, oldest ingestion first (the bundle's order).

    Visibility is the store's single rule, :func:`marsad.store.queries.visible_documents`;
    ``condition`` narrows further (a TAXII collection's documents).
    """
    d = documents.c
    stmt = select(d.id, d.ingested_at)
    if condition is not None:
        stmt = stmt.where(condition)
    after = parse_since(since)
    if after is not None:
        stmt = stmt.where(d.ingested_at >= after)
    stmt = visible_documents(stmt, viewer)
    rows: list[Any] = []
    with store.engine.connect() as conn:
        if doc_ids is None:
            rows.extend(conn.execute(stmt))
        else:
            wanted = list(dict.fromkeys(doc_ids))
            for i in range(0, len(wanted), 500):
                rows.extend(conn.execute(stmt.where(d.id.in_(wanted[i:i + 500]))))
    rows.sort(key=lambda r: (r.ingested_at or dt.datetime.min, r.id))
    return [r.id for r in rows]


def load_analyses(store: Store, ids: Sequence[str], viewer: Any = None) -> list[Analysis]:
    """The documents' analyses; ``viewer`` again, so a document hidden since it was selected
    is simply left out."""
    out = []
    for doc_id in ids:
        analysis = store.get_analysis(doc_id, viewer=viewer)
        if analysis is not None:
            out.append(analysis)
    return out


# ---------------------------------------------------------------------------- helpers

def _serial(obj: Any) -> dict[str, Any]:
    return json.loads(obj.serialize(ensure_ascii=False))


def _clean(props: dict[str, Any]) -> dict[str, Any]:
    """stix2 rejects None for typed properties and drops empty lists; keep both out."""
    return {k: v for k, v in props.items() if v is not None and v != []}


def _ingested(doc: Document) -> dt.datetime:
    return sm.stix_time(doc.ingested_at or dt.datetime(1970, 1, 1))


def _confidence(value: float) -> int:
    return max(0, min(100, round(value * 100)))


def _most_common(counter: Counter[str]) -> str | None:
    if not counter:
        return None
    return min(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0]


@dataclass
class _EntityAcc:
    """What the bundle's documents say about one entity (and only those documents)."""

    mention: Mention
    surfaces: Counter[str] = field(default_factory=Counter)
    roles: Counter[str] = field(default_factory=Counter)
    tlps: set[str] = field(default_factory=set)
    first: dt.datetime | None = None
    last: dt.datetime | None = None

    def add(self, m: Mention, doc: Document) -> None:
        self.surfaces[m.text] += 1
        if m.role:
            self.roles[m.role] += 1
        self.tlps.add(doc.tlp)
        when = _ingested(doc)
        self.first = when if self.first is None else min(self.first, when)
        self.last = when if self.last is None else max(self.last, when)


def entity_stix_id(m: Mention) -> str:
    if m.type == "LOC":
        kind = "location" if m.lat is not None and m.lon is not None else "x-marsad-place"
    elif m.type == "ORG" and sm.is_armed_group(m.entity_id or "", m.canonical):
        kind = "threat-actor"
    else:
        kind = "identity"
    return sm.stix_id(kind, "entity", m.entity_id or "")


def _entity_object(acc: _EntityAcc) -> dict[str, Any]:
    m = acc.mention
    surfaces = sorted(acc.surfaces)
    name = _most_common(acc.surfaces) or m.canonical or m.entity_id or "?"
    common = {
        "id": entity_stix_id(m),
        "created": acc.first, "modified": acc.last,
        "object_marking_refs": [sm.TLP2_IDS[sm.strictest(acc.tlps)]],
        "x_marsad_id": m.entity_id, "x_marsad_type": m.type,
        "x_marsad_canonical": m.canonical, "x_marsad_aliases": surfaces,
        "x_marsad_geo_kind": m.geo_kind, "x_marsad_geonames_id": m.geonames_id,
    }
    kind = common["id"].split("--")[0]
    if kind == "location":
        return _serial(Location(**_clean({**common, "name": name, "latitude": m.lat,
                                          "longitude": m.lon}), allow_custom=True))
    if kind == "x-marsad-place":
        return _serial(sm.MarsadPlace(**_clean({**common, "name": name})))
    if kind == "threat-actor":
        aliases = sorted(set(surfaces) | ({m.canonical} if m.canonical else set()))
        return _serial(ThreatActor(**_clean({**common, "name": name, "aliases": aliases,
                                             "threat_actor_types": ["terrorist"]}),
                                   allow_custom=True))
    roles = sorted(acc.roles)
    return _serial(Identity(**_clean({
        **common, "name": name,
        "identity_class": "individual" if m.type == "PER" else "organization",
        "roles": roles, "x_marsad_role": _most_common(acc.roles),
    }), allow_custom=True))


def _owner_object(name: str, docs: list[Document]) -> dict[str, Any]:
    times = [_ingested(d) for d in docs]
    return _serial(Identity(
        id=sm.organisation_id(name), name=name, identity_class="organization",
        created=min(times), modified=max(times),
        object_marking_refs=[sm.TLP2_IDS[sm.strictest(d.tlp for d in docs)]],
        x_marsad_organisation=True, allow_custom=True,
    ))


def _system_object() -> dict[str, Any]:
    """Marsad itself (public, TLP:CLEAR): what an otherwise empty report refers to."""
    return _serial(Identity(id=SYSTEM_ID, name="Marsad", identity_class="system",
                            created="2024-01-01T00:00:00.000Z", modified="2024-01-01T00:00:00.000Z",
                            object_marking_refs=[sm.TLP2_IDS["CLEAR"]]))


def _lead(body: str) -> str:
    first = body.strip().split("\n\n", 1)[0].strip()
    return first if len(first) <= DESCRIPTION_CHARS else first[:DESCRIPTION_CHARS].rstrip() + "…"


# ---------------------------------------------------------------------------- records

def _record_common(doc: Document, stix_id: str, confidence: float) -> dict[str, Any]:
    when = _ingested(doc)
    return {
        "id": stix_id, "created": when, "modified": when,
        "created_by_ref": sm.organisation_id(doc.owner) if doc.owner else None,
        "object_marking_refs": [sm.TLP2_IDS[doc.tlp]],
        "report_ref": sm.report_id(doc.id), "doc_id": doc.id,
        "confidence": _confidence(confidence), "marsad_confidence": confidence,
    }


def _records(a: Analysis) -> list[dict[str, Any]]:
    doc = a.doc
    out: list[dict[str, Any]] = []
    claim_ids = [sm.record_id("x-marsad-claim", doc.id, "claim", i) for i in range(len(a.quantities))]
    for i, q in enumerate(a.quantities):
        parent = claim_ids[q.parent] if q.parent is not None and 0 <= q.parent < len(claim_ids) else None
        out.append(_serial(sm.MarsadClaim(**_clean({
            **_record_common(doc, claim_ids[i], q.confidence),
            "start": q.start, "end": q.end, "text": q.text, "value": q.value, "low": q.low,
            "high": q.high, "qualifier": q.qualifier, "what": q.what, "category": q.category,
            "where": q.where, "when": q.when, "source": q.source, "parent_ref": parent,
            "kind": q.kind,
        }), allow_custom=True)))
    for i, e in enumerate(a.events):
        out.append(_serial(sm.MarsadEvent(**_clean({
            **_record_common(doc, sm.record_id("x-marsad-event", doc.id, "event", i), e.confidence),
            "start": e.start, "end": e.end, "trigger": e.trigger, "event_type": e.type,
            "actors": list(e.actors), "targets": list(e.targets), "where": e.where,
            "when": e.when, "source": e.source, "modality": e.modality, "plover": e.plover,
        }), allow_custom=True)))
    for i, qt in enumerate(a.quotes):
        out.append(_serial(sm.MarsadQuote(**_clean({
            **_record_common(doc, sm.record_id("x-marsad-quote", doc.id, "quote", i), qt.confidence),
            "start": qt.start, "end": qt.end, "text": qt.text, "speaker": qt.speaker,
            "cue": qt.cue, "speaker_kind": qt.speaker_kind, "channel": qt.channel,
            "direct": qt.direct,
        }), allow_custom=True)))
    return out


def _report(a: Analysis, record_ids: list[str]) -> dict[str, Any]:
    doc = a.doc
    when = _ingested(doc)
    entity_refs = sorted({entity_stix_id(m) for m in a.entities})
    mentions = [{"start": m.start, "end": m.end, "text": m.text, "type": m.type,
                 "role": m.role, "confidence": m.confidence, "entity_ref": entity_stix_id(m)}
                for m in a.entities]
    dates = [{"start": d.start, "end": d.end, "text": d.text, "normalized": d.normalized,
              "calendar": d.calendar, "relative": d.relative, "note": d.note} for d in a.dates]
    published = (dt.datetime(doc.published.year, doc.published.month, doc.published.day,
                             tzinfo=dt.UTC) if doc.published else when)
    # object_refs must not be empty (and may not name a marking): a report without any fact
    # points at its owner organisation, or at the Marsad system identity
    refs = entity_refs + record_ids or [sm.organisation_id(doc.owner) if doc.owner else SYSTEM_ID]
    props = {
        "id": sm.report_id(doc.id), "created": when, "modified": when,
        "created_by_ref": sm.organisation_id(doc.owner) if doc.owner else None,
        "name": doc.title or doc.id, "description": _lead(doc.body) or None,
        "published": published, "lang": doc.language, "object_refs": refs,
        "object_marking_refs": [sm.TLP2_IDS[doc.tlp]],
        "external_references": ([{"source_name": doc.outlet or "source", "url": doc.url}]
                                if doc.url else None),
        "x_marsad_id": doc.id, "x_marsad_title": doc.title, "x_marsad_body": doc.body,
        "x_marsad_source": doc.source, "x_marsad_outlet": doc.outlet,
        "x_marsad_url": doc.url, "x_marsad_owner": doc.owner,
        "x_marsad_published": doc.published.isoformat() if doc.published else None,
        "x_marsad_mentions": mentions, "x_marsad_dates": dates,
    }
    clean = _clean(props)
    clean["x_marsad_title"] = doc.title  # kept even when empty: name cannot be
    return _serial(Report(**clean, allow_custom=True))


# ---------------------------------------------------------------------------- bundle

def bundle_objects(analyses: Sequence[Analysis]) -> list[dict[str, Any]]:
    """The bundle's objects in a stable order: markings, organisations, entities, then each
    document's report followed by its claims, events and quotes."""
    entities: dict[str, _EntityAcc] = {}
    owners: dict[str, list[Document]] = {}
    per_doc: list[dict[str, Any]] = []
    for a in analyses:
        doc = a.doc
        if doc.owner:
            owners.setdefault(doc.owner, []).append(doc)
        for m in a.entities:
            acc = entities.get(m.entity_id or "")
            if acc is None:
                acc = entities[m.entity_id or ""] = _EntityAcc(mention=m)
            acc.add(m, doc)
        records = _records(a)
        per_doc.append(_report(a, [r["id"] for r in records]))
        per_doc.extend(records)
    levels = {a.doc.tlp for a in analyses}
    orgs = sorted((_owner_object(name, docs) for name, docs in owners.items()), key=lambda o: o["id"])
    if any(SYSTEM_ID in r.get("object_refs", ()) for r in per_doc if r["type"] == "report"):
        orgs.append(_system_object())
        levels.add("CLEAR")
    markings = [_serial(sm.tlp_marking(level)) for level in sorted(levels, key=sm.tlp_rank)]
    ents = sorted((_entity_object(acc) for acc in entities.values()), key=lambda o: o["id"])
    return markings + orgs + ents + per_doc


def make_bundle(objects: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": objects}


def export_bundle(store: Store, viewer: Any = None, *, since: Any = None,
                  doc_ids: Iterable[str] | None = None) -> dict[str, Any]:
    """A STIX 2.1 bundle of the documents ``viewer`` may see (all with ``viewer=None``),
    optionally only those ingested at or after ``since`` or listed in ``doc_ids``."""
    ids = select_documents(store, viewer, since=since, doc_ids=doc_ids)
    return make_bundle(bundle_objects(load_analyses(store, ids, viewer)))
