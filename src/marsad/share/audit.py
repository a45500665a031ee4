"""The audit log: who (organisation, token) read, searched, exported, ingested or changed what.

Append-only by construction: this module only inserts and selects; nothing in Marsad
updates or deletes audit rows.  The unrestricted local caller (the CLI) is logged with
``org=None``; reads by the local CLI are not logged (it is the store's own user), its
changes are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from marsad.store import Store
from marsad.store.schema import audit_log

from .viewer import Viewer

ACTIONS: tuple[str, ...] = ("read", "search", "export", "ingest", "change", "login")


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: dt.datetime
    org: str | None
    token_id: int | None
    action: str
    target: str | None
    detail: dict[str, Any] | None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at.isoformat(), "org": self.org, "token_id": self.token_id,
                "action": self.action, "target": self.target, "detail": self.detail}


def record(store: Store, viewer: Viewer | None, action: str, target: str | None = None,
           detail: dict[str, Any] | None = None) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r} (expected one of {', '.join(ACTIONS)})")
    with store._write() as conn:  # noqa: SLF001
        conn.execute(audit_log.insert().values(
            at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            org=viewer.org if viewer else None,
            token_id=viewer.token_id if viewer else None,
            action=action, target=target, detail=detail,
        ))


def entries(store: Store, *, org: str | None = None, action: str | None = None,
            limit: int = 50) -> list[AuditEntry]:
    """Newest first."""
    a = audit_log.c
    stmt = select(audit_log).order_by(a.id.desc()).limit(limit)
    if org is not None:
        stmt = stmt.where(a.org == org)
    if action is not None:
        stmt = stmt.where(a.action == action)
    with store._read() as conn:  # noqa: SLF001
        return [AuditEntry(r.id, r.at, r.org, r.token_id, r.action, r.target, r.detail) for r in conn.execute(stmt)]
