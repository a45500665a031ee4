"""One-degree cells: the coarse spatial keys fusion indexes places by."""

from __future__ import annotations

import math

KM_PER_DEGREE = 111.0


def cell_of(lat: float, lon: float) -> tuple[int, int]:
    """The one-degree cell (floor of lat, floor of lon) holding a point."""
    return math.floor(lat), math.floor(lon)


def box_around(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    """(lat0, lat1, lon0, lon1): a box holding every point within ``km`` of (lat, lon), with a
    margin."""
    dlat = km * 1.05 / KM_PER_DEGREE
    dlon = dlat / max(0.05, math.cos(math.radians(min(89.0, abs(lat) + dlat))))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def cells_around(lat: float, lon: float, km: float) -> list[tuple[int, int]]:
    """The one-degree cells holding every point within ``km`` of (lat, lon), with a margin."""
    y0, y1, x0, x1 = box_around(lat, lon, km)
    return [(y, x) for y in range(math.floor(y0), math.floor(y1) + 1)
            for x in range(math.floor(x0), math.floor(x1) + 1)]
