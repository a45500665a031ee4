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

Time matters beyond the windows: a figure dated by its year alone meets only figures of that year
alone; the stocks of a slowly changing population (``update_days`` of the category table) months
apart are grouped only when they agree, and a group whose figures differ only across months is an
update (``Verdict.updated``), not a contradiction; generic counts of persons are compared only as
the people of one dated incident. Every rule is described in docs/fusion.md.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from marsad.arabic.normalise import match_key
from marsad.fuse.cells import cell_of, cells_around
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
    # the places its report is about (most mentioned first), for a figure whose clause names none
    report_places: tuple[Spot, ...] = ()


@dataclass(frozen=True, slots=True)
class Spot:
    """A place a claim may be about: English name, coordinates and kind (where known)."""

    name: str
    lat: float | None = None
    lon: float | None = None
    kind: str | None = None


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


def period(claim: Claim) -> tuple[dt.date, dt.date] | None:
    return _period(claim)


def period_of(when: str | None, published: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """The period of a figure dated ``when`` in a report published on ``published``."""
    return _period_of(when, published)


def _period(claim: Claim) -> tuple[dt.date, dt.date] | None:
    """The days a claim's date covers: a day, a month or a year."""
    return _period_of(claim.when, claim.published)


@lru_cache(maxsize=65536)  # the same few thousand dates recur across every comparison
def _period_of(when: str | None, published: dt.date | None) -> tuple[dt.date, dt.date] | None:
    text = when
    if text and len(text) == 4 and published is not None:
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
    if published is not None:
        return published, published
    return None


@dataclass(frozen=True, slots=True)
class CategoryRule:
    compare: bool = True
    stock_days: int = STOCK_DAYS
    flow_days: int = FLOW_DAYS
    any_kind: bool = False  # stock and flow figures of the category are compared together
    broader: str | None = None  # a figure of this category is also compared with the broader one's
    # a slowly changing population (prisoners, fighters held or in the field): stocks further apart than
    # stock_days but within update_days are still compared; agreeing they confirm a steady
    # population, disagreeing they are two states of it (an update), never a contradiction
    update_days: int = 0
    # a generic count ("persons") says nothing of who is counted: compared only between figures
    # that each carry their own day date (the people of one dated incident), see incident_dated
    dated_only: bool = False

    def window(self, kind: str) -> int:
        """The widest time apart two figures of ``kind`` (stock/flow) are compared."""
        return self.flow_days if kind == "flow" else max(self.stock_days, self.update_days)


@lru_cache(maxsize=1)
def category_rules() -> dict[str, CategoryRule]:
    rules: dict[str, CategoryRule] = {}
    lines = (DATA / "claim_categories.tsv").read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]
    for row in rows[1:]:
        if len(row) not in (5, 6, 7) or row[1] not in ("yes", "no", "dated"):
            raise ValueError(f"{DATA / 'claim_categories.tsv'}: bad row {row!r} (category, compare yes|no|dated, "
                             "stock_days, flow_days, kinds[, broader[, update_days]])")
        category, compare, stock, flow, kinds = row[:5]
        broader = row[5].strip() if len(row) >= 6 and row[5].strip() not in ("", "-") else None
        update = int(row[6]) if len(row) == 7 and row[6].strip() not in ("", "-") else 0
        if compare == "no":
            rules[category] = CategoryRule(compare=False)
        else:
            rules[category] = CategoryRule(True, int(stock), int(flow), kinds == "any", broader, update,
                                           dated_only=compare == "dated")
    return rules


def related_categories(category: str) -> frozenset[str]:
    """The categories a figure of ``category`` is compared with: itself, its broader category
    and the narrower ones ("ISIS members" and unqualified "fighters")."""
    rules = category_rules()
    out = {category}
    broader = rules.get(category, CategoryRule()).broader
    if broader:
        out.add(broader)
    out.update(c for c, r in rules.items() if r.broader == category)
    return frozenset(out)


@lru_cache(maxsize=4096)  # called for every pair compared; a few dozen categories
def shared_rule(a: str | None, b: str | None) -> CategoryRule | None:
    """The rule two figures are compared under, or None when their categories do not meet: the
    same category, or one the broader of the other (compared under the broader one's rule)."""
    if a is None or b is None:
        return None
    if a == b:
        return rule_for(a)
    if rule_for(a).broader == b:
        return rule_for(b)
    if rule_for(b).broader == a:
        return rule_for(a)
    return None


@lru_cache(maxsize=1024)
def rule_for(category: str | None) -> CategoryRule:
    return category_rules().get(category or "", CategoryRule())


def year_only(claim: Claim) -> bool:
    """Dated by its year alone ("خلال العام الجاري", "عام 2025"): the figure counts something over
    an unsaid part of that year, not the state or the incident of its report's day."""
    return claim.when is not None and len(claim.when) == 4


def day_dated(claim: Claim) -> bool:
    """Carries its own day ("فجر الثلاثاء" resolved to a date), not only its report's date."""
    return claim.when is not None and len(claim.when) >= 10


def days_apart(a: Claim, b: Claim) -> int | None:
    """Days between two figures' periods (0 when they overlap); None when one is undated."""
    pa, pb = _period(a), _period(b)
    if pa is None or pb is None:
        return None
    return max(0, (pa[0] - pb[1]).days, (pb[0] - pa[1]).days)


def time_compatible(a: Claim, b: Claim) -> bool:
    """Dates within the category's window; an undated claim only meets claims of its own report.
    A figure dated by its year alone meets only figures dated by the same year alone (annual
    tallies): set against a day's figure, its report's date would make it look like the same
    incident or state ("نحو 300 عائلة" of two earlier convoys "this year" is not today's convoy)."""
    if year_only(a) or year_only(b):
        if a.when != b.when:
            return False
    apart = days_apart(a, b)
    if apart is None:
        return a.doc_id == b.doc_id
    rule = shared_rule(a.category, b.category) or rule_for(a.category)
    flow = a.kind == "flow" or b.kind == "flow"
    return apart <= rule.window("flow" if flow else "stock")


def same_state(a: Claim, b: Claim) -> bool:
    """Close enough in time that two disagreeing figures contradict each other: within the
    category's stock or flow window. Stocks of a slowly changing population further apart (up to
    its update window) describe two states of it; the later may legitimately differ."""
    apart = days_apart(a, b)
    if apart is None:
        return True
    rule = shared_rule(a.category, b.category) or rule_for(a.category)
    flow = a.kind == "flow" or b.kind == "flow"
    return apart <= (rule.flow_days if flow else rule.stock_days)


NARROW_KM = REACH_KM["district"]  # places that reach no further than a district
WIDEST_KM = max(REACH_KM.values())


def reach_km(kind: str | None) -> float:
    """How far from its point a place of ``kind`` reaches (a town's reach by default)."""
    return REACH_KM.get(kind or "", NEAR_KM)


def claim_spots(claim: Claim) -> tuple[Spot, ...]:
    """The places a claim may be about: its own, else the places its report is about."""
    return _spots(claim)


def _spots(claim: Claim) -> tuple[Spot, ...]:
    if claim.place:
        return (Spot(claim.place, claim.lat, claim.lon, claim.place_kind),)
    return claim.report_places


@lru_cache(maxsize=1 << 18)  # the same few thousand places meet again and again
def _near(a: Spot, b: Spot, stated: bool = True) -> bool:
    if a.name == b.name:
        return True
    if "country" in (a.kind, b.kind) or None in (a.lat, a.lon, b.lat, b.lon):
        return False
    reach = max(REACH_KM.get(a.kind or "", NEAR_KM), REACH_KM.get(b.kind or "", NEAR_KM)) if stated else NEAR_KM
    return distance_km(a.lat, a.lon, b.lat, b.lon) <= reach  # type: ignore[arg-type]


def place_compatible(a: Claim, b: Claim) -> bool:
    """The same or nearby places. A figure whose clause names no place is about the places its
    report is about; a claim with no place at all meets claims without one, or the claims of its
    own report (where the place is usually stated once for all figures)."""
    sa, sb = _spots(a), _spots(b)
    if a.doc_id == b.doc_id:
        # within one report, an unplaced figure is about the report's main place only: "4 arrested"
        # in a report on Kirkuk is not set against its "15 wanted in al-Hawija"
        sa, sb = sa[:1], sb[:1]
    if not sa or not sb:
        return a.doc_id == b.doc_id or (not sa and not sb)
    # a place only the report names is a weaker hint than one the figure's clause states: a
    # governorate's or region's reach applies only between stated places
    stated = bool(a.place and b.place)
    return any(_near(x, y, stated) for x in sa for y in sb)


def incident_dated(a: Claim, b: Claim) -> bool:
    """Two generic counts ("persons") that may count the people of one incident: each carries its
    own day date and a place (its clause's or its report's); the category's window (a day) and the
    place rules then decide. A count dated only by its report, or placed nowhere, is not compared."""
    return day_dated(a) and day_dated(b) and bool(_spots(a)) and bool(_spots(b))


def comparable(a: Claim, b: Claim) -> bool:
    """Two figures about the same thing.  Within one report only figures of two different
    named sources are compared ("أكثر من 400" per the intelligence reports, "180 فقط" per the
    Autonomous Administration): one speaker's several figures count different things, and a
    subset ("بينهم 2000 عراقي") is never set against its whole."""
    rule = shared_rule(a.category, b.category)
    if rule is None or not rule.compare:
        return False
    if a.kind != b.kind and not rule.any_kind:
        return False
    if a.doc_id == b.doc_id:
        if a.source == b.source and (a.value, a.qualifier) == (b.value, b.qualifier):
            return True  # the report repeats its figure
        if a.subset or b.subset or not a.source or not b.source or a.source == b.source:
            return False
    if rule.dated_only and not incident_dated(a, b):
        return False
    if not (place_compatible(a, b) and time_compatible(a, b)):
        return False
    # months apart, a slowly changing population's figures are grouped only when they agree (a
    # steady population confirmed); disagreeing, they are two states, each judged in its time
    return same_state(a, b) or agree(a, b)


def window_days(claim: Claim) -> int:
    """How far in time a figure reaches for comparable ones (its category's widest window)."""
    rules = [rule_for(c) for c in related_categories(claim.category or "")]
    return max((r.flow_days if claim.kind == "flow" else max(r.window("stock"), r.flow_days)) for r in rules)


def _rules_met(claim: Claim) -> list[CategoryRule]:
    """The rules ``claim`` is compared under with each category it meets."""
    rules = [shared_rule(claim.category, c) for c in related_categories(claim.category or "")]
    return [r for r in rules if r is not None and r.compare]


def state_days(claim: Claim) -> int:
    """How far apart a figure and a comparable one can be and still describe one state
    (:func:`same_state`): further apart, only a figure that agrees with it is comparable."""
    return max((r.flow_days if claim.kind == "flow" else max(r.stock_days, r.flow_days) for r in _rules_met(claim)),
               default=0)


def meets_others(claim: Claim) -> bool:
    """Whether ``claim`` can be comparable with a figure of another report at all (a category
    that is compared, and for one compared only as a dated incident, a day date and a place):
    the other reports' figures are looked up for these only, and only these are indexed for
    them (within its report a figure meets the others whatever they are, see GroupIndex.near)."""
    return any(not r.dated_only or (day_dated(claim) and bool(_spots(claim))) for r in _rules_met(claim))


def kind_windows(claim: Claim) -> tuple[int, int | None]:
    """How far in time ``claim`` reaches for comparable figures of its own kind, and of the other
    kind (None: never compared with the other kind; see :func:`time_compatible`)."""
    rules = _rules_met(claim)
    same = max((r.window(claim.kind) for r in rules), default=0)
    other = max((r.flow_days for r in rules if r.any_kind), default=None)
    return same, other


def place_reaches() -> list[float]:
    """Every reach a place can have (:func:`reach_km`), smallest first."""
    return sorted({NEAR_KM, *REACH_KM.values()})


BUCKET_DAYS = 15  # the time buckets of the stored claims' spots (claim_spots)


class _Cell:
    """The claims of one group in one time bucket of one timeline, with the bounds of their
    periods (day ordinals) and of their intervals: a cell none of whose claims could be
    comparable with a probe is passed over whole."""

    __slots__ = ("claims", "first", "last", "low", "high")

    def __init__(self) -> None:
        self.claims: list[Claim] = []
        self.first, self.last = math.inf, -math.inf
        self.low, self.high = math.inf, -math.inf

    def add(self, start: int, end: int, claim: Claim) -> None:
        self.first, self.last = min(self.first, start), max(self.last, end)
        low, high = interval(claim)
        self.low, self.high = min(self.low, low), max(self.high, high)
        self.claims.append(claim)


class _Timeline:
    """The dated claims of one (tag, place) by the time bucket of their first day, and in each
    bucket by the group they were added to."""

    __slots__ = ("buckets", "longest")

    def __init__(self) -> None:
        self.buckets: dict[int, dict[str, _Cell]] = {}
        self.longest = 0  # the longest period held, in days

    def add(self, start: int, end: int, gid: str, claim: Claim) -> None:
        cells = self.buckets.setdefault(start // BUCKET_DAYS, {})
        cell = cells.get(gid)
        if cell is None:
            cell = cells[gid] = _Cell()
        cell.add(start, end, claim)
        self.longest = max(self.longest, end - start)

    def cells(self, lo: int, hi: int) -> Iterator[tuple[str, _Cell]]:
        """The cells that may hold a claim whose period meets [lo, hi]."""
        for bucket in range((lo - self.longest) // BUCKET_DAYS, hi // BUCKET_DAYS + 1):
            cells = self.buckets.get(bucket)
            if cells:
                for gid, cell in cells.items():
                    if cell.first <= hi and cell.last >= lo:
                        yield gid, cell


class GroupIndex:
    """Claim groups, with their claims indexed by category, kind and place name on a time line so
    that a new figure is compared only with the claims it could be comparable with (those of
    the places within reach of its own, see _within_reach), never every claim of its category
    nor every member of a nearby group. The index is a superset of :func:`comparable`: a pair
    it misses could never be comparable, so the groups are those of comparing every pair.

    Groups are *connected components* of comparable pairs: a figure joins every group holding a
    figure it is comparable with, and groups it bridges are merged, so the result does not hang
    on the order figures arrive in (a greedy "comparable with every member" grouping split
    "4 killed" / "5 killed" / "4 martyrs" across three groups). A merge is refused when the
    group would span more time than its category's window: chains of incidents a few days
    apart stay apart."""

    def __init__(self) -> None:
        self.members: dict[str, list[Claim]] = {}
        self.span: dict[str, tuple[dt.date, dt.date] | None] = {}
        self._group: dict[str, str] = {}  # claim key -> the group it was added to (see _final)
        # (tag, place key) -> the dated claims there by date and group (see _tag and _place_keys):
        # a probe walks the timelines of its tags and of the places within reach, each for its
        # window, and stops reading a group's claims at the first comparable one
        self._timelines: dict[tuple[tuple, object], _Timeline] = {}
        self._merged: dict[str, str] = {}  # a group merged away -> the group it went into
        self._kinds: set[str] = set()
        self._by_doc: dict[str, list[Claim]] = defaultdict(list)  # a report's figures meet each other
        # the located places of the indexed claims by one-degree cell, and for each place probed
        # the names of those within reach (recomputed when a new place is indexed)
        self._places: dict[tuple[int, int], set[Spot]] = defaultdict(set)
        self._places_seen = 0
        self._reach_cache: dict[Spot, tuple[int, tuple[str, ...]]] = {}
        # members of stored groups that were not loaded (see declare): they count in a group's
        # size and time span only
        self.hidden: dict[str, int] = {}

    def _within_reach(self, spot: Spot) -> tuple[str, ...]:
        """The names of the indexed places ``spot`` is near (:func:`_near` between stated
        places, the widest reach): besides its own name, the only places a claim about it
        can be compared with."""
        if spot.lat is None or spot.lon is None or spot.kind == "country":
            return ()
        cached = self._reach_cache.get(spot)
        if cached is not None and cached[0] == self._places_seen:
            return cached[1]
        cells = cells_around(spot.lat, spot.lon, max(reach_km(spot.kind), WIDEST_KM))
        names = tuple(sorted({other.name for cell in cells for other in self._places.get(cell, ())
                              if _near(spot, other)}))
        self._reach_cache[spot] = (self._places_seen, names)
        return names

    def _place_keys(self, claim: Claim, probe: bool) -> list[object]:
        """Place keys: no place at all, and each place's name; a probe also looks up the names
        of the indexed places within reach of each of its places. (The figures of a claim's own
        report are met whatever their place and time, see near.)"""
        keys: list[object] = []
        spots = _spots(claim)
        if not spots:
            keys.append(("none",))
        for spot in spots:
            keys.append(("name", spot.name))
            if probe:
                keys.extend(("name", name) for name in self._within_reach(spot))
            elif spot.lat is not None and spot.lon is not None and spot.kind != "country":
                held = self._places[cell_of(spot.lat, spot.lon)]
                if spot not in held:
                    held.add(spot)
                    self._places_seen += 1
        return keys

    def declare(self, gid: str, span: tuple[dt.date, dt.date] | None, hidden: int) -> None:
        """A stored group's members that are not loaded because no figure placed now could be
        comparable with them: only their number (which group a figure joins first) and their
        time span (whether a merge fits) matter."""
        self.hidden[gid] = self.hidden.get(gid, 0) + hidden
        self.members.setdefault(gid, [])
        self.span[gid] = span_union(self.span.get(gid), span)

    def size(self, gid: str) -> int:
        return len(self.members[gid]) + self.hidden.get(gid, 0)

    def add(self, gid: str, claim: Claim) -> None:
        self.members.setdefault(gid, []).append(claim)
        self._group[claim.key] = gid
        p = _period(claim)
        self.span[gid] = span_union(self.span.get(gid), p)
        self._kinds.add(claim.kind)
        self._by_doc[claim.doc_id].append(claim)
        if p is None or not meets_others(claim):
            return  # it meets only its own report's figures (_by_doc)
        tag = self._tag(claim.category or "", claim.kind, claim.when if year_only(claim) else None, day_dated(claim))
        start, end = p[0].toordinal(), p[1].toordinal()
        for place in self._place_keys(claim, probe=False):
            self._timelines.setdefault((tag, place), _Timeline()).add(start, end, gid, claim)

    @staticmethod
    def _tag(category: str, kind: str, year: str | None, day: bool) -> tuple[str, str, str | None, bool]:
        """What two comparable claims share besides time and place: related categories, the same
        kind (unless the rule compares any), the same year when dated by a year alone
        (time_compatible), and for a category compared only as dated incidents, a day date."""
        return category, kind, year, day

    def touching(self, claim: Claim) -> set[str]:
        """The groups holding a claim comparable with ``claim``. Only the claims indexed near it
        in category, time and place are read (a superset of the comparable ones), and of each
        group only until one is comparable."""
        found: set[str] = set()
        for c in self._by_doc.get(claim.doc_id, ()):  # within one report, whatever time and place
            gid = self._final(self._group[c.key])
            if gid not in found and comparable(claim, c):
                found.add(gid)
        p = _period(claim)
        if p is None:
            return found
        first, last = p[0].toordinal(), p[1].toordinal()
        state = state_days(claim)
        low, high = interval(claim)
        places = list(dict.fromkeys(self._place_keys(claim, probe=True)))
        year = claim.when if year_only(claim) else None
        for cat in related_categories(claim.category or ""):
            rule = shared_rule(claim.category, cat)
            if rule is None or not rule.compare:
                continue  # never comparable (see comparable)
            if rule.dated_only and not (day_dated(claim) and _spots(claim)):
                continue  # see incident_dated
            for kind in sorted(self._kinds) if rule.any_kind else (claim.kind,):
                # time_compatible: no more than the pair's window apart
                reach = rule.window("flow" if "flow" in (claim.kind, kind) else "stock")
                for day in (True,) if rule.dated_only else (False, True):
                    tag = self._tag(cat, kind, year, day)
                    for place in places:
                        timeline = self._timelines.get((tag, place))
                        if timeline is None:
                            continue
                        for gid, cell in timeline.cells(first - reach, last + reach):
                            gid = self._final(gid)
                            if gid in found:
                                continue
                            if ((cell.first > last + state or cell.last < first - state)
                                    and (cell.low > high or cell.high < low)):
                                continue  # each of its claims is another state, none agrees
                            if any(comparable(claim, c) for c in cell.claims):
                                found.add(gid)
        return found

    def _final(self, gid: str) -> str:
        """The group ``gid`` is now (groups merged away point to the one they went into)."""
        final = gid
        while final in self._merged:
            final = self._merged[final]
        while gid != final:  # shorten the chain for the next lookup
            following = self._merged[gid]
            self._merged[gid] = final
            gid = following
        return final

    def _fits(self, spans: list[tuple[dt.date, dt.date] | None], claim: Claim) -> bool:
        dated = [s for s in spans if s is not None]
        if not dated:
            return True
        width = (max(s[1] for s in dated) - min(s[0] for s in dated)).days
        return width <= window_days(claim)

    def place(self, claim: Claim, new_gid: str) -> tuple[str, dict[str, str]]:
        """Put a claim in its group: returns the group id and the groups merged into it
        (old id -> new id), which the caller relabels."""
        touching = sorted(self.touching(claim), key=lambda g: (-self.size(g), g))
        if not touching:
            self.add(new_gid, claim)
            return new_gid, {}
        fitting = [g for g in touching if self._fits([self.span[g], _period(claim)], claim)]
        if not fitting:
            self.add(new_gid, claim)
            return new_gid, {}
        target = fitting[0]
        merged: dict[str, str] = {}
        for other in fitting[1:]:
            if self._fits([self.span[target], self.span[other], _period(claim)], claim):
                self._merge(other, target)
                merged[other] = target
        self.add(target, claim)
        return target, merged

    def _merge(self, source: str, target: str) -> None:
        moved = self.members.pop(source)
        self.members[target].extend(moved)
        self._merged[source] = target
        self.span[target] = span_union(self.span.get(target), self.span.pop(source, None))
        if source in self.hidden:
            self.hidden[target] = self.hidden.get(target, 0) + self.hidden.pop(source)


def span_union(a: tuple[dt.date, dt.date] | None, b: tuple[dt.date, dt.date] | None) -> tuple[dt.date, dt.date] | None:
    """The time span of two spans (an undated side adds nothing)."""
    if a is None or b is None:
        return a or b
    return min(a[0], b[0]), max(a[1], b[1])


# ------------------------------------------------------------------------------ verdicts

@dataclass(frozen=True, slots=True)
class Verdict:
    status: str  # corroborated | contradicted | single
    sources: int  # independent sources (outlet + speaker) behind the group
    agreeing: tuple[tuple[str, ...], ...]  # blocs of claim keys that agree among themselves
    support: dict[str, float]  # bloc index -> weighted support
    common: tuple[float, float] | None
    # the blocs disagree only across time (a slowly changing population reported months apart):
    # an update, not a contradiction
    updated: bool = False


def independent_source(claim: Claim) -> str:
    return f"{claim.outlet or claim.doc_id}|{claim.source or ''}"


def verdict(claims: Sequence[Claim], grades: dict[str, str] | None = None) -> Verdict:
    grades = grades or {}
    sources = {independent_source(c) for c in claims}
    blocs: list[list[Claim]] = []
    common: list[tuple[float, float]] = []  # each bloc's common interval, kept as it grows
    for claim in sorted(claims, key=lambda c: (interval(c)[0], c.key)):
        lo, hi = interval(claim)
        for i, (blo, bhi) in enumerate(common):
            if max(blo, lo) <= min(bhi, hi):
                blocs[i].append(claim)
                common[i] = (max(blo, lo), min(bhi, hi))
                break
        else:
            blocs.append([claim])
            common.append((lo, hi))
    support = {}
    for i, bloc in enumerate(blocs):
        seen = {independent_source(c): c for c in bloc}
        support[str(i)] = round(sum(_weight(c, grades) for c in seen.values()), 3)
    updated = len(blocs) > 1 and not _contradiction_in_time(claims)
    # an updated group is judged by its latest state: the figures of the newest one's time
    latest = _latest_state(claims) if updated else claims
    if len(blocs) > 1 and not updated:
        status = "contradicted"
    elif len({independent_source(c) for c in latest}) >= 2:
        status = "corroborated"
    else:
        status = "single"
    return Verdict(status, len(sources), tuple(tuple(c.key for c in b) for b in blocs), support,
                   common_interval(claims), updated)


def _latest_state(claims: Sequence[Claim]) -> list[Claim]:
    dated = [c for c in claims if _period(c) is not None]
    if not dated:
        return list(claims)
    newest = max(dated, key=lambda c: (_period(c)[1], c.key))  # type: ignore[index]
    return [c for c in claims if same_state(newest, c)]


def _contradiction_in_time(claims: Sequence[Claim]) -> bool:
    """Whether some figure and the figures of its time (``same_state``) cannot all be true.

    Figures of one category, kind and period have the same figures of their time, so the
    question is asked once per such cell, over the cells (a group of thousands of figures spans
    a few hundred cells): the figures of a cell's time are the undated ones and those of every
    cell within the window of one state (:func:`_state_window`)."""
    undated = [interval(c) for c in claims if _period(c) is None]
    cells: dict[tuple[str, str, int, int], list[float]] = {}  # -> [count, highest low, lowest high]
    for c in claims:
        p = _period(c)
        if p is None:
            continue
        low, high = interval(c)
        key = (c.category or "", c.kind, p[0].toordinal(), p[1].toordinal())
        cell = cells.get(key)
        if cell is None:
            cells[key] = [1, low, high]
        else:
            cell[0] += 1
            cell[1], cell[2] = max(cell[1], low), min(cell[2], high)
    base = [len(undated), max((lo for lo, _ in undated), default=-math.inf),
            min((hi for _, hi in undated), default=math.inf)]
    if undated:  # an undated figure is of every figure's time
        total = [base[0] + sum(c[0] for c in cells.values()), max([base[1], *(c[1] for c in cells.values())]),
                 min([base[2], *(c[2] for c in cells.values())])]
        if total[0] > 1 and total[1] > total[2]:
            return True
    for (cat, kind, start, end) in cells:
        count, low, high = base
        for (other_cat, other_kind, other_start, other_end), (n, other_low, other_high) in cells.items():
            apart = max(0, start - other_end, other_start - end)
            if apart <= _state_window(cat, kind, other_cat, other_kind):
                count, low, high = count + n, max(low, other_low), min(high, other_high)
        if count > 1 and low > high:
            return True
    return False


@lru_cache(maxsize=4096)
def _state_window(category: str, kind: str, other_category: str, other_kind: str) -> int:
    """The days apart within which two figures describe one state (see :func:`same_state`)."""
    rule = shared_rule(category or None, other_category or None) or rule_for(category or None)
    return rule.flow_days if "flow" in (kind, other_kind) else rule.stock_days


def grade_of(claim: Claim, grades: dict[str, str]) -> str:
    """The grade set for the claim's speaker, else for its outlet; ``grades`` is keyed by
    match_key of the name."""
    for name in (claim.source, claim.outlet):
        if name and match_key(name) in grades:
            return grades[match_key(name)]
    return DEFAULT_GRADE


def _weight(claim: Claim, grades: dict[str, str]) -> float:
    return GRADE_WEIGHT.get(grade_of(claim, grades), GRADE_WEIGHT[DEFAULT_GRADE])
