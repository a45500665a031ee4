"""Fusion in the store: the I/O around the pure stages of :mod:`marsad.fuse`.

Writing (:func:`update`) takes in documents not yet fused (or all of them with
``rebuild=True``): it proposes entity links for their entities against every entity known,
resolves bare titles to their holders, puts their claims into claim groups and their events
into fused events.  Reading (:func:`fused_entities`, :func:`claim_groups`, ...) computes
clusters and verdicts from what the caller may see: every statement joins ``documents`` and
goes through :func:`marsad.store.queries.visible_documents`, and a link counts only when both
of its entities have a visible mention, so nothing invisible shapes what is shown.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import Connection, delete, func, select, update as sql_update

from marsad.arabic.normalise import match_key
from marsad.fuse import claims as fclaims
from marsad.fuse import events as fevents
from marsad.fuse.cells import box_around, cell_of
from marsad.fuse.entities import (
    FUZZY_MIN_LEN,
    EntityIndex,
    EntityRow,
    Link,
    NameKeys,
    clusters,
    fuzzy_lengths,
    name_keys,
    propose_links,
)
from marsad.fuse.graph import adjacency, shortest_path
from marsad.fuse.names import skeleton
from marsad.fuse.roles import LOOKAHEAD_DAYS, Holder, Holders, RoleAssertion, role_key
from marsad.ids import stable_id
from marsad.share.tlp import strictest

from .queries import visible_documents
from .schema import (
    claim_group_status,
    claim_spots,
    documents,
    entities,
    entity_keys,
    entity_links,
    entity_splits,
    events,
    fusion_documents,
    fusion_state,
    fused_summaries,
    group_spots,
    mentions,
    quantities,
    quotes,
    role_assertions,
    role_mentions,
    source_reliability,
    title_references,
)

GRADES = frozenset("ABCDEF")
CHUNK = 500  # documents per chunk (one IN list; keeps memory flat)
REPORT_PLACES = 5  # places a report is about: its most mentioned, below country level


@dataclass(slots=True)
class FuseReport:
    documents: int = 0
    links: int = 0
    role_mentions: int = 0
    claims_grouped: int = 0
    events_fused: int = 0
    rebuilt: bool = False
    titles_scanned: int = 0  # documents whose bare titles were looked for in this run
    by_rule: Counter = field(default_factory=Counter)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _unindexed(column: Any) -> Any:
    """``column || ''``: the same values, but no index on ``column`` serves the comparison, so
    the planner walks the selective index (a document's rows, a date range) instead of the
    index of a value thousands of rows share (every person mention, every attack)."""
    return column + ""


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


# ============================================================================== writing

def update(conn: Connection, doc_ids: Sequence[str] | None = None, *, rebuild: bool = False,
           progress: Any = None, rescan_titles: bool = False) -> FuseReport:
    """Fuse ``doc_ids`` (default: every document not fused yet) into the store's picture.

    Two passes over the documents, chunk by chunk: first what fusion derives from a document
    once (:func:`_prepare`: its entities' name keys, the posts it names, the places it is about,
    its bare titles), for these documents and any other not fused yet, so that the second pass
    (links, titles, claims, events) sees every document as the whole-table reads used to; then
    the second pass, which looks only up by indexed keys. ``progress(n)`` is called after each
    chunk of each pass (2 × documents in all). A rebuild reuses the stored bare titles of every
    document already scanned unless ``rescan_titles`` (after a change to the title finder).
    A store fused before migration 0005 is rebuilt once, by itself, to fill the new tables."""
    if not rebuild and _rebuild_pending(conn):
        rebuild, doc_ids = True, None
    report = FuseReport(rebuilt=rebuild)
    scanned: set[str] = set()
    if rebuild:
        _clear_for_rebuild(conn, rescan_titles)
        f = fusion_documents.c
        scanned = set(conn.execute(select(f.doc_id).where(f.titles_scanned.is_(True))).scalars())
        conn.execute(delete(fusion_documents))
    if doc_ids is None:
        doc_ids = list(conn.execute(select(documents.c.id).where(documents.c.fused_at.is_(None))
                                    .order_by(documents.c.published, documents.c.id)).scalars())
    doc_ids = list(dict.fromkeys(doc_ids))
    if not doc_ids:
        return report
    places = _Places.load(conn)
    holders = _PostHolders(conn, whole=rebuild)
    for chunk in _chunks(_unprepared(conn, doc_ids)):
        _prepare(conn, list(chunk), places, scanned, report)
        if progress is not None:
            progress(len(chunk))
    for chunk in _chunks(doc_ids):
        chunk = list(chunk)
        _link_entities(conn, chunk, report)
        _resolve_titles(conn, chunk, report, holders)
        if not rebuild:
            _group_claims(conn, chunk, places, report)
            _fuse_events(conn, chunk, places, report)
        conn.execute(sql_update(documents).where(documents.c.id.in_(chunk)).values(fused_at=_now()))
        report.documents += len(chunk)
        if progress is not None:
            progress(len(chunk))
    if rebuild:
        # every claim and event meets the others in memory once, through the indexes; the
        # results are written back in bulk
        _group_claims(conn, doc_ids, places, report, everything=True)
        _fuse_events(conn, doc_ids, places, report, everything=True)
    else:
        _resolve_late_titles(conn, doc_ids, report, holders)
    return report


def _rebuild_pending(conn: Connection) -> bool:
    s = fusion_state.c
    return conn.execute(select(s.value).where(s.name == "rebuild")).first() is not None


def _clear_for_rebuild(conn: Connection, rescan_titles: bool) -> None:
    conn.execute(delete(entity_links).where(entity_links.c.origin == "auto"))
    conn.execute(delete(role_mentions))
    conn.execute(sql_update(quantities).values(group_id=None))
    conn.execute(sql_update(events).values(fused_id=None, fuse_note=None))
    conn.execute(sql_update(documents).values(fused_at=None))
    for table in (entity_keys, role_assertions, claim_spots, group_spots, claim_group_status, fused_summaries,
                  fusion_state):
        conn.execute(delete(table))
    if rescan_titles:
        conn.execute(delete(title_references))
        conn.execute(sql_update(fusion_documents).values(titles_scanned=False))


def _unprepared(conn: Connection, doc_ids: list[str]) -> list[str]:
    """``doc_ids`` and every other document not fused yet, less those already prepared."""
    d, f = documents.c, fusion_documents.c
    pending = list(doc_ids) + list(conn.execute(select(d.id).where(d.fused_at.is_(None))).scalars())
    pending = list(dict.fromkeys(pending))
    done: set[str] = set()
    for chunk in _chunks(pending):
        done.update(conn.execute(select(f.doc_id).where(f.doc_id.in_(chunk))).scalars())
    return [doc for doc in pending if doc not in done]


def _prepare(conn: Connection, doc_ids: list[str], places: _Places, scanned: set[str],
             report: FuseReport) -> None:
    """What fusion derives from a document once, in bulk: name keys of its entities not keyed
    yet, the posts it names (``role_assertions``), the places it is about and its bare titles
    (``title_references``; kept from before when ``scanned`` says they were looked for)."""
    _key_entities(conn, doc_ids)
    _store_role_assertions(conn, doc_ids)
    report_places = _focus_places(conn, doc_ids, places)
    titles = _scan_titles(conn, [doc for doc in doc_ids if doc not in scanned])
    report.titles_scanned += titles
    conn.execute(fusion_documents.insert(), [
        {"doc_id": doc, "titles_scanned": True,
         "places": [[s.name, s.lat, s.lon, s.kind] for s in report_places.get(doc, ())]} for doc in doc_ids])


# ---------------------------------------------------------------------------- entities

@lru_cache(maxsize=1)
def _alias_ids() -> dict[tuple[str, str], str]:
    """(type, skeleton of an alias) -> the id extraction gives that alias's entity."""
    from marsad.ner.resources import resources

    out: dict[tuple[str, str], str] = {}
    for key, entry in resources().names.items():
        if entry.entity_key:
            out.setdefault((entry.type, skeleton(key)), stable_id(entry.type, entry.entity_key))
    return out


def _key_entities(conn: Connection, doc_ids: list[str]) -> None:
    """Store the blocking keys of the entities mentioned in ``doc_ids`` that have none yet."""
    m, e, k = mentions.c, entities.c, entity_keys.c
    ids = sorted(set(conn.execute(select(m.entity_id).where(m.doc_id.in_(doc_ids))).scalars()))
    rows = []
    for chunk in _chunks(ids):
        keyed = set(conn.execute(select(k.entity_id).where(k.entity_id.in_(chunk))).scalars())
        todo = [i for i in chunk if i not in keyed]
        if not todo:
            continue
        for r in conn.execute(select(e.id, e.type, e.name, e.canonical, e.geonames_id).where(e.id.in_(todo))):
            keys = name_keys(EntityRow(r.id, r.type, r.name, r.canonical, r.geonames_id))
            rows.append({"entity_id": r.id, "type": r.type, "skeleton": keys.skeleton, "prefix": keys.prefix,
                         "length": len(keys.skeleton), "english": keys.english, "surname": keys.surname,
                         "single_word": keys.single_word, "geonames_id": r.geonames_id})
    for chunk in _chunks(rows, 5000):
        conn.execute(entity_keys.insert(), list(chunk))


def _candidate_index(conn: Connection, new_ids: list[str]) -> EntityIndex:
    """An :class:`EntityIndex` of ``new_ids`` and of every stored entity that
    :func:`propose_links` could link them to, found by SQL on the stored name keys (the same
    blocks the index uses: spelling, English name, GeoNames id, fuzzy prefix and length, family
    name, alias target) instead of the whole entity table."""
    from sqlalchemy import and_, or_, tuple_

    k, e = entity_keys.c, entities.c
    mine: dict[str, Any] = {}
    for chunk in _chunks(new_ids):
        for r in conn.execute(select(entity_keys).where(k.entity_id.in_(chunk))):
            mine[r.entity_id] = r
    aliases = _alias_ids()
    pairs: set[tuple[str, str]] = set()  # (type, skeleton)
    english: set[tuple[str, str]] = set()
    geonames: set[int] = set()
    surnames: set[str] = set()  # PER full names by family name
    fuzzy: set[tuple[str, str, int, int]] = set()
    wanted: set[str] = set(mine)
    for r in mine.values():
        pairs.add((r.type, r.skeleton))
        if r.english:
            english.add((r.type, r.english))
        if r.type == "LOC" and r.geonames_id:
            geonames.add(r.geonames_id)
        if r.type in ("PER", "ORG") and r.length >= FUZZY_MIN_LEN:
            fuzzy.add((r.type, r.prefix, *fuzzy_lengths(r.length)))
        if r.type == "PER":
            if r.single_word:
                surnames.add(r.skeleton)
            elif r.surname:
                surnames.add(r.surname)
                pairs.add(("PER", r.surname))
        target = aliases.get((r.type, r.skeleton))
        if target:
            wanted.add(target)
    conditions = []
    for chunk in _chunks(sorted(pairs), 200):
        conditions.append(tuple_(k.type, k.skeleton).in_(list(chunk)))
    for chunk in _chunks(sorted(english), 200):
        conditions.append(tuple_(k.type, k.english).in_(list(chunk)))
    if geonames:
        conditions.append(k.geonames_id.in_(sorted(geonames)))
    if surnames:
        conditions.append(and_(k.type == "PER", k.surname.in_(sorted(surnames))))
    for type_, prefix, lo, hi in sorted(fuzzy):
        conditions.append(and_(k.type == type_, k.prefix == prefix, k.length.between(lo, hi)))
    keys: dict[str, NameKeys] = {}
    for chunk in _chunks(conditions, 50):
        for r in conn.execute(select(entity_keys).where(or_(*chunk))):
            keys[r.entity_id] = NameKeys(r.skeleton, r.english, r.surname, r.single_word)
    for r in mine.values():
        keys[r.entity_id] = NameKeys(r.skeleton, r.english, r.surname, r.single_word)
    wanted |= set(keys)
    index = EntityIndex()
    for chunk in _chunks(sorted(wanted)):
        for r in conn.execute(select(e.id, e.type, e.name, e.canonical, e.geonames_id).where(e.id.in_(chunk))):
            index.add(EntityRow(r.id, r.type, r.name, r.canonical, r.geonames_id), keys.get(r.id))
    return index


def _link_entities(conn: Connection, doc_ids: list[str], report: FuseReport) -> None:
    m = mentions.c
    first_doc: dict[str, str] = {}
    for eid, doc in conn.execute(select(m.entity_id, m.doc_id).where(m.doc_id.in_(doc_ids))
                                 .order_by(m.doc_id, m.idx)):
        first_doc.setdefault(eid, doc)
    if not first_doc:
        return
    new_ids = sorted(first_doc)
    index = _candidate_index(conn, new_ids)
    proposals = propose_links([i for i in new_ids if i in index.rows], index, _alias_ids())
    if not proposals:
        return
    l = entity_links.c
    known: set[tuple[str, str, str]] = set()
    for chunk in _chunks(new_ids):
        known.update(tuple(sorted(p)) + (rule,) for *p, rule in
                     conn.execute(select(l.a, l.b, l.rule).where(l.a.in_(chunk) | l.b.in_(chunk))))
    splits = {tuple(sorted(p)) for p in conn.execute(select(entity_splits.c.a, entity_splits.c.b))}
    now = _now()
    rows = []
    for link in proposals:
        if link.pair + (link.rule,) in known or link.pair in splits:
            continue
        known.add(link.pair + (link.rule,))
        doc = first_doc.get(link.a) or first_doc.get(link.b)
        rows.append({"a": link.a, "b": link.b, "rule": link.rule, "evidence": link.evidence,
                     "score": link.score, "doc_id": doc, "origin": "auto", "active": True,
                     "created_at": now})
        report.by_rule[link.rule] += 1
    for chunk in _chunks(rows, 5000):
        conn.execute(entity_links.insert(), list(chunk))
    report.links += len(rows)


# ---------------------------------------------------------------------------- titles

@lru_cache(maxsize=1)
def _recogniser():  # noqa: ANN202 - the lexicon recogniser, loaded once per process
    from marsad.ner.lexicon import LexiconRecogniser

    return LexiconRecogniser()


def _doc_day(published: dt.date | None, ingested: dt.datetime | None) -> dt.date | None:
    return published or (ingested.date() if ingested else None)


def _store_role_assertions(conn: Connection, doc_ids: list[str]) -> None:
    """The posts ``doc_ids`` name their holders with (present posts only), by post key."""
    m, d = mentions.c, documents.c
    stmt = (select(m.entity_id, m.role, m.text, m.doc_id, d.published, d.ingested_at)
            .join_from(mentions, documents, m.doc_id == d.id)
            .where(m.doc_id.in_(doc_ids), _unindexed(m.type) == "PER", m.role.is_not(None)))
    rows = []
    for r in conn.execute(stmt):
        day = _doc_day(r.published, r.ingested_at)
        if "former" not in r.role and day is not None:
            rows.append({"doc_id": r.doc_id, "role_key": role_key(r.role), "entity_id": r.entity_id,
                         "name": r.text, "day": day})
    if rows:
        conn.execute(role_assertions.insert(), rows)


def _scan_titles(conn: Connection, doc_ids: list[str]) -> int:
    """Look for the bare titles of ``doc_ids`` (body and headline) and store them all, resolved
    or not, so they are never looked for again (a rebuild or a holder named later re-resolves
    the stored references). Returns how many documents were scanned."""
    from marsad.ner.role_references import role_references

    if not doc_ids:
        return 0
    d, m = documents.c, mentions.c
    named: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for doc, start, end in conn.execute(select(m.doc_id, m.start, m.end)
                                        .where(m.doc_id.in_(doc_ids), _unindexed(m.type) == "PER")):
        named[doc].append((start, end))
    rows = []
    for doc in conn.execute(select(d.id, d.title, d.body).where(d.id.in_(doc_ids))):
        found = [("body", ref) for ref in role_references(doc.body, _recogniser(), named[doc.id])]
        found += [("title", ref) for ref in role_references(doc.title or "", _recogniser(), [])]
        rows += [{"doc_id": doc.id, "field": where, "start": ref.start, "end": ref.end, "text": ref.text,
                  "role": ref.role, "role_key": role_key(ref.role)} for where, ref in found]
    if rows:
        conn.execute(title_references.insert(), rows)
    return len(doc_ids)


def _holders(conn: Connection, keys: Iterable[str]) -> dict[str, list[RoleAssertion]]:
    a = role_assertions.c
    out: dict[str, list[RoleAssertion]] = defaultdict(list)
    for chunk in _chunks(sorted(set(keys))):
        for r in conn.execute(select(a.role_key, a.entity_id, a.name, a.day, a.doc_id).where(a.role_key.in_(chunk))):
            out[r.role_key].append(RoleAssertion(r.role_key, r.entity_id, r.name, r.day, r.doc_id))
    return out


class _PostHolders:
    """Who held a post on a day, for one fusion run (in which no post gains a holder after the
    first pass). ``whole`` (a rebuild, resolving every stored title): each post's holders are
    read once, all of them; else (a new report's few titles) the one holder asked for is looked
    up by index, since a post may have been named in thousands of reports."""

    def __init__(self, conn: Connection, whole: bool) -> None:
        self.conn, self.whole = conn, whole
        self._posts: dict[str, Holders] = {}
        self._asked: dict[tuple[str, dt.date | None], Holder | None] = {}

    def read(self, keys: Iterable[str]) -> None:
        if self.whole:
            missing = set(keys) - set(self._posts)
            self._posts.update({key: Holders(found) for key, found in _holders(self.conn, missing).items()})
            self._posts.update({key: Holders([]) for key in missing - set(self._posts)})

    def on(self, key: str, day: dt.date | None) -> Holder | None:
        if self.whole:
            return self._posts[key].on(day)
        if (key, day) not in self._asked:
            self._asked[(key, day)] = self._look_up(key, day)
        return self._asked[(key, day)]

    def _look_up(self, key: str, day: dt.date | None) -> Holder | None:
        """As :meth:`marsad.fuse.roles.Holders.on` decides, from at most three indexed rows."""
        a = role_assertions.c
        post = select(a.entity_id, a.name, a.doc_id, a.day).where(a.role_key == key)
        latest = (a.day.desc(), a.entity_id.desc())
        if day is None:
            people = self.conn.execute(select(a.entity_id).where(a.role_key == key).distinct().limit(2)).all()
            row = self.conn.execute(post.order_by(*latest).limit(1)).first() if len(people) == 1 else None
        else:
            row = self.conn.execute(post.where(a.day <= day).order_by(*latest).limit(1)).first()
            if row is None:
                row = self.conn.execute(post.order_by(a.day, a.entity_id).limit(1)).first()
                if row is not None and (row.day - day).days > LOOKAHEAD_DAYS:
                    row = None
        return Holder(row.entity_id, row.name, row.doc_id, row.day) if row is not None else None


def _resolve_titles(conn: Connection, doc_ids: list[str], report: FuseReport, holders: _PostHolders,
                    only_roles: frozenset[str] | None = None) -> None:
    """Resolve the stored bare titles of ``doc_ids`` to the holders of their posts on each
    report's date (posts looked up by key, never all of them)."""
    t, d = title_references.c, documents.c
    stmt = (select(t.doc_id, t.field, t.start, t.end, t.text, t.role, t.role_key, d.published, d.ingested_at, d.tlp)
            .join_from(title_references, documents, t.doc_id == d.id).where(t.doc_id.in_(doc_ids)))
    if only_roles is not None:
        stmt = stmt.where(t.role_key.in_(sorted(only_roles)))
    refs = list(conn.execute(stmt.order_by(t.doc_id, t.id)))
    if not refs:
        return
    holders.read(r.role_key for r in refs)
    rows = []
    for ref in refs:
        day = _doc_day(ref.published, ref.ingested_at)
        holder = holders.on(ref.role_key, day)
        if holder is None:
            continue
        evidence = (f"«{ref.text}» ({ref.role}) on {day or 'an undated report'}: "
                    f"{holder.name} was named with this post on {holder.since}")
        rows.append({"doc_id": ref.doc_id, "start": ref.start, "end": ref.end, "text": ref.text,
                     "field": ref.field, "role": ref.role, "entity_id": holder.entity_id, "evidence": evidence,
                     "holder_doc_id": holder.doc_id, "tlp": ref.tlp})
    for chunk in _chunks(rows, 5000):
        conn.execute(role_mentions.insert(), list(chunk))
    report.role_mentions += len(rows)


def _resolve_late_titles(conn: Connection, doc_ids: list[str], report: FuseReport, holders: _PostHolders) -> None:
    """A bare title in an earlier report whose holder is first named in one of ``doc_ids``:
    resolved now, not at the next rebuild. Only posts named for the first time in these
    reports are looked for, among the stored titles of the reports fused before them."""
    a, t, d = role_assertions.c, title_references.c, documents.c
    new_docs = set(doc_ids)
    named_here: set[str] = set()
    for chunk in _chunks(doc_ids):
        named_here.update(conn.execute(select(a.role_key).where(a.doc_id.in_(chunk))).scalars())
    if not named_here:
        return
    # one row per post is enough to know it was named before (a post may be named thousands of times)
    fresh = frozenset(key for key in sorted(named_here) if conn.execute(
        select(a.id).where(a.role_key == key, a.doc_id.not_in(sorted(new_docs))).limit(1)).first() is None)
    if not fresh:
        return
    earlier = sorted({doc for doc in conn.execute(
        select(t.doc_id).join_from(title_references, documents, t.doc_id == d.id)
        .where(t.role_key.in_(sorted(fresh)), d.fused_at.is_not(None))).scalars()} - new_docs)
    for chunk in _chunks(earlier):
        _resolve_titles(conn, list(chunk), report, holders, fresh)


# ---------------------------------------------------------------------------- claims

@dataclass(slots=True)
class _Places:
    """English place name -> coordinates, from the geocoded place entities."""

    coords: dict[str, tuple[float, float, str | None]]

    @classmethod
    def load(cls, conn: Connection) -> _Places:
        e = entities.c
        coords: dict[str, tuple[float, float, str | None]] = {}
        for canonical, lat, lon, kind in conn.execute(
                select(e.canonical, e.lat, e.lon, e.geo_kind).where(e.type == "LOC", e.lat.is_not(None))):
            if canonical:
                coords.setdefault(canonical, (lat, lon, kind))
        return cls(coords)

    def get(self, place: str | None) -> tuple[float | None, float | None]:
        return self.coords.get(place or "", (None, None, None))[:2]

    def kind(self, place: str | None) -> str | None:
        return self.coords.get(place or "", (None, None, None))[2]


def _focus_places(conn: Connection, doc_ids: Iterable[str], places: _Places | None = None) -> dict[str, Any]:
    """Each report's most mentioned places below country level (most mentioned first): the
    places a figure is about when its own clause names none (reports are written about one or
    two places). Without ``places``, the single most mentioned place per report."""
    m, e = mentions.c, entities.c
    ids = sorted(set(doc_ids))
    counts: dict[str, Counter] = defaultdict(Counter)
    for i in range(0, len(ids), CHUNK):
        stmt = (select(m.doc_id, e.canonical, func.count())
                .join_from(mentions, entities, m.entity_id == e.id)
                .where(m.doc_id.in_(ids[i:i + CHUNK]), _unindexed(m.type) == "LOC", e.canonical.is_not(None),
                       e.lat.is_not(None), func.coalesce(e.geo_kind, "") != "country")
                .group_by(m.doc_id, e.canonical))
        for doc, canonical, n in conn.execute(stmt):
            counts[doc][canonical] += n
    ranked = {doc: [name for name, _ in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))]
              for doc, c in counts.items() if c}
    if places is None:
        return {doc: names[0] for doc, names in ranked.items()}
    return {doc: tuple(fclaims.Spot(n, *places.get(n), places.kind(n)) for n in names[:REPORT_PLACES])
            for doc, names in ranked.items()}


def _claim(r: Any, places: _Places, focus: dict[str, Any] | None = None,
           parent_where: dict[tuple[str, int], str] | None = None) -> fclaims.Claim:
    """A stored quantity as a claim. Its place: the place its own clause names; for a part
    ("بينهم 112 عراقياً") the place of its whole; else the places its report is about."""
    place = r.where_text
    if r.parent_idx is not None and parent_where and parent_where.get((r.doc_id, r.parent_idx)):
        place = parent_where[(r.doc_id, r.parent_idx)]
    report_places = (focus or {}).get(r.doc_id) or ()
    if isinstance(report_places, str):
        report_places = (fclaims.Spot(report_places, *places.get(report_places), places.kind(report_places)),)
    lat, lon = places.get(place)
    return fclaims.Claim(key=f"{r.doc_id}:{r.idx}", doc_id=r.doc_id, category=r.category, kind=r.kind,
                         value=r.value, qualifier=r.qualifier, low=r.low, high=r.high,
                         place=place, lat=lat, lon=lon, place_kind=places.kind(place),
                         when=r.when_text,
                         published=r.published, source=r.source, outlet=r.outlet,
                         subset=r.parent_idx is not None, report_places=tuple(report_places))


def _claim_select():  # noqa: ANN202
    q, d = quantities.c, documents.c
    return (select(q.id, q.doc_id, q.idx, q.category, q.kind, q.value, q.qualifier, q.low, q.high,
                   q.where_text, q.when_text, q.source, q.parent_idx, q.group_id, d.published, d.outlet)
            .join_from(quantities, documents, q.doc_id == d.id))


def _report_places(conn: Connection, doc_ids: Iterable[str]) -> dict[str, tuple[fclaims.Spot, ...]]:
    """The places each report is about, as stored when it was prepared (``fusion_documents``)."""
    f = fusion_documents.c
    out: dict[str, tuple[fclaims.Spot, ...]] = {}
    for chunk in _chunks(sorted(set(doc_ids))):
        for doc, spots in conn.execute(select(f.doc_id, f.places).where(f.doc_id.in_(chunk))):
            if spots:
                out[doc] = tuple(fclaims.Spot(*s) for s in spots)
    return out


def _year(claim: fclaims.Claim) -> str:
    """The year of a figure dated by its year alone, else "": such figures meet only each other
    (:func:`marsad.fuse.claims.time_compatible`)."""
    return claim.when if fclaims.year_only(claim) and claim.when else ""


def _spot_rows(qid: int, claim: fclaims.Claim) -> list[dict]:
    """The ``claim_spots`` rows of a grouped claim: its time buckets and each place it may be
    about (the keys of :class:`marsad.fuse.claims.GroupIndex`), its kind, interval and period,
    and whether its clause states the place. An undated claim has none, nor one of a category
    never compared across reports (:func:`marsad.fuse.claims.meets_others`): they only ever
    meet the claims of their report. A country is met by its name only (no coordinates)."""
    period = fclaims.period(claim)
    if period is None or not fclaims.meets_others(claim):
        return []
    value_lo, value_hi = fclaims.interval(claim)
    base = {"quantity_id": qid, "doc_id": claim.doc_id, "category": claim.category or "",
            "bucket_lo": period[0].toordinal() // fclaims.BUCKET_DAYS,
            "bucket_hi": period[1].toordinal() // fclaims.BUCKET_DAYS, "kind": claim.kind,
            "value_lo": value_lo, "value_hi": min(value_hi, UNBOUNDED),
            "day_lo": period[0].toordinal(), "day_hi": period[1].toordinal(), "stated": bool(claim.place),
            "year": _year(claim)}
    spots = fclaims.claim_spots(claim)
    if not spots:
        return [base | {"name": None, "cell_y": None, "cell_x": None, "lat": None, "lon": None, "reach_km": None}]
    out = []
    for s in spots:
        located = s.lat is not None and s.lon is not None and s.kind != "country"
        cell_y, cell_x = cell_of(s.lat, s.lon) if located else (None, None)  # type: ignore[arg-type]
        out.append(base | {"name": s.name, "lat": s.lat if located else None, "lon": s.lon if located else None,
                           "reach_km": fclaims.reach_km(s.kind), "cell_y": cell_y, "cell_x": cell_x})
    return out


PERIOD_BUCKETS = 366 // fclaims.BUCKET_DAYS + 2  # the most time buckets one claim's period spans (a year)
UNBOUNDED = 1e300  # an unbounded interval's end or reach, as a parameter both back-ends compare


@lru_cache(maxsize=1)
def _probe_statements() -> dict[tuple[str, bool], Any]:
    """The three lookups of :func:`_candidates` (by place name, of claims with no place, in a
    box), with bound parameters (compiled once), each in two forms: by group (True) over
    ``group_spots``, one row per group, place and half month with its sample figure and how many
    figures it stands for; and figure by figure (False) over ``claim_spots``, for the ``groups``
    named, the new documents' figures left out. Each walks an index by category, place (name,
    or each one-degree cell of the box) and first time bucket, so only the window is read; each
    row is a figure's id, document and group (and, by group, how many figures it stands for)."""
    from sqlalchemy import and_, bindparam, or_

    out: dict[tuple[str, bool], Any] = {}
    for by_group, table in ((True, group_spots), (False, claim_spots)):
        s = table.c
        # figure by figure, the few groups named lead (by their index), not the place's figures
        category = s.category if by_group else _unindexed(s.category)
        near = [category.in_(bindparam("categories", expanding=True)),
                s.bucket_lo.between(bindparam("first"), bindparam("hi")), s.bucket_hi >= bindparam("lo"),
                s.year == bindparam("year"),
                # the time window of each kind (fclaims.time_compatible), in days
                or_(and_(s.kind == bindparam("kind"), s.day_lo <= bindparam("same_hi"),
                         s.day_hi >= bindparam("same_lo")),
                    and_(s.kind != bindparam("kind"), bindparam("any_kind"), s.day_lo <= bindparam("other_hi"),
                         s.day_hi >= bindparam("other_lo"))),
                # within the window of one state any figure may be comparable; beyond it only
                # one that agrees (see fclaims.comparable)
                or_(and_(s.day_lo <= bindparam("state_hi"), s.day_hi >= bindparam("state_lo")),
                    and_(s.value_lo <= bindparam("value_hi"), s.value_hi >= bindparam("value_lo")))]
        places = {
            "name": [s.name == bindparam("name")],
            "unplaced": [s.name.is_(None)],
            # the places of one reach band, stated or not, in a box, other than the one the name
            # lookup reads
            "box": [s.cell_y.in_(bindparam("cys", expanding=True)), s.cell_x.in_(bindparam("cxs", expanding=True)),
                    s.lat.between(bindparam("y0"), bindparam("y1")), s.lon.between(bindparam("x0"), bindparam("x1")),
                    s.reach_km > bindparam("beyond_km"), s.reach_km <= bindparam("upto_km"),
                    s.stated.in_(bindparam("stated", expanding=True)), s.name != bindparam("own")],
        }
        for kind, where in places.items():
            if by_group:
                out[(kind, True)] = select(s.quantity_id, s.doc_id, s.group_id, s.members).where(*near, *where)
            else:
                out[(kind, False)] = select(s.quantity_id, s.doc_id, s.group_id).where(
                    *near, *where, s.group_id.in_(bindparam("groups", expanding=True)),
                    s.doc_id.not_in(bindparam("new_docs", expanding=True)))
    return out


def _probes(claim: fclaims.Claim) -> list[tuple[str, tuple]]:
    """Lookups (over ``group_spots``, or ``claim_spots`` figure by figure, see
    :func:`_probe_statements`) for stored claims that could be comparable with ``claim``: a
    related category, time buckets within its window, and a place it could be compatible with
    (the same name, within reach of one of its places, or both without any place). Together a
    superset of the claims :func:`marsad.fuse.claims.comparable` accepts, so the groups they
    belong to are every group the claim could join. As (statement, hashable parameters)."""
    period = fclaims.period(claim)
    if period is None or not fclaims.meets_others(claim):
        return []  # it meets only its own report's claims
    reach = fclaims.window_days(claim)
    first, last = period[0].toordinal(), period[1].toordinal()
    lo, hi = (first - reach) // fclaims.BUCKET_DAYS, (last + reach) // fclaims.BUCKET_DAYS
    same, other = fclaims.kind_windows(claim)
    state = fclaims.state_days(claim)
    value_lo, value_hi = fclaims.interval(claim)
    near = (("categories", tuple(sorted(fclaims.related_categories(claim.category or "")))),
            ("lo", lo), ("hi", hi), ("first", lo - PERIOD_BUCKETS), ("kind", claim.kind), ("year", _year(claim)),
            ("same_lo", first - same), ("same_hi", last + same), ("any_kind", other is not None),
            ("other_lo", first - (other or 0)), ("other_hi", last + (other or 0)),
            ("state_lo", first - state), ("state_hi", last + state),
            ("value_lo", value_lo), ("value_hi", min(value_hi, UNBOUNDED)))
    spots = fclaims.claim_spots(claim)
    if not spots:
        return [("unplaced", near)]
    out = []
    for spot in spots:
        out.append(("name", near + (("name", spot.name),)))
        if spot.lat is None or spot.lon is None or spot.kind == "country":
            continue
        for km, beyond, upto, stated in _reach_bands(fclaims.reach_km(spot.kind), bool(claim.place)):
            y0, y1, x0, x1 = box_around(spot.lat, spot.lon, km)
            out.append(("box", near + (("cys", tuple(range(math.floor(y0), math.floor(y1) + 1))),
                                       ("cxs", tuple(range(math.floor(x0), math.floor(x1) + 1))),
                                       ("y0", y0), ("y1", y1), ("x0", x0), ("x1", x1), ("beyond_km", beyond),
                                       ("upto_km", upto), ("stated", stated), ("own", spot.name))))
    return out


def _reach_bands(own: float, stated: bool) -> list[tuple[float, float, float, tuple[bool, ...]]]:
    """The boxes to look in around a place reaching ``own`` km, as (box radius, places reaching
    more than, up to, stated or not): two places are near when their distance is within the
    wider of their reaches if both figures state their place, else within a town's reach
    (:func:`marsad.fuse.claims._near`)."""
    if not stated:
        return [(fclaims.NEAR_KM, -1.0, UNBOUNDED, (False, True))]
    bands = [(own, -1.0, own, (True,))]
    for reach in fclaims.place_reaches():
        if reach > bands[-1][2]:
            bands.append((reach, bands[-1][2], reach, (True,)))
    bands[-1] = (*bands[-1][:2], UNBOUNDED, (True,))
    return [*bands, (fclaims.NEAR_KM, -1.0, UNBOUNDED, (False,))]


@dataclass(slots=True)
class _Candidates:
    """What the lookups of each new claim found: per group, the ids of the stored claims found;
    ``partial``: the groups of which only samples were read (some row stands for more figures
    than its sample)."""

    found: list[dict[str, set[int]]]
    partial: list[set[str]]


def _candidates(conn: Connection, new_docs: set[str], claims: list[fclaims.Claim],
                only: list[set[str]] | None = None) -> _Candidates:
    """For each of ``claims``: the stored groups holding a claim it could be comparable with
    (see :func:`_probes`; the new documents' own claims left out). Without ``only``, the sample
    figures of the groups' rows there (``group_spots``); with it, every candidate figure of the
    groups ``only`` names for each claim (``claim_spots``)."""
    statements = _probe_statements()
    answers: dict[tuple, list[Any]] = {}  # the claims of one report share most of their probes
    result = _Candidates([], [])
    for i, claim in enumerate(claims):
        per: dict[str, set[int]] = defaultdict(set)
        partial: set[str] = set()
        wanted = sorted(only[i]) if only is not None else None
        for kind, params in dict.fromkeys(_probes(claim)) if wanted != [] else ():
            values = {k: list(v) if isinstance(v, tuple) else v for k, v in params}
            key = (kind, params, tuple(wanted) if wanted is not None else None)
            if key not in answers:
                if wanted is None:
                    answers[key] = list(conn.execute(statements[(kind, True)], values))
                else:
                    answers[key] = [(*r, 1) for r in conn.execute(
                        statements[(kind, False)], values | {"groups": wanted, "new_docs": sorted(new_docs)})]
            for qid, doc, gid, members in answers[key]:
                if members > 1 or doc in new_docs:
                    partial.add(gid)
                if doc in new_docs:
                    per.setdefault(gid, set())
                else:
                    per[gid].add(qid)
        result.found.append(per)
        result.partial.append(partial)
    return result


def _claim_rows_near(conn: Connection, new_docs: set[str], claims: list[fclaims.Claim], places: _Places,
                     focus: dict[str, Any], where: dict[tuple[str, int], str]) -> list[tuple[Any, fclaims.Claim]]:
    """The stored claims to load so that placing ``claims`` decides as comparing them with every
    stored claim would: for each new claim and each group within reach, one claim of the group
    comparable with it if there is one, else every candidate of the group (which shows there is
    none). The groups' samples there are read first, the rest only of the groups where those
    do not decide. Returns the loaded (row, claim) pairs by id; ``focus`` and
    ``where`` gain what their claims needed (report places, stated places of wholes)."""
    first = _candidates(conn, new_docs, claims)
    loaded: dict[int, tuple[Any, fclaims.Claim]] = {}
    _load_claims(conn, {qid for per in first.found for ids in per.values() for qid in ids}, loaded,
                 places, focus, where)
    rest = [{gid for gid, ids in first.found[i].items() if gid in first.partial[i]
             and not any(fclaims.comparable(claim, loaded[qid][1]) for qid in ids)}
            for i, claim in enumerate(claims)]
    if any(rest):
        more = _candidates(conn, new_docs, claims, only=rest)
        _load_claims(conn, {qid for per in more.found for ids in per.values() for qid in ids}, loaded,
                     places, focus, where)
    return [loaded[qid] for qid in sorted(loaded)]


def _load_claims(conn: Connection, ids: set[int], loaded: dict[int, tuple[Any, fclaims.Claim]], places: _Places,
                 focus: dict[str, Any], where: dict[tuple[str, int], str]) -> None:
    """Read the stored claims ``ids`` not in ``loaded`` yet into it, as (row, claim)."""
    q = quantities.c
    rows: list[Any] = []
    for chunk in _chunks(sorted(ids - set(loaded))):
        rows += conn.execute(_claim_select().where(q.id.in_(list(chunk))))
    focus.update(_report_places(conn, {r.doc_id for r in rows} - set(focus)))
    where.update({(r.doc_id, r.idx): r.where_text for r in rows if r.where_text})
    where.update({k: v for k, v in _parent_places(conn, rows).items() if k not in where})
    for r in rows:
        loaded[r.id] = (r, _claim(r, places, focus, where))


class _Stored(NamedTuple):
    """What fusion keeps of a group beside its members (``claim_group_status``)."""

    members: int
    span: tuple[dt.date, dt.date] | None
    status: str | None  # None: not judged as a whole yet
    sources: int | None  # None: not kept (a store judged before migration 0008)


def _group_stats(conn: Connection, groups: Iterable[str], new_docs: set[str], refused: set[str]
                 ) -> dict[str, _Stored]:
    """Size, time span, stored status and sources of each of ``groups``, from ``claim_group_status``;
    counted from the members (the new documents' left out) for a group stored before spans
    were kept, or one of ``refused`` (holding claims of the new documents: fused again)."""
    q, d, g = quantities.c, documents.c, claim_group_status.c
    out: dict[str, _Stored] = {}
    for chunk in _chunks(sorted(set(groups) - refused)):
        for gid, members, span, status, sources in conn.execute(
                select(g.group_id, g.members, g.span, g.status, g.sources).where(g.group_id.in_(list(chunk)))):
            if span is not None:
                out[gid] = _Stored(members, _span_of(span), status, sources)
    counted: dict[str, tuple[int, tuple[dt.date, dt.date] | None]] = {}
    for chunk in _chunks(sorted(set(groups) - set(out))):
        stmt = (select(q.group_id, q.doc_id, q.when_text, d.published)
                .join_from(quantities, documents, q.doc_id == d.id).where(q.group_id.in_(list(chunk))))
        for gid, doc, when, published in conn.execute(stmt):
            if doc in new_docs:
                continue
            n, span = counted.get(gid, (0, None))
            counted[gid] = (n + 1, fclaims.span_union(span, fclaims.period_of(when, published)))
    out.update({gid: _Stored(n, span, None, None) for gid, (n, span) in counted.items()})
    return out


def _span_text(span: tuple[dt.date, dt.date] | None) -> str:
    return "" if span is None else f"{span[0].isoformat()}/{span[1].isoformat()}"


def _span_of(text: str) -> tuple[dt.date, dt.date] | None:
    if not text:
        return None
    first, last = text.split("/")
    return dt.date.fromisoformat(first), dt.date.fromisoformat(last)


def _parent_places(conn: Connection, rows: list[Any]) -> dict[tuple[str, int], str]:
    """The stated places of the wholes of the parts among ``rows`` (a part is about its whole's
    place, as in a rebuild, which reads every whole)."""
    q = quantities.c
    wanted = {(r.doc_id, r.parent_idx) for r in rows if r.parent_idx is not None}
    if not wanted:
        return {}
    out: dict[tuple[str, int], str] = {}
    # by document (indexed), not by (document, idx) pairs, which SQLite answers by a scan
    for chunk in _chunks(sorted({doc for doc, _ in wanted})):
        for doc, idx, where in conn.execute(select(q.doc_id, q.idx, q.where_text).where(q.doc_id.in_(list(chunk)))):
            if (doc, idx) in wanted and where:
                out[(doc, idx)] = where
    return out


def _group_claims(conn: Connection, doc_ids: list[str], places: _Places, report: FuseReport, *,
                  everything: bool = False) -> None:
    """Put the claims of ``doc_ids`` into claim groups (connected components of comparable
    figures, see :class:`marsad.fuse.claims.GroupIndex`). Incrementally, only enough stored
    claims of the groups within reach in category, time and place are loaded to decide (see
    :func:`_claim_rows_near`), the rest of those groups is declared by size and span;
    ``everything`` (a rebuild) groups all claims in memory in one pass and writes the group ids
    and spots back in bulk."""
    from sqlalchemy import bindparam

    q = quantities.c
    new: list[Any] = []
    for chunk in _chunks(doc_ids) if not everything else [None]:
        stmt = _claim_select().where(q.category.is_not(None))
        if chunk is not None:
            stmt = stmt.where(q.doc_id.in_(list(chunk)))
        new += conn.execute(stmt.order_by(d_published_order(), q.doc_id, q.idx))
    if not new:
        return
    where = {(r.doc_id, r.idx): r.where_text for r in new if r.where_text}
    focus = _report_places(conn, {r.doc_id for r in new})
    claims = [_claim(r, places, focus, where) for r in new]
    index = fclaims.GroupIndex()
    relabel: dict[str, str] = {}
    stats: dict[str, _Stored] = {}
    if not everything:
        new_docs = set(doc_ids)
        old = _claim_rows_near(conn, new_docs, claims, places, focus, where)
        stats = _group_stats(conn, {r.group_id for r, _ in old}, new_docs,
                             {r.group_id for r in new if r.group_id is not None})
        loaded = Counter(r.group_id for r, _ in old)
        for gid, stored in stats.items():
            index.declare(gid, stored.span, stored.members - loaded[gid])
        for r, claim in old:
            index.add(r.group_id, claim)
    for r, claim in zip(new, claims):
        _, merged = index.place(claim, stable_id("claim-group", r.doc_id, r.idx))
        relabel.update(merged)
    group_of = {c.key: gid for gid, members in index.members.items() for c in members}
    rows = [{"qid": r.id, "gid": group_of[c.key]} for r, c in zip(new, claims)]
    stmt = sql_update(quantities).where(q.id == bindparam("qid")).values(group_id=bindparam("gid"))
    for chunk in _chunks(rows, 5000):
        conn.execute(stmt, list(chunk))
    gid_of = {row["qid"]: row["gid"] for row in rows}
    spots = [row | {"group_id": gid_of[r.id]} for r, c in zip(new, claims) for row in _spot_rows(r.id, c)]
    for chunk in _chunks(spots, 5000):
        conn.execute(claim_spots.insert(), list(chunk))
    report.claims_grouped += len(rows)
    # (a rebuild writes each claim's final group above; stored rows of merged groups exist only
    # when fusing incrementally)
    final = {old: _final(old, relabel) for old in relabel}
    for old_gid, new_gid in sorted(final.items()) if not everything else ():
        conn.execute(sql_update(quantities).where(q.group_id == old_gid).values(group_id=new_gid))
        conn.execute(sql_update(claim_spots).where(claim_spots.c.group_id == old_gid).values(group_id=new_gid))
        conn.execute(sql_update(group_spots).where(group_spots.c.group_id == old_gid).values(group_id=new_gid))
    _add_group_spots(conn, [(spot["group_id"], spot) for spot in spots], everything)
    if everything:
        _store_statuses(conn, {gid: _status(members) for gid, members in index.members.items() if members}, set())
        return
    touched = {row["gid"] for row in rows}
    # a group some of whose figures contradict each other stays contradicted whatever joins it
    # (see fclaims.verdict): only the others' members are read to judge them again
    contradicted = {_final(gid, relabel) for gid, stored in stats.items() if stored.status == "contradicted"}
    # (its sources: at most those of the groups it holds and one per new figure)
    sources: Counter = Counter(row["gid"] for row in rows)
    for gid, stored in stats.items():
        sources[_final(gid, relabel)] += stored.sources if stored.sources is not None else stored.members
    statuses = {gid: ("contradicted", index.size(gid), index.span.get(gid), sources[gid])
                for gid in touched & contradicted}
    statuses.update({gid: _status(members) for gid, members in
                     _group_members(conn, touched - contradicted, places).items()})
    _store_statuses(conn, statuses, set(final) | touched)


def _add_group_spots(conn: Connection, spots: list[tuple[str, dict]], everything: bool) -> None:
    """Add claim spots (with their groups' final ids) to ``group_spots``: each widens the row of
    its group, category, kind, place and first bucket (or starts one, itself its sample).
    ``everything``: the table is empty (a rebuild), nothing stored is read."""
    g = group_spots.c
    rows: dict[tuple, dict] = {}
    if not everything:
        buckets = sorted({spot["bucket_lo"] for _, spot in spots})
        for chunk in _chunks(sorted({gid for gid, _ in spots})):
            stmt = select(group_spots).where(g.group_id.in_(list(chunk)), g.bucket_lo.in_(buckets))
            for r in conn.execute(stmt.order_by(g.id)):
                key = (r.group_id, r.category, r.kind, r.name, r.bucket_lo, r.stated, r.year)
                rows.setdefault(key, dict(r._mapping) | {"stored": True, "changed": False})
    for gid, spot in spots:
        key = (gid, spot["category"], spot["kind"], spot["name"], spot["bucket_lo"], spot["stated"], spot["year"])
        row = rows.get(key)
        if row is None:
            rows[key] = {k: spot[k] for k in ("category", "kind", "bucket_lo", "bucket_hi", "name", "cell_y",
                                                "cell_x", "lat", "lon", "reach_km", "value_lo", "value_hi",
                                                "day_lo", "day_hi", "stated", "year", "quantity_id",
                                                "doc_id")} | {
                "group_id": gid, "members": 1, "stored": False, "changed": True}
            continue
        row.update(bucket_hi=max(row["bucket_hi"], spot["bucket_hi"]), value_lo=min(row["value_lo"], spot["value_lo"]),
                   value_hi=max(row["value_hi"], spot["value_hi"]), day_lo=min(row["day_lo"], spot["day_lo"]),
                   day_hi=max(row["day_hi"], spot["day_hi"]), members=row["members"] + 1, changed=True)
    fresh = [{k: v for k, v in row.items() if k not in ("stored", "changed", "id")}
             for row in rows.values() if not row["stored"]]
    for chunk in _chunks(fresh, 5000):
        conn.execute(group_spots.insert(), list(chunk))
    changed = [{"row_id": row["id"], "hi": row["bucket_hi"], "vlo": row["value_lo"], "vhi": row["value_hi"],
                "dlo": row["day_lo"], "dhi": row["day_hi"], "n": row["members"]}
               for row in rows.values() if row["stored"] and row["changed"]]
    if changed:
        from sqlalchemy import bindparam

        conn.execute(sql_update(group_spots).where(g.id == bindparam("row_id")).values(
            bucket_hi=bindparam("hi"), value_lo=bindparam("vlo"), value_hi=bindparam("vhi"), day_lo=bindparam("dlo"),
            day_hi=bindparam("dhi"), members=bindparam("n")), changed)


def _group_members(conn: Connection, groups: Iterable[str], places: _Places) -> dict[str, list[fclaims.Claim]]:
    """Every member of ``groups`` as a claim, for its verdict (which reads neither places nor
    grades)."""
    q = quantities.c
    out: dict[str, list[fclaims.Claim]] = defaultdict(list)
    for chunk in _chunks(sorted(set(groups))):
        for r in conn.execute(_claim_select().where(q.group_id.in_(list(chunk)))):
            out[r.group_id].append(_claim(r, places))
    return dict(out)


_Status = tuple[str, int, "tuple[dt.date, dt.date] | None", int]  # status, members, span, sources


def _status(members: list[fclaims.Claim]) -> _Status:
    """A group's stored verdict, size, time span and independent sources over all its members."""
    span = None
    for claim in members:
        span = fclaims.span_union(span, fclaims.period(claim))
    verdict = fclaims.verdict(members)
    return verdict.status, len(members), span, verdict.sources


def _store_statuses(conn: Connection, statuses: dict[str, _Status], stale: set[str]) -> None:
    """Store the status, size, span and sources of each group of ``statuses`` (replacing the rows of
    ``stale``, the groups changed or merged away): listing contradictions reads only the groups
    stored as contradicted (a group some of whose members a caller cannot see is contradicted
    for them only if it is as a whole, see _claim_groups), and fusing a new report reads the
    size and span of the groups within reach from here."""
    g = claim_group_status.c
    for chunk in _chunks(sorted(stale | set(statuses))):
        conn.execute(delete(claim_group_status).where(g.group_id.in_(list(chunk))))
    rows = [{"group_id": gid, "status": status, "members": n, "span": _span_text(span), "sources": sources}
            for gid, (status, n, span, sources) in sorted(statuses.items())]
    for chunk in _chunks(rows, 5000):
        conn.execute(claim_group_status.insert(), list(chunk))


def _final(gid: str, relabel: dict[str, str]) -> str:
    while gid in relabel:
        gid = relabel[gid]
    return gid


def d_published_order():  # noqa: ANN201 - claims of older reports are placed first
    return documents.c.published


# ---------------------------------------------------------------------------- events

def _event_select():  # noqa: ANN202
    ev, d = events.c, documents.c
    return (select(ev.id, ev.doc_id, ev.idx, ev.type, ev.modality, ev.when_text, ev.where_text,
                   ev.actors, ev.fused_id, d.published)
            .join_from(events, documents, ev.doc_id == d.id))


def _event_row(r: Any, places: _Places) -> fevents.EventRow:
    lat, lon = places.get(r.where_text)
    actors = frozenset(a.lower() for a in (r.actors or []) if a)
    return fevents.EventRow(f"{r.doc_id}:{r.idx}", r.doc_id, r.type, r.modality, r.when_text,
                            r.published, r.where_text, lat, lon, actors)


def _fuse_events(conn: Connection, doc_ids: list[str], places: _Places, report: FuseReport, *,
                 everything: bool = False) -> None:
    """Join the events of ``doc_ids`` to fused events of one incident (see
    :class:`marsad.fuse.events.FusedIndex`); incrementally only fused events of the same type
    within a few days are loaded, a rebuild fuses all events in memory and writes in bulk."""
    from sqlalchemy import bindparam

    ev, d = events.c, documents.c
    new: list[Any] = []
    for i in range(0, len(doc_ids), CHUNK) if not everything else [None]:
        stmt = _event_select()
        if i is not None:
            stmt = stmt.where(ev.doc_id.in_(doc_ids[i:i + CHUNK]))
        new += conn.execute(stmt.order_by(d.published, ev.doc_id, ev.idx))
    if not new:
        return
    index = fevents.FusedIndex()
    rows = [_event_row(r, places) for r in new]
    if not everything:
        _load_fused(conn, rows, set(doc_ids), places, index)
    updates = []
    for r, row in zip(new, rows):
        chosen = index.choose(row) if row.type in fevents.FUSABLE_TYPES else None
        fid, note = chosen if chosen else (stable_id("event", r.doc_id, r.idx), None)
        index.add(fid, row)
        updates.append({"eid": r.id, "fid": fid, "note": note})
        if chosen:
            report.events_fused += 1
    stmt = sql_update(events).where(ev.id == bindparam("eid")).values(fused_id=bindparam("fid"),
                                                                       fuse_note=bindparam("note"))
    for i in range(0, len(updates), 5000):
        conn.execute(stmt, updates[i:i + 5000])
    _store_fused(conn, {u["fid"]: index.fused[u["fid"]] for u in updates} if not everything else index.fused,
                 not everything)


def _load_fused(conn: Connection, rows: list[fevents.EventRow], new_docs: set[str], places: _Places,
                index: fevents.FusedIndex) -> None:
    """Put into ``index`` the stored fused events that one of ``rows`` could join: of its type,
    all of whose days lie within a few days of it (``fused_summaries``, one row each). One
    holding an event of the new documents (fused again) is summed up anew from its other
    members."""
    f = fused_summaries.c
    wanted = sorted({(row.type, day.toordinal()) for row in rows
                     if row.type in fevents.FUSABLE_TYPES and (day := fevents.event_day(row)) is not None})
    refused: list[str] = []
    seen: set[str] = set()
    for type_, day in wanted:  # (a report's events may lie months apart: one window per day)
        stmt = select(f.fused_id, f.summary).where(
            f.type == type_, f.first_day.between(day - fevents.DAYS, day + fevents.DAYS), f.last_day <= day + fevents.DAYS)
        for fid, summary in conn.execute(stmt):
            if fid in seen:
                continue
            seen.add(fid)
            fused = fevents.FusedEvent.from_json(summary)
            if fused.docs & new_docs:
                refused.append(fid)
            else:
                index.add_fused(fid, fused)
    ev = events.c
    for chunk in _chunks(refused):
        for r in conn.execute(_event_select().where(ev.fused_id.in_(list(chunk)))):
            if r.doc_id not in new_docs:
                index.add(r.fused_id, _event_row(r, places))


def _store_fused(conn: Connection, fused: dict[str, fevents.FusedEvent], replace: bool) -> None:
    """Store the fused events a later event could join (asserted and dated, of a fusable type),
    replacing their rows when ``replace``."""
    f = fused_summaries.c
    if replace:
        for chunk in _chunks(sorted(fused)):
            conn.execute(delete(fused_summaries).where(f.fused_id.in_(list(chunk))))
    rows = [{"fused_id": fid, "type": e.first.type, "first_day": e.first_day, "last_day": e.last_day,
             "summary": e.to_json()} for fid, e in sorted(fused.items())
            if e.asserted and not e.undated and e.first.type in fevents.FUSABLE_TYPES]
    for chunk in _chunks(rows, 5000):
        conn.execute(fused_summaries.insert(), list(chunk))


# ============================================================================== analyst actions

def set_grade(conn: Connection, name: str, grade: str, note: str | None = None) -> None:
    grade = grade.strip().upper()
    if grade not in GRADES:
        raise ValueError(f"reliability grade must be one of A-F (admiralty scale), got {grade!r}")
    key = match_key(name.strip())
    conn.execute(delete(source_reliability).where(source_reliability.c.source_key == key))
    conn.execute(source_reliability.insert().values(source_key=key, name=name.strip(), grade=grade,
                                                    note=note, updated_at=_now()))


def grades(conn: Connection) -> dict[str, str]:
    s = source_reliability.c
    return {k: g for k, g in conn.execute(select(s.source_key, s.grade))}


def list_grades(conn: Connection) -> list[dict]:
    s = source_reliability.c
    return [dict(r._mapping) for r in conn.execute(select(s.name, s.grade, s.note, s.updated_at).order_by(s.name))]


def _all_links(conn: Connection, active_only: bool = True) -> list[Any]:
    l = entity_links.c
    stmt = select(entity_links)
    if active_only:
        stmt = stmt.where(l.active.is_(True))
    return list(conn.execute(stmt))


def _splits(conn: Connection) -> list[tuple[str, str]]:
    return [(a, b) for a, b in conn.execute(select(entity_splits.c.a, entity_splits.c.b))]


def _cluster_members(conn: Connection, entity_id: str) -> set[str]:
    links = [Link(r.a, r.b, r.rule, r.evidence, r.score, r.doc_id) for r in _all_links(conn)]
    ids = {entity_id} | {x for l in links for x in (l.a, l.b)}
    rep = clusters(ids, links, _splits(conn))
    return {m for m, r in rep.items() if r == rep[entity_id]}


def split(conn: Connection, entity_id: str, note: str | None = None) -> list[str]:
    """Detach ``entity_id`` from its fused entity; returns the members it was detached from."""
    _require_entity(conn, entity_id)
    others = sorted(_cluster_members(conn, entity_id) - {entity_id})
    l = entity_links.c
    conn.execute(sql_update(entity_links).where((l.a == entity_id) | (l.b == entity_id)).values(active=False))
    now = _now()
    for other in others:
        a, b = sorted((entity_id, other))
        conn.execute(delete(entity_splits).where(entity_splits.c.a == a, entity_splits.c.b == b))
        conn.execute(entity_splits.insert().values(a=a, b=b, created_at=now, note=note))
    return others


def merge(conn: Connection, a: str, b: str, note: str | None = None) -> int:
    """An analyst's merge: a manual link (lifting any split between the two clusters)."""
    _require_entity(conn, a)
    _require_entity(conn, b)
    if a == b:
        raise ValueError("cannot merge an entity with itself")
    group_a, group_b = _cluster_members(conn, a), _cluster_members(conn, b)
    s = entity_splits.c
    for x in group_a:
        for y in group_b:
            p, q = sorted((x, y))
            conn.execute(delete(entity_splits).where(s.a == p, s.b == q))
    result = conn.execute(entity_links.insert().values(
        a=a, b=b, rule="manual", evidence=note or "merged by an analyst", score=2.0, doc_id=None,
        origin="manual", active=True, created_at=_now()))
    return int(result.inserted_primary_key[0])


def unlink(conn: Connection, link_id: int) -> None:
    l = entity_links.c
    if conn.execute(select(l.id).where(l.id == link_id)).first() is None:
        raise ValueError(f"no entity link with id {link_id} (see `marsad entities show ID`)")
    conn.execute(sql_update(entity_links).where(l.id == link_id).values(active=False))


def _require_entity(conn: Connection, entity_id: str) -> None:
    if conn.execute(select(entities.c.id).where(entities.c.id == entity_id)).first() is None:
        raise ValueError(f"no entity with id {entity_id!r} (ids are listed by `marsad entities`)")


# ============================================================================== reading

@dataclass(slots=True)
class _View:
    """Fused entities as one viewer sees them."""

    rep: dict[str, str]  # visible entity id -> representative
    counts: dict[str, int]  # visible mentions per entity (role mentions included)
    docs: dict[str, set[str]]  # representative -> visible documents mentioning it
    rows: dict[str, Any]  # entity rows of the visible entities

    def members(self, rep: str) -> list[str]:
        return sorted(m for m, r in self.rep.items() if r == rep)


def _visible_ids(conn: Connection, viewer: Any, ids: Iterable[str]) -> set[str]:
    wanted = [i for i in set(ids) if i]
    out: set[str] = set()
    for i in range(0, len(wanted), 500):
        stmt = visible_documents(select(documents.c.id).where(documents.c.id.in_(wanted[i:i + 500])), viewer)
        out.update(conn.execute(stmt).scalars())
    return out


def _visible_role_mentions(conn: Connection, viewer: Any, *where: Any) -> list[Any]:
    r = role_mentions.c
    d = documents.c
    stmt = visible_documents(select(role_mentions, d.title.label("doc_title"), d.published, d.outlet)
                             .join_from(role_mentions, documents, r.doc_id == d.id).where(*where), viewer)
    rows = list(conn.execute(stmt))
    holders = _visible_ids(conn, viewer, (x.holder_doc_id for x in rows))
    return [x for x in rows if x.holder_doc_id is None or x.holder_doc_id in holders]


def _view(conn: Connection, viewer: Any) -> _View:
    m = mentions.c
    stmt = visible_documents(select(m.entity_id, m.doc_id, func.count())
                             .join_from(mentions, documents, m.doc_id == documents.c.id)
                             .group_by(m.entity_id, m.doc_id), viewer)
    entity_docs: dict[str, set[str]] = defaultdict(set)
    counts: Counter = Counter()
    for eid, doc, n in conn.execute(stmt):
        entity_docs[eid].add(doc)
        counts[eid] += n
    for r in _visible_role_mentions(conn, viewer):
        counts[r.entity_id] += 1
        entity_docs[r.entity_id].add(r.doc_id)
    visible = set(entity_docs)
    visible_docs = {d for ds in entity_docs.values() for d in ds}
    candidates = [r for r in _all_links(conn) if r.a in visible and r.b in visible]
    visible_docs |= _visible_ids(conn, viewer, (r.doc_id for r in candidates if r.doc_id not in visible_docs))
    links = [Link(r.a, r.b, r.rule, r.evidence, r.score, r.doc_id) for r in candidates
             if r.doc_id is None or r.doc_id in visible_docs]
    rows = {}
    ids = sorted(visible)
    for i in range(0, len(ids), 500):
        for row in conn.execute(select(entities).where(entities.c.id.in_(ids[i:i + 500]))):
            rows[row.id] = row
    # the representative: most mentioned, then one with an English name, then the fuller name
    weight = {eid: counts.get(eid, 0) * 1000 + (500 if rows[eid].canonical else 0) + len(rows[eid].name)
              for eid in rows}
    rep = clusters(visible, links, _splits(conn), weight)
    docs: dict[str, set[str]] = defaultdict(set)
    for eid, r in rep.items():
        docs[r] |= entity_docs[eid]
    return _View(rep, dict(counts), dict(docs), rows)


def _aliases(conn: Connection, viewer: Any, member_ids: list[str]) -> Counter:
    m = mentions.c
    out: Counter = Counter()
    for i in range(0, len(member_ids), 500):
        stmt = visible_documents(select(m.text, func.count()).join_from(mentions, documents, m.doc_id == documents.c.id)
                                 .where(m.entity_id.in_(member_ids[i:i + 500])).group_by(m.text), viewer)
        out.update(dict(conn.execute(stmt).all()))
    for r in _visible_role_mentions(conn, viewer, role_mentions.c.entity_id.in_(member_ids)):
        out[r.text] += 1
    return out


def _entity_summary(conn: Connection, view: _View, rep: str, viewer: Any, with_aliases: bool = True) -> dict:
    members = view.members(rep)
    row = view.rows[rep]
    canonical = row.canonical or next((view.rows[m].canonical for m in members if view.rows[m].canonical), None)
    located = next((view.rows[m] for m in [rep, *members] if view.rows[m].lat is not None), None)
    aliases = _aliases(conn, viewer, members)
    # the stored name is the first document's spelling, which the caller may not see
    name = min(aliases.items(), key=lambda kv: (-kv[1], kv[0]))[0] if aliases else row.name
    item = {"id": rep, "type": row.type, "name": name, "canonical": canonical,
            "mention_count": sum(view.counts.get(m, 0) for m in members),
            "document_count": len(view.docs.get(rep, ())), "members": members,
            "lat": located.lat if located else None, "lon": located.lon if located else None,
            "geo_kind": located.geo_kind if located else None,
            "geonames_id": located.geonames_id if located else None}
    if with_aliases:
        item["aliases"] = [a for a, _ in sorted(aliases.items(), key=lambda kv: (-kv[1], kv[0]))]
    return item


def resolve(conn: Connection, entity_id: str, viewer: Any = None) -> str | None:
    """The fused entity id (its representative) of any member id, or None if not visible."""
    return _view(conn, viewer).rep.get(entity_id)


def fused_entities(conn: Connection, *, viewer: Any = None, type: str | None = None,  # noqa: A002
                   query: str | None = None, limit: int = 100, offset: int = 0) -> list[dict]:
    view = _view(conn, viewer)
    reps = sorted(_matching_reps(view, type, query),
                  key=lambda r: (-sum(view.counts.get(m, 0) for m in view.members(r)), view.rows[r].name, r))
    return [_entity_summary(conn, view, r, viewer) for r in reps[offset:offset + limit]]


def _matching_reps(view: _View, type: str | None, query: str | None) -> list[str]:  # noqa: A002
    members: dict[str, list[str]] = defaultdict(list)
    for m, r in view.rep.items():
        members[r].append(m)
    reps = [r for r in members if not type or view.rows[r].type == type]
    if query:
        wanted = match_key(query)
        reps = [r for r in reps if any(wanted in match_key(n) for m in members[r]
                                       for n in (view.rows[m].name, view.rows[m].canonical) if n)]
    return reps


def count_fused_entities(conn: Connection, *, viewer: Any = None, type: str | None = None,  # noqa: A002
                         query: str | None = None) -> int:
    """How many fused entities :func:`fused_entities` lists for the same filters."""
    return len(_matching_reps(_view(conn, viewer), type, query))


def fused_entity(conn: Connection, entity_id: str, *, viewer: Any = None) -> dict | None:
    view = _view(conn, viewer)
    rep = view.rep.get(entity_id)
    if rep is None:
        return None
    item = _entity_summary(conn, view, rep, viewer)
    members = set(item["members"])
    touching = [r for r in _all_links(conn, active_only=False)
                if r.a in members and r.b in members or (r.origin == "manual" and (r.a in members or r.b in members))]
    seen_docs = _visible_ids(conn, viewer, (r.doc_id for r in touching))
    links = []
    for r in touching:
        if r.doc_id is None or r.doc_id in seen_docs:
            links.append({"id": r.id, "a": r.a, "b": r.b, "a_name": view.rows[r.a].name if r.a in view.rows else r.a,
                          "b_name": view.rows[r.b].name if r.b in view.rows else r.b, "rule": r.rule,
                          "evidence": r.evidence, "score": r.score, "origin": r.origin, "active": r.active,
                          "doc_id": r.doc_id})
    item["links"] = links
    m, d = mentions.c, documents.c
    stmt = visible_documents(
        select(m.doc_id, m.start, m.end, m.text, m.role, d.title, d.published, d.outlet)
        .join_from(mentions, documents, m.doc_id == d.id).where(m.entity_id.in_(sorted(members)))
        .order_by(d.published, m.doc_id, m.start), viewer)
    item["mentions"] = [dict(r._mapping) | {"via": "name"} for r in conn.execute(stmt)]
    for r in _visible_role_mentions(conn, viewer, role_mentions.c.entity_id.in_(sorted(members))):
        item["mentions"].append({"doc_id": r.doc_id, "start": r.start, "end": r.end, "text": r.text,
                                 "role": r.role, "title": r.doc_title, "published": r.published,
                                 "outlet": r.outlet, "via": "title", "field": r.field,
                                 "evidence": r.evidence})
    roles: dict[str, dict] = {}
    for men in item["mentions"]:
        if men["role"]:
            entry = roles.setdefault(men["role"], {"role": men["role"], "first": men["published"],
                                                   "last": men["published"], "documents": set()})
            if men["published"]:
                entry["first"] = min(filter(None, [entry["first"], men["published"]]))
                entry["last"] = max(filter(None, [entry["last"], men["published"]]))
            entry["documents"].add(men["doc_id"])
    item["roles"] = [dict(v, documents=sorted(v["documents"])) for v in roles.values()]
    return item


def entity_names(view_item: dict) -> set[str]:
    """English and Arabic names of a fused entity, as match keys (for event and claim lookups)."""
    names = {view_item.get("canonical") or "", view_item.get("name") or "", *view_item.get("aliases", [])}
    return {match_key(n) for n in names if n}


# ---------------------------------------------------------------------------- claims

def claim_groups(conn: Connection, *, viewer: Any = None, contradictions: bool = False,
                 category: str | None = None, place: str | None = None, min_members: int = 2,
                 limit: int = 100, offset: int = 0) -> list[dict]:
    """Groups of comparable claims with every value, qualifier, source and document.

    Only visible members count: a group whose other side is invisible to the caller shows as
    a single claim (and is left out of ``contradictions``)."""
    if contradictions and not category and not place:
        page = _contradictions_page(conn, viewer, limit, offset)
        if page is not None:
            return page
    return _claim_groups(conn, viewer, contradictions, category, place, min_members)[offset:offset + limit]


PAGE_GROUPS = 50  # contradicted groups judged at a time while a page fills


def _contradictions_page(conn: Connection, viewer: Any, limit: int, offset: int) -> list[dict] | None:
    """The page of contradicted groups :func:`_claim_groups` would list, reading the groups
    stored as contradicted in the order of their stored sources and size, a few at a time, until
    no group left could rank within the page: what a caller sees of a group has at most its
    stored sources and members (None for a store judged before they were kept: read it all).
    Every grouped claim's group has a stored status (fusion writes one for each group it
    touches, a rebuild for all)."""
    g = claim_group_status.c
    stored = list(conn.execute(select(g.group_id, g.members, g.sources).where(g.status == "contradicted")))
    if any(r.sources is None for r in stored):
        return None
    stored.sort(key=lambda r: (-r.sources, -r.members, r.group_id))
    need = offset + limit
    step = max(1, min(PAGE_GROUPS, need))
    found: list[dict] = []
    for i in range(0, len(stored), step):
        found += _claim_groups(conn, viewer, True, None, None, 2, only=[r.group_id for r in stored[i:i + step]])
        found.sort(key=_listing_order)
        following = stored[i + step] if i + step < len(stored) else None
        if following is None:
            break
        if len(found) >= need > 0:
            last = found[need - 1]
            if (-last["sources"], -len(last["values"])) < (-following.sources, -following.members):
                break
    return found[offset:offset + limit]


def count_claim_groups(conn: Connection, *, viewer: Any = None, contradictions: bool = False,
                       category: str | None = None, place: str | None = None, min_members: int = 2) -> int:
    """How many groups :func:`claim_groups` lists for the same filters (the API's total)."""
    return len(_claim_groups(conn, viewer, contradictions, category, place, min_members))


def _claim_groups(conn: Connection, viewer: Any, contradictions: bool, category: str | None,
                  place: str | None, min_members: int, only: Sequence[str] | None = None) -> list[dict]:
    """Every group listed for these filters, in listing order; ``only``: of these groups only
    (the wholes their parts belong to still found among all the groups listed)."""
    q, d = quantities.c, documents.c
    stmt = visible_documents(
        select(q.id, q.doc_id, q.idx, q.start, q.end, q.text, q.value, q.low, q.high, q.qualifier,
               q.what, q.category, q.kind, q.where_text, q.when_text, q.source, q.parent_idx,
               q.group_id, q.tlp, d.title, d.published, d.outlet)
        .join_from(quantities, documents, q.doc_id == d.id).where(q.group_id.is_not(None)), viewer)
    if category:
        stmt = stmt.where(q.category == category)
    if contradictions:
        # the visible members of a group can disagree only where the whole group does (a subset
        # of agreeing figures agrees): only the groups stored as contradicted, or not judged yet,
        # are read, and their verdict is still computed below from what the caller may see
        g = claim_group_status.c
        stmt = stmt.where(q.group_id.in_(select(g.group_id).where(g.status == "contradicted"))
                          | q.group_id.not_in(select(g.group_id)))
    listed = stmt
    if only is not None:
        stmt = stmt.where(q.group_id.in_(list(only)))
    rows = list(conn.execute(stmt.order_by(q.group_id, d.published, q.doc_id, q.idx)))
    places = _Places.load(conn)
    by_group: dict[str, list[Any]] = defaultdict(list)
    group_of: dict[tuple[str, int], str] = {}
    for r in rows:
        by_group[r.group_id].append(r)
        group_of[(r.doc_id, r.idx)] = r.group_id
    if only is not None:  # the wholes of the parts read, wherever they are listed
        docs = sorted({r.doc_id for r in rows if r.parent_idx is not None})
        for chunk in _chunks(docs):
            for r in conn.execute(listed.where(q.doc_id.in_(list(chunk)))):
                group_of.setdefault((r.doc_id, r.idx), r.group_id)
    source_grades = grades(conn)
    out = []
    for gid, members in by_group.items():
        if place and not any(match_key(place) in match_key(m.where_text or "") for m in members):
            continue
        cl = [_claim(m, places) for m in members]  # (a verdict reads neither places nor report places)
        v = fclaims.verdict(cl, source_grades)
        if contradictions and v.status != "contradicted":
            continue
        if not contradictions and len(members) < min_members:
            continue
        bloc_of = {key: i for i, bloc in enumerate(v.agreeing) for key in bloc}
        values = []
        for m, c in zip(members, cl):
            lo, hi = fclaims.interval(c)
            values.append({"quantity_id": m.id, "doc_id": m.doc_id, "doc_title": m.title,
                           "published": m.published, "outlet": m.outlet, "text": m.text,
                           "start": m.start, "end": m.end, "value": m.value, "low": m.low, "high": m.high,
                           "qualifier": m.qualifier, "what": m.what, "where": m.where_text,
                           "when": m.when_text, "source": m.source, "tlp": m.tlp,
                           "grade": fclaims.grade_of(c, source_grades),
                           "interval": [lo, None if hi == float("inf") else hi],
                           "bloc": bloc_of.get(c.key)})
        parents = sorted({group_of[(m.doc_id, m.parent_idx)] for m in members
                          if m.parent_idx is not None and (m.doc_id, m.parent_idx) in group_of
                          and group_of[(m.doc_id, m.parent_idx)] != gid})
        first = members[0]
        out.append({"id": gid, "category": first.category, "kind": first.kind,
                    "where": next((m.where_text for m in members if m.where_text), None),
                    "status": v.status, "updated": v.updated, "sources": v.sources,
                    "documents": len({m.doc_id for m in members}),
                    "support": [v.support[str(i)] for i in range(len(v.agreeing))],
                    "common": list(v.common) if v.common and v.common[1] != float("inf") else
                              ([v.common[0], None] if v.common else None),
                    "subset_of": parents, "values": values,
                    "tlp": strictest(m.tlp for m in members).value})
    out.sort(key=_listing_order)
    return out


_STATUS_ORDER = {"contradicted": 0, "corroborated": 1, "single": 2}


def _listing_order(group: dict) -> tuple:
    return (_STATUS_ORDER[group["status"]], -group["sources"], -len(group["values"]), group["category"] or "",
            group["id"])


# ---------------------------------------------------------------------------- events

def fused_events(conn: Connection, *, viewer: Any = None, type: str | None = None,  # noqa: A002
                 min_reports: int = 1, limit: int = 100, offset: int = 0) -> list[dict]:
    return _fused_events(conn, viewer, type, min_reports)[offset:offset + limit]


def count_fused_events(conn: Connection, *, viewer: Any = None, type: str | None = None,  # noqa: A002
                       min_reports: int = 1) -> int:
    """How many fused events :func:`fused_events` lists for the same filters (the API's total)."""
    return len(_fused_events(conn, viewer, type, min_reports))


def _fused_events(conn: Connection, viewer: Any, type: str | None, min_reports: int) -> list[dict]:  # noqa: A002
    ev, d = events.c, documents.c
    stmt = visible_documents(
        select(ev.id, ev.doc_id, ev.idx, ev.start, ev.end, ev.trigger, ev.type, ev.actors, ev.targets,
               ev.where_text, ev.when_text, ev.source, ev.modality, ev.plover, ev.fused_id, ev.fuse_note,
               ev.tlp, d.title, d.published, d.outlet)
        .join_from(events, documents, ev.doc_id == d.id).where(ev.fused_id.is_not(None)), viewer)
    if type:
        stmt = stmt.where(ev.type == type)
    groups: dict[str, list[Any]] = defaultdict(list)
    for r in conn.execute(stmt.order_by(ev.fused_id, d.published, ev.doc_id, ev.idx)):
        groups[r.fused_id].append(r)
    places = _Places.load(conn)
    out = []
    for fid, members in groups.items():
        if len({m.doc_id for m in members}) < min_reports:
            continue
        rows = [_event_row(m, places) for m in members]
        whens = sorted({m.when_text or (m.published.isoformat() if m.published else "") for m in members} - {""})
        out.append({"id": fid, "type": members[0].type, "plover": members[0].plover,
                    "when": whens[0] if whens else None, "when_range": [whens[0], whens[-1]] if whens else None,
                    "where": next((m.where_text for m in members if m.where_text), None),
                    "actors": sorted({a for m in members for a in (m.actors or [])}),
                    "targets": sorted({t for m in members for t in (m.targets or [])}),
                    "reports": len({m.doc_id for m in members}),
                    "disagreements": fevents.summarise(rows),
                    "tlp": strictest(m.tlp for m in members).value,
                    "members": [{"event_id": m.id, "doc_id": m.doc_id, "doc_title": m.title,
                                 "published": m.published, "outlet": m.outlet, "trigger": m.trigger,
                                 "start": m.start, "end": m.end, "where": m.where_text, "when": m.when_text,
                                 "actors": m.actors, "targets": m.targets, "source": m.source,
                                 "modality": m.modality, "why": m.fuse_note} for m in members]})
    out.sort(key=lambda e: (-e["reports"], e["id"]))  # ties of the date below: most reported first
    out.sort(key=lambda e: e["when"] or "", reverse=True)
    return out


# ---------------------------------------------------------------------------- timeline and graph

def timeline(conn: Connection, entity_id: str, *, viewer: Any = None) -> list[dict] | None:
    """Events, claims and quotes involving a fused entity, by date."""
    entity = fused_entity(conn, entity_id, viewer=viewer)
    if entity is None:
        return None
    names = entity_names(entity)
    english = {match_key(entity["canonical"])} if entity.get("canonical") else set()
    items: list[dict] = []
    for e in fused_events(conn, viewer=viewer, limit=100000):
        parties = {match_key(x) for x in e["actors"] + e["targets"]}
        if parties & (english | names) or (e["where"] and match_key(e["where"]) in english):
            items.append({"date": e["when"], "kind": "event", "type": e["type"], "where": e["where"],
                          "actors": e["actors"], "targets": e["targets"], "reports": e["reports"],
                          "id": e["id"], "documents": sorted({m["doc_id"] for m in e["members"]})})
    q, d = quantities.c, documents.c
    stmt = visible_documents(select(q.doc_id, q.text, q.value, q.qualifier, q.category, q.where_text,
                                    q.when_text, q.source, d.published)
                             .join_from(quantities, documents, q.doc_id == d.id), viewer)
    for r in conn.execute(stmt):
        if (r.source and match_key(r.source) in english | names) or (r.where_text and match_key(r.where_text) in english):
            items.append({"date": r.when_text or (r.published.isoformat() if r.published else None),
                          "kind": "claim", "text": r.text, "value": r.value, "qualifier": r.qualifier,
                          "category": r.category, "source": r.source, "documents": [r.doc_id]})
    qt = quotes.c
    stmt = visible_documents(select(qt.doc_id, qt.text, qt.speaker, qt.cue, d.published)
                             .join_from(quotes, documents, qt.doc_id == d.id), viewer)
    for r in conn.execute(stmt):
        if r.speaker and match_key(r.speaker) in english | names:
            items.append({"date": r.published.isoformat() if r.published else None, "kind": "quote",
                          "text": r.text[:300], "speaker": r.speaker, "cue": r.cue, "documents": [r.doc_id]})
    items.sort(key=lambda i: (i["date"] or "", i["kind"]))
    return items


def graph(conn: Connection, entity_id: str, *, viewer: Any = None, depth: int = 1,
          max_nodes: int = 80) -> dict | None:
    """The neighbourhood of a fused entity: co-occurring entities (edges weighted by shared
    reports) and the events it takes part in, with their actors, targets and places."""
    view = _view(conn, viewer)
    rep = view.rep.get(entity_id)
    if rep is None:
        return None
    doc_entities = _doc_entities(conn, viewer, view)
    nodes: dict[str, dict] = {}
    edges: dict[tuple[str, str, str], dict] = {}

    def entity_node(r: str) -> None:
        if r not in nodes:
            row = view.rows[r]
            english = row.canonical or next((view.rows[m].canonical for m in view.members(r)
                                             if view.rows[m].canonical), None)
            spelling = _visible_name(conn, viewer, view, r)
            nodes[r] = {"id": r, "kind": "entity", "type": row.type, "label": english or spelling,
                        "name": spelling, "lat": row.lat, "lon": row.lon}

    entity_node(rep)
    frontier = {rep}
    for _ in range(max(1, depth)):
        nxt: set[str] = set()
        for r in sorted(frontier):
            co: Counter = Counter()
            for doc in view.docs.get(r, ()):
                for other in doc_entities.get(doc, ()):
                    if other != r:
                        co[other] += 1
            for other, n in co.most_common():
                if len(nodes) >= max_nodes and other not in nodes:
                    break
                entity_node(other)
                a, b = sorted((r, other))
                edges[(a, b, "co-occurs")] = {"source": a, "target": b, "kind": "co-occurs", "weight": n}
                nxt.add(other)
        frontier = nxt - {rep}
    by_name = {}
    for r in nodes:
        row = view.rows[r]
        for n in (row.canonical, row.name):
            if n:
                by_name.setdefault(match_key(n), r)
    for e in fused_events(conn, viewer=viewer, limit=100000):
        parties = [(x, "actor") for x in e["actors"]] + [(x, "target") for x in e["targets"]]
        linked = [(by_name[match_key(x)], role) for x, role in parties if match_key(x) in by_name]
        if not any(r == rep for r, _ in linked):
            continue
        eid = f"event:{e['id']}"
        nodes[eid] = {"id": eid, "kind": "event", "type": e["type"], "label": e["type"], "when": e["when"],
                      "where": e["where"], "reports": e["reports"]}
        for r, role in linked:
            edges[(r, eid, role)] = {"source": r, "target": eid, "kind": role, "weight": e["reports"]}
        if e["where"] and match_key(e["where"]) in by_name:
            edges[(eid, by_name[match_key(e["where"])], "place")] = {
                "source": eid, "target": by_name[match_key(e["where"])], "kind": "place", "weight": 1}
    return {"center": rep, "nodes": list(nodes.values()), "edges": list(edges.values())}


def _doc_entities(conn: Connection, viewer: Any, view: _View) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for r, docs in view.docs.items():
        for doc in docs:
            out[doc].add(r)
    return out


def path(conn: Connection, a: str, b: str, *, viewer: Any = None) -> list[dict] | None:
    """The shortest chain of co-occurrences between two fused entities."""
    view = _view(conn, viewer)
    ra, rb = view.rep.get(a), view.rep.get(b)
    if ra is None or rb is None:
        return None
    pairs = []
    for ents in _doc_entities(conn, viewer, view).values():
        ordered = sorted(ents)
        pairs.extend((x, y) for i, x in enumerate(ordered) for y in ordered[i + 1:])
    chain = shortest_path(adjacency(pairs), ra, rb)
    if chain is None:
        return None
    return [{"id": r, "type": view.rows[r].type, "name": _visible_name(conn, viewer, view, r),
             "canonical": view.rows[r].canonical} for r in chain]


def _visible_name(conn: Connection, viewer: Any, view: _View, rep: str) -> str:
    aliases = _aliases(conn, viewer, view.members(rep))
    return min(aliases.items(), key=lambda kv: (-kv[1], kv[0]))[0] if aliases else view.rows[rep].name


# ============================================================================== Store methods

class FusionMethods:
    """Fusion use cases on :class:`marsad.store.Store` (mixed in; uses its connections)."""

    def fuse(self, doc_ids: Sequence[str] | None = None, *, rebuild: bool = False,
             progress: Any = None, rescan_titles: bool = False) -> FuseReport:
        """Fuse the given (default: not yet fused) documents; ``rebuild`` starts afresh
        (analysts' merges and splits are kept; stored bare titles are reused unless
        ``rescan_titles``)."""
        with self._write() as conn:  # type: ignore[attr-defined]
            return update(conn, doc_ids, rebuild=rebuild, progress=progress, rescan_titles=rescan_titles)

    def unfused_count(self) -> int:
        with self._read() as conn:  # type: ignore[attr-defined]
            return conn.execute(select(func.count()).select_from(documents)
                                .where(documents.c.fused_at.is_(None))).scalar_one()

    def fused_entities(self, *, viewer: Any = None, type: str | None = None,  # noqa: A002
                       query: str | None = None, limit: int = 100, offset: int = 0) -> list[dict]:
        with self._read() as conn, conn.begin():  # type: ignore[attr-defined]
            return fused_entities(conn, viewer=viewer, type=type, query=query, limit=limit, offset=offset)

    def count_fused_entities(self, *, viewer: Any = None, type: str | None = None,  # noqa: A002
                             query: str | None = None) -> int:
        with self._read() as conn, conn.begin():  # type: ignore[attr-defined]
            return count_fused_entities(conn, viewer=viewer, type=type, query=query)

    def count_claim_groups(self, *, viewer: Any = None, contradictions: bool = False, category: str | None = None,
                           place: str | None = None, min_members: int = 2) -> int:
        with self._read() as conn, conn.begin():  # type: ignore[attr-defined]
            return count_claim_groups(conn, viewer=viewer, contradictions=contradictions, category=category,
                                      place=place, min_members=min_members)

    def count_fused_events(self, *, viewer: Any = None, type: str | None = None,  # noqa: A002
                           min_reports: int = 1) -> int:
        with self._read() as conn, conn.begin():  # type: ignore[attr-defined]
            return count_fused_events(conn, viewer=viewer, type=type, min_reports=min_reports)

    def fused_entity(self, entity_id: str, *, viewer: Any = None) -> dict | None:
        with self._read() as conn, conn.begin():  # type: ignore[attr-defined]
            return fused_entity(conn, entity_id, viewer=viewer)

    def claim_groups(self, *, viewer: Any = None, contradictions: bool = False,
                     category: str | None = None, place: str | None = None, min_members: int = 2,
                     limit: int = 100, offset: int = 0) -> list[dict]:
        with self._read() as conn, conn.begin():  # type: ignore[attr-defined]
            return claim_groups(conn, viewer=viewer, contradictions=contradictions, category=category,
                                place=place, min_members=min_members, limit=limit, offset=offset)

    def fused_events(self, *, viewer: Any = None, type: str | None = None,  # noqa: A002
                     min_reports: int = 1, limit: int = 100, offset: int = 0) -> list[dict]:
        with self._read() as conn, conn.begin():  # type: ignore[attr-defined]
            return fused_events(conn, viewer=viewer, type=type, min_reports=min_reports,
                                limit=limit, offset=offset)

    def timeline(self, entity_id: str, *, viewer: Any = None) -> list[dict] | None:
        with self._read() as conn, conn.begin():  # type: ignore[attr-defined]
            return timeline(conn, entity_id, viewer=viewer)

    def graph(self, entity_id: str, *, viewer: Any = None, depth: int = 1) -> dict | None:
        with self._read() as conn, conn.begin():  # type: ignore[attr-defined]
            return graph(conn, entity_id, viewer=viewer, depth=depth)

    def graph_path(self, a: str, b: str, *, viewer: Any = None) -> list[dict] | None:
        with self._read() as conn, conn.begin():  # type: ignore[attr-defined]
            return path(conn, a, b, viewer=viewer)

    def resolve_entity(self, entity_id: str, *, viewer: Any = None) -> str | None:
        with self._read() as conn, conn.begin():  # type: ignore[attr-defined]
            return resolve(conn, entity_id, viewer)

    def split_entity(self, entity_id: str, note: str | None = None) -> list[str]:
        with self._write() as conn:  # type: ignore[attr-defined]
            return split(conn, entity_id, note)

    def merge_entities(self, a: str, b: str, note: str | None = None) -> int:
        with self._write() as conn:  # type: ignore[attr-defined]
            return merge(conn, a, b, note)

    def unlink_entities(self, link_id: int) -> None:
        with self._write() as conn:  # type: ignore[attr-defined]
            unlink(conn, link_id)

    def set_source_grade(self, name: str, grade: str, note: str | None = None) -> None:
        with self._write() as conn:  # type: ignore[attr-defined]
            set_grade(conn, name, grade, note)

    def source_grades(self) -> list[dict]:
        with self._read() as conn:  # type: ignore[attr-defined]
            return list_grades(conn)
