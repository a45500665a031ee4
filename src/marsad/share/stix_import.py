"""STIX 2.1 bundle → Marsad documents and records, saved in one transaction.

A Marsad bundle (reports with ``x_marsad_body``) is rebuilt exactly: the document, its
mentions with their entities, claims, dates, events and quotes with their spans.  Reports
from other producers become documents without extracted facts (their description is the
body).  Everything is validated before anything is written; the first problem raises
:class:`StixImportError` naming the object (position and id) and the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import stix2
from stix2.exceptions import STIXError

from marsad.ids import document_id, stable_id
from marsad.records import (
    QUALIFIERS,
    Analysis,
    DateMatch,
    Document,
    Event,
    Mention,
    Quantity,
    Quote,
)
from marsad.store import Store

from . import stix_model as sm

DEFAULT_FOREIGN_TLP = "AMBER"  # an unmarked report from elsewhere is not assumed public


class StixImportError(ValueError):
    """The bundle cannot be imported; the message says which object and why."""


@dataclass
class ImportReport:
    new: list[str] = field(default_factory=list)  # document ids stored
    duplicates: list[str] = field(default_factory=list)  # already in the store
    foreign: list[str] = field(default_factory=list)  # reports not made by Marsad: no facts
    ignored: dict[str, int] = field(default_factory=dict)  # object types Marsad does not use
    objects: int = 0

    def summary(self) -> str:
        ignored = ", ".join(f"{n} {t}" for t, n in sorted(self.ignored.items())) or "none"
        return (f"{self.objects} objects: {len(self.new)} new documents, "
                f"{len(self.duplicates)} duplicates, {len(self.foreign)} without Marsad facts; "
                f"ignored: {ignored}")


# ---------------------------------------------------------------------------- validation

def _where(i: int, obj: Any) -> str:
    oid = obj.get("id") if isinstance(obj, Mapping) else None
    return f"object {i}" + (f" ({oid})" if oid else "")


def parse_objects(bundle: Any) -> list[dict[str, Any]]:
    """Check the envelope and validate every object with stix2; returns the plain dicts."""
    if not isinstance(bundle, Mapping):
        raise StixImportError(f"not a STIX bundle: expected a JSON object, got {type(bundle).__name__}")
    if bundle.get("type") != "bundle":
        raise StixImportError(f"not a STIX bundle: \"type\" is {bundle.get('type')!r}, expected 'bundle'")
    objects = bundle.get("objects", [])
    if not isinstance(objects, list):
        raise StixImportError("not a STIX bundle: \"objects\" is not a list")
    out: list[dict[str, Any]] = []
    for i, obj in enumerate(objects):
        if not isinstance(obj, Mapping):
            raise StixImportError(f"invalid STIX object {i}: not a JSON object")
        try:
            # allow_custom: x_marsad_* properties; registered x-marsad-* types are still
            # type-checked property by property
            stix2.parse(dict(obj), allow_custom=True, version="2.1")
        except (STIXError, ValueError, TypeError, KeyError) as exc:
            raise StixImportError(f"invalid STIX {_where(i, obj)}: {exc}") from None
        out.append(dict(obj))
    return out


def _fail(i: int, obj: Mapping[str, Any], reason: str) -> StixImportError:
    return StixImportError(f"invalid Marsad {_where(i, obj)}: {reason}")


def _span(i: int, obj: Mapping[str, Any], item: Mapping[str, Any], body: str) -> tuple[int, int]:
    start, end = item.get("start"), item.get("end")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(body)):
        raise _fail(i, obj, f"span {start}..{end} outside the report body ({len(body)} characters)")
    return start, end


# ---------------------------------------------------------------------------- conversion

def _tlp(refs: list[str] | None) -> str | None:
    levels = [sm.TLP_BY_MARKING[r] for r in refs or [] if r in sm.TLP_BY_MARKING]
    return sm.strictest(levels) if levels else None


def _time(value: str | None) -> dt.datetime | None:
    return sm.parse_time(value) if value else None


def _entity_mention(entity: Mapping[str, Any] | None) -> dict[str, Any]:
    if entity is None:
        return {}
    return {
        "canonical": entity.get("x_marsad_canonical"),
        "entity_id": entity.get("x_marsad_id"),
        "lat": entity.get("latitude"), "lon": entity.get("longitude"),
        "geo_kind": entity.get("x_marsad_geo_kind"),
        "geonames_id": entity.get("x_marsad_geonames_id"),
    }


class _Importer:
    def __init__(self, objects: list[dict[str, Any]], org: str | None) -> None:
        self.objects = objects
        self.org = org
        self.by_id = {o["id"]: (i, o) for i, o in enumerate(objects)}
        self.report = ImportReport(objects=len(objects))
        # records grouped by report, kept in bundle order (the exporter's order)
        self.records: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        for i, o in enumerate(objects):
            if o["type"] in ("x-marsad-claim", "x-marsad-event", "x-marsad-quote"):
                self.records.setdefault(o.get("report_ref", ""), []).append((i, o))

    def analyses(self) -> list[Analysis]:
        out = []
        used = {"report", "marking-definition", "identity", "location", "threat-actor",
                "intrusion-set", *sm.CUSTOM_TYPES}
        for i, o in enumerate(self.objects):
            if o["type"] == "report":
                out.append(self._analysis(i, o))
            elif o["type"] not in used:
                self.report.ignored[o["type"]] = self.report.ignored.get(o["type"], 0) + 1
        return out

    # ------------------------------------------------------------ documents
    def _owner(self, obj: Mapping[str, Any]) -> str | None:
        if self.org:
            return self.org
        if obj.get("x_marsad_owner"):
            return obj["x_marsad_owner"]
        creator = self.by_id.get(obj.get("created_by_ref", ""))
        return creator[1].get("name") if creator else None

    def _analysis(self, i: int, obj: dict[str, Any]) -> Analysis:
        body = obj.get("x_marsad_body")
        if body is None:
            return self._foreign(i, obj)
        if not isinstance(body, str) or not body.strip():
            raise _fail(i, obj, "x_marsad_body is empty")
        doc_id = obj.get("x_marsad_id") or document_id(body)
        # a Marsad id is the hash of the body, or (for an organisation's own copy of a text
        # another organisation holds, see marsad.service) that hash combined with the owner
        allowed = {document_id(body), stable_id(document_id(body), obj.get("x_marsad_owner"))}
        if doc_id not in allowed:
            raise _fail(i, obj, f"x_marsad_id {doc_id!r} is not the hash of x_marsad_body: "
                                "the text was changed")
        tlp = _tlp(obj.get("object_marking_refs"))
        if tlp is None:
            raise _fail(i, obj, "no TLP marking (object_marking_refs)")
        published = obj.get("x_marsad_published")
        try:
            doc = Document(
                id=doc_id, title=obj.get("x_marsad_title", obj.get("name", "")), body=body,
                source=obj.get("x_marsad_source", ""), outlet=obj.get("x_marsad_outlet"),
                published=dt.date.fromisoformat(published) if published else None,
                url=obj.get("x_marsad_url"), language=obj.get("lang", "ar"), tlp=tlp,
                owner=self._owner(obj), ingested_at=_time(obj.get("created")),
            )
        except ValueError as exc:
            raise _fail(i, obj, str(exc)) from None
        analysis = Analysis(doc=doc)
        analysis.entities = self._mentions(i, obj, body)
        analysis.dates = [self._date(i, obj, d, body) for d in obj.get("x_marsad_dates", [])]
        self._records(obj["id"], analysis)
        return analysis

    def _foreign(self, i: int, obj: dict[str, Any]) -> Analysis:
        body = obj.get("description") or obj.get("name") or ""
        if not body.strip():
            raise _fail(i, obj, "a report with neither x_marsad_body nor description")
        doc = Document(
            id=document_id(body), title=obj.get("name", ""), body=body,
            source=f"stix:{obj['id']}", published=_time(obj.get("published")).date()
            if obj.get("published") else None,
            language=obj.get("lang", "ar"),
            tlp=_tlp(obj.get("object_marking_refs")) or DEFAULT_FOREIGN_TLP,
            owner=self._owner(obj), ingested_at=None,
        )
        self.report.foreign.append(doc.id)
        return Analysis(doc=doc)

    def _mentions(self, i: int, obj: dict[str, Any], body: str) -> list[Mention]:
        out = []
        for item in obj.get("x_marsad_mentions", []):
            if not isinstance(item, Mapping):
                raise _fail(i, obj, "x_marsad_mentions holds a non-object")
            start, end = _span(i, obj, item, body)
            ref = item.get("entity_ref", "")
            entity = self.by_id.get(ref)
            if entity is None:
                raise _fail(i, obj, f"mention {item.get('text')!r} refers to {ref!r}, "
                                    "which is not in the bundle")
            fields = _entity_mention(entity[1])
            if not fields.get("entity_id"):
                raise _fail(entity[0], entity[1], "entity without x_marsad_id")
            if item.get("type") not in ("PER", "ORG", "LOC"):
                raise _fail(i, obj, f"mention type {item.get('type')!r} is not PER, ORG or LOC")
            out.append(Mention(start=start, end=end, text=str(item.get("text", "")),
                               type=item["type"], role=item.get("role"),
                               confidence=float(item.get("confidence", 1.0)), **fields))
        return out

    def _date(self, i: int, obj: dict[str, Any], item: Any, body: str) -> DateMatch:
        if not isinstance(item, Mapping):
            raise _fail(i, obj, "x_marsad_dates holds a non-object")
        start, end = _span(i, obj, item, body)
        return DateMatch(start=start, end=end, text=str(item.get("text", "")),
                         normalized=item.get("normalized"),
                         calendar=item.get("calendar", "gregorian"),
                         relative=bool(item.get("relative", False)), note=item.get("note"))

    # ------------------------------------------------------------ records
    def _records(self, report_id: str, analysis: Analysis) -> None:
        body = analysis.doc.body
        items = self.records.get(report_id, [])
        claims = [(i, o) for i, o in items if o["type"] == "x-marsad-claim"]
        position = {o["id"]: n for n, (_, o) in enumerate(claims)}
        for i, o in claims:
            start, end = _span(i, o, o, body)
            if o["qualifier"] not in QUALIFIERS:
                raise _fail(i, o, f"qualifier {o['qualifier']!r} is not one of {', '.join(QUALIFIERS)}")
            parent = o.get("parent_ref")
            if parent is not None and parent not in position:
                raise _fail(i, o, f"parent_ref {parent!r} is not a claim of the same report")
            analysis.quantities.append(Quantity(
                start=start, end=end, text=o["text"], value=float(o["value"]),
                qualifier=o["qualifier"], low=o.get("low"), high=o.get("high"),
                what=o.get("what"), category=o.get("category"), where=o.get("where"),
                when=o.get("when"), source=o.get("source"),
                parent=position[parent] if parent is not None else None,
                kind=o.get("kind", "stock"), confidence=float(o["marsad_confidence"])))
        for i, o in items:
            if o["type"] == "x-marsad-event":
                start, end = _span(i, o, o, body)
                analysis.events.append(Event(
                    start=start, end=end, trigger=o["trigger"], type=o["event_type"],
                    actors=list(o.get("actors", [])), targets=list(o.get("targets", [])),
                    where=o.get("where"), when=o.get("when"), source=o.get("source"),
                    modality=o["modality"], plover=o.get("plover"),
                    confidence=float(o["marsad_confidence"])))
            elif o["type"] == "x-marsad-quote":
                start, end = _span(i, o, o, body)
                analysis.quotes.append(Quote(
                    start=start, end=end, text=o["text"], speaker=o.get("speaker"),
                    cue=o.get("cue"), speaker_kind=o.get("speaker_kind"),
                    channel=o.get("channel"), direct=bool(o["direct"]),
                    confidence=float(o["marsad_confidence"])))


def bundle_analyses(bundle: Any, *, org: str | None = None) -> tuple[list[Analysis], ImportReport]:
    """Validate and convert a bundle without touching any store."""
    objects = parse_objects(bundle)
    importer = _Importer(objects, org)
    for i, o in enumerate(objects):
        report_ref = o.get("report_ref")
        if o["type"] in ("x-marsad-claim", "x-marsad-event", "x-marsad-quote") and \
                report_ref not in importer.by_id:
            raise _fail(i, o, f"report_ref {report_ref!r} is not in the bundle")
    return importer.analyses(), importer.report


def _check_org(store: Store, org: str) -> None:
    """An importing organisation must exist, as an ingesting one must (marsad.service)."""
    from .errors import ShareError
    from .orgs import check_org

    try:
        check_org(store, org)
    except ShareError as exc:
        raise StixImportError(f"--org: {exc}") from None


def _own_copies(store: Store, analyses: list[Analysis], org: str) -> None:
    """Deduplicate from the importing organisation's side, as ingest does: a text already
    stored but hidden from ``org`` becomes ``org``'s own copy (id from the hash and the
    owner), so an import never reveals that another organisation holds the same report."""
    from .orgs import viewer_for

    viewer = viewer_for(store, org)
    for a in analyses:
        if store.document_status(a.doc.id, viewer) == "hidden":
            a.doc.id = stable_id(a.doc.id, org)


def import_bundle(store: Store, bundle: Any, *, org: str | None = None) -> ImportReport:
    """Import a bundle: every document and its records in ONE ``Store.save`` transaction
    (all or nothing); documents already in the store are counted as duplicates."""
    if org is not None:
        _check_org(store, org)
    analyses, report = bundle_analyses(bundle, org=org)
    if org is not None:
        _own_copies(store, analyses, org)
    if analyses:
        result = store.save(analyses)
        report.new, report.duplicates = result.new, result.duplicates
    return report
