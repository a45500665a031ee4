"""Who is looking at a page: the API's sign-in rule, answered the browser's way.

The same :func:`marsad.api.auth.get_viewer` decides (cookie ``marsad_token`` or a Bearer
header; no token allowed only from loopback while the store has no organisation), but
where the API answers 401 a page redirects to ``/login?next=…``.  Web routes of any module
(``viz_routes`` too) take ``viewer = Depends(web_viewer)``.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import HTTPException, Request, status
from fastapi.responses import RedirectResponse

from marsad.api.auth import COOKIE, get_viewer
from marsad.share.viewer import Viewer

LANG_COOKIE = "marsad_lang"


class LoginRequired(Exception):
    """Raised by :func:`web_viewer`; the app's handler turns it into a redirect to /login."""

    def __init__(self, next_url: str, had_token: bool) -> None:
        super().__init__(next_url)
        self.next_url = next_url
        self.had_token = had_token


def current_path(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def web_viewer(request: Request) -> Viewer | None:
    """The page's Viewer (None: the unrestricted local caller); LoginRequired when a token is
    needed and missing or bad."""
    try:
        return get_viewer(request, request.app.state.store)
    except HTTPException as exc:
        if exc.status_code == status.HTTP_401_UNAUTHORIZED:
            raise LoginRequired(current_path(request), COOKIE in request.cookies) from None
        raise


def safe_next(value: str | None) -> str:
    """Only a path on this site (no scheme, no //host) may follow a sign-in."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


async def login_redirect(request: Request, exc: Exception) -> RedirectResponse:
    assert isinstance(exc, LoginRequired)
    response = RedirectResponse(f"/login?next={quote(exc.next_url, safe='')}", status_code=status.HTTP_303_SEE_OTHER)
    if exc.had_token:  # a revoked or unknown token: forget it so the sign-in page starts clean
        response.delete_cookie(COOKIE)
    return response
