"""Who is calling: FastAPI dependencies that turn a token into a Viewer.

* ``Authorization: Bearer TOKEN`` or the cookie ``marsad_token`` (set by the web UI).
* No token: allowed only while the store has no organisation AND the request comes from
  loopback without proxy headers (single-user local use); the viewer is then None.
* Unknown or revoked token, or none where one is needed: 401.  A token without the scope
  an endpoint needs: 403.
* Failed attempts are counted per client address; after ``MAX_FAILURES`` within
  ``FAILURE_WINDOW_S`` that address gets 429 until the window passes (slows brute force;
  the tokens themselves carry 256 random bits).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from fastapi import Depends, HTTPException, Request, status

from marsad.share.orgs import has_orgs
from marsad.share.tokens import authenticate
from marsad.share.viewer import SCOPES, Viewer
from marsad.store import Store

COOKIE = "marsad_token"
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
PROXY_HEADERS = ("x-forwarded-for", "forwarded", "x-real-ip")
MAX_FAILURES = 20
FAILURE_WINDOW_S = 60.0


class FailureLimiter:
    """Failed authentications per client address in a sliding window (in memory, per process)."""

    def __init__(self, limit: int = MAX_FAILURES, window: float = FAILURE_WINDOW_S) -> None:
        self.limit, self.window = limit, window
        self._seen: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> list[float]:
        times = [t for t in self._seen.get(key, ()) if now - t < self.window]
        if times:
            self._seen[key] = times
        else:
            self._seen.pop(key, None)
        return times

    def blocked(self, key: str) -> bool:
        with self._lock:
            return len(self._recent(key, time.monotonic())) >= self.limit

    def fail(self, key: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._seen[key] = [*self._recent(key, now), now]


async def get_store(request: Request) -> Store:
    # async: FastAPI would otherwise run it in its thread pool (a hand-over per request)
    return request.app.state.store


def _token(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
        return ""  # present but malformed: treated as a bad token, never as "no token"
    return request.cookies.get(COOKIE)


def _is_local(request: Request) -> bool:
    host = request.client.host if request.client else None
    return host in LOOPBACK and not any(h in request.headers for h in PROXY_HEADERS)


def _unauthorised(message: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail=message,
                         headers={"WWW-Authenticate": 'Bearer realm="marsad"'})


def get_viewer(request: Request, store: Store = Depends(get_store)) -> Viewer | None:
    """The caller's Viewer; None for the unrestricted local caller (see the module doc)."""
    limiter: FailureLimiter = request.app.state.auth_failures
    client = request.client.host if request.client else "?"
    if limiter.blocked(client):
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS,
                            detail="too many failed authentications from this address; try again later",
                            headers={"Retry-After": str(int(FAILURE_WINDOW_S))})
    token = _token(request)
    if token is None:
        if _is_local(request) and not has_orgs(store):
            request.state.viewer = None
            return None
        raise _unauthorised("a token is required: send 'Authorization: Bearer TOKEN' (see `marsad token create`)")
    viewer = _authenticate(request, store, token)
    if viewer is None:
        limiter.fail(client)
        raise _unauthorised("unknown or revoked token")
    request.state.viewer = viewer
    return viewer


def _authenticate(request: Request, store: Store, token: str) -> Viewer | None:
    """``authenticate``, through the app's ViewerCache when it has one.  The generations read
    for it are left on ``request.state.generations`` for the endpoint (one read per request)."""
    cache = getattr(request.app.state, "viewers", None)
    try:
        generations = store.generations()
    except Exception:  # noqa: BLE001 - a store without the counters: no caching
        generations = None
    request.state.generations = generations
    if cache is None or generations is None:
        return authenticate(store, token)
    return cache.viewer(store, token, generations)


def require_scope(scope: str) -> Callable[..., Viewer | None]:
    """A dependency: the caller's Viewer, refused with 403 when its token lacks ``scope``."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")

    async def dependency(viewer: Viewer | None = Depends(get_viewer)) -> Viewer | None:  # async: see get_store
        if viewer is not None and not viewer.can(scope):
            raise HTTPException(status.HTTP_403_FORBIDDEN,
                                detail=f"this token lacks the {scope!r} scope (it has: {', '.join(sorted(viewer.scopes))})")
        return viewer

    dependency.__name__ = f"require_{scope}"
    return dependency


def audit(request: Request, viewer: Viewer | None, action: str, target: str | None,
          detail: dict[str, Any] | None = None) -> None:
    """One audit entry for this request (who, action, what, with the client address),
    written in a batch (marsad.share.audit.AuditBuffer) within a fraction of a second."""
    from marsad.share.audit import AuditBuffer

    info = {"client": request.client.host if request.client else None, **(detail or {})}
    store = request.app.state.store
    buffer = getattr(request.app.state, "audit_buffer", None)
    if buffer is None or buffer.store is not store:  # the first request, or the store was swapped
        buffer = request.app.state.audit_buffer = AuditBuffer(store)
    buffer.add(viewer, action, target, info)
