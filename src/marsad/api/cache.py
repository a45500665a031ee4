"""A small in-process cache of search answers, keyed by the store generation.

The key of every entry starts with the store generation (``marsad.store.queries.generation``),
a counter that database triggers raise on every change to documents, their shares and group
memberships, by any process.  So a cached answer is served only while nothing a caller may
see has changed: after a write the next request reads a new generation, misses, and
recomputes; stale entries fall out of the LRU.  The viewer (organisation and groups) is part
of the key, so one organisation's answers are never served to another.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

DEFAULT_ENTRIES = 4096


def viewer_key(viewer: Any) -> Hashable:
    """What of a viewer decides what it sees: its organisation and groups (not its scopes)."""
    return None if viewer is None else (viewer.org, tuple(sorted(viewer.groups)))


class AnswerCache:
    """Thread-safe LRU; ``get_or_compute(key, fn)`` runs ``fn`` outside the lock on a miss."""

    def __init__(self, max_entries: int = DEFAULT_ENTRIES) -> None:
        self.max_entries = max_entries
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
            self.misses += 1
        value = compute()
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
