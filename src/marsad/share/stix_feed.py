"""TAXII collections over the store: which documents each holds, each object's date_added,
and keyset pagination.  No HTTP here (that is marsad.api.taxii), so it is testable alone.

Collections (docs/stix-taxii.md):

* ``all`` — every document the caller may see;
* one per organisation — the documents it owns, as far as the caller may see them; listed for
  the caller's own organisation and for every organisation whose documents it can see;
* one per sharing group — the documents shared with that group; listed for its members.

An unrestricted caller (``viewer=None``) is offered every organisation and group.  A
collection a caller is not offered answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.sql.elements import ColumnElement

from marsad.lru import LRUCache
from marsad.store import Store
from marsad.store.queries import visible_documents
from marsad.store.schema import document_shares, documents, organisations, sharing_groups

from . import stix_model as sm
from .stix_export import bundle_objects, load_analyses, select_documents

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class Collection:
    id: str  # uuid5: stable across restarts and servers with the same names
    kind: str  # all | org | group
    name: str | None
    title: str
    description: str

    def as_taxii(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "description": self.description,
                "can_read": True, "can_write": False,
                "media_types": ["application/stix+json;version=2.1"]}


def _collection(kind: str, name: str | None) -> Collection:
    cid = str(uuid.uuid5(sm.NAMESPACE, f"collection:{kind}:{name or ''}"))
    if kind == "all":
        return Collection(cid, kind, None, "all", "Every report the caller may see, with its facts.")
    if kind == "org":
        return Collection(cid, kind, name, f"organisation: {name}",
                          f"Reports owned by {name}, as far as the caller may see them.")
    return Collection(cid, kind, name, f"sharing group: {name}",
                      f"Reports shared with the sharing group {name}.")


def collections_for(store: Store, viewer: Any = None) -> list[Collection]:
    """The collections offered to ``viewer``: all, organisations, groups (in that order)."""
    with store.engine.connect() as conn:
        if viewer is None:
            orgs = set(conn.execute(select(organisations.c.name)).scalars())
            orgs |= set(conn.execute(select(documents.c.owner).distinct()
                                     .where(documents.c.owner.is_not(None))).scalars())
            groups = set(conn.execute(select(sharing_groups.c.name)).scalars())
        else:
            owners = visible_documents(select(documents.c.owner).distinct()
                                       .where(documents.c.owner.is_not(None)), viewer)
            orgs = {viewer.org, *conn.execute(owners).scalars()}
            groups = set(viewer.groups)
    return ([_collection("all", None)] + [_collection("org", o) for o in sorted(orgs)]
            + [_collection("group", g) for g in sorted(groups)])


def find_collection(store: Store, viewer: Any, key: str) -> Collection | None:
    """By id (or the readable alias ``all``); None when the caller is not offered it."""
    for c in collections_for(store, viewer):
        if key in (c.id, c.title if c.kind == "all" else None):
            return c
    return None


def _condition(c: Collection) -> ColumnElement[bool] | None:
    if c.kind == "org":
        return documents.c.owner == c.name
    if c.kind == "group":
        return documents.c.id.in_(select(document_shares.c.doc_id).where(
            document_shares.c.kind == "group", document_shares.c.target == c.name))
    return None


# ---------------------------------------------------------------------------- items

@dataclass(frozen=True, slots=True)
class Item:
    date_added: dt.datetime
    obj: dict[str, Any]

    @property
    def version(self) -> str:
        return self.obj.get("modified") or self.obj.get("created") or sm.TLP2_CREATED


def _date_added(objects: list[dict[str, Any]]) -> list[Item]:
    """date_added: an object's ``modified`` (reports and records: when their document was
    ingested; entities: when the last document supporting this version arrived); a marking
    definition: when the first object it marks was added."""
    first_use: dict[str, dt.datetime] = {}
    items = []
    for obj in objects:
        if obj["type"] == "marking-definition":
            continue
        when = sm.parse_time(obj.get("modified") or obj["created"])
        items.append(Item(when, obj))
        for ref in obj.get("object_marking_refs", []):
            first_use[ref] = min(first_use.get(ref, when), when)
    for obj in objects:
        if obj["type"] == "marking-definition":
            items.append(Item(first_use.get(obj["id"], sm.parse_time(obj["created"])), obj))
    items.sort(key=lambda it: (it.date_added, it.obj["id"]))
    return items


#: recently built collections, keyed by exactly the documents they hold (plus the store's
#: document count, since saving any document may complete shared entities)
_cache = LRUCache(max_entries=8)


def collection_items(store: Store, viewer: Any, collection: Collection) -> list[Item]:
    """Every object of the collection for this caller, in (date_added, id) order."""
    ids = select_documents(store, viewer, condition=_condition(collection))
    with store.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(documents)).scalar_one()
    digest = hashlib.sha256("\n".join(ids).encode()).hexdigest()
    key = (store.url, digest, total)
    return _cache.get_or_compute(key, lambda: _date_added(bundle_objects(load_analyses(store, ids, viewer))))


# ---------------------------------------------------------------------------- paging

class PageError(ValueError):
    """A bad filter or ``next`` value (the API answers 400 with this message)."""


def _token(item: Item) -> str:
    raw = f"{sm.format_time(item.date_added)}|{item.obj['id']}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _untoken(token: str) -> tuple[dt.datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        when, oid = raw.split("|", 1)
        return sm.parse_time(when), oid
    except (ValueError, UnicodeDecodeError) as exc:
        raise PageError(f"invalid next value {token!r}") from exc


def parse_added_after(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return sm.parse_time(value)
    except ValueError as exc:
        raise PageError(f"added_after must be a timestamp such as 2024-01-01T00:00:00Z, got {value!r}") from exc


@dataclass(frozen=True, slots=True)
class Page:
    items: list[Item]
    more: bool
    next: str | None


def page(items: Sequence[Item], *, added_after: dt.datetime | None = None,
         limit: int | None = None, next: str | None = None,  # noqa: A002 - TAXII's name
         ids: Sequence[str] = (), types: Sequence[str] = ()) -> Page:
    """Filter (added_after, match[id], match[type]) then take ``limit`` items after ``next``.

    ``next`` is the (date_added, id) of the last item served: keyset pagination, so objects
    added between two requests never shift a page.
    """
    size = DEFAULT_LIMIT if not limit or limit <= 0 else min(limit, MAX_LIMIT)
    after = _untoken(next) if next else None
    chosen = []
    for it in items:
        if added_after is not None and it.date_added <= added_after:
            continue
        if ids and it.obj["id"] not in ids:
            continue
        if types and it.obj["type"] not in types:
            continue
        if after is not None and (it.date_added, it.obj["id"]) <= after:
            continue
        chosen.append(it)
        if len(chosen) > size:
            break
    more = len(chosen) > size
    chosen = chosen[:size]
    return Page(chosen, more, _token(chosen[-1]) if more else None)
