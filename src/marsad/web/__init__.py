"""The analyst workspace: server-rendered pages (Jinja2) on the API's FastAPI app.

``mount(app)`` adds the pages (:mod:`marsad.web.pages`), ``/static/`` and the
map/timeline/graph data and vendor routes of :mod:`marsad.web.viz_routes`.  Web routes get the caller
with ``Depends(web_viewer)``: the API's sign-in rule, but a browser without a valid token is
sent to ``/login`` instead of receiving 401.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from .session import LoginRequired, login_redirect, web_viewer

__all__ = ["mount", "web_viewer", "LoginRequired"]


def mount(app: FastAPI) -> None:
    """Serve the workspace on ``app`` (whose ``state.store`` is the open Store)."""
    from . import pages, viz_routes
    from .render import STATIC_DIR

    app.add_exception_handler(LoginRequired, login_redirect)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(pages.router)
    app.include_router(viz_routes.router)
