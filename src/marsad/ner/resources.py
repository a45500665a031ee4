"""The language data of the lexicon back-end, loaded once from the data files.

``lang/ar/aliases.tsv`` (known actors), ``lang/ar/titles.tsv`` (titles and roles),
``lang/ar/person_stopwords.txt``, ``ner/data/org_templates.tsv`` (national bodies),
``ner/data/place_patterns.tsv`` + ``directions.tsv`` (head + place names),
``ner/data/loc_stoplist.txt`` (place names that are common words) and
``geo/data/nationalities.tsv`` (nisba adjectives).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from marsad.geo.keys import name_key
from marsad.ner.tokens import light_form

PACKAGE = Path(__file__).resolve().parents[1]
LANG_AR = PACKAGE / "lang" / "ar"
NER_DATA = PACKAGE / "ner" / "data"
GEO_DATA = PACKAGE / "geo" / "data"


@dataclass(frozen=True, slots=True)
class LexEntry:
    """A known name: its type, English canonical name and the key of the entity it names."""

    type: str
    canonical: str
    entity_key: str
    template: str | None = None  # org template id for bare forms ("وزارة الخارجية")
    country: str | None = None  # the nationality it carries, for the geocoder's country focus


@dataclass(frozen=True, slots=True)
class Title:
    role_en: str
    kind: str  # office | rank | honorific | modifier | person


@dataclass(frozen=True, slots=True)
class Nationality:
    country: str
    adj_en: str


@dataclass(frozen=True, slots=True)
class PlacePattern:
    head_words: int
    type: str
    canonical: str
    kind: str  # org | region


@dataclass(slots=True)
class Resources:
    names: dict[str, LexEntry] = field(default_factory=dict)
    titles: dict[str, Title] = field(default_factory=dict)
    nisba: dict[str, Nationality] = field(default_factory=dict)
    patterns: dict[str, PlacePattern] = field(default_factory=dict)
    directions: dict[str, str] = field(default_factory=dict)
    person_stopwords: frozenset[str] = frozenset()
    loc_stoplist: frozenset[str] = frozenset()

    institutions: dict[str, str] = field(default_factory=dict)
    max_name_words: int = 1
    max_title_words: int = 1
    title_starts: dict[str, int] = field(default_factory=dict)  # first word → most words of a title
    # word key of a text → its variants that begin a title (a cache filled by ner.persons)
    title_heads: dict[str, tuple[tuple[str, int, int], ...]] = field(default_factory=dict)


def _rows(path: Path) -> Iterator[list[str]]:
    """Data rows of a TSV: comment lines and the header line skipped."""
    header_seen = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not header_seen:
            header_seen = True
            continue
        yield line.split("\t")


def _word_list(path: Path) -> list[str]:
    return [w.strip() for w in path.read_text(encoding="utf-8").splitlines()
            if w.strip() and not w.startswith("#")]


@lru_cache(maxsize=1)
def resources() -> Resources:
    res = Resources()
    for code, adj_en, masc, fem in _rows(GEO_DATA / "nationalities.tsv"):
        for form in masc.split("|") + fem.split("|"):
            res.nisba[name_key(form)] = Nationality(code, adj_en)
    _load_templates(res)
    for surface, type_, canonical, entity_key, *_note in _rows(LANG_AR / "aliases.tsv"):
        # explicit aliases win over template expansions ("القوات العراقية" and its key agree)
        res.names[name_key(surface)] = LexEntry(type_, canonical, entity_key,
                                                country="IQ" if entity_key.startswith("iq_") else None)
    for title_ar, role_en, kind in _rows(LANG_AR / "titles.tsv"):
        res.titles[name_key(title_ar)] = Title(role_en, kind)
    for noun_ar, english in _rows(LANG_AR / "institution_nouns.tsv"):
        res.institutions[name_key(noun_ar)] = english
    for head, type_, canonical, kind in _rows(NER_DATA / "place_patterns.tsv"):
        key = name_key(head)
        res.patterns[key] = PlacePattern(key.count(" ") + 1, type_, canonical, kind)
    for direction_ar, direction_en in _rows(NER_DATA / "directions.tsv"):
        res.directions[name_key(direction_ar)] = direction_en
    res.person_stopwords = frozenset(light_form(w) for w in _word_list(LANG_AR / "person_stopwords.txt"))
    res.loc_stoplist = frozenset(name_key(w) for w in _word_list(NER_DATA / "loc_stoplist.txt"))
    res.max_name_words = max(k.count(" ") + 1 for k in res.names)
    res.max_title_words = max(k.count(" ") + 1 for k in res.titles)
    for key in res.titles:
        first, _, _rest = key.partition(" ")
        res.title_starts[first] = max(res.title_starts.get(first, 0), key.count(" ") + 1)
    return res


def _load_templates(res: Resources) -> None:
    countries: dict[str, tuple[str, list[str], list[str]]] = {}
    for code, adj_en, masc, fem in _rows(GEO_DATA / "nationalities.tsv"):
        countries[code] = (adj_en, masc.split("|"), fem.split("|"))
    for template_ar, canonical_en, entity_key, *rest in _rows(NER_DATA / "org_templates.tsv"):
        bare_en = rest[0] if rest else ""
        template_id = entity_key.split(":")[0]
        for code, (adj_en, masc_forms, fem_forms) in countries.items():
            forms = masc_forms if "{masc}" in template_ar else fem_forms
            for form in forms:
                surface = template_ar.replace("{masc}", form).replace("{fem}", form)
                res.names[name_key(surface)] = LexEntry(
                    "ORG", canonical_en.replace("{adj}", adj_en),
                    entity_key.replace("{cc}", code.lower()), template_id, code)
        if bare_en:
            bare = template_ar.replace(" {masc}", "").replace(" {fem}", "")
            res.names.setdefault(name_key(bare), LexEntry("ORG", bare_en, f"{template_id}:?", template_id))
