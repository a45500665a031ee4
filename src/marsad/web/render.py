"""Rendering pages: the Jinja2 environment, the per-request context and the language cookie."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from marsad.share.orgs import has_orgs

from .i18n import LANGUAGES, Translator, pick_language
from .session import LANG_COOKIE

WEB_DIR = Path(__file__).parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"
LANG_COOKIE_AGE = 365 * 24 * 3600

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True

_BRACKETED = re.compile(r"\[([^\[\]\n]{1,300})\]")


def snippet_html(snippet: str) -> Markup:
    """A search snippet (matches wrapped in [ ] by the store) as escaped text with <mark>s."""
    out: list[str] = []
    pos = 0
    for m in _BRACKETED.finditer(snippet or ""):
        out.append(str(escape(snippet[pos:m.start()])))
        out.append(f"<mark class=\"hit\">{escape(m.group(1))}</mark>")
        pos = m.end()
    out.append(str(escape((snippet or "")[pos:])))
    return Markup("".join(out))


def fmt_date(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def fmt_number(value: Any) -> str:
    if value is None:
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{int(number):,}" if number.is_integer() else f"{number:,.2f}"


def source_label(source: str | None) -> str:
    """A report's source as a reader should see it: a URL as is, a file by its name only
    (the ingesting machine's directories mean nothing to a partner and reveal its layout)."""
    if not source:
        return ""
    if "://" in source:
        return source
    return PurePath(source.replace("\\", "/")).name or source


templates.env.filters["date"] = fmt_date
templates.env.filters["source"] = source_label
templates.env.filters["num"] = fmt_number
templates.env.filters["snippet"] = snippet_html


def language(request: Request) -> str:
    return pick_language(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))


def url_with(request: Request, path: str | None = None, *, page_path: str | None = None,
             **changes: Any) -> str:
    """This page's URL (or ``path``) with query parameters changed; None or "" removes one.
    Any change other than ``page`` goes back to the first page.  ``page_path`` stands for the
    page a fragment belongs to (the deferred search facets link to /search, not to themselves)."""
    here = page_path or request.url.path
    params = {k: v for k, v in request.query_params.multi_items() if k not in ("lang", "facets")}
    if path is not None and path != here:
        params = {}
    if any(k != "page" for k in changes):
        params.pop("page", None)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return (path or here) + (f"?{query}" if query else "")


def render(request: Request, template: str, context: dict[str, Any], *, status_code: int = 200,
           nav: str | None = None, page_path: str | None = None) -> HTMLResponse:
    lang = language(request)
    t = Translator(lang)
    other = "en" if lang == "ar" else "ar"
    params = dict(request.query_params.multi_items())
    params["lang"] = other
    viewer = getattr(request.state, "viewer", None)
    store = request.app.state.store
    ctx = {
        "request": request, "t": t, "lang": lang, "dir": t.dir, "nav": nav,
        "viewer": viewer, "orgs_exist": has_orgs(store),
        "lang_switch_url": request.url.path + "?" + urlencode(params), "other_lang": other,
        "url_with": lambda path=None, **changes: url_with(request, path, page_path=page_path, **changes),
        **context,
    }
    response = templates.TemplateResponse(request, template, ctx, status_code=status_code)
    chosen = request.query_params.get("lang")
    if chosen in LANGUAGES and chosen != request.cookies.get(LANG_COOKIE):
        response.set_cookie(LANG_COOKIE, chosen, max_age=LANG_COOKIE_AGE, samesite="lax")
    return response
