"""Place lookup and toponym resolution over the built index (``geo/data/places.tsv.gz``).

A name usually has several candidates (``القائم``: a border town in Anbar, a village in Dhi Qar,
nine hamlets in Yemen). :meth:`Gazetteer.resolve` scores them by feature prominence, population,
the report's country focus and closeness to places already resolved in the same report.
"""

from __future__ import annotations

import gzip
import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from marsad.geo.keys import name_key

DATA_DIR = Path(__file__).parent / "data"
INDEX_PATH = DATA_DIR / "places.tsv.gz"

# Prominence of a feature kind when nothing else tells candidates apart. Cities rank above
# governorates: a bare "الحسكة" is the city, "محافظة الحسكة" is matched by its own key.
KIND_PRIOR: dict[str, float] = {
    "country": 100.0, "region": 62.0, "desert": 62.0, "camp": 70.0, "crossing": 70.0,
    "base": 68.0, "city": 50.0, "governorate": 46.0, "district": 30.0, "town": 25.0,
    "village": 10.0,
}
# Marsad's reports are about Iraq and Syria first, then the wider Middle East.
FOCUS_COUNTRIES = frozenset({"IQ", "SY"})
REGION_COUNTRIES = frozenset("JO LB SA KW TR IR EG PS YE AE BH QA OM IL".split())
ALT_NAME_PENALTY = 15.0
CAPITAL_NAME_PENALTY = 40.0
ADMIN_KINDS = frozenset({"governorate", "district"})
SETTLEMENT_KINDS = frozenset({"city", "town", "village"})
COARSE_KINDS = frozenset({"country", "region", "desert"})  # too coarse to pull others by distance
POPULATION_WEIGHT = 5.0
COUNTRY_FOCUS_WEIGHT = 30.0
PROXIMITY_WEIGHT = 30.0
PROXIMITY_SCALE_KM = 150.0


@dataclass(frozen=True, slots=True)
class Place:
    name_ar: str
    name_en: str
    country: str
    kind: str
    lat: float
    lon: float
    population: int = 0
    gn_id: int | None = None
    wof_id: int | None = None
    feature_code: str = ""
    alt: bool = False  # matched through an alternative or derived name

    @property
    def entity_key(self) -> str:
        """What names this place across documents: GeoNames id, else WOF id, else kind+name."""
        if self.gn_id:
            return f"gn:{self.gn_id}"
        if self.wof_id:
            return f"wof:{self.wof_id}"
        return f"{self.kind}:{self.name_en}"


@dataclass(slots=True)
class GeoContext:
    """What one document has said about geography so far."""

    countries: Counter = field(default_factory=Counter)
    points: list[tuple[float, float]] = field(default_factory=list)
    words: frozenset[str] = frozenset()  # name keys of the report's words (homograph cues)
    _seen: set[tuple[float, float]] = field(default_factory=set, repr=False)
    # (lat, lon) -> the proximity term of a candidate there, for the points as they were counted
    _near: dict[tuple[float, float], float] = field(default_factory=dict, repr=False, compare=False)
    _near_points: tuple[int, int] = field(default=(0, 0), repr=False, compare=False)
    _lats: list[float] = field(default_factory=list, repr=False, compare=False)  # the points', sorted

    def proximity(self, lat: float, lon: float) -> float:
        """What closeness to the points adds to a candidate at (lat, lon) (remembered: the
        candidates of a report's places are ranked again and again against the same points)."""
        self._refresh()
        value = self._near.get((lat, lon))
        if value is None:
            nearest = min(_distance(lat, lon, plat, plon) for plat, plon in self.points)
            value = self._near[(lat, lon)] = PROXIMITY_WEIGHT * math.exp(-nearest / PROXIMITY_SCALE_KM)
        return value

    def proximity_bound(self, lat: float) -> float:
        """At least :meth:`proximity` of any candidate at latitude ``lat``, from the nearest
        latitude among the points alone: a great-circle distance is at least the radius times
        the difference of latitudes (taken 0.1 % short, far beyond any rounding)."""
        self._refresh()
        lats = self._lats
        i = bisect_left(lats, lat)
        gap = min(abs(lats[j] - lat) for j in (i - 1, i) if 0 <= j < len(lats))
        return PROXIMITY_WEIGHT * math.exp(-(0.999 * 6371.0 * math.radians(gap)) / PROXIMITY_SCALE_KM)

    def _refresh(self) -> None:
        points = self.points
        if self._near_points != (id(points), len(points)):  # points added since: start afresh
            self._near.clear()
            self._lats = sorted(lat for lat, _ in points)
            self._near_points = (id(points), len(points))

    def add(self, place: Place) -> None:
        if place.country:
            self.countries[place.country] += 1
        if place.kind not in COARSE_KINDS:
            point = (place.lat, place.lon)
            if point not in self._seen:  # a point already there cannot change the nearest one
                self._seen.add(point)
                self.points.append(point)

    def focus_share(self, country: str) -> float:
        total = sum(self.countries.values())
        return self.countries[country] / total if total else 0.0


class Gazetteer:
    """The place index: key -> rows, parsed lazily per key so loading stays well under a second."""

    def __init__(self, raw: dict[str, list[str]]) -> None:
        self._raw = raw
        self._parsed: dict[str, list[Place]] = {}
        # per key, each candidate's score before the report's context and its capital penalty
        self._priors: dict[str, tuple[list[float], list[float]]] = {}
        self._free_top: dict[str, Place | None] = {}  # resolve_key(key) with no context
        self._orders: dict[str, tuple[list[int], list[float]]] = {}  # see _order
        self._pools: dict[tuple[str, frozenset[str] | None, tuple[str, str] | None], list[bool]] = {}
        self.max_words = max((k.count(" ") + 1 for k in raw), default=1)

    @classmethod
    def load(cls, path: Path | str | None = None) -> Gazetteer:
        return _load_cached(str(path or INDEX_PATH))

    def __contains__(self, key: str) -> bool:
        return key in self._raw

    def __len__(self) -> int:
        return len(self._raw)

    def keys(self) -> Iterable[str]:
        return self._raw.keys()

    def candidates(self, key: str) -> list[Place]:
        places = self._parsed.get(key)
        if places is None:
            places = [_parse(rest) for rest in self._raw.get(key, ())]
            self._parsed[key] = places
        return places

    def resolve(self, surface: str, context: GeoContext | None = None) -> Place | None:
        return self.resolve_key(name_key(surface), context)

    def resolve_key(self, key: str, context: GeoContext | None = None) -> Place | None:
        if context is None:  # the same answer for a key every time: remembered
            if key in self._free_top:
                return self._free_top[key]
            ranked = self.rank(key)
            top = self._free_top[key] = ranked[0] if ranked else None
            return top
        ranked = self.rank(key, context)
        return ranked[0] if ranked else None

    def rank(self, key: str, context: GeoContext | None = None) -> list[Place]:
        context = context or GeoContext()
        places = self.candidates(key)
        priors, penalties = self._static(key)
        total = sum(context.countries.values())
        order = sorted(range(len(places)), key=lambda k: -(
            _context_score(priors[k], places[k], context, total) - penalties[k]))
        ranked = [places[k] for k in order]
        homograph = _homographs().get(key)
        if homograph is not None:
            country, kind = homograph.reading(context.words)
            ranked.sort(key=lambda p: not (p.country == country and p.kind == kind))
        return ranked

    def best(self, key: str, context: GeoContext, kinds: frozenset[str] | None = None) -> Place | None:
        """``rank(key, context)[0]``; with ``kinds``, the first place of that ranking whose kind
        is one of them, if any is. Candidates are tried from the highest score they could reach
        (the prior, the full country focus and the full proximity bonus): once the best score
        found beats what the rest could reach, they are not scored."""
        places = self.candidates(key)
        if not places:
            return None
        if any(n < 0 for n in context.countries.values()):  # a focus share could pass 1: score all
            ranked = self.rank(key, context)
            wanted = [p for p in ranked if p.kind in kinds] if kinds is not None else []
            return (wanted or ranked)[0]
        priors, penalties = self._static(key)
        reading = None
        homograph = _homographs().get(key)
        if homograph is not None:
            reading = homograph.reading(context.words)
        in_pool = self._pool(key, kinds, reading)
        order, ceilings = self._order(key)
        total = sum(context.countries.values())
        near = bool(context.points)
        best_k, best_score = -1, 0.0
        for k, ceiling in zip(order, ceilings):
            if best_k >= 0 and ceiling < best_score:
                break  # no candidate left can reach the best score
            if not in_pool[k]:
                continue
            place = places[k]
            value = _focus_score(priors[k], place, context, total)
            if near and place.kind not in COARSE_KINDS:
                if best_k >= 0 and ((value + PROXIMITY_WEIGHT) - penalties[k] < best_score or
                                    (value + context.proximity_bound(place.lat)) - penalties[k] < best_score):
                    continue  # even as close to the points as it could be it would not reach the best
                value += context.proximity(place.lat, place.lon)
            value -= penalties[k]
            # sorted() keeps the first of equal scores: the lowest index wins a tie
            if best_k < 0 or value > best_score or (value == best_score and k < best_k):
                best_k, best_score = k, value
        return places[best_k]

    def _order(self, key: str) -> tuple[list[int], list[float]]:
        """The candidates of ``key`` by the highest score each could reach, highest first (float
        addition is monotonic: a focus share of at most 1 and a proximity bonus of at most
        PROXIMITY_WEIGHT keep every score at or under its ceiling)."""
        found = self._orders.get(key)
        if found is None:
            priors, penalties = self._static(key)
            ceiling = [((prior + COUNTRY_FOCUS_WEIGHT) + PROXIMITY_WEIGHT) - penalty
                       for prior, penalty in zip(priors, penalties, strict=True)]
            order = sorted(range(len(ceiling)), key=lambda k: (-ceiling[k], k))
            found = self._orders[key] = (order, [ceiling[k] for k in order])
        return found

    def _pool(self, key: str, kinds: frozenset[str] | None, reading: tuple[str, str] | None) -> list[bool]:
        """Which candidates of ``key`` :meth:`best` may return: of ``kinds`` when there are any,
        and among those of the homograph ``reading`` when there are any."""
        found = self._pools.get((key, kinds, reading))
        if found is None:
            places = self.candidates(key)
            pool = list(range(len(places)))
            if kinds is not None:
                pool = [k for k in pool if places[k].kind in kinds] or pool
            if reading is not None:
                pool = [k for k in pool if (places[k].country, places[k].kind) == reading] or pool
            chosen = set(pool)
            found = self._pools[(key, kinds, reading)] = [k in chosen for k in range(len(places))]
        return found

    def _static(self, key: str) -> tuple[list[float], list[float]]:
        """Per candidate of ``key``: its score before the report's context, and its penalty as an
        admin unit named after its capital."""
        found = self._priors.get(key)
        if found is None:
            places = self.candidates(key)
            # Trap: an admin unit named after its capital ("الحسكة") means the city unless the
            # text says "محافظة"; that prefixed form has its own key.
            with_city = {p.country for p in places if p.kind in ("city", "town")}
            found = self._priors[key] = (
                [_prior_score(p) for p in places],
                [CAPITAL_NAME_PENALTY if p.kind in ADMIN_KINDS and p.country in with_city else 0.0 for p in places])
        return found

    def by_country(self, country: str) -> Place | None:
        """The country record for an ISO code (used for nisba forms such as العراقية)."""
        for place in self.candidates(f"iso {country.lower()}"):
            return place
        return None


def score(place: Place, context: GeoContext) -> float:
    return _context_score(_prior_score(place), place, context, sum(context.countries.values()))


def _prior_score(place: Place) -> float:
    """The part of :func:`score` that does not depend on the report (the same additions in the
    same order, so the sum is the same float)."""
    value = KIND_PRIOR.get(place.kind, 0.0)
    if place.kind in SETTLEMENT_KINDS:  # population tells homonymous settlements apart
        value += POPULATION_WEIGHT * math.log10(place.population + 1)
    if place.alt:
        value -= ALT_NAME_PENALTY
    if place.country in FOCUS_COUNTRIES:
        value += 15.0
    elif place.country in REGION_COUNTRIES:
        value += 8.0
    return value


def _focus_score(value: float, place: Place, context: GeoContext, total: int) -> float:
    """The prior part plus the report's country focus (GeoContext.focus_share, with the total
    counted once per ranking); ``total`` is the sum of ``context.countries``."""
    return value + COUNTRY_FOCUS_WEIGHT * (context.countries.get(place.country, 0) / total if total else 0.0)


def _context_score(value: float, place: Place, context: GeoContext, total: int) -> float:
    """:func:`score` from its prior part; ``total`` is the sum of ``context.countries``."""
    value = _focus_score(value, place, context, total)
    if context.points and place.kind not in COARSE_KINDS:
        value += context.proximity(place.lat, place.lon)
    return value


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


# The same pairs of places meet again in every report about the same region.
_distance = lru_cache(maxsize=65536)(distance_km)


@dataclass(frozen=True, slots=True)
class Homograph:
    default: tuple[str, str]  # (country, kind)
    alternative: tuple[str, str]
    cues: frozenset[str]

    def reading(self, words: frozenset[str]) -> tuple[str, str]:
        return self.alternative if words & self.cues else self.default


@lru_cache(maxsize=1)
def _homographs() -> dict[str, Homograph]:
    """geo/data/homographs.tsv: عمان is Amman unless the report speaks of the Sultanate."""
    out: dict[str, Homograph] = {}
    lines = (DATA_DIR / "homographs.tsv").read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]
    for key, default, alternative, cues in rows[1:]:
        out[name_key(key)] = Homograph(tuple(default.split(":")), tuple(alternative.split(":")),
                                       frozenset(name_key(c) for c in cues.split("|")))
    return out


@lru_cache(maxsize=4)
def _load_cached(path: str) -> Gazetteer:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        text = fh.read()
    raw: dict[str, list[str]] = {}
    lines = text.split("\n")
    for line in lines[1:]:
        if not line:
            continue
        key, _, rest = line.partition("\t")
        raw.setdefault(key, []).append(rest)
        if rest.split("\t", 4)[3] == "country":  # an ISO lookup key for by_country()
            raw.setdefault(f"iso {rest.split(chr(9), 3)[2].lower()}", []).append(rest)
    for key, rows in raw.items():
        if key.startswith("iso "):
            raw[key] = [r for r in rows if r.split("\t")[-1] == "0"][:1] or rows[:1]
    return Gazetteer(raw)


def _parse(rest: str) -> Place:
    name_ar, name_en, country, kind, lat, lon, pop, gn_id, wof_id, code, alt = rest.split("\t")
    return Place(name_ar, name_en, country, kind, float(lat), float(lon), int(pop or 0),
                 int(gn_id) if gn_id else None, int(wof_id) if wof_id else None, code, alt == "1")
