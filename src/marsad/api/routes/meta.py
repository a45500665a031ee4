"""/api/stats, /api/me and /api/session (the web UI's sign-in cookie)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from pydantic import BaseModel, Field

from marsad.share.tokens import authenticate
from marsad.share.viewer import SCOPES, Viewer
from marsad.store import Store

from ..auth import COOKIE, audit, get_store, get_viewer, require_scope
from ..models import Me, Stats

router = APIRouter(prefix="/api", tags=["meta"])


@router.get("/stats", response_model=Stats, summary="Counts of what the caller may see")
def stats(request: Request, viewer: Viewer | None = Depends(require_scope("read")),
          store: Store = Depends(get_store)) -> Stats:
    """Documents, entities, mentions, claims, dates, events and quotes of visible documents."""
    counts = store.stats(viewer=viewer)
    audit(request, viewer, "read", "stats")
    return Stats(**counts)


@router.get("/me", response_model=Me, summary="Who the API thinks you are")
def me(viewer: Viewer | None = Depends(get_viewer)) -> Me:
    if viewer is None:
        return Me(org=None, scopes=list(SCOPES), groups=[])
    return Me(org=viewer.org, scopes=sorted(viewer.scopes), groups=sorted(viewer.groups),
              token_id=viewer.token_id, user=viewer.user)


class SessionIn(BaseModel):
    token: str = Field(min_length=1, max_length=200)


@router.post("/session", response_model=Me, summary="Sign in: set the token cookie")
def sign_in(body: SessionIn, request: Request, response: Response, store: Store = Depends(get_store)) -> Me:
    """Check a token and keep it in an HttpOnly, SameSite=Strict cookie (``marsad_token``),
    so a browser can use the API and the web UI without sending the header itself."""
    limiter = request.app.state.auth_failures
    client = request.client.host if request.client else "?"
    if limiter.blocked(client):
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, detail="too many failed authentications; try later")
    viewer = authenticate(store, body.token)
    if viewer is None:
        limiter.fail(client)
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail="unknown or revoked token")
    response.set_cookie(COOKIE, body.token, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", max_age=7 * 24 * 3600)
    audit(request, viewer, "login", f"token:{viewer.token_id}")
    return Me(org=viewer.org, scopes=sorted(viewer.scopes), groups=sorted(viewer.groups),
              token_id=viewer.token_id, user=viewer.user)


@router.delete("/session", status_code=status.HTTP_204_NO_CONTENT, summary="Sign out: clear the cookie")
def sign_out(response: Response) -> Response:
    response.delete_cookie(COOKIE)
    response.status_code = status.HTTP_204_NO_CONTENT
    return response
