"""Thin query functions over a Connection; the Store composes them.

Visibility: every statement that reads documents or their records goes through
:func:`visible_documents` (listings via :func:`_records`), the ONE place where the sharing
rule (TLP 2.0, owner, explicit shares; docs/sharing.md) becomes SQL.  Every reader takes a
``viewer``: ``None`` is the unrestricted local caller, a :class:`marsad.share.viewer.Viewer`
an organisation's caller.  Derived facts (entities and their mention counts and aliases,
claims, events, quotes, dates, counts) are computed from the rows of visible documents only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (Boolean, Connection, Date, Select, String, Table, and_, case, cast, exists, false, func,
                        or_, select)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.dialects import postgresql, sqlite

from marsad.arabic.normalise import match_key
from marsad.ids import stable_id
from marsad.records import Analysis, DateMatch, Document, Event, Mention, Quantity, Quote

from .schema import (
    dates,
    document_shares,
    documents,
    entities,
    events,
    ingest_log,
    mentions,
    quantities,
    quotes,
)


class StoreError(Exception):
    """A store operation failed; for saves the message names the document."""

    def __init__(self, message: str, doc_id: str | None = None) -> None:
        super().__init__(message)
        self.doc_id = doc_id


@dataclass(slots=True)
class SaveResult:
    new: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------- visibility

#: Levels every organisation on the server sees (CLEAR: anyone; GREEN: the community).
OPEN_LEVELS = ("CLEAR", "GREEN")
#: Levels that may be shared with sharing groups as well as with named organisations.
GROUP_LEVELS = ("AMBER",)
#: Levels shared only with named organisations (a group's membership can change later).
NAMED_LEVELS = ("AMBER+STRICT", "RED")


@dataclass(frozen=True, slots=True)
class DocColumns:
    """Where a statement finds a document's id and the columns the sharing rule and the
    document filters read: ``documents`` itself, or the copies beside each search row
    (``search_text``, migration 0006) that searches use so they never read the wide rows."""

    id: ColumnElement
    owner: ColumnElement
    tlp: ColumnElement
    outlet: ColumnElement
    published: ColumnElement

    @classmethod
    def of(cls, table: Table, id_column: str = "id") -> DocColumns:
        c = table.c
        return cls(c[id_column], c.owner, c.tlp, c.outlet, c.published)


#: the documents table itself
DOCUMENTS = DocColumns.of(documents)
#: the columns copied onto search rows (schema._search_side_columns)
SEARCH_SIDE_COLUMNS = ("owner", "tlp", "outlet", "published")


def visibility_clause(viewer: Any, on: DocColumns = DOCUMENTS) -> ColumnElement[bool] | None:
    """The sharing rule as a condition on ``documents`` or on the same columns copied
    elsewhere (``on``; None: no restriction).

    visible = owner is the viewer's organisation
              OR tlp in (CLEAR, GREEN)
              OR tlp = AMBER and shared with the viewer's organisation or one of its groups
              OR tlp in (AMBER+STRICT, RED) and shared with the viewer's organisation by name
    Anything else (an unknown marking, say) is visible to its owner only: fail closed.
    "Shared with" is :class:`SharedWith` (how it is phrased in SQL depends on the database).
    """
    if viewer is None:
        return None
    d = on
    s = document_shares.c
    by_org = and_(s.kind == "org", s.target == viewer.org)
    by_group = and_(s.kind == "group", s.target.in_(sorted(viewer.groups))) if viewer.groups else false()
    return or_(
        d.owner == viewer.org,
        d.tlp.in_(OPEN_LEVELS),
        and_(d.tlp.in_(GROUP_LEVELS), SharedWith(d.id, or_(by_org, by_group))),
        and_(d.tlp.in_(NAMED_LEVELS), SharedWith(d.id, by_org)),
    )


class SharedWith(ColumnElement[bool]):
    """The document ``doc_id`` has a share (``document_shares`` row) meeting ``condition``.

    PostgreSQL: an uncorrelated ``IN`` subquery, which it hashes once per statement (a
    correlated EXISTS inside the rule's OR would be a subplan run per row).  SQLite: a
    correlated ``EXISTS``, one primary-key probe per row that reaches it, because SQLite
    builds an uncorrelated IN list in full before the first row: every share of the viewer,
    even for a search that stops after a page of matches.
    """

    inherit_cache = True
    type = Boolean()
    _is_implicitly_boolean = True  # a predicate itself: never rendered as ``... = 1``
    _traverse_internals = [("doc_id", InternalTraversal.dp_clauseelement),
                           ("condition", InternalTraversal.dp_clauseelement)]

    def __init__(self, doc_id: ColumnElement, condition: ColumnElement[bool]) -> None:
        self.doc_id = doc_id
        self.condition = condition


@compiles(SharedWith)
def _shared_with_in(element: SharedWith, compiler: Any, **kw: Any) -> str:
    s = document_shares.c
    return compiler.process(element.doc_id.in_(select(s.doc_id).where(element.condition)), **kw)


@compiles(SharedWith, "sqlite")
def _shared_with_exists(element: SharedWith, compiler: Any, **kw: Any) -> str:
    s = document_shares.c
    return compiler.process(exists().where(s.doc_id == element.doc_id, element.condition), **kw)


def visible_documents(stmt: Select, viewer: Any = None, on: DocColumns = DOCUMENTS) -> Select:
    """THE place where document visibility (TLP, owner, sharing) is enforced.

    ``stmt`` must already involve the ``documents`` table (or, for searches, the table
    ``on`` names, whose copies of the columns the save path and a trigger keep equal to
    those of ``documents``); the rule is added as a WHERE condition on it, so it applies to
    joins of any record table to its document.
    """
    clause = visibility_clause(viewer, on)
    return stmt if clause is None else stmt.where(clause)


def visible_doc_ids(viewer: Any = None) -> Select:
    """``SELECT documents.id`` of the documents ``viewer`` may see, for use as a subquery
    (``table.c.doc_id.in_(visible_doc_ids(viewer))``) where a join is awkward."""
    return visible_documents(select(documents.c.id), viewer)


def _records(table: Table, viewer: Any = None) -> Select:
    """Base listing select: a record table joined to its (visible) document."""
    cols = [c for c in table.c if not c.name.endswith("_key")]
    stmt = select(
        *cols,
        documents.c.title.label("doc_title"),
        documents.c.outlet,
        documents.c.published,
    ).join_from(table, documents, table.c.doc_id == documents.c.id)
    return visible_documents(stmt, viewer)


# ---------------------------------------------------------------------------- helpers

def _utc_naive(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def _key(text: str | None) -> str | None:
    return match_key(text) if text else None


def _iso(value: dt.date | str | None) -> str | None:
    if value is None:
        return None
    return value.isoformat()[:10] if isinstance(value, dt.date) else str(value)


def entity_id_for(mention: Mention) -> str:
    return mention.entity_id or stable_id(mention.type, mention.canonical or match_key(mention.text))


def existing_ids(conn: Connection, ids: Iterable[str]) -> set[str]:
    wanted = list(dict.fromkeys(ids))
    found: set[str] = set()
    for i in range(0, len(wanted), 500):
        chunk = wanted[i:i + 500]
        found.update(conn.execute(select(documents.c.id).where(documents.c.id.in_(chunk))).scalars())
    return found


# ---------------------------------------------------------------------------- rows

def _document_row(doc: Document, now: dt.datetime) -> dict:
    if not doc.id:
        raise ValueError("document has no id")
    if doc.body is None:
        raise ValueError("document has no body")
    return {
        "id": doc.id, "title": doc.title or "", "body": doc.body, "source": doc.source or "",
        "outlet": doc.outlet, "published": doc.published, "url": doc.url,
        "language": doc.language or "ar", "tlp": doc.tlp or "CLEAR", "owner": doc.owner,
        "ingested_at": _utc_naive(doc.ingested_at) or now,
    }


def _mention_row(doc: Document, i: int, m: Mention, entity_id: str) -> dict:
    return {"doc_id": doc.id, "entity_id": entity_id, "idx": i, "start": m.start, "end": m.end,
            "text": m.text, "type": m.type, "role": m.role, "confidence": m.confidence,
            "tlp": doc.tlp}


def _entity_row(m: Mention, entity_id: str, seen: dt.date | None) -> dict:
    return {"id": entity_id, "type": m.type, "name": m.text, "name_key": match_key(m.text or ""),
            "canonical": m.canonical, "lat": m.lat, "lon": m.lon, "geo_kind": m.geo_kind,
            "geonames_id": m.geonames_id, "first_seen": seen}


def _quantity_row(doc: Document, i: int, q: Quantity) -> dict:
    return {"doc_id": doc.id, "idx": i, "start": q.start, "end": q.end, "text": q.text,
            "value": q.value, "low": q.low, "high": q.high, "qualifier": q.qualifier,
            "what": q.what, "category": q.category, "where_text": q.where,
            "where_key": _key(q.where), "when_text": q.when, "source": q.source,
            "source_key": _key(q.source), "parent_idx": q.parent, "kind": q.kind,
            "confidence": q.confidence, "tlp": doc.tlp}


def _date_row(doc: Document, i: int, d: DateMatch) -> dict:
    return {"doc_id": doc.id, "idx": i, "start": d.start, "end": d.end, "text": d.text,
            "normalized": d.normalized, "calendar": d.calendar, "relative": d.relative,
            "note": d.note, "tlp": doc.tlp}


def _event_row(doc: Document, i: int, e: Event) -> dict:
    return {"doc_id": doc.id, "idx": i, "start": e.start, "end": e.end, "trigger": e.trigger,
            "type": e.type, "actors": list(e.actors), "targets": list(e.targets),
            "actors_key": "\n".join(match_key(a) for a in e.actors) or None,
            "where_text": e.where, "where_key": _key(e.where), "when_text": e.when,
            "source": e.source, "modality": e.modality, "plover": e.plover,
            "confidence": e.confidence, "tlp": doc.tlp}


def _quote_row(doc: Document, i: int, q: Quote) -> dict:
    return {"doc_id": doc.id, "idx": i, "start": q.start, "end": q.end, "text": q.text,
            "speaker": q.speaker, "speaker_key": _key(q.speaker), "cue": q.cue,
            "speaker_kind": q.speaker_kind, "channel": q.channel, "direct": q.direct,
            "confidence": q.confidence, "tlp": doc.tlp}


def _merge_entity(into: dict, row: dict) -> None:
    for name, value in row.items():
        if into.get(name) is None and value is not None:
            into[name] = value
    if row["first_seen"] is not None and into["first_seen"] is not None:
        into["first_seen"] = min(into["first_seen"], row["first_seen"])


# ---------------------------------------------------------------------------- writes

def _upsert_entities(conn: Connection, rows: list[dict]) -> None:
    if not rows:
        return
    dialect = {"sqlite": sqlite, "postgresql": postgresql}.get(conn.dialect.name)
    if dialect is None:  # pragma: no cover - other back-ends: insert what is missing
        have = set(conn.execute(select(entities.c.id).where(entities.c.id.in_([r["id"] for r in rows]))).scalars())
        rows = [r for r in rows if r["id"] not in have]
        if rows:
            conn.execute(entities.insert(), rows)
        return
    stmt = dialect.insert(entities)
    ex = stmt.excluded
    fill = {name: func.coalesce(entities.c[name], ex[name])
            for name in ("canonical", "lat", "lon", "geo_kind", "geonames_id")}
    fill["first_seen"] = case(
        (entities.c.first_seen.is_(None), ex.first_seen),
        (ex.first_seen < entities.c.first_seen, ex.first_seen),
        else_=entities.c.first_seen,
    )
    conn.execute(stmt.on_conflict_do_update(index_elements=[entities.c.id], set_=fill), rows)


def save(conn: Connection, analyses: Sequence[Analysis]) -> SaveResult:
    """Write a batch inside the caller's transaction; raises StoreError naming a document
    whose records cannot be turned into rows (database errors are left to the caller)."""
    from .search import index_documents, index_terms

    result = SaveResult()
    present = existing_ids(conn, (a.doc.id for a in analyses))
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows: dict[str, list[dict]] = {name: [] for name in
                                   ("documents", "search", "mentions", "quantities", "dates", "events", "quotes")}
    ents: dict[str, dict] = {}
    for analysis in analyses:
        doc = analysis.doc
        if doc.id in present:
            result.duplicates.append(doc.id)
            continue
        try:
            doc_row = _document_row(doc, now)
            seen = doc.published or doc_row["ingested_at"].date()
            per_doc = {
                "search": [{"doc_id": doc.id, "terms": index_terms(doc.title, doc.body),
                            **{c: doc_row[c] for c in SEARCH_SIDE_COLUMNS}}],
                "quantities": [_quantity_row(doc, i, q) for i, q in enumerate(analysis.quantities)],
                "dates": [_date_row(doc, i, d) for i, d in enumerate(analysis.dates)],
                "events": [_event_row(doc, i, e) for i, e in enumerate(analysis.events)],
                "quotes": [_quote_row(doc, i, q) for i, q in enumerate(analysis.quotes)],
                "mentions": [],
            }
            doc_ents: list[dict] = []
            for i, m in enumerate(analysis.entities):
                eid = entity_id_for(m)
                per_doc["mentions"].append(_mention_row(doc, i, m, eid))
                doc_ents.append(_entity_row(m, eid, seen))
        except StoreError:
            raise
        except Exception as exc:  # noqa: BLE001 - reported with the document's id
            raise StoreError(f"cannot save document {doc.id}: {exc}", doc.id) from exc
        present.add(doc.id)
        result.new.append(doc.id)
        rows["documents"].append(doc_row)
        for name, items in per_doc.items():
            rows[name].extend(items)
        for row in doc_ents:
            if row["id"] in ents:
                _merge_entity(ents[row["id"]], row)
            else:
                ents[row["id"]] = row
    if not result.new:
        return result
    conn.execute(documents.insert(), rows["documents"])
    index_documents(conn, rows["search"])
    _upsert_entities(conn, list(ents.values()))
    for name, table in (("mentions", mentions), ("quantities", quantities), ("dates", dates),
                        ("events", events), ("quotes", quotes)):
        if rows[name]:
            conn.execute(table.insert(), rows[name])
    conn.execute(ingest_log.insert().values(at=now, new=len(result.new),
                                            duplicates=len(result.duplicates)))
    return result


# ---------------------------------------------------------------------------- reads

def _document(row: Any) -> Document:
    return Document(id=row.id, title=row.title, body=row.body, source=row.source,
                    outlet=row.outlet, published=row.published, url=row.url,
                    language=row.language, tlp=row.tlp, owner=row.owner,
                    ingested_at=_utc(row.ingested_at))


def get_document(conn: Connection, doc_id: str, viewer: Any = None) -> Document | None:
    """The document, or None when it does not exist OR the viewer may not see it (callers
    cannot tell the two apart, so a hidden document's existence is never betrayed)."""
    stmt = visible_documents(select(documents).where(documents.c.id == doc_id), viewer)
    row = conn.execute(stmt).first()
    return _document(row) if row else None


def _rows(conn: Connection, table: Table, doc_id: str) -> list[Any]:
    stmt = select(table).where(table.c.doc_id == doc_id).order_by(table.c.start, table.c["end"], table.c.idx)
    return list(conn.execute(stmt))


def get_analysis(conn: Connection, doc_id: str, viewer: Any = None) -> Analysis | None:
    doc = get_document(conn, doc_id, viewer)  # the records below are this document's own
    if doc is None:
        return None
    e = entities.c
    m_stmt = (
        select(mentions, e.canonical, e.lat, e.lon, e.geo_kind, e.geonames_id)
        .join_from(mentions, entities, mentions.c.entity_id == entities.c.id)
        .where(mentions.c.doc_id == doc_id)
        .order_by(mentions.c.start, mentions.c["end"], mentions.c.idx)
    )
    ments = [Mention(start=r.start, end=r.end, text=r.text, type=r.type, canonical=r.canonical,
                     role=r.role, entity_id=r.entity_id, confidence=r.confidence, lat=r.lat,
                     lon=r.lon, geo_kind=r.geo_kind, geonames_id=r.geonames_id)
             for r in conn.execute(m_stmt)]
    q_rows = _rows(conn, quantities, doc_id)
    new_pos = {r.idx: pos for pos, r in enumerate(q_rows)}  # parents follow the re-ordering
    quants = [Quantity(start=r.start, end=r.end, text=r.text, value=r.value, qualifier=r.qualifier,
                       low=r.low, high=r.high, what=r.what, category=r.category, where=r.where_text,
                       when=r.when_text, source=r.source,
                       parent=new_pos.get(r.parent_idx) if r.parent_idx is not None else None,
                       kind=r.kind, confidence=r.confidence)
              for r in q_rows]
    dts = [DateMatch(start=r.start, end=r.end, text=r.text, normalized=r.normalized,
                     calendar=r.calendar, relative=r.relative, note=r.note)
           for r in _rows(conn, dates, doc_id)]
    evs = [Event(start=r.start, end=r.end, trigger=r.trigger, type=r.type, actors=list(r.actors or []),
                 targets=list(r.targets or []), where=r.where_text, when=r.when_text, source=r.source,
                 modality=r.modality, plover=r.plover, confidence=r.confidence)
           for r in _rows(conn, events, doc_id)]
    qts = [Quote(start=r.start, end=r.end, text=r.text, speaker=r.speaker, cue=r.cue,
                 speaker_kind=r.speaker_kind, channel=r.channel, direct=r.direct,
                 confidence=r.confidence)
           for r in _rows(conn, quotes, doc_id)]
    return Analysis(doc=doc, entities=ments, quantities=quants, dates=dts, events=evs, quotes=qts)


def stats(conn: Connection, viewer: Any = None) -> dict[str, int]:
    """Counts of what the viewer may see: records of visible documents only."""
    out = {}
    if viewer is None:
        for name, table in (("documents", documents), ("entities", entities), ("mentions", mentions),
                            ("quantities", quantities), ("dates", dates), ("events", events),
                            ("quotes", quotes)):
            out[name] = conn.execute(select(func.count()).select_from(table)).scalar_one()
        return out
    visible = visible_doc_ids(viewer)
    out["documents"] = conn.execute(visible_documents(select(func.count()).select_from(documents),
                                                      viewer)).scalar_one()
    out["entities"] = conn.execute(
        select(func.count(mentions.c.entity_id.distinct())).where(mentions.c.doc_id.in_(visible))
    ).scalar_one()
    for name, table in (("mentions", mentions), ("quantities", quantities), ("dates", dates),
                        ("events", events), ("quotes", quotes)):
        out[name] = conn.execute(
            select(func.count()).select_from(table).where(table.c.doc_id.in_(visible))
        ).scalar_one()
    return out


@dataclass(slots=True)
class DocumentFilter:
    """Filters on documents shared by search and listing (all optional, combined with AND).

    ``place`` matches a place named in the document (its text as written, or the English
    name from the gazetteer); ``event_type`` a document reporting such an event.
    """

    tlp: tuple[str, ...] | None = None
    outlet: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    event_type: str | None = None
    place: str | None = None

    def apply(self, stmt: Select, on: DocColumns = DOCUMENTS) -> Select:
        """``stmt`` with these filters on the documents whose columns ``on`` names."""
        d = on
        if self.tlp:
            stmt = stmt.where(d.tlp.in_(self.tlp))
        if self.outlet:
            stmt = stmt.where(d.outlet.contains(self.outlet, autoescape=True))
        if self.since is not None:
            stmt = stmt.where(d.published >= self.since)
        if self.until is not None:
            stmt = stmt.where(d.published <= self.until)
        if self.event_type:
            stmt = stmt.where(d.id.in_(select(events.c.doc_id).where(events.c.type == self.event_type)))
        if self.place:
            stmt = stmt.where(d.id.in_(documents_naming("LOC", self.place)))
        return stmt


def documents_naming(entity_type: str, name: str) -> Select:
    """Ids of documents with a mention of ``entity_type`` whose own text, or whose entity's
    English (canonical) name, contains ``name`` — never another document's surface form
    (entities.name may come from a document the caller cannot see)."""
    name = name.strip()
    return (select(mentions.c.doc_id)
            .join(entities, entities.c.id == mentions.c.entity_id)
            .where(mentions.c.type == entity_type,
                   or_(mentions.c.text.contains(name, autoescape=True),
                       func.lower(entities.c.canonical).contains(name.lower(), autoescape=True))))


def list_documents(conn: Connection, *, limit: int = 50, offset: int = 0, viewer: Any = None,
                   filters: DocumentFilter | None = None) -> list[Document]:
    d = documents.c
    stmt = visible_documents(select(documents), viewer)
    if filters is not None:
        stmt = filters.apply(stmt)
    stmt = stmt.order_by(d.published.desc().nulls_last(), d.ingested_at.desc(), d.id)
    return [_document(r) for r in conn.execute(stmt.limit(limit).offset(offset))]


def count_documents(conn: Connection, *, viewer: Any = None, filters: DocumentFilter | None = None) -> int:
    stmt = visible_documents(select(func.count()).select_from(documents), viewer)
    if filters is not None:
        stmt = filters.apply(stmt)
    return conn.execute(stmt).scalar_one()


# ---------------------------------------------------------------------------- listings

_RENAME = {"where_text": "where", "when_text": "when", "parent_idx": "parent"}


def _dicts(conn: Connection, stmt: Select) -> list[dict]:
    out = []
    for row in conn.execute(stmt):
        out.append({_RENAME.get(k, k): v for k, v in row._mapping.items()})
    return out


def _when(table: Table):  # noqa: ANN202 - a SQL expression
    published = cast(documents.c.published, String)
    if "when_text" in table.c:
        return func.coalesce(table.c.when_text, published)
    return published


def _date_filters(stmt: Select, table: Table, since: Any, until: Any) -> Select:
    """``when`` may be partial (YYYY or YYYY-MM): it matches when its period overlaps."""
    when = _when(table)
    if since is not None:
        s = _iso(since)
        stmt = stmt.where(when.is_not(None), when >= func.substr(s, 1, func.length(when)))
    if until is not None:
        stmt = stmt.where(when.is_not(None), when <= _iso(until))
    return stmt


def _contains_key(col, value: str):  # noqa: ANN001, ANN202
    return col.contains(match_key(value), autoescape=True)


def _page(stmt: Select, table: Table, limit: int, offset: int) -> Select:
    return stmt.order_by(_when(table).desc().nulls_last(), table.c.doc_id, table.c.start,
                         table.c.idx).limit(limit).offset(offset)


def _tlp_filter(stmt: Select, tlp: Sequence[str] | None) -> Select:
    return stmt.where(documents.c.tlp.in_(list(tlp))) if tlp else stmt


def quantities_query(*, category: str | None = None, place: str | None = None, since: Any = None,
                     until: Any = None, speaker: str | None = None, tlp: Sequence[str] | None = None,
                     viewer: Any = None) -> Select:
    t = quantities
    stmt = _records(t, viewer)
    if category is not None:
        stmt = stmt.where(t.c.category == category)
    if place:
        stmt = stmt.where(_contains_key(t.c.where_key, place))
    if speaker:
        stmt = stmt.where(_contains_key(t.c.source_key, speaker))
    return _tlp_filter(_date_filters(stmt, t, since, until), tlp)


def events_query(*, type: str | None = None, place: str | None = None, since: Any = None,  # noqa: A002
                 until: Any = None, actor: str | None = None, tlp: Sequence[str] | None = None,
                 viewer: Any = None) -> Select:
    t = events
    stmt = _records(t, viewer)
    if type is not None:
        stmt = stmt.where(t.c.type == type)
    if place:
        stmt = stmt.where(_contains_key(t.c.where_key, place))
    if actor:
        stmt = stmt.where(_contains_key(t.c.actors_key, actor))
    return _tlp_filter(_date_filters(stmt, t, since, until), tlp)


def quotes_query(*, speaker: str | None = None, since: Any = None, until: Any = None,
                 tlp: Sequence[str] | None = None, viewer: Any = None) -> Select:
    t = quotes
    stmt = _records(t, viewer)
    if speaker:
        stmt = stmt.where(_contains_key(t.c.speaker_key, speaker))
    return _tlp_filter(_date_filters(stmt, t, since, until), tlp)


_RECORD_QUERIES = {"quantities": (quantities, quantities_query), "events": (events, events_query),
                   "quotes": (quotes, quotes_query)}


def list_records(conn: Connection, kind: str, *, limit: int = 100, offset: int = 0,
                 **filters: Any) -> list[dict]:
    """A page of claims (``quantities``), ``events`` or ``quotes`` of visible documents."""
    table, build = _RECORD_QUERIES[kind]
    return _dicts(conn, _page(build(**filters), table, limit, offset))


def count_records(conn: Connection, kind: str, **filters: Any) -> int:
    """How many records :func:`list_records` would list over all pages (visible ones only)."""
    _, build = _RECORD_QUERIES[kind]
    return conn.execute(select(func.count()).select_from(build(**filters).subquery())).scalar_one()


def list_quantities(conn: Connection, *, limit: int = 100, offset: int = 0, **filters: Any) -> list[dict]:
    return list_records(conn, "quantities", limit=limit, offset=offset, **filters)


def list_events(conn: Connection, *, limit: int = 100, offset: int = 0, **filters: Any) -> list[dict]:
    return list_records(conn, "events", limit=limit, offset=offset, **filters)


def list_quotes(conn: Connection, *, limit: int = 100, offset: int = 0, **filters: Any) -> list[dict]:
    return list_records(conn, "quotes", limit=limit, offset=offset, **filters)


_ENTITY_COLS = [c for c in entities.c if c.name not in ("name_key", "name", "first_seen")]
# as at save time: the publication date, else the day it was ingested (date() is portable)
_SEEN = func.coalesce(documents.c.published, func.date(documents.c.ingested_at, type_=Date), type_=Date)


def _entity_stmt(viewer: Any, query: str | None) -> Select:
    """Entities with their mention counts, name and first-seen date over VISIBLE mentions only.

    ``entities.name`` and ``entities.first_seen`` are written by whichever document came
    first, which may be one the viewer cannot see; both are recomputed from visible rows
    (the name in :func:`_with_aliases`).
    """
    e = entities.c
    count = func.count(mentions.c.id).label("mention_count")
    stmt = visible_documents(
        select(*_ENTITY_COLS, e.name, func.min(_SEEN).label("first_seen"), count)
        .join_from(entities, mentions, mentions.c.entity_id == e.id)
        .join(documents, documents.c.id == mentions.c.doc_id),
        viewer,
    ).group_by(*_ENTITY_COLS, e.name)
    if query:
        q = query.strip()
        named = visible_documents(
            select(mentions.c.entity_id)
            .join_from(mentions, documents, documents.c.id == mentions.c.doc_id)
            .where(mentions.c.text.contains(q, autoescape=True)),
            viewer,
        )
        stmt = stmt.where(or_(e.id.in_(named), func.lower(e.canonical).contains(q.lower(), autoescape=True)))
    return stmt


def _with_aliases(conn: Connection, items: list[dict], viewer: Any) -> list[dict]:
    """Aliases (distinct surfaces with counts) from visible mentions; the shown name is the
    stored one when a visible mention uses it, else the most frequent visible surface."""
    if not items:
        return items
    alias_stmt = visible_documents(
        select(mentions.c.entity_id, mentions.c.text, func.count().label("n"))
        .join_from(mentions, documents, documents.c.id == mentions.c.doc_id)
        .where(mentions.c.entity_id.in_([i["id"] for i in items]))
        .group_by(mentions.c.entity_id, mentions.c.text)
        .order_by(mentions.c.entity_id, mentions.c.text),
        viewer,
    )
    aliases: dict[str, list[tuple[str, int]]] = {}
    for eid, text, n in conn.execute(alias_stmt):
        aliases.setdefault(eid, []).append((text, n))
    for item in items:
        found = aliases.get(item["id"], [])
        item["aliases"] = [text for text, _ in found]
        if found and item["name"] not in item["aliases"]:
            item["name"] = max(found, key=lambda pair: (pair[1], pair[0]))[0]
    return items


def list_entities(conn: Connection, *, type: str | None = None,  # noqa: A002
                  limit: int = 100, offset: int = 0, viewer: Any = None,
                  query: str | None = None) -> list[dict]:
    e = entities.c
    stmt = _entity_stmt(viewer, query)
    if type is not None:
        stmt = stmt.where(e.type == type)
    count = stmt.selected_columns.mention_count
    stmt = stmt.order_by(count.desc(), e.name, e.id).limit(limit).offset(offset)
    items = [dict(r._mapping) for r in conn.execute(stmt)]
    return _with_aliases(conn, items, viewer)


def count_entities(conn: Connection, *, type: str | None = None, viewer: Any = None,  # noqa: A002
                   query: str | None = None) -> int:
    stmt = _entity_stmt(viewer, query)
    if type is not None:
        stmt = stmt.where(entities.c.type == type)
    return conn.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()


def get_entity(conn: Connection, entity_id: str, viewer: Any = None) -> dict | None:
    """One entity with its visible mentions' documents; None when no visible document
    mentions it (so an entity known only from hidden reports does not exist for the caller)."""
    stmt = _entity_stmt(viewer, None).where(entities.c.id == entity_id)
    row = conn.execute(stmt).first()
    if row is None:
        return None
    item = _with_aliases(conn, [dict(row._mapping)], viewer)[0]
    d = documents.c
    docs = visible_documents(
        select(d.id, d.title, d.outlet, d.published, d.tlp, func.count(mentions.c.id).label("mentions"))
        .join_from(mentions, documents, d.id == mentions.c.doc_id)
        .where(mentions.c.entity_id == entity_id)
        .group_by(d.id, d.title, d.outlet, d.published, d.tlp)
        .order_by(d.published.desc().nulls_last(), d.id)
        .limit(200),
        viewer,
    )
    item["documents"] = [dict(r._mapping) for r in conn.execute(docs)]
    roles = visible_documents(
        select(mentions.c.role).distinct()
        .join_from(mentions, documents, d.id == mentions.c.doc_id)
        .where(mentions.c.entity_id == entity_id, mentions.c.role.is_not(None))
        .order_by(mentions.c.role),
        viewer,
    )
    item["roles"] = list(conn.execute(roles).scalars())
    return item


def generations(conn: Connection) -> tuple[int, int]:
    """(store generation, access generation) in one read: the access generation (row 2,
    migration 0006) changes with tokens, organisation and group names, i.e. with who a
    token stands for (group memberships change the store generation)."""
    from .schema import store_generation

    rows = dict(conn.execute(select(store_generation.c.id, store_generation.c.value)
                             .where(store_generation.c.id.in_((1, 2)))).all())
    return rows[1], rows[2]


def generation(conn: Connection) -> int:
    """The store generation (see ``schema.store_generation``): it changes whenever what any
    caller may see in search results changes, whichever process made the change."""
    from .schema import store_generation

    return conn.execute(select(store_generation.c.value).where(store_generation.c.id == 1)).scalar_one()
