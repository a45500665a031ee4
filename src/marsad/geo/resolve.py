"""Place lookup and toponym resolution over the built index (``geo/data/places.tsv.gz``).

A name usually has several candidates (``القائم``: a border town in Anbar, a village in Dhi Qar,
nine hamlets in Yemen). :meth:`Gazetteer.resolve` scores them by feature prominence, population,
the report's country focus and closeness to places already resolved in the same report.
"""

from __future__ import annotations

import gzip
import math
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
        ranked = self.rank(key, context)
        return ranked[0] if ranked else None

    def rank(self, key: str, context: GeoContext | None = None) -> list[Place]:
        context = context or GeoContext()
        places = self.candidates(key)
        # Trap: an admin unit named after its capital ("الحسكة") means the city unless the
        # text says "محافظة"; that prefixed form has its own key.
        with_city = {p.country for p in places if p.kind in ("city", "town")}
        ranked = sorted(places, key=lambda p: -(score(p, context) - (
            CAPITAL_NAME_PENALTY if p.kind in ADMIN_KINDS and p.country in with_city else 0.0)))
        homograph = _homographs().get(key)
        if homograph is not None:
            country, kind = homograph.reading(context.words)
            ranked.sort(key=lambda p: not (p.country == country and p.kind == kind))
        return ranked

    def by_country(self, country: str) -> Place | None:
        """The country record for an ISO code (used for nisba forms such as العراقية)."""
        for place in self.candidates(f"iso {country.lower()}"):
            return place
        return None


def score(place: Place, context: GeoContext) -> float:
    value = KIND_PRIOR.get(place.kind, 0.0)
    if place.kind in SETTLEMENT_KINDS:  # population tells homonymous settlements apart
        value += POPULATION_WEIGHT * math.log10(place.population + 1)
    if place.alt:
        value -= ALT_NAME_PENALTY
    if place.country in FOCUS_COUNTRIES:
        value += 15.0
    elif place.country in REGION_COUNTRIES:
        value += 8.0
    value += COUNTRY_FOCUS_WEIGHT * context.focus_share(place.country)
    if context.points and place.kind not in COARSE_KINDS:
        nearest = min(_distance(place.lat, place.lon, lat, lon) for lat, lon in context.points)
        value += PROXIMITY_WEIGHT * math.exp(-nearest / PROXIMITY_SCALE_KM)
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
