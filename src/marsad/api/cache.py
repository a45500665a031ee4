"""The API's search answers, cached per store generation: in each process, and shared by the
processes serving one store.

Every entry is keyed by the store generation (``marsad.store.queries.generation``), a counter
that database triggers raise on every change to documents, their shares and group
memberships, by any process.  So a cached answer is served only while nothing a caller may
see has changed: after a write the next request reads a new generation, misses, and
recomputes.  The viewer (organisation and groups) is part of the key, so one organisation's
answers are never served to another.  Audit entries and token bookkeeping do not touch the
watched tables, so serving a request never invalidates the cache.

Two levels: an LRU in the process (no database round trip on a hit), then the store's
``answer_cache`` table (marsad.store.answers), which the uvicorn workers of a server share,
so an answer one worker computed is read, not recomputed, by the others.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from marsad.lru import LRUCache

DEFAULT_ENTRIES = 4096
#: the shared table is pruned (stale generations, oldest beyond its size) every this many writes
PRUNE_EVERY = 64

log = logging.getLogger(__name__)


def viewer_key(viewer: Any) -> Hashable:
    """What of a viewer decides what it sees: its organisation and groups (not its scopes)."""
    return None if viewer is None else (viewer.org, tuple(sorted(viewer.groups)))


@dataclass(frozen=True, slots=True)
class Answer:
    """A computed response: its JSON body and the total it reports (for the audit entry)."""

    total: int | None
    body: bytes


def digest(key: Hashable) -> str:
    """A stable digest of a key of str/int/bool/None/date tuples: ``repr`` of those is the
    same in every process (unlike ``hash``, which is salted per process)."""
    return hashlib.sha256(repr(key).encode()).hexdigest()


class AnswerCache(LRUCache):
    """The API's search answers (see the module doc)."""

    def __init__(self, max_entries: int = DEFAULT_ENTRIES) -> None:
        super().__init__(max_entries)
        self.shared_hits = 0
        self._writes = 0

    def answer(self, store: Any, generation: int | None, key: Hashable, compute: Callable[[], Answer]) -> Answer:
        """The answer for ``key`` at ``generation``: from this process, else from the
        store's shared table, else ``compute()`` (then kept in both).  ``generation`` None
        (a store without one): always computed, never kept."""
        if generation is None:
            return compute()
        return self.get_or_compute((generation, key), lambda: self._shared(store, generation, key, compute))

    def _shared(self, store: Any, generation: int, key: Hashable, compute: Callable[[], Answer]) -> Answer:
        name = digest(key)
        try:
            found = store.cached_answer(name, generation)
        except Exception:  # noqa: BLE001 - the shared level is an optimisation only
            log.warning("shared answer cache unreadable", exc_info=True)
            found = None
        if found is not None:
            self.shared_hits += 1
            return Answer(*found)
        value = compute()
        self._writes += 1
        try:
            store.keep_answer(name, generation, value.total, value.body, prune=self._writes % PRUNE_EVERY == 0)
        except Exception:  # noqa: BLE001 - e.g. a read-only store: this process still caches it
            log.warning("shared answer cache not written", exc_info=True)
        return value


class ViewerCache:
    """Who each token stands for (``share.tokens.authenticate``), remembered while both store
    generations stay the same: the access generation moves with any change to tokens
    (revocation included), organisation and group names; the store generation with group
    memberships.  So a revoked token is refused on its next request, as without the cache.
    An entry also expires after ``ttl`` seconds, so ``authenticate`` still records each
    token's last use about once per ``tokens.LAST_USED_RESOLUTION``.  Keys are the tokens'
    SHA-256 digests (as stored), never the tokens; unknown tokens are not remembered.
    """

    def __init__(self, max_entries: int = 1024, ttl: float | None = None) -> None:
        from marsad.share.tokens import LAST_USED_RESOLUTION

        self.ttl = LAST_USED_RESOLUTION.total_seconds() / 2 if ttl is None else ttl
        # token digest -> (generations, when authenticated, Viewer)
        self._entries = LRUCache(max_entries)
        self.hits = 0

    def viewer(self, store: Any, token: str, generations: Hashable) -> Any:
        from marsad.share.tokens import authenticate, hash_token

        key = hash_token(token)
        now = time.monotonic()
        hit = self._entries.get(key)
        if hit is not None and hit[0] == generations and now - hit[1] < self.ttl:
            self.hits += 1
            return hit[2]
        viewer = authenticate(store, token)
        if viewer is None:
            self._entries.discard(key)
        else:
            self._entries.put(key, (generations, now, viewer))
        return viewer
