"""The FastAPI application: ``create_app(store_or_db)``; ``marsad serve`` runs it with uvicorn.

Routers per resource live in :mod:`marsad.api.routes`; every one of them asks
:mod:`marsad.api.auth` for the caller's Viewer and passes it to the Store, whose query
layer applies the sharing rule.  The web UI mounts its pages on the same app
(``app.state.store`` is the open Store).
"""

from __future__ import annotations

import os
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from marsad.store import Store

from . import taxii  # TAXII 2.1 under /taxii2/ (marsad.share.stix_feed)
from .auth import FailureLimiter
from .cache import AnswerCache, ViewerCache
from .routes import documents, meta, records

#: requests with a larger declared body are refused (413) before they are read
MAX_BODY_BYTES = 25 * 1024 * 1024

DESCRIPTION = """\
Marsad's REST API over one store, shared between organisations.

**Authentication**: `Authorization: Bearer TOKEN` (create one with
`marsad token create --org NAME --scope read|write|admin`) or the `marsad_token` cookie set
by `POST /api/session`.  Missing or bad token: 401; a token without the scope: 403.  While
the store has no organisation, requests from loopback need no token.

**Visibility** (TLP 2.0 with MISP-like sharing, docs/sharing.md): every listing, count,
facet and fact comes only from documents the caller's organisation may see; a document it
may not see answers 404, exactly like one that does not exist.
"""


def create_app(store_or_db: Store | str | os.PathLike[str] | None = None) -> FastAPI:
    """An app over an open Store (kept open) or a path/URL (opened here)."""
    store = store_or_db if isinstance(store_or_db, Store) else Store.open(store_or_db)
    app = FastAPI(title="Marsad API", version="1", description=DESCRIPTION, lifespan=_lifespan,
                  openapi_tags=[
                      {"name": "documents", "description": "Search, read and ingest reports."},
                      {"name": "facts", "description": "Entities, claims, events and quotes of visible reports."},
                      {"name": "meta", "description": "Counts, identity and sign-in."},
                  ])
    app.state.store = store
    app.state.auth_failures = FailureLimiter()
    app.state.search_cache = AnswerCache()  # search answers per store generation and viewer
    app.state.viewers = ViewerCache()  # who each token is, per access and store generation
    app.state.pipeline = lru_cache(maxsize=1)(_pipeline)  # the NER model loads on first ingest

    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)

    for module in (documents, records, meta, taxii):
        app.include_router(module.router)
    app.include_router(taxii.export_router)  # GET /api/export/stix
    from marsad.web import mount  # the analyst workspace: pages at /, static files at /static/

    mount(app)
    return app


class BodyLimit:
    """Refuses (413) a request whose declared body is larger than ``max_bytes`` (or whose
    Content-Length is not a number) before it is read.  Plain ASGI rather than
    ``@app.middleware("http")``: that wrapper adds a task and a stream per request, a
    noticeable share of a cached search answer's cost."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            for name, value in scope["headers"]:
                if name == b"content-length":
                    length = value.decode("latin-1")
                    if not length.isdigit() or int(length) > self.max_bytes:
                        response = JSONResponse({"detail": f"request body larger than {self.max_bytes} bytes"},
                                                status_code=413)
                        await response(scope, receive, send)
                        return
        await self.app(scope, receive, send)


@asynccontextmanager
async def _lifespan(app: FastAPI):  # noqa: ANN202
    yield
    buffer = getattr(app.state, "audit_buffer", None)
    if buffer is not None:  # audit entries still waiting for their batch
        buffer.flush()


def _pipeline():  # noqa: ANN202
    from marsad.pipeline import Pipeline

    return Pipeline()


def app_from_env() -> FastAPI:
    """Factory for uvicorn workers (``marsad serve``): the store named by ``MARSAD_DB``."""
    return create_app(os.environ.get("MARSAD_DB"))
