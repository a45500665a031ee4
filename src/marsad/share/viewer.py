"""Who is asking: the organisation behind a request, as the store's query layer sees it.

``None`` in place of a Viewer means an unrestricted local caller (the CLI on one's own
store, or the API on loopback while the store has no organisations).
"""

from __future__ import annotations

from dataclasses import dataclass, field

SCOPES: tuple[str, ...] = ("read", "write", "admin")


def expand_scope(scope: str) -> frozenset[str]:
    """Scopes are cumulative: write includes read, admin includes write and read."""
    scope = scope.strip().lower()
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r} (expected one of {', '.join(SCOPES)})")
    return frozenset(SCOPES[: SCOPES.index(scope) + 1])


@dataclass(frozen=True, slots=True)
class Viewer:
    """An organisation's caller: its groups decide AMBER sharing, scopes what it may do."""

    org: str
    scopes: frozenset[str] = frozenset({"read"})
    groups: frozenset[str] = field(default_factory=frozenset)
    token_id: int | None = None
    user: str | None = None

    def can(self, scope: str) -> bool:
        return scope in self.scopes
