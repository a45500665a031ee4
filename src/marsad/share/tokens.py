"""API tokens: a random secret shown once; only its SHA-256 hash is stored.

A token is ``msd_`` + 43 URL-safe characters (32 random bytes from :mod:`secrets`).  It is
looked up by its hash; a plain SHA-256 suffices because the secret is uniformly random
(no dictionary to attack, unlike a password).  ``prefix`` keeps the first characters so
a user can recognise a token in ``marsad token list`` without the secret being kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, select

from marsad.store import Store
from marsad.store.schema import api_tokens, organisations

from .errors import ShareError
from .orgs import groups_of, require_org
from .viewer import Viewer, expand_scope

TOKEN_PREFIX = "msd_"
PREFIX_CHARS = 12
#: last_used_at is written at most this often per token, so reads do not turn into writes
LAST_USED_RESOLUTION = dt.timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: int
    org: str
    user: str | None
    scopes: frozenset[str]
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @property
    def scope(self) -> str:
        """The widest scope (what was asked for at creation)."""
        return "admin" if "admin" in self.scopes else "write" if "write" in self.scopes else "read"


@dataclass(frozen=True, slots=True)
class NewToken:
    info: TokenInfo
    secret: str  # the token itself: shown once, never stored


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _select():  # noqa: ANN202
    return select(api_tokens, organisations.c.name.label("org")).join(
        organisations, organisations.c.id == api_tokens.c.org_id)


def _info(row) -> TokenInfo:  # noqa: ANN001
    return TokenInfo(id=row.id, org=row.org, user=row.user, scopes=frozenset(row.scopes.split()),
                     prefix=row.prefix, created_at=row.created_at, last_used_at=row.last_used_at,
                     revoked_at=row.revoked_at)


def create_token(store: Store, org: str, scope: str = "read", user: str | None = None) -> NewToken:
    try:
        scopes = expand_scope(scope)
    except ValueError as exc:
        raise ShareError(f"--scope: {exc}") from None
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with store._write() as conn:  # noqa: SLF001
        oid = require_org(conn, org)
        new_id = conn.execute(api_tokens.insert().values(
            org_id=oid, user=(user or "").strip() or None,
            scopes=" ".join(s for s in ("read", "write", "admin") if s in scopes),
            secret_hash=hash_token(secret), prefix=secret[:PREFIX_CHARS], created_at=_now(),
        ).returning(api_tokens.c.id)).scalar_one()
        info = _info(conn.execute(_select().where(api_tokens.c.id == new_id)).one())
    return NewToken(info, secret)


def list_tokens(store: Store, org: str | None = None) -> list[TokenInfo]:
    with store._read() as conn:  # noqa: SLF001
        stmt = _select().order_by(api_tokens.c.id)
        if org is not None:
            stmt = stmt.where(organisations.c.name == org)
        return [_info(r) for r in conn.execute(stmt)]


def revoke_token(store: Store, token_id: int) -> TokenInfo:
    with store._write() as conn:  # noqa: SLF001
        row = conn.execute(_select().where(api_tokens.c.id == token_id)).first()
        if row is None:
            raise ShareError(f"no token with id {token_id} (see `marsad token list`)")
        if row.revoked_at is None:
            conn.execute(api_tokens.update().where(api_tokens.c.id == token_id).values(revoked_at=_now()))
        return _info(conn.execute(_select().where(api_tokens.c.id == token_id)).one())


def _lookup(conn: Connection, token: str):  # noqa: ANN202
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    return conn.execute(_select().where(api_tokens.c.secret_hash == hash_token(token))).first()


def authenticate(store: Store, token: str | None) -> Viewer | None:
    """The Viewer a token stands for, or None when it is unknown or revoked."""
    if not token:
        return None
    with store._read() as conn:  # noqa: SLF001
        row = _lookup(conn, token)
        if row is None or row.revoked_at is not None:
            return None
        viewer = Viewer(org=row.org, scopes=frozenset(row.scopes.split()), groups=groups_of(conn, row.org),
                        token_id=row.id, user=row.user)
        last = row.last_used_at
    now = _now()
    if last is None or now - last >= LAST_USED_RESOLUTION:
        with store._write() as conn:  # noqa: SLF001
            conn.execute(api_tokens.update().where(api_tokens.c.id == viewer.token_id).values(last_used_at=now))
    return viewer
