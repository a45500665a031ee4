"""One-degree cells: the coarse spatial keys fusion indexes places by."""

from __future__ import annotations

import math

KM_PER_DEGREE = 111.0


def cells_around(lat: float, lon: float, km: float) -> list[tuple[int, int]]:
    """The one-degree cells (floor of lat, floor of lon) holding every point within ``km`` of
    (lat, lon), with a margin."""
    dlat = km * 1.05 / KM_PER_DEGREE
    dlon = dlat / max(0.05, math.cos(math.radians(min(89.0, abs(lat) + dlat))))
    return [(y, x) for y in range(math.floor(lat - dlat), math.floor(lat + dlat) + 1)
            for x in range(math.floor(lon - dlon), math.floor(lon + dlon) + 1)]
