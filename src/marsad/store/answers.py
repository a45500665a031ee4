"""Answers shared by every process serving one store (table ``answer_cache``, migration 0006).

The API computes a search answer once per store generation and keeps it here, so a second
uvicorn worker (or a restarted one) reads it instead of computing it again.  An entry is
served only while its generation is the current one (``queries.generation``), so it is never
stale; older entries are removed as new ones are written, and the table keeps at most
``MAX_ROWS`` entries.  Keys are digests made by the caller from what was asked and what
decides what the caller may see (marsad.api.cache), never from the token.
"""

from __future__ import annotations

import time

from sqlalchemy import Connection, delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .schema import answer_cache

#: entries kept at most (each is one serialised page: about 13 kB for 20 hits with snippets),
#: as many as each process's own LRU (marsad.api.cache.DEFAULT_ENTRIES)
MAX_ROWS = 4096


def get(conn: Connection, key: str, generation: int) -> tuple[int | None, bytes] | None:
    """(total, body) stored for ``key`` at ``generation``, or None."""
    a = answer_cache.c
    row = conn.execute(select(a.total, a.body).where(a.key == key, a.generation == generation)).first()
    return None if row is None else (row.total, bytes(row.body))


def put(conn: Connection, key: str, generation: int, total: int | None, body: bytes, *, prune: bool) -> None:
    """Store an answer (replacing the key's older one); with ``prune`` also drop entries of
    other generations and the oldest beyond ``MAX_ROWS``."""
    a = answer_cache.c
    insert = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
    values = {"key": key, "generation": generation, "total": total, "body": body, "stored_at": time.time()}
    stmt = insert(answer_cache).values(**values)
    conn.execute(stmt.on_conflict_do_update(index_elements=[a.key],
                                            set_={k: v for k, v in values.items() if k != "key"}))
    if not prune:
        return
    conn.execute(delete(answer_cache).where(a.generation != generation))
    excess = conn.execute(select(func.count()).select_from(answer_cache)).scalar_one() - MAX_ROWS
    if excess > 0:
        conn.execute(delete(answer_cache).where(a.key.in_(select(a.key).order_by(a.stored_at).limit(excess))))
