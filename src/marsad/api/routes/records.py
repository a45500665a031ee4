"""/api/entities, /api/claims, /api/events, /api/quotes: facts of the visible documents.

When the store has fusion (``Store.fused_entities`` …, marsad.store.fusion), entities are
the fused ones (one per real-world entity across reports) and ``/api/claims?contradictions=true``
and ``/api/events?fused=true`` return claim groups and fused events; every one of those is
computed by the store from the documents the caller may see.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status

from marsad.share.viewer import Viewer
from marsad.store import Store

from ..auth import audit, get_store, require_scope
from ..models import Open, Page
from .common import Paging, TimeRange, as_rows, paging, time_range, tlp_levels

router = APIRouter(prefix="/api", tags=["facts"])

NOT_VISIBLE = {404: {"description": "Unknown, or supported by no document visible to the caller."}}


# ---------------------------------------------------------------------------- entities

@router.get("/entities", response_model=Page[Open], summary="Entities (persons, organisations, places)")
def list_entities(
    request: Request,
    q: str | None = Query(None, max_length=200, description="Name contains (Arabic as written, or English)."),
    type: str | None = Query(None, description="PER, ORG or LOC."),  # noqa: A002
    page: Paging = Depends(paging),
    viewer: Viewer | None = Depends(require_scope("read")),
    store: Store = Depends(get_store),
) -> Page[Open]:
    """Entities with their mention counts and aliases, counted over visible documents only."""
    etype = type.upper() if type else None
    items = store.fused_entities(viewer=viewer, type=etype, query=q, limit=page.limit, offset=page.offset)
    total = store.count_fused_entities(viewer=viewer, type=etype, query=q)
    audit(request, viewer, "search", "entities", {"q": q, "type": etype})
    return Page[Open](items=as_rows(items), total=total, limit=page.limit, offset=page.offset)


@router.get("/entities/{entity_id}", response_model=Open, summary="One entity", responses=NOT_VISIBLE)
def get_entity(
    entity_id: str,
    request: Request,
    viewer: Viewer | None = Depends(require_scope("read")),
    store: Store = Depends(get_store),
) -> Open:
    """An entity with its aliases, roles and the visible documents that mention it."""
    item = store.fused_entity(entity_id, viewer=viewer)
    if item is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no entity {entity_id!r}")
    audit(request, viewer, "read", f"entity:{entity_id}")
    return Open(**as_rows([item])[0])


@router.get("/entities/{entity_id}/timeline", response_model=list[Open], summary="An entity's timeline",
            responses=NOT_VISIBLE)
def entity_timeline(
    entity_id: str,
    request: Request,
    viewer: Viewer | None = Depends(require_scope("read")),
    store: Store = Depends(get_store),
) -> list[Open]:
    """Dated facts about the entity from visible documents."""
    rows = store.timeline(entity_id, viewer=viewer)
    if rows is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no entity {entity_id!r}")
    audit(request, viewer, "read", f"entity:{entity_id}/timeline")
    return [Open(**r) for r in as_rows(rows)]


@router.get("/entities/{entity_id}/graph", response_model=Open, summary="An entity's neighbourhood",
            responses=NOT_VISIBLE)
def entity_graph(
    entity_id: str,
    request: Request,
    depth: int = Query(1, ge=1, le=3, description="Hops from the entity."),
    viewer: Viewer | None = Depends(require_scope("read")),
    store: Store = Depends(get_store),
) -> Open:
    """Nodes and edges around the entity, each edge supported by a visible document."""
    graph = store.graph(entity_id, viewer=viewer, depth=depth)
    if graph is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no entity {entity_id!r}")
    audit(request, viewer, "read", f"entity:{entity_id}/graph", {"depth": depth})
    return Open(**graph)


# ---------------------------------------------------------------------------- claims

@router.get("/claims", response_model=Page[Open], summary="Claims (figures with their sources)")
def list_claims(
    request: Request,
    contradictions: bool = Query(False, description="Only claim groups whose visible members disagree."),
    grouped: bool = Query(False, description="Claim groups (same what, where, when) instead of single claims."),
    category: str | None = Query(None, description="e.g. detainees, fighters, displaced."),
    place: str | None = Query(None, description="Where (Arabic or English)."),
    speaker: str | None = Query(None, description="Who says so."),
    tr: TimeRange = Depends(time_range),
    tlp: tuple[str, ...] | None = Depends(tlp_levels),
    page: Paging = Depends(paging),
    viewer: Viewer | None = Depends(require_scope("read")),
    store: Store = Depends(get_store),
) -> Page[Open]:
    """Single claims by default; with ``contradictions`` or ``grouped`` the claim groups of
    fusion, whose members, statuses and counts come from visible documents only."""
    if contradictions or grouped:
        items = store.claim_groups(viewer=viewer, contradictions=contradictions, category=category, place=place,
                                   limit=page.limit, offset=page.offset)
        total = store.count_claim_groups(viewer=viewer, contradictions=contradictions, category=category, place=place)
    else:
        filters = {"category": category, "place": place, "speaker": speaker, "since": tr.since,
                   "until": tr.until, "tlp": tlp, "viewer": viewer}
        items = store.list_quantities(limit=page.limit, offset=page.offset, **filters)
        total = store.count_records("quantities", **filters)
    audit(request, viewer, "search", "claims", {"contradictions": contradictions, "category": category})
    return Page[Open](items=as_rows(items), total=total, limit=page.limit, offset=page.offset)


# ---------------------------------------------------------------------------- events, quotes

@router.get("/events", response_model=Page[Open], summary="Events")
def list_events(
    request: Request,
    type: str | None = Query(None, description="ATTACK, ARREST, RELEASE, MEETING …"),  # noqa: A002
    place: str | None = Query(None, description="Where (Arabic or English)."),
    actor: str | None = Query(None, description="An actor's name."),
    fused: bool = Query(False, description="Events fused across reports instead of one row per report."),
    tr: TimeRange = Depends(time_range),
    tlp: tuple[str, ...] | None = Depends(tlp_levels),
    page: Paging = Depends(paging),
    viewer: Viewer | None = Depends(require_scope("read")),
    store: Store = Depends(get_store),
) -> Page[Open]:
    """Events extracted from visible documents (or fused across them with ``fused``)."""
    etype = type.upper() if type else None
    if fused:
        items = store.fused_events(viewer=viewer, type=etype, limit=page.limit, offset=page.offset)
        total = store.count_fused_events(viewer=viewer, type=etype)
    else:
        filters = {"type": etype, "place": place, "actor": actor, "since": tr.since, "until": tr.until,
                   "tlp": tlp, "viewer": viewer}
        items = store.list_events(limit=page.limit, offset=page.offset, **filters)
        total = store.count_records("events", **filters)
    audit(request, viewer, "search", "events", {"type": etype, "fused": fused})
    return Page[Open](items=as_rows(items), total=total, limit=page.limit, offset=page.offset)


@router.get("/quotes", response_model=Page[Open], summary="Quotes and reported speech")
def list_quotes(
    request: Request,
    speaker: str | None = Query(None, description="The speaker's name or description."),
    tr: TimeRange = Depends(time_range),
    tlp: tuple[str, ...] | None = Depends(tlp_levels),
    page: Paging = Depends(paging),
    viewer: Viewer | None = Depends(require_scope("read")),
    store: Store = Depends(get_store),
) -> Page[Open]:
    """Quotes from visible documents with their speakers, newest first."""
    filters = {"speaker": speaker, "since": tr.since, "until": tr.until, "tlp": tlp, "viewer": viewer}
    items = store.list_quotes(limit=page.limit, offset=page.offset, **filters)
    total = store.count_records("quotes", **filters)
    audit(request, viewer, "search", "quotes", {"speaker": speaker})
    return Page[Open](items=as_rows(items), total=total, limit=page.limit, offset=page.offset)
