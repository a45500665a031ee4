"""Entity resolution across reports: evidence links between per-document entities, and the
clusters they form.

Extraction already gives every alias in the curated lists one entity (داعش and تنظيم الدولة
share an id).  What is left for fusion, rule by rule, each link carrying a readable reason:

- ``alias``: a name in the alias list whose entity came out under another id;
- ``geonames``: two places with one GeoNames id;
- ``english``: the same English name (transliteration variants meet here);
- ``spelling``: the same Arabic skeleton (hamza, ة/ه, ى/ي, البو كمال/البوكمال);
- ``fuzzy``: names within a small edit distance (rapidfuzz), blocked on the first letters;
- ``surname``: a family name alone (الشاطري) and the one full name that ends with it.

Clusters are computed from the active links, strongest first, never joining a pair an analyst
split (``entity_splits``), so every merge is explainable and reversible.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from .names import english_key, skeleton, surname, words

FUZZY_MIN = 92.0  # token-sort ratio over skeletons; below this spelling variants start to be different people
FUZZY_MIN_LEN = 6


@dataclass(frozen=True, slots=True)
class EntityRow:
    id: str
    type: str
    name: str
    canonical: str | None = None
    geonames_id: int | None = None


@dataclass(frozen=True, slots=True)
class Link:
    a: str
    b: str
    rule: str
    evidence: str
    score: float
    doc_id: str | None = None

    @property
    def pair(self) -> tuple[str, str]:
        return (self.a, self.b) if self.a < self.b else (self.b, self.a)


@dataclass(frozen=True, slots=True)
class NameKeys:
    """The blocking keys of one entity (the store keeps them, indexed, in ``entity_keys``)."""

    skeleton: str
    english: str | None
    surname: str | None
    single_word: bool

    @property
    def prefix(self) -> str:  # fuzzy candidates share the first two letters
        return self.skeleton[:2]


_Keys = NameKeys


def name_keys(row: EntityRow) -> NameKeys:
    return NameKeys(skeleton(row.name), english_key(row.canonical), surname(row.name),
                    len(words(row.name)) == 1)


_keys = name_keys


def fuzzy_lengths(length: int) -> tuple[int, int]:
    """The skeleton lengths a name of ``length`` letters can reach ``FUZZY_MIN`` with: rapidfuzz's
    ratio is at most 2·min/(a+b), so longer or shorter names cannot (a bound for SQL blocking)."""
    slack = (100.0 - FUZZY_MIN) / 100.0
    return math.floor(length * (1 - slack) / (1 + slack)), math.ceil(length * (1 + slack) / (1 - slack))


class EntityIndex:
    """Blocking indexes over every known entity, for proposing links to new ones."""

    def __init__(self, rows: Iterable[EntityRow] = ()) -> None:
        self.rows: dict[str, EntityRow] = {}
        self._keys: dict[str, _Keys] = {}
        self.by_skeleton: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.by_english: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.by_geonames: dict[int, set[str]] = defaultdict(set)
        self.by_surname: dict[str, set[str]] = defaultdict(set)  # full PER names by family name
        self.by_prefix: dict[tuple[str, str], set[str]] = defaultdict(set)
        for row in rows:
            self.add(row)

    def add(self, row: EntityRow, keys: NameKeys | None = None) -> None:
        """Index ``row``; ``keys`` when already known (stored), else computed from its names."""
        if row.id in self.rows:
            return
        keys = keys or name_keys(row)
        self.rows[row.id] = row
        self._keys[row.id] = keys
        if keys.skeleton:
            self.by_skeleton[(row.type, keys.skeleton)].add(row.id)
            self.by_prefix[(row.type, keys.skeleton[:2])].add(row.id)
        if keys.english:
            self.by_english[(row.type, keys.english)].add(row.id)
        if row.type == "LOC" and row.geonames_id:
            self.by_geonames[row.geonames_id].add(row.id)
        if row.type == "PER" and keys.surname:
            self.by_surname[keys.surname].add(row.id)

    def keys(self, entity_id: str) -> _Keys:
        return self._keys[entity_id]


def propose_links(new_ids: Sequence[str], index: EntityIndex,
                  alias_ids: dict[tuple[str, str], str] | None = None) -> list[Link]:
    """Links from each entity in ``new_ids`` to any known entity (both must be in ``index``)."""
    links: dict[tuple[tuple[str, str], str], Link] = {}

    def add(link: Link) -> None:
        if link.a != link.b:
            links.setdefault((link.pair, link.rule), link)

    for eid in new_ids:
        row = index.rows[eid]
        keys = index.keys(eid)
        if alias_ids:
            target = alias_ids.get((row.type, keys.skeleton))
            if target and target != eid and target in index.rows:
                add(Link(eid, target, "alias", f"«{row.name}» is an alias of {index.rows[target].canonical or index.rows[target].name} in the curated list", 1.0))
        if row.type == "LOC" and row.geonames_id:
            for other in index.by_geonames[row.geonames_id]:
                add(Link(eid, other, "geonames", f"both resolve to GeoNames {row.geonames_id}", 1.0))
        if keys.english:
            for other in index.by_english[(row.type, keys.english)]:
                o = index.rows[other]
                add(Link(eid, other, "english", f"same English name: {row.canonical} = {o.canonical}", 0.9))
        if keys.skeleton and len(keys.skeleton) >= 3:
            for other in index.by_skeleton[(row.type, keys.skeleton)]:
                add(Link(eid, other, "spelling", f"same spelling once hamza, ta marbuta, alef maqsura, spaces and the article are folded: «{row.name}» = «{index.rows[other].name}»", 0.9))
        if row.type in ("PER", "ORG") and len(keys.skeleton) >= FUZZY_MIN_LEN:
            for other in index.by_prefix[(row.type, keys.skeleton[:2])]:
                if other == eid:
                    continue
                okeys = index.keys(other)
                if okeys.skeleton == keys.skeleton or len(okeys.skeleton) < FUZZY_MIN_LEN:
                    continue
                if keys.single_word != okeys.single_word:
                    continue
                score = fuzz.ratio(keys.skeleton, okeys.skeleton)
                if score >= FUZZY_MIN:
                    add(Link(eid, other, "fuzzy", f"near-identical spelling ({score:.0f}/100): «{row.name}» ~ «{index.rows[other].name}»", score / 100 * 0.85))
        if row.type == "PER":
            _surname_links(eid, index, add)
    return list(links.values())


def _surname_links(eid: str, index: EntityIndex, add) -> None:  # noqa: ANN001
    """A family name alone links to the full name ending with it when exactly one person
    known to the store carries that family name; a full name links back to a lone family
    name already in the store under the same condition."""
    row = index.rows[eid]
    keys = index.keys(eid)
    if keys.single_word:
        holders = index.by_surname.get(keys.skeleton, set())
        full = _distinct_people(holders, index)
        if len(full) == 1:
            other = next(iter(full))
            add(Link(eid, other, "surname", f"«{row.name}» is the family name of «{index.rows[other].name}», the only person of that name in the store", 0.8))
    elif keys.surname:
        lone = index.by_skeleton.get(("PER", keys.surname), set())
        full = _distinct_people(index.by_surname.get(keys.surname, set()), index)
        if len(full) == 1:
            for other in lone:
                add(Link(other, eid, "surname", f"«{index.rows[other].name}» is the family name of «{row.name}», the only person of that name in the store", 0.8))


def _distinct_people(ids: Iterable[str], index: EntityIndex) -> set[str]:
    """Full-name entities, one per distinct skeleton (spelling variants of one name count once)."""
    by_skeleton: dict[str, str] = {}
    for eid in sorted(ids):
        by_skeleton.setdefault(index.keys(eid).skeleton, eid)
    return set(by_skeleton.values())


# ------------------------------------------------------------------------------ clusters

def clusters(ids: Iterable[str], links: Iterable[Link], splits: Iterable[tuple[str, str]] = (),
             weight: dict[str, int] | None = None) -> dict[str, str]:
    """Map every id to its cluster's representative (the member with the most mentions).

    Links are applied strongest first; a link that would put a split pair in one cluster is
    skipped, so an analyst's split holds against any chain of automatic evidence.
    """
    parent: dict[str, str] = {i: i for i in ids}
    members: dict[str, set[str]] = {i: {i} for i in parent}
    apart: dict[str, set[str]] = defaultdict(set)
    for a, b in splits:
        apart[a].add(b)
        apart[b].add(a)

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in sorted(links, key=lambda l: (-l.score, l.pair, l.rule)):
        if link.a not in parent or link.b not in parent:
            continue
        ra, rb = find(link.a), find(link.b)
        if ra == rb:
            continue
        small, large = (ra, rb) if len(members[ra]) <= len(members[rb]) else (rb, ra)
        if any(apart[m] & members[large] for m in members[small]):
            continue
        parent[small] = large
        members[large] |= members.pop(small)
    weight = weight or {}
    out: dict[str, str] = {}
    for root, group in members.items():
        rep = min(group, key=lambda m: (-weight.get(m, 0), m))
        for m in group:
            out[m] = rep
    return out
