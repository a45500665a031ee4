"""Claims compared across sources: which figures speak of the same thing, and do they agree.

Two claims are *comparable* when they count the same category of the same kind (a stock such
as "9 آلاف في السجون", or a flow such as "أطلق سراح 400") at a compatible place (the same
place, places within ``NEAR_KM``, or a place left unsaid) and a compatible time (stocks within
``STOCK_DAYS``, flows within ``FLOW_DAYS``; a claim's time is its own date or else its
report's publication date).  Comparable claims form a group.

Each figure is an interval read from its qualifier — "أكثر من 400" is [400, ∞), "نحو 9 آلاف"
is 9,000 ± 15 %, "180 فقط" is exactly 180 — and a group is *corroborated* when all its
intervals share a point and at least two independent sources stand behind it,
*contradicted* when two of them cannot both be true, *single* otherwise.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from marsad.arabic.normalise import match_key
from marsad.geo.resolve import distance_km

APPROX = 0.15  # "نحو"، "قرابة": within 15 %
EXACT_ROUNDING = 0.02  # round figures reported by two sources ("9 آلاف" / "9000")
# how far from its point a place of each kind reaches: a figure "in al-Hasakah governorate"
# and one "in al-Hasakah" city can describe the same thing, two towns 50 km apart cannot
REACH_KM = {"governorate": 120.0, "region": 200.0, "district": 40.0}
NEAR_KM = 25.0  # cities, towns, camps, crossings, bases
STOCK_DAYS = 60
FLOW_DAYS = 10

DATA = Path(__file__).parent / "data"

# admiralty-style source reliability (A reliable .. E unreliable, F cannot be judged)
GRADE_WEIGHT = {"A": 1.0, "B": 0.8, "C": 0.6, "D": 0.4, "E": 0.2, "F": 0.5}
DEFAULT_GRADE = "F"


@dataclass(frozen=True, slots=True)
class Claim:
    key: str  # "doc_id:idx"
    doc_id: str
    category: str | None
    kind: str
    value: float
    qualifier: str
    low: float | None = None
    high: float | None = None
    place: str | None = None  # English place name (geocoded where possible)
    lat: float | None = None
    lon: float | None = None
    place_kind: str | None = None  # city, governorate, region, country, camp, ...
    when: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    published: dt.date | None = None
    source: str | None = None
    outlet: str | None = None
    subset: bool = False  # a part of another figure of its report


def interval(claim: Claim) -> tuple[float, float]:
    if claim.low is not None and claim.high is not None and claim.high > claim.low:
        return claim.low, claim.high
    v = claim.value
    q = claim.qualifier
    if q == "at_least":
        return v, math.inf
    if q == "at_most":
        return 0.0, v
    if q == "approx":
        return v * (1 - APPROX), v * (1 + APPROX)
    if q == "only":
        return v, v
    return v * (1 - EXACT_ROUNDING), v * (1 + EXACT_ROUNDING)


def agree(a: Claim, b: Claim) -> bool:
    (lo1, hi1), (lo2, hi2) = interval(a), interval(b)
    return max(lo1, lo2) <= min(hi1, hi2)


def common_interval(claims: Sequence[Claim]) -> tuple[float, float] | None:
    lo = max(interval(c)[0] for c in claims)
    hi = min(interval(c)[1] for c in claims)
    return (lo, hi) if lo <= hi else None


def _period(claim: Claim) -> tuple[dt.date, dt.date] | None:
    """The days a claim's date covers: a day, a month or a year."""
    text = claim.when
    if text and len(text) == 4 and claim.published is not None:
        text = None  # "this year": the report's date says more
    if text:
        try:
            if len(text) >= 10:
                day = dt.date.fromisoformat(text[:10])
                return day, day
            if len(text) == 7:
                y, m = int(text[:4]), int(text[5:7])
                last = (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1))
                return dt.date(y, m, 1), last
            if len(text) == 4:
                y = int(text)
                return dt.date(y, 1, 1), dt.date(y, 12, 31)
        except ValueError:
            pass
    if claim.published is not None:
        return claim.published, claim.published
    return None


@dataclass(frozen=True, slots=True)
class CategoryRule:
    compare: bool = True
    stock_days: int = STOCK_DAYS
    flow_days: int = FLOW_DAYS
    any_kind: bool = False  # stock and flow figures of the category are compared together


@lru_cache(maxsize=1)
def category_rules() -> dict[str, CategoryRule]:
    rules: dict[str, CategoryRule] = {}
    lines = (DATA / "claim_categories.tsv").read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]
    for category, compare, stock, flow, kinds in rows[1:]:
        if compare == "no":
            rules[category] = CategoryRule(compare=False)
        else:
            rules[category] = CategoryRule(True, int(stock), int(flow), kinds == "any")
    return rules


def rule_for(category: str | None) -> CategoryRule:
    return category_rules().get(category or "", CategoryRule())


def time_compatible(a: Claim, b: Claim) -> bool:
    """Dates within the category's window; an undated claim only meets claims of its own report."""
    pa, pb = _period(a), _period(b)
    if pa is None or pb is None:
        return a.doc_id == b.doc_id
    rule = rule_for(a.category)
    flow = a.kind == "flow" or b.kind == "flow"
    window = dt.timedelta(days=rule.flow_days if flow else rule.stock_days)
    return pa[0] - window <= pb[1] and pb[0] - window <= pa[1]


def place_compatible(a: Claim, b: Claim) -> bool:
    """The same or nearby places; a claim without a place meets claims without one, or the
    claims of its own report (where the place is usually stated once for all figures)."""
    if not a.place or not b.place:
        return a.doc_id == b.doc_id or (not a.place and not b.place)
    if a.place == b.place:
        return True
    if "country" in (a.place_kind, b.place_kind) or None in (a.lat, a.lon, b.lat, b.lon):
        return False
    reach = max(REACH_KM.get(a.place_kind or "", NEAR_KM), REACH_KM.get(b.place_kind or "", NEAR_KM))
    return distance_km(a.lat, a.lon, b.lat, b.lon) <= reach  # type: ignore[arg-type]


def comparable(a: Claim, b: Claim) -> bool:
    """Two figures about the same thing.  Within one report only figures of two different
    named sources are compared ("أكثر من 400" per the intelligence reports, "180 فقط" per the
    Autonomous Administration): one speaker's several figures count different things, and a
    subset ("بينهم 2000 عراقي") is never set against its whole."""
    rule = rule_for(a.category)
    if a.category is None or a.category != b.category or not rule.compare:
        return False
    if a.kind != b.kind and not rule.any_kind:
        return False
    if a.doc_id == b.doc_id:
        if a.source == b.source and (a.value, a.qualifier) == (b.value, b.qualifier):
            return True  # the report repeats its figure
        if a.subset or b.subset or not a.source or not b.source or a.source == b.source:
            return False
    return place_compatible(a, b) and time_compatible(a, b)


def choose_group(claim: Claim, groups: dict[str, list[Claim]]) -> str | None:
    """The group every member of which the claim is comparable with (the largest such)."""
    best: tuple[int, str] | None = None
    for gid, members in groups.items():
        if all(comparable(claim, m) for m in members):
            if best is None or (len(members), gid) > (best[0], best[1]):
                best = (len(members), gid)
    return best[1] if best else None


# ------------------------------------------------------------------------------ verdicts

@dataclass(frozen=True, slots=True)
class Verdict:
    status: str  # corroborated | contradicted | single
    sources: int  # independent sources (outlet + speaker) behind the group
    agreeing: tuple[tuple[str, ...], ...]  # blocs of claim keys that agree among themselves
    support: dict[str, float]  # bloc index -> weighted support
    common: tuple[float, float] | None


def independent_source(claim: Claim) -> str:
    return f"{claim.outlet or claim.doc_id}|{claim.source or ''}"


def verdict(claims: Sequence[Claim], grades: dict[str, str] | None = None) -> Verdict:
    grades = grades or {}
    sources = {independent_source(c) for c in claims}
    blocs: list[list[Claim]] = []
    for claim in sorted(claims, key=lambda c: (interval(c)[0], c.key)):
        for bloc in blocs:
            if common_interval([*bloc, claim]) is not None:
                bloc.append(claim)
                break
        else:
            blocs.append([claim])
    support = {}
    for i, bloc in enumerate(blocs):
        seen = {independent_source(c): c for c in bloc}
        support[str(i)] = round(sum(_weight(c, grades) for c in seen.values()), 3)
    if len(blocs) > 1:
        status = "contradicted"
    elif len(sources) >= 2:
        status = "corroborated"
    else:
        status = "single"
    return Verdict(status, len(sources), tuple(tuple(c.key for c in b) for b in blocs), support,
                   common_interval(claims))


def grade_of(claim: Claim, grades: dict[str, str]) -> str:
    """The grade set for the claim's speaker, else for its outlet; ``grades`` is keyed by
    match_key of the name."""
    for name in (claim.source, claim.outlet):
        if name and match_key(name) in grades:
            return grades[match_key(name)]
    return DEFAULT_GRADE


def _weight(claim: Claim, grades: dict[str, str]) -> float:
    return GRADE_WEIGHT.get(grade_of(claim, grades), GRADE_WEIGHT[DEFAULT_GRADE])
