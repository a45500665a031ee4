"""A small in-process cache of search answers, keyed by the store generation.

The key of every entry starts with the store generation (``marsad.store.queries.generation``),
a counter that database triggers raise on every change to documents, their shares and group
memberships, by any process.  So a cached answer is served only while nothing a caller may
see has changed: after a write the next request reads a new generation, misses, and
recomputes; stale entries fall out of the LRU.  The viewer (organisation and groups) is part
of the key, so one organisation's answers are never served to another.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from marsad.lru import LRUCache

DEFAULT_ENTRIES = 4096


def viewer_key(viewer: Any) -> Hashable:
    """What of a viewer decides what it sees: its organisation and groups (not its scopes)."""
    return None if viewer is None else (viewer.org, tuple(sorted(viewer.groups)))


class AnswerCache(LRUCache):
    """The API's search answers (keys start with the store generation, see above)."""

    def __init__(self, max_entries: int = DEFAULT_ENTRIES) -> None:
        super().__init__(max_entries)
