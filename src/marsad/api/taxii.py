"""TAXII 2.1 server endpoints (read-only) over Marsad's STIX export.

``router`` is included by the REST app; every endpoint needs the ``read`` scope and sees only
what the caller's organisation may see (the store's visibility rule, through
:mod:`marsad.share.stix_feed`).  Endpoints (TAXII 2.1, OASIS, sections 4 and 5):

    GET /taxii2/                                              discovery
    GET /taxii2/marsad/                                       API root
    GET /taxii2/marsad/collections/                           collections offered to the caller
    GET /taxii2/marsad/collections/{id}/                      one collection
    GET /taxii2/marsad/collections/{id}/objects/              envelope; added_after, limit, next,
                                                              match[id], match[type]
    GET /taxii2/marsad/collections/{id}/objects/{object_id}/  envelope with that object
    GET /taxii2/marsad/collections/{id}/objects/{object_id}/versions/
    GET /taxii2/marsad/collections/{id}/manifest/             manifest records, same paging

A collection the caller is not offered answers 404 exactly like one that does not exist.
"""

from __future__ import annotations

from typing import Any

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from marsad.api.auth import audit, get_store, require_scope
from marsad.share import stix_feed as feed
from marsad.share.stix_model import format_time
from marsad.share.viewer import Viewer
from marsad.store import Store

TAXII_MEDIA = "application/taxii+json;version=2.1"
STIX_MEDIA = "application/stix+json;version=2.1"
API_ROOT = "marsad"

router = APIRouter(prefix="/taxii2", tags=["taxii"])
export_router = APIRouter(prefix="/api", tags=["documents"])  # GET /api/export/stix
read_viewer = require_scope("read")

AddedAfter = Annotated[str | None, Query(description="Only objects added after this timestamp (e.g. 2024-01-01T00:00:00Z).")]
Limit = Annotated[int | None, Query(ge=1, description=f"Objects per page (at most {feed.MAX_LIMIT}; default {feed.DEFAULT_LIMIT}).")]
Next = Annotated[str | None, Query(description="The `next` value of the previous page.")]
MatchId = Annotated[str | None, Query(alias="match[id]", description="Comma-separated STIX ids.")]
MatchType = Annotated[str | None, Query(alias="match[type]", description="Comma-separated STIX types.")]


class TaxiiResponse(JSONResponse):
    media_type = TAXII_MEDIA

    def render(self, content: Any) -> bytes:
        import json

        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _error(status: int, title: str, description: str | None = None) -> TaxiiResponse:
    body = {"title": title, "http_status": str(status)}
    if description:
        body["description"] = description
    return TaxiiResponse(body, status_code=status)


def _accepts(request: Request) -> bool:
    """TAXII 2.1 content negotiation: taxii+json (version 2.1 or unversioned), json or */*."""
    accept = request.headers.get("accept", "")
    if not accept.strip():
        return True
    for part in accept.split(","):
        tokens = [t.strip().lower() for t in part.split(";")]
        media, params = tokens[0], tokens[1:]
        if media in ("*/*", "application/*", "application/json"):
            return True
        if media == "application/taxii+json" and all(
                p.replace(" ", "") in ("version=2.1",) or p.startswith("q=") for p in params):
            return True
    return False


def _not_acceptable() -> TaxiiResponse:
    return _error(406, "Not Acceptable", f"this server answers {TAXII_MEDIA}")


def _collection(store: Store, viewer: Viewer | None, cid: str) -> feed.Collection | None:
    return feed.find_collection(store, viewer, cid)


def _no_collection(cid: str) -> TaxiiResponse:
    return _error(404, "Collection not found", f"no collection {cid!r} for this caller")


# ---------------------------------------------------------------------------- discovery

@router.get("/", summary="TAXII 2.1 discovery")
def discovery(request: Request, viewer: Viewer | None = Depends(read_viewer)) -> TaxiiResponse:
    if not _accepts(request):
        return _not_acceptable()
    root = str(request.url_for("api_root"))
    return TaxiiResponse({
        "title": "Marsad TAXII 2.1 server",
        "description": "Reports, organisations, persons, places, armed groups, claims, events "
                       "and quotes from Marsad as STIX 2.1, each marked with TLP 2.0.",
        "default": root,
        "api_roots": [root],
    })


@router.get(f"/{API_ROOT}/", name="api_root", summary="TAXII 2.1 API root")
def api_root(request: Request, viewer: Viewer | None = Depends(read_viewer)) -> TaxiiResponse:
    if not _accepts(request):
        return _not_acceptable()
    return TaxiiResponse({
        "title": "Marsad",
        "description": "The collections of this Marsad server.",
        "versions": [TAXII_MEDIA],
        "max_content_length": 0,  # read-only: no object uploads
    })


@router.get(f"/{API_ROOT}/collections/", summary="Collections offered to the caller")
def collections(request: Request, viewer: Viewer | None = Depends(read_viewer),
                store: Store = Depends(get_store)) -> TaxiiResponse:
    if not _accepts(request):
        return _not_acceptable()
    return TaxiiResponse({"collections": [c.as_taxii() for c in feed.collections_for(store, viewer)]})


@router.get(f"/{API_ROOT}/collections/{{cid}}/", summary="One collection")
def collection(cid: str, request: Request, viewer: Viewer | None = Depends(read_viewer),
               store: Store = Depends(get_store)) -> TaxiiResponse:
    if not _accepts(request):
        return _not_acceptable()
    found = _collection(store, viewer, cid)
    return TaxiiResponse(found.as_taxii()) if found else _no_collection(cid)


# ---------------------------------------------------------------------------- objects

def _paged(request: Request, store: Store, viewer: Viewer | None, cid: str,
           object_id: str | None = None) -> tuple[feed.Page, feed.Collection] | TaxiiResponse:
    if not _accepts(request):
        return _not_acceptable()
    found = _collection(store, viewer, cid)
    if found is None:
        return _no_collection(cid)
    q = request.query_params
    try:
        limit = int(q["limit"]) if q.get("limit") else None
        ids = [object_id] if object_id else _split(q.get("match[id]"))
        result = feed.page(feed.collection_items(store, viewer, found),
                           added_after=feed.parse_added_after(q.get("added_after")),
                           limit=limit, next=q.get("next"), ids=ids,
                           types=_split(q.get("match[type]")))
    except (feed.PageError, ValueError) as exc:
        return _error(400, "Bad request", str(exc))
    if object_id and not result.items and not q.get("next"):
        return _error(404, "Object not found", f"no object {object_id!r} in this collection")
    return result, found


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()] if value else []


def _envelope(result: feed.Page, body: dict[str, Any]) -> TaxiiResponse:
    headers = {}
    if result.items:
        headers["X-TAXII-Date-Added-First"] = format_time(result.items[0].date_added)
        headers["X-TAXII-Date-Added-Last"] = format_time(result.items[-1].date_added)
    envelope: dict[str, Any] = {"more": result.more}
    if result.next:
        envelope["next"] = result.next
    envelope.update(body)
    return TaxiiResponse(envelope, headers=headers)


def _objects(request: Request, store: Store, viewer: Viewer | None, cid: str,
             object_id: str | None) -> TaxiiResponse:
    got = _paged(request, store, viewer, cid, object_id)
    if isinstance(got, TaxiiResponse):
        return got
    result, found = got
    audit(request, viewer, "export", f"taxii:{found.title}",
          {"objects": len(result.items), "object_id": object_id})
    return _envelope(result, {"objects": [it.obj for it in result.items]} if result.items else {})


@router.get(f"/{API_ROOT}/collections/{{cid}}/objects/", summary="Objects of a collection")
def get_objects(cid: str, request: Request, viewer: Viewer | None = Depends(read_viewer),
                store: Store = Depends(get_store), added_after: AddedAfter = None,
                limit: Limit = None, next: Next = None,  # noqa: A002 - TAXII's name
                match_id: MatchId = None, match_type: MatchType = None) -> TaxiiResponse:
    return _objects(request, store, viewer, cid, None)


@router.get(f"/{API_ROOT}/collections/{{cid}}/objects/{{object_id}}/", summary="One object")
def get_object(cid: str, object_id: str, request: Request,
               viewer: Viewer | None = Depends(read_viewer),
               store: Store = Depends(get_store)) -> TaxiiResponse:
    return _objects(request, store, viewer, cid, object_id)


@router.get(f"/{API_ROOT}/collections/{{cid}}/objects/{{object_id}}/versions/",
            summary="Versions of one object (Marsad serves the latest only)")
def get_versions(cid: str, object_id: str, request: Request,
                 viewer: Viewer | None = Depends(read_viewer),
                 store: Store = Depends(get_store)) -> TaxiiResponse:
    got = _paged(request, store, viewer, cid, object_id)
    if isinstance(got, TaxiiResponse):
        return got
    result, _ = got
    return _envelope(result, {"versions": [it.version for it in result.items]})


@router.get(f"/{API_ROOT}/collections/{{cid}}/manifest/", summary="Manifest of a collection")
def get_manifest(cid: str, request: Request, viewer: Viewer | None = Depends(read_viewer),
                 store: Store = Depends(get_store), added_after: AddedAfter = None,
                 limit: Limit = None, next: Next = None,  # noqa: A002 - TAXII's name
                 match_id: MatchId = None, match_type: MatchType = None) -> TaxiiResponse:
    got = _paged(request, store, viewer, cid)
    if isinstance(got, TaxiiResponse):
        return got
    result, _ = got
    records = [{"id": it.obj["id"], "date_added": format_time(it.date_added),
                "version": it.version, "media_type": STIX_MEDIA} for it in result.items]
    return _envelope(result, {"objects": records} if records else {})


# ---------------------------------------------------------------------------- REST export

class StixResponse(TaxiiResponse):
    media_type = STIX_MEDIA


@export_router.get("/export/stix", response_class=StixResponse,
                   summary="A STIX 2.1 bundle of every report the caller may see")
def export_stix(request: Request, viewer: Viewer | None = Depends(read_viewer),
                store: Store = Depends(get_store),
                since: Annotated[str | None, Query(description="Only reports ingested on or after this date (YYYY-MM-DD) or time.")] = None,
                ) -> StixResponse:
    from marsad.share.stix import export_bundle

    try:
        bundle = export_bundle(store, viewer, since=since)
    except ValueError as exc:
        raise HTTPException(400, detail=f"since: {exc}") from None
    reports = sum(o["type"] == "report" for o in bundle["objects"])
    audit(request, viewer, "export", "stix", {"reports": reports, "since": since})
    return StixResponse(bundle)
