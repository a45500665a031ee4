"""Graph queries over an edge list: neighbours and the shortest path between two nodes."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable


def adjacency(edges: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    adj: dict[str, set[str]] = {}
    for a, b in edges:
        if a == b:
            continue
        adj.setdefault(a, set()).add(b)
        adj.setdefault(b, set()).add(a)
    return adj


def shortest_path(adj: dict[str, set[str]], start: str, goal: str, max_depth: int = 6) -> list[str] | None:
    if start not in adj or goal not in adj:
        return None
    if start == goal:
        return [start]
    prev: dict[str, str | None] = {start: None}
    queue = deque([(start, 0)])
    while queue:
        node, depth = queue.popleft()
        if depth >= max_depth:
            continue
        for nxt in sorted(adj[node]):
            if nxt in prev:
                continue
            prev[nxt] = node
            if nxt == goal:
                path = [goal]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])  # type: ignore[arg-type]
                return path[::-1]
            queue.append((nxt, depth + 1))
    return None
