"""Store reads the pages need beyond the Store's own methods, always through the viewer.

* :class:`WebFilter`: the search filters plus an organisation named in the report.
* :func:`search_facets`: event type, place, organisation and period counts over the
  matching documents the viewer may see (the Store's ``facets`` gives TLP and outlet).

Every query starts from :func:`marsad.store.queries.visible_documents` or the search
module's ``matching`` (which applies it), so nothing hidden from the viewer is counted.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, distinct, func, select

from marsad.store import Store
from marsad.store import search as store_search
from marsad.store.queries import DOCUMENTS, DocColumns, DocumentFilter, documents_naming, visible_documents
from marsad.store.schema import documents, entities, events, mentions

FACET_TOP = 12


@dataclass(slots=True)
class WebFilter(DocumentFilter):
    """DocumentFilter plus ``organisation``: a report naming this organisation (as written
    in a visible report, or its English name)."""

    organisation: str | None = None

    def apply(self, stmt: Select, on: DocColumns = DOCUMENTS) -> Select:
        stmt = DocumentFilter.apply(self, stmt, on)  # (zero-argument super() fails in slots dataclasses)
        if self.organisation:
            stmt = stmt.where(on.id.in_(documents_naming("ORG", self.organisation)))
        return stmt


@dataclass(slots=True)
class FacetValue:
    value: str  # what the filter parameter takes
    label: str  # what the page shows (the spelling most used in the visible reports)
    count: int
    title: str | None = None  # e.g. the English name under an Arabic label


@dataclass(slots=True)
class Facets:
    type: list[FacetValue] = field(default_factory=list)
    place: list[FacetValue] = field(default_factory=list)
    org: list[FacetValue] = field(default_factory=list)
    time: list[FacetValue] = field(default_factory=list)
    outlet: list[FacetValue] = field(default_factory=list)
    tlp: list[FacetValue] = field(default_factory=list)


def _matching_ids(conn: Any, query: str | None, viewer: Any, filters: DocumentFilter) -> Select | None:
    """SELECT of the ids of the visible documents matching query and filters (None: none can)."""
    d = documents.c
    if query and query.strip():
        parsed = store_search.parse_query(query)
        if not parsed:
            return None
        stmt, _score = store_search.matching(conn.dialect.name, parsed, [d.id], viewer, filters)
        sub = stmt.subquery()
        return select(sub.c.id)
    return filters.apply(visible_documents(select(d.id), viewer))


def _name_facet(conn: Any, ids: Select, entity_type: str, top: int) -> list[FacetValue]:
    """Places or organisations named in the matching reports, by how many reports name them."""
    m, e = mentions.c, entities.c
    key = func.coalesce(e.canonical, m.text)
    n = func.count(distinct(m.doc_id)).label("n")
    rows = conn.execute(
        select(key.label("key"), n).join_from(mentions, entities, e.id == m.entity_id)
        .where(m.type == entity_type, m.doc_id.in_(ids)).group_by(key).order_by(n.desc(), key).limit(top)
    ).all()
    if not rows:
        return []
    keys = [r.key for r in rows]
    spellings: dict[str, Counter] = {k: Counter() for k in keys}
    for k, text, count in conn.execute(
        select(key, m.text, func.count()).join_from(mentions, entities, e.id == m.entity_id)
        .where(m.type == entity_type, m.doc_id.in_(ids), key.in_(keys)).group_by(key, m.text)
    ):
        spellings[k][text] += count
    out = []
    for r in rows:
        label = min(spellings[r.key].items(), key=lambda kv: (-kv[1], kv[0]))[0] if spellings[r.key] else r.key
        out.append(FacetValue(r.key, label, r.n, r.key if r.key != label else None))
    return out


def month_range(month: str) -> tuple[dt.date, dt.date]:
    """First and last day of a YYYY-MM month."""
    year, mon = (int(x) for x in month.split("-"))
    return dt.date(year, mon, 1), dt.date(year, mon, calendar.monthrange(year, mon)[1])


def _time_facet(conn: Any, ids: Select) -> list[FacetValue]:
    """Reports per month (per year when they span more than two years), newest first."""
    dates = [r for r in conn.execute(select(documents.c.published).where(documents.c.id.in_(ids))).scalars() if r]
    if not dates:
        return []
    by_year = (max(dates).year - min(dates).year) > 2
    buckets = Counter(f"{d.year}" if by_year else f"{d.year}-{d.month:02d}" for d in dates)
    return [FacetValue(k, k, n) for k, n in sorted(buckets.items(), reverse=True)]


def search_facets(store: Store, query: str | None, *, viewer: Any, filters: DocumentFilter,
                  top: int = FACET_TOP) -> Facets:
    """All facets of a search page over what ``viewer`` may see."""
    base = store.facets(query if query and query.strip() else None, viewer=viewer, filters=filters)
    facets = Facets(
        tlp=[FacetValue(k, k, v) for k, v in base.get("tlp", {}).items()],
        outlet=[FacetValue(k, k, v) for k, v in list(base.get("outlet", {}).items())[:top]],
    )
    with store.engine.connect() as conn:
        ids = _matching_ids(conn, query, viewer, filters)
        if ids is None:
            return facets
        n = func.count(distinct(events.c.doc_id)).label("n")
        facets.type = [FacetValue(t, t, c) for t, c in conn.execute(
            select(events.c.type, n).where(events.c.doc_id.in_(ids)).group_by(events.c.type)
            .order_by(n.desc(), events.c.type).limit(top))]
        facets.place = _name_facet(conn, ids, "LOC", top)
        facets.org = _name_facet(conn, ids, "ORG", top)
        facets.time = _time_facet(conn, ids)
    return facets


def period_range(value: str) -> tuple[dt.date, dt.date] | None:
    """The dates a time-facet value (YYYY or YYYY-MM) stands for; None if malformed."""
    try:
        if len(value) == 4:
            year = int(value)
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        return month_range(value)
    except ValueError:
        return None

