"""The audit log: who (organisation, token) read, searched, exported, ingested or changed what.

Append-only by construction: this module only inserts and selects; nothing in Marsad
updates or deletes audit rows.  The unrestricted local caller (the CLI) is logged with
``org=None``; reads by the local CLI are not logged (it is the store's own user), its
changes are.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
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


def _row(viewer: Viewer | None, action: str, target: str | None, detail: dict[str, Any] | None) -> dict:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r} (expected one of {', '.join(ACTIONS)})")
    return {"at": dt.datetime.now(dt.UTC).replace(tzinfo=None), "org": viewer.org if viewer else None,
            "token_id": viewer.token_id if viewer else None, "action": action, "target": target,
            "detail": detail}


def record(store: Store, viewer: Viewer | None, action: str, target: str | None = None,
           detail: dict[str, Any] | None = None) -> None:
    """Write one entry now (its own transaction)."""
    row = _row(viewer, action, target, detail)
    with store._write() as conn:  # noqa: SLF001
        conn.execute(audit_log.insert().values(**row))


#: open buffers per store, so that :func:`entries` shows what is still pending
_BUFFERS: weakref.WeakKeyDictionary[Store, AuditBuffer] = weakref.WeakKeyDictionary()


class AuditBuffer:
    """Audit entries of the API, written in batches.

    One write transaction per read request would make every search a write (and, with
    several worker processes on SQLite, wait for the write lock).  Entries are kept in
    memory and written together when ``max_rows`` are pending or ``max_delay_s`` after the
    first pending one (a timer), and on :meth:`flush` (the app's shutdown, and
    :func:`entries`).  A crash can lose at most ``max_delay_s`` of entries.
    """

    def __init__(self, store: Store, *, max_rows: int = 256, max_delay_s: float = 0.5) -> None:
        self.store, self.max_rows, self.max_delay_s = store, max_rows, max_delay_s
        self._rows: list[dict] = []
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        _BUFFERS[store] = self
        store.before_close.append(self.flush)

    def add(self, viewer: Viewer | None, action: str, target: str | None = None,
            detail: dict[str, Any] | None = None) -> None:
        row = _row(viewer, action, target, detail)
        with self._lock:
            self._rows.append(row)
            full = len(self._rows) >= self.max_rows
            if not full and self._timer is None:
                self._timer = threading.Timer(self.max_delay_s, self.flush)
                self._timer.daemon = True
                self._timer.start()
        if full:
            self.flush()

    def flush(self) -> None:
        with self._lock:
            rows, self._rows = self._rows, []
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        if rows:
            with self.store._write() as conn:  # noqa: SLF001
                conn.execute(audit_log.insert(), rows)


def entries(store: Store, *, org: str | None = None, action: str | None = None,
            limit: int = 50) -> list[AuditEntry]:
    """Newest first (entries still pending in this process's buffer included)."""
    pending = _BUFFERS.get(store)
    if pending is not None:
        pending.flush()
    a = audit_log.c
    stmt = select(audit_log).order_by(a.id.desc()).limit(limit)
    if org is not None:
        stmt = stmt.where(a.org == org)
    if action is not None:
        stmt = stmt.where(a.action == action)
    with store._read() as conn:  # noqa: SLF001
        return [AuditEntry(r.id, r.at, r.org, r.token_id, r.action, r.target, r.detail) for r in conn.execute(stmt)]
