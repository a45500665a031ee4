"""/api/documents: search, read and ingest reports."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import astuple
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, Response, UploadFile, status

from marsad.records import to_contract
from marsad.share.viewer import Viewer
from marsad.store import Store
from marsad.store.queries import DocumentFilter

from ..auth import audit, get_store, require_scope
from ..cache import Answer, viewer_key
from ..models import DocumentDetail, DocumentHit, DocumentOut, DocumentPage, IngestResult, IngestText, ShareOut
from .common import Paging, TimeRange, paging, time_range, tlp_levels

router = APIRouter(prefix="/api/documents", tags=["documents"])


async def _filters(  # async: no thread hand-over (see .common)
    tr: TimeRange = Depends(time_range),
    tlp: tuple[str, ...] | None = Depends(tlp_levels),
    type: str | None = Query(None, description="Only reports with an event of this type (e.g. ARREST)."),  # noqa: A002
    place: str | None = Query(None, description="Only reports naming this place (Arabic as written, or English)."),
    outlet: str | None = Query(None, description="Only reports from outlets whose name contains this."),
) -> DocumentFilter:
    return DocumentFilter(tlp=tlp, outlet=outlet, since=tr.since, until=tr.until,
                          event_type=type.upper() if type else None, place=place)


#: a search answers at most this many hits: the newest this many visible matches, ranked by
#: relevance; ``total`` counts exactly up to it, then says "more than" (total_is_lower_bound)
SEARCH_CAP = 1000


@router.get("", response_model=DocumentPage, summary="Search or list documents")
def list_documents(
    request: Request,
    q: str | None = Query(None, max_length=500, description="Words to find (Arabic-aware); empty: newest first."),
    page: Paging = Depends(paging),
    filters: DocumentFilter = Depends(_filters),
    with_facets: bool = Query(False, alias="facets", description=(
        "Also count the visible matches per TLP level and outlet (`facets`), and then count all "
        "of them exactly (`total` is never a lower bound).  Off by default: it reads every match.")),
    viewer: Viewer | None = Depends(require_scope("read")),
    store: Store = Depends(get_store),
) -> Response:
    """Full-text search (with ``q``) or the newest documents, only among those the caller may
    see; ``total`` and ``facets`` count visible documents only.

    A search does a bounded amount of work however common its words (``SEARCH_CAP``, 1,000):
    its hits are the newest 1,000 visible matches (in the order they were stored), ranked by
    relevance, so pages end there; ``total`` is exact up to 1,000, and above it ``total`` is
    1,000 with ``total_is_lower_bound: true`` ("more than 1,000").  With ``facets=true``
    every match is counted: ``total`` is exact and ``facets`` filled.  Lists without ``q``
    count exactly.

    Answers are cached per (store generation, caller's organisation and groups, query,
    filters, page), in the process and in the store for the other worker processes: any
    change to documents or sharing changes the generation (marsad.api.cache), so a cached
    answer is never stale."""
    query = q.strip() if q and q.strip() else None
    key = (viewer_key(viewer), query, astuple(filters), page.limit, page.offset, with_facets)

    def compute() -> Answer:
        lower_bound = False
        facets: dict[str, dict[str, int]] = {}
        found = None
        if query:
            hits, found = store.search_page(query, limit=page.limit, offset=page.offset, viewer=viewer,
                                            filters=filters, candidates=SEARCH_CAP)
            items = [DocumentHit(id=h.id, title=h.title, source=h.source, outlet=h.outlet, published=h.published,
                                 tlp=h.tlp, snippet=h.snippet, score=h.score) for h in hits]
        else:
            docs = store.list_documents(limit=page.limit, offset=page.offset, viewer=viewer, filters=filters)
            items = [DocumentHit(id=d.id, title=d.title, source=d.source, outlet=d.outlet, published=d.published,
                                 tlp=d.tlp) for d in docs]
        if with_facets:
            from marsad.store import search

            with store._read() as conn:  # noqa: SLF001 - one pass for both (search.summary)
                total, facets = search.summary(conn, query, viewer=viewer, filters=filters)
        elif query:
            # counted by the page's own scan; a page past the matches carries no count
            total = found if found is not None else store.count_search(query, viewer=viewer, filters=filters,
                                                                        cap=SEARCH_CAP)
            lower_bound = total > SEARCH_CAP
            total = min(total, SEARCH_CAP)
        else:
            total = store.count_documents(viewer=viewer, filters=filters)
        body = DocumentPage(items=items, total=total, total_is_lower_bound=lower_bound, limit=page.limit,
                            offset=page.offset, facets=facets)
        return Answer(total=total, body=body.model_dump_json().encode())

    answer = request.app.state.search_cache.answer(store, _generation(request, store), key, compute)
    audit(request, viewer, "search", q or "", {"total": answer.total, "offset": page.offset})
    return Response(answer.body, media_type="application/json")


def _generation(request: Request, store: Store) -> int | None:
    """The store generation (as read when the caller was authenticated, if it was); None when
    the store has none (then nothing is cached)."""
    generations = getattr(request.state, "generations", None)
    if generations is not None:
        return generations[0]
    try:
        return store.generation()
    except Exception:  # noqa: BLE001 - no generation table: never reuse an answer
        return None


@router.get("/{doc_id}", response_model=DocumentDetail, summary="One document with its facts",
            responses={404: {"description": "No such document, or not visible to the caller."}})
def get_document(
    doc_id: str,
    request: Request,
    viewer: Viewer | None = Depends(require_scope("read")),
    store: Store = Depends(get_store),
) -> DocumentDetail:
    """The report's text and metadata with its entities, claims, dates, events and quotes.
    404 both when it does not exist and when the caller may not see it."""
    analysis = store.get_analysis(doc_id, viewer=viewer)
    if analysis is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no document {doc_id!r}")
    doc = analysis.doc
    contract = to_contract(analysis)
    shares = None
    if viewer is None or doc.owner == viewer.org:
        from marsad.share.orgs import shares_of

        shares = [ShareOut(kind=s.kind, name=s.name) for s in shares_of(store, doc.id)]
    audit(request, viewer, "read", f"document:{doc.id}")
    return DocumentDetail(
        document=DocumentOut(id=doc.id, title=doc.title, source=doc.source, outlet=doc.outlet,
                             published=doc.published, url=doc.url, language=doc.language, tlp=doc.tlp,
                             owner=doc.owner, ingested_at=doc.ingested_at),
        body=doc.body, entities=contract["entities"], quantities=contract["quantities"],
        dates=contract["dates"], events=contract["events"], quotes=contract["quotes"], shares=shares,
    )


def _uploaded(path: Path, label: str, options):  # noqa: ANN001, ANN202
    """The file's documents (or rejections) named after the upload, not the temporary path."""
    from dataclasses import replace

    from marsad.ingest import iter_documents

    for item in iter_documents([path], options):
        if hasattr(item, "body"):
            yield replace(item, source=item.source.replace(str(path), f"upload:{label}"))
        else:
            yield replace(item, path=f"upload:{label}")


def _ingest(request: Request, response: Response, viewer: Viewer | None, store: Store, *,
            text: str | None = None, path: Path | None = None, title: str | None = None,
            outlet: str | None = None, published: dt.date | None = None, tlp: str = "CLEAR",
            share_with: list[str] | None = None, label: str = "api") -> IngestResult:
    from marsad.ingest import IngestError, IngestOptions
    from marsad.service import ingest_items, ingest_text
    from marsad.share.errors import ShareError

    try:
        options = IngestOptions(outlet=outlet, published=published, tlp=tlp,
                                owner=viewer.org if viewer else None)
    except IngestError as exc:
        raise HTTPException(422, detail=str(exc).replace("--", "")) from None
    pipeline = request.app.state.pipeline()
    try:
        if path is not None:
            summary = ingest_items(_uploaded(path, label, options), options, store, pipeline=pipeline,
                                   share_with=share_with or [])
        else:
            summary = ingest_text(text or "", options, store, title=title, source=label, pipeline=pipeline,
                                  share_with=share_with or [])
    except ShareError as exc:
        raise HTTPException(422, detail=str(exc)) from None
    rejected = [{"source": label, "reason": r.reason} for r in summary.rejected]
    audit(request, viewer, "ingest", label, {"new": summary.new, "duplicates": len(summary.duplicates),
                                            "tlp": options.tlp, "share_with": share_with or []})
    response.status_code = status.HTTP_201_CREATED if summary.new else status.HTTP_200_OK
    if rejected and not summary.new and not summary.duplicates:
        response.status_code = 422
    return IngestResult(new=summary.new, duplicates=summary.duplicates, rejected=rejected,
                        warnings=summary.extraction_failures)


@router.post("", response_model=IngestResult, status_code=status.HTTP_201_CREATED, summary="Ingest a report (JSON text)",
             responses={200: {"description": "Nothing new: the caller already had the report."},
                        422: {"description": "Bad marking, unknown share target, or nothing to ingest."}})
def ingest_document(
    body: IngestText,
    request: Request,
    response: Response,
    viewer: Viewer | None = Depends(require_scope("write")),
    store: Store = Depends(get_store),
) -> IngestResult:
    """Extract and store a report given as text; the caller's organisation owns it.
    Needs the ``write`` scope."""
    return _ingest(request, response, viewer, store, text=body.text, title=body.title, outlet=body.outlet,
                   published=body.published, tlp=body.tlp, share_with=body.share_with)


@router.post("/upload", response_model=IngestResult, status_code=status.HTTP_201_CREATED,
             summary="Ingest a report file (multipart)")
def upload_document(
    request: Request,
    response: Response,
    file: Annotated[UploadFile, File(description="A .txt/.md/.html/.jsonl/.json/.xml/.rss/.atom file.")],
    tlp: Annotated[str, Form()] = "CLEAR",
    outlet: Annotated[str | None, Form()] = None,
    published: Annotated[dt.date | None, Form()] = None,
    share_with: Annotated[str | None, Form(description="Comma-separated organisations or groups.")] = None,
    viewer: Viewer | None = Depends(require_scope("write")),
    store: Store = Depends(get_store),
) -> IngestResult:
    """Same as the JSON ingest for a file; its format is chosen by its extension, as on the
    command line.  Needs the ``write`` scope."""
    name = Path(file.filename or "upload.txt").name
    suffix = Path(name).suffix.lower() or ".txt"
    with tempfile.TemporaryDirectory(prefix="marsad-upload-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        with path.open("wb") as fh:
            while chunk := file.file.read(1 << 20):
                fh.write(chunk)
        return _ingest(request, response, viewer, store, path=path, outlet=outlet, published=published,
                       tlp=tlp, share_with=[s for s in (share_with or "").split(",") if s.strip()],
                       label=name)
