"""Query parameters shared by the listings: pagination, time range, TLP.

The dependencies are ``async def`` although they wait for nothing: FastAPI runs a plain
``def`` dependency in its thread pool, and those hand-overs (one per dependency per request)
cost more than the parsing itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fastapi import HTTPException, Query, status

from marsad.share.tlp import TLP

MAX_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Paging:
    limit: int
    offset: int


async def paging(
    limit: int = Query(50, ge=1, le=MAX_LIMIT, description="Items per page."),
    offset: int = Query(0, ge=0, le=1_000_000, description="Items to skip."),
) -> Paging:
    return Paging(limit, offset)


@dataclass(frozen=True, slots=True)
class TimeRange:
    since: dt.date | None
    until: dt.date | None


async def time_range(
    since: dt.date | None = Query(None, description="From this date (YYYY-MM-DD), inclusive."),
    until: dt.date | None = Query(None, description="Up to this date (YYYY-MM-DD), inclusive."),
) -> TimeRange:
    if since and until and since > until:
        raise HTTPException(422, detail="since is after until")
    return TimeRange(since, until)


async def tlp_levels(
    tlp: str | None = Query(None, description="Only these TLP levels, comma-separated (e.g. green,amber)."),
) -> tuple[str, ...] | None:
    if not tlp:
        return None
    try:
        return tuple(dict.fromkeys(TLP.parse(part).value for part in tlp.split(",") if part.strip()))
    except ValueError as exc:
        raise HTTPException(422, detail=f"tlp: {exc}") from None


def as_rows(items: list) -> list[dict]:
    """Rows for the open models: dataclasses/dicts with dates as ISO text."""
    from dataclasses import asdict, is_dataclass

    return [asdict(i) if is_dataclass(i) else dict(i) for i in items]
