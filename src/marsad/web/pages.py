"""The workspace's pages: search, reader, entity, claims, timeline, map, graph, ingest, sign-in.

Thin: each route asks :func:`marsad.web.session.web_viewer` who is looking, reads through the
Store (always with that viewer) or :mod:`marsad.web.reads`, and renders a template.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from marsad.api.auth import COOKIE, audit
from marsad.records import EVENT_TYPES, TLP_LEVELS
from marsad.share.orgs import has_orgs
from marsad.share.tokens import authenticate
from marsad.share.viewer import Viewer

from . import reads, vizdata
from .highlight import analysis_highlights, render_highlights
from .render import render
from .session import safe_next, web_viewer

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 20
LIST_LIMIT = 500
SNIPPET_CHARS = 220
COOKIE_AGE = 7 * 24 * 3600


def _store(request: Request):  # noqa: ANN202
    return request.app.state.store


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _not_found(request: Request) -> HTMLResponse:
    return render(request, "error.html", {"message_key": "ui.not_found"}, status_code=status.HTTP_404_NOT_FOUND)


# ---------------------------------------------------------------------------- search

@router.get("/", response_class=HTMLResponse)
@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = "", type: str = "", place: str = "", org: str = "",  # noqa: A002
                outlet: str = "", tlp: str = "", since: str = "", until: str = "", page: int = 1,
                facets: bool = False, viewer: Viewer | None = Depends(web_viewer)) -> HTMLResponse:
    """Results first; the facets (counts over every match, the costly part on a large store)
    come from :func:`search_facets_fragment` once the results have painted, or inline with
    ``?facets=1`` (the no-JavaScript link)."""
    store = _store(request)
    q = q.strip()[:500]
    filters = _search_filters(type, place, org, outlet, tlp, since, until)
    page = max(1, page)
    offset = (page - 1) * PAGE_SIZE
    if q:
        hits = store.search(q, limit=PAGE_SIZE, offset=offset, viewer=viewer, filters=filters)
        total = store.count_search(q, viewer=viewer, filters=filters)
        results = [{"id": h.id, "title": h.title, "outlet": h.outlet, "published": h.published,
                    "tlp": h.tlp, "snippet": h.snippet, "source": h.source} for h in hits]
        audit(request, viewer, "search", q, {"total": total, "offset": offset, "via": "web"})
    else:
        docs = store.list_documents(limit=PAGE_SIZE, offset=offset, viewer=viewer, filters=filters)
        total = store.count_documents(viewer=viewer, filters=filters)
        results = [{"id": d.id, "title": d.title, "outlet": d.outlet, "published": d.published, "tlp": d.tlp,
                    "snippet": _lead(d.body), "source": d.source} for d in docs]
    active = _active(type, place, org, outlet, tlp, since, until)
    found = reads.search_facets(store, q, viewer=viewer, filters=filters) if facets else None
    periods = {f.value: reads.period_range(f.value) for f in found.time} if found else {}
    fragment = {k: v for k, v in request.query_params.multi_items() if k not in ("page", "facets", "lang")}
    return render(request, "search.html", {
        "q": q, "results": results, "total": total, "page": page,
        "pages": max(1, math.ceil(total / PAGE_SIZE)), "facets": found, "active": active,
        "periods": periods, "since": since, "until": until,
        "facets_src": "/search/facets" + (f"?{urlencode(fragment)}" if fragment else ""),
    }, nav="search")


@router.get("/search/facets", response_class=HTMLResponse)
def search_facets_fragment(request: Request, q: str = "", type: str = "", place: str = "",  # noqa: A002
                           org: str = "", outlet: str = "", tlp: str = "", since: str = "",
                           until: str = "", viewer: Viewer | None = Depends(web_viewer)) -> HTMLResponse:
    """The facet groups of a search page as an HTML fragment (links point to /search)."""
    q = q.strip()[:500]
    filters = _search_filters(type, place, org, outlet, tlp, since, until)
    found = reads.search_facets(_store(request), q, viewer=viewer, filters=filters)
    return render(request, "_facets.html", {
        "q": q, "facets": found, "active": _active(type, place, org, outlet, tlp, since, until),
        "periods": {f.value: reads.period_range(f.value) for f in found.time},
        "since": since, "until": until,
    }, page_path="/search")


def _search_filters(type: str, place: str, org: str, outlet: str, tlp: str,  # noqa: A002
                    since: str, until: str) -> reads.WebFilter:
    level = tlp.upper() if tlp.upper() in TLP_LEVELS else None
    return reads.WebFilter(tlp=(level,) if level else None, outlet=outlet or None,
                           since=_date(since), until=_date(until),
                           event_type=type.upper() if type else None, place=place or None,
                           organisation=org or None)


def _active(type: str, place: str, org: str, outlet: str, tlp: str,  # noqa: A002
            since: str, until: str) -> dict[str, str]:
    return {k: v for k, v in (("type", type), ("place", place), ("org", org), ("outlet", outlet),
                              ("tlp", tlp), ("since", since), ("until", until)) if v}


def _lead(body: str) -> str:
    """The first words of a report (listing without a query); brackets would read as matches."""
    text = " ".join(body.split())[:SNIPPET_CHARS]
    return text.replace("[", "(").replace("]", ")")


# ---------------------------------------------------------------------------- reader

@router.get("/doc/{doc_id}", response_class=HTMLResponse)
def reader_page(doc_id: str, request: Request, viewer: Viewer | None = Depends(web_viewer)) -> HTMLResponse:
    store = _store(request)
    analysis = store.get_analysis(doc_id, viewer=viewer)
    if analysis is None:
        return _not_found(request)
    doc = analysis.doc
    shares = None
    if viewer is None or doc.owner == viewer.org:
        from marsad.share.orgs import shares_of

        shares = shares_of(store, doc.id)
    entities: dict[str, dict[str, Any]] = {}
    for m in analysis.entities:
        key = m.entity_id or f"{m.type}:{m.text}"
        entry = entities.setdefault(key, {"id": m.entity_id, "type": m.type, "text": m.text,
                                          "canonical": m.canonical, "role": m.role, "count": 0,
                                          "anchor": f"m{m.start}", "lat": m.lat, "lon": m.lon})
        entry["count"] += 1
        entry["role"] = entry["role"] or m.role
    audit(request, viewer, "read", f"document:{doc.id}", {"via": "web"})
    return render(request, "doc.html", {
        "doc": doc, "body_html": render_highlights(doc.body, analysis_highlights(analysis)),
        "entities": sorted(entities.values(), key=lambda e: ("PER ORG LOC".find(e["type"]), -e["count"], e["text"])),
        "quantities": analysis.quantities, "events": analysis.events, "quotes": analysis.quotes,
        "dates": analysis.dates, "shares": shares,
    }, nav="search")


# ---------------------------------------------------------------------------- entity

@router.get("/entity/{entity_id}", response_class=HTMLResponse)
def entity_page(entity_id: str, request: Request, viewer: Viewer | None = Depends(web_viewer)) -> HTMLResponse:
    store = _store(request)
    entity = store.fused_entity(entity_id, viewer=viewer)
    if entity is None:
        return _not_found(request)
    rep = entity["id"]
    items = store.timeline(rep, viewer=viewer) or []
    graph = store.graph(rep, viewer=viewer) or {"nodes": [], "edges": []}
    weights = {(e["source"] if e["target"] == rep else e["target"]): e["weight"]
               for e in graph["edges"] if e["kind"] == "co-occurs" and rep in (e["source"], e["target"])}
    neighbours = sorted((dict(n, weight=weights.get(n["id"], 0)) for n in graph["nodes"]
                         if n["kind"] == "entity" and n["id"] != rep),
                        key=lambda n: (-n["weight"], n["label"] or ""))
    places = [n for n in ([dict(entity, label=entity.get("canonical") or entity["name"])] + neighbours)
              if n.get("type") == "LOC" and n.get("lat") is not None]
    by_doc: dict[str, dict[str, Any]] = {}
    for m in entity["mentions"]:
        entry = by_doc.setdefault(m["doc_id"], {"doc_id": m["doc_id"], "title": m["title"],
                                                "published": m["published"], "outlet": m["outlet"],
                                                "spans": []})
        entry["spans"].append(m)
    audit(request, viewer, "read", f"entity:{rep}", {"via": "web"})
    return render(request, "entity.html", {
        "entity": entity, "items": items, "neighbours": neighbours[:40], "places": places,
        "months": [m for m in vizdata.mentions_per_month(entity).months if m.mentions],
        "mention_docs": sorted(by_doc.values(), key=lambda d: str(d["published"] or ""), reverse=True),
        "links": [link for link in entity.get("links", []) if link.get("active", True)],
        "roles": sorted(entity.get("roles", []), key=lambda r: str(r["first"] or "")),
    }, nav="search")


# ---------------------------------------------------------------------------- claims

@router.get("/claims", response_class=HTMLResponse)
def claims_page(request: Request, category: str = "", place: str = "",
                viewer: Viewer | None = Depends(web_viewer)) -> HTMLResponse:
    store = _store(request)
    wanted = request.query_params.get("status", "")  # (a parameter named status would hide the module)
    groups = store.claim_groups(viewer=viewer, contradictions=wanted == "contradicted",
                                category=category or None, place=place or None, limit=LIST_LIMIT)
    if wanted in ("corroborated", "single"):
        groups = [g for g in groups if g["status"] == wanted]
    everything = store.claim_groups(viewer=viewer, limit=LIST_LIMIT)
    categories = sorted({g["category"] for g in everything if g["category"]})
    counts = Counter(g["status"] for g in everything)
    return render(request, "claims.html", {
        "groups": groups, "categories": categories, "category": category, "place": place,
        "status": wanted, "counts": counts,
    }, nav="claims")


# ---------------------------------------------------------------------------- timeline, map, graph

def _events(store: Any, viewer: Viewer | None, type_: str, since: str, until: str) -> list[dict]:
    events = store.fused_events(viewer=viewer, type=type_.upper() or None, limit=LIST_LIMIT)
    lo, hi = _date(since), _date(until)
    if lo:
        events = [e for e in events if e["when"] and e["when"] >= lo.isoformat()[:len(e["when"])]]
    if hi:
        events = [e for e in events if e["when"] and e["when"][:10] <= hi.isoformat()]
    return events


def _data_query(request: Request, *keys: str) -> str:
    params = {k: request.query_params[k] for k in keys if request.query_params.get(k)}
    return urlencode(params)


@router.get("/timeline", response_class=HTMLResponse)
def timeline_page(request: Request, type: str = "", since: str = "", until: str = "",  # noqa: A002
                  viewer: Viewer | None = Depends(web_viewer)) -> HTMLResponse:
    events = _events(_store(request), viewer, type, since, until)
    return render(request, "timeline.html", {
        "events": sorted(events, key=lambda e: e["when"] or ""), "type": type.upper(), "since": since,
        "until": until, "event_types": EVENT_TYPES,
        "data_query": _data_query(request, "type", "since", "until", "entity"),
    }, nav="timeline")


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, type: str = "", since: str = "", until: str = "",  # noqa: A002
             viewer: Viewer | None = Depends(web_viewer)) -> HTMLResponse:
    store = _store(request)
    places = [p for p in store.fused_entities(viewer=viewer, type="LOC", limit=LIST_LIMIT) if p["lat"] is not None]
    events = _events(store, viewer, type, since, until)
    per_place = Counter(e["where"] for e in events if e["where"])
    return render(request, "map.html", {
        "places": places, "events": [e for e in events if e["where"]], "per_place": per_place,
        "type": type.upper(), "since": since, "until": until, "event_types": EVENT_TYPES,
        "data_query": _data_query(request, "type", "since", "until", "entity"),
    }, nav="map")


@router.get("/graph", response_class=HTMLResponse)
def graph_page(request: Request, entity: str = "", viewer: Viewer | None = Depends(web_viewer)) -> HTMLResponse:
    store = _store(request)
    graph = store.graph(entity, viewer=viewer) if entity else None
    if entity and graph is None:
        return _not_found(request)
    names = {n["id"]: n for n in graph["nodes"]} if graph else {}
    return render(request, "graph.html", {
        "graph": graph, "names": names, "entity": graph["center"] if graph else "",
        "choices": [] if graph else store.fused_entities(viewer=viewer, limit=40),
    }, nav="graph")


# ---------------------------------------------------------------------------- ingest

@router.get("/ingest", response_class=HTMLResponse)
def ingest_page(request: Request, viewer: Viewer | None = Depends(web_viewer)) -> HTMLResponse:
    return render(request, "ingest.html", {
        "can_write": viewer is None or viewer.can("write"), "levels": TLP_LEVELS,
    }, nav="ingest")


# ---------------------------------------------------------------------------- sign-in

@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:  # noqa: A002
    store = _store(request)
    viewer = authenticate(store, request.cookies.get(COOKIE)) if request.cookies.get(COOKIE) else None
    request.state.viewer = viewer
    return render(request, "login.html", {"next": safe_next(next), "error": None,
                                          "open_mode": not has_orgs(store)})


@router.post("/login", response_class=HTMLResponse)
def login_submit(request: Request, token: str = Form(""), next: str = Form("/")) -> Response:  # noqa: A002
    store = _store(request)
    limiter = request.app.state.auth_failures
    client = request.client.host if request.client else "?"
    context = {"next": safe_next(next), "open_mode": not has_orgs(store)}
    if limiter.blocked(client):
        return render(request, "login.html", {**context, "error": "login.too_many"},
                      status_code=status.HTTP_429_TOO_MANY_REQUESTS)
    viewer = authenticate(store, token.strip()) if token.strip() else None
    if viewer is None:
        limiter.fail(client)
        return render(request, "login.html", {**context, "error": "login.bad_token"},
                      status_code=status.HTTP_401_UNAUTHORIZED)
    response = RedirectResponse(safe_next(next), status_code=status.HTTP_303_SEE_OTHER)
    response.set_cookie(COOKIE, token.strip(), httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", max_age=COOKIE_AGE)
    audit(request, viewer, "login", f"token:{viewer.token_id}", {"via": "web"})
    return response


@router.get("/logout")
def logout(request: Request) -> RedirectResponse:
    response = RedirectResponse("/login", status_code=status.HTTP_303_SEE_OTHER)
    response.delete_cookie(COOKIE)
    return response


