"""The lexicon back-end: known names (aliases, national bodies) and gazetteer places, longest
match first over word keys, then titled and named persons, then geocoding in document context.

This is also the feature source the CRF back-end will use: :meth:`LexiconRecogniser.find`
returns the candidates with their word indices.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from marsad.geo.build import CORE_COUNTRIES
from marsad.geo.resolve import COARSE_KINDS, FOCUS_COUNTRIES, Gazetteer, GeoContext, Place, distance_km
from marsad.ids import stable_id
from marsad.ner.candidates import Candidate
from marsad.ner.persons import find_persons
from marsad.ner.resources import LexEntry, Resources, resources
from marsad.ner.romanise import known_given_name, romanise_name
from marsad.ner.tokens import Word, proclitic_variants, text_offset, words
from marsad.records import Analysis, Mention
from marsad.registry import ner_backends

# Heads that make a bare village or district name safe to tag ("قرية إمام ويس").
PLACE_PREFIX_KEYS = frozenset({"محافظه", "مدينه", "قضاء", "ناحيه", "منطقه", "قريه", "بلده", "مخيم",
                               "معبر", "قاعده"})
PROMINENT_KINDS = frozenset({"country", "region", "desert", "governorate", "city", "camp",
                             "crossing", "base"})
MINOR_KINDS = frozenset({"village", "town", "district"})
ADMIN_AREA_KINDS = frozenset({"governorate", "region"})  # what "بادية حمص" resolves to
MAX_PLACE_WORDS = 6
# A minor place whose only match lies this far from every other place of its report, in a
# country none of them is in, is a local site missing from the gazetteer (a quarter, a hamlet)
# that shares a foreign place's name: حي الواسطي in a report on Kirkuk is not El-Wasty, Egypt.
FOREIGN_OUTLIER_KM = 500.0
MAX_CACHED_KEYS = 200_000  # word keys remembered by a recogniser; cleared when full
_UNSEEN = (("", 0, 0),)  # truthy: see LexiconRecogniser._match_names
GEO_KIND_OUT = {"desert": "region"}  # output contract kinds (seeds-gold README)


class LexiconRecogniser:
    def __init__(self, gazetteer: Gazetteer | None = None, res: Resources | None = None) -> None:
        self.gazetteer = gazetteer or Gazetteer.load()
        self.res = res or resources()
        self.max_words = max(self.res.max_name_words, min(self.gazetteer.max_words, MAX_PLACE_WORDS))
        self._name_starts = _name_starts(self.res, self.gazetteer)
        self._pattern_heads = frozenset(head.split(" ", 1)[0] for head in self.res.patterns)
        self._place_keys = self.gazetteer.keys()  # membership without a method call
        # every name or place key and every run of its first words: a longer run of text words
        # whose first words are none of these cannot be a name, so it is never looked up
        self._prefixes = _word_prefixes((*self.res.names, *self.gazetteer.keys()))
        self._place_ok: dict[str, tuple[bool, bool]] = {}  # place key -> (acceptable, minor)
        # word key -> (variant, skip, longest) of its proclitic variants that begin a name or a
        # pattern; empty for most words, which then cost one dict lookup per report
        self._starts: dict[str, tuple[tuple[str, int, int], ...]] = {}

    def __call__(self, analysis: Analysis) -> list[Mention]:
        return self.recognise_text(analysis.doc.body)

    def recognise_text(self, text: str) -> list[Mention]:
        return [to_mention(c, text) for c in self.find(text)]

    def find(self, text: str) -> list[Candidate]:
        ws = words(text)
        found = self.candidates(text, ws)
        self.geocode(found, frozenset(w.key for w in ws))
        return found

    def candidates(self, text: str, ws: list[Word] | None = None) -> list[Candidate]:
        """Known names, places and persons, not yet geocoded."""
        ws = words(text) if ws is None else ws
        found = self._match_names(ws)
        found = find_persons(ws, found, self.res, self.gazetteer)
        _link_bare_forms(found)
        return found

    # --- names and places -------------------------------------------------------------------

    def _starting(self, key: str) -> tuple[tuple[str, int, int], ...]:
        found = self._starts.get(key)
        if found is None:
            if len(self._starts) > MAX_CACHED_KEYS:
                self._starts.clear()
            found = self._starts[key] = tuple(
                (variant, skip, self._name_starts.get(variant, 0)) for variant, skip in proclitic_variants(key)
                if variant in self._name_starts or variant in self._pattern_heads)
        return found

    def _match_names(self, ws: list[Word]) -> list[Candidate]:
        run_end = _run_ends(ws)
        found: list[Candidate] = []
        get, starting = self._starts.get, self._starting
        # the words some name or pattern begins with (most words: one dict lookup says no)
        # (a word whose key is not yet known reads as a head, a truthy default, and is looked at
        # properly in the second, short pass: nearly every word costs one lookup)
        maybe = [i for i, w in enumerate(ws) if get(w.key, _UNSEEN)]
        heads = [i for i in maybe if starting(ws[i].key)]
        i = 0  # the next word a name may start at
        for j in heads:
            if j < i:
                continue
            best = self._longest_at(ws, j, run_end[j], get(ws[j].key) or starting(ws[j].key))
            if best is None:
                i = j + 1
                continue
            found.append(best)
            i = best.last + 1
        return found

    def _longest_at(self, ws: list[Word], i: int, run_end: int,
                    begins: tuple[tuple[str, int, int], ...]) -> Candidate | None:
        """The longest name or pattern at word ``i``; ``begins`` are the word's variants that
        begin one (:meth:`_starting`)."""
        best: Candidate | None = None
        limit = min(self.max_words, run_end - i + 1)
        prefixes = self._prefixes
        for variant, skip, longest in begins:
            keys = [variant] + [w.key for w in ws[i + 1: i + limit]]
            # the most words that still begin a known key: no longer key can be one
            reach, top = 1, min(limit, longest)
            while reach < top and " ".join(keys[:reach + 1]) in prefixes:
                reach += 1
            for n in range(reach, 0, -1):
                if best is not None and n <= best.last - best.first + 1:
                    break
                key = " ".join(keys[:n])
                found = self._lookup(key, ws, i, n, skip)
                if found is not None:
                    best = found
                    break
            if variant in self._pattern_heads:  # else no pattern begins here
                pattern = self._pattern_at(keys, ws, i, skip)
                if pattern is not None and (best is None or pattern.last > best.last):
                    best = pattern
        return best

    def _lookup(self, key: str, ws: list[Word], i: int, n: int, skip: int) -> Candidate | None:
        entry = self.res.names.get(key)
        if entry is not None:
            return self._candidate(ws, i, n, skip, entry)
        if key not in self._place_keys:
            return None
        gate = self._place_ok.get(key)
        if gate is None:
            if len(self._place_ok) > MAX_CACHED_KEYS:
                self._place_ok.clear()
            kinds = {p.kind for p in self.gazetteer.candidates(key)}
            gate = self._place_ok[key] = (self._acceptable_place(key, n), kinds <= MINOR_KINDS)
        if gate[0] and not _accusative(ws[i + n - 1]):
            start = ws[i].start + text_offset(ws[i].text, skip)
            return Candidate(i, i + n - 1, start, ws[i + n - 1].end, "LOC", None, None, 0.85,
                             place_key=key, minor_place=gate[1])
        return None

    def _candidate(self, ws: list[Word], i: int, n: int, skip: int, entry: LexEntry) -> Candidate:
        start = ws[i].start + text_offset(ws[i].text, skip)
        return Candidate(i, i + n - 1, start, ws[i + n - 1].end, entry.type, entry.canonical,
                         entry.entity_key, 0.95, template=entry.template, country=entry.country)

    def _acceptable_place(self, key: str, n: int) -> bool:
        """Gate place names that are also common words (PROVENANCE §10.3: without a NER model,
        accept only prominent places, or minor ones introduced by a head such as قرية)."""
        if key in self.res.loc_stoplist or key in self.res.titles or key in self.res.nisba:
            return False
        head, _, core = key.partition(" ")
        if head in PLACE_PREFIX_KEYS:
            return core not in self.res.loc_stoplist
        places = self.gazetteer.candidates(key)
        if n == 1 and known_given_name(key) and not any(p.kind in ("country", "governorate") for p in places):
            return False  # بشار is a person before it is Béchar
        if n == 1 and len(key) <= 3:
            return len(key) == 3 and any(
                p.kind == "country" or (p.kind in ("city", "governorate") and not p.alt and _prominent(p))
                for p in places)
        return any(_prominent(p) for p in places)

    def _pattern_at(self, keys: list[str], ws: list[Word], i: int, skip: int) -> Candidate | None:
        """Head + optional direction + place: "قيادة عمليات غرب نينوى", "بادية حمص"."""
        for n_head in (2, 1, 3):
            head = " ".join(keys[:n_head])
            pattern = self.res.patterns.get(head)
            if pattern is None or len(keys) <= n_head:
                continue
            j = n_head
            direction = ""
            for n_dir in (2, 1):
                if " ".join(keys[j: j + n_dir]) in self.res.directions and len(keys) > j + n_dir:
                    direction = self.res.directions[" ".join(keys[j: j + n_dir])]
                    j += n_dir
                    break
            for n_place in range(min(3, len(keys) - j), 0, -1):
                place_key = " ".join(keys[j: j + n_place])
                if place_key not in self.gazetteer or place_key in self.res.loc_stoplist:
                    continue
                place = self.gazetteer.resolve_key(place_key)
                if place is None or place.kind not in PROMINENT_KINDS | {"town", "district"}:
                    continue
                english = _short_english(self.gazetteer, place_key, place)
                canonical = pattern.canonical.replace("{dir}", f"{direction} " if direction else "")
                canonical = canonical.replace("{place}", english)
                last = i + j + n_place - 1
                start = ws[i].start + text_offset(ws[i].text, skip)
                if pattern.type == "ORG":
                    return Candidate(i, last, start, ws[last].end, "ORG", canonical,
                                     f"org:{canonical}", 0.9, country=place.country)
                return Candidate(i, last, start, ws[last].end, "LOC", canonical, None, 0.85,
                                 place_key=place_key, prefer_admin=True)
        return None

    # --- geocoding ------------------------------------------------------------------------

    def geocode(self, found: list[Candidate], doc_words: frozenset[str] = frozenset()) -> None:
        """Two passes: first with the report's country focus only, then also with the points of
        the other places of the report (so one ambiguous name is pulled towards the rest)."""
        context = GeoContext(words=doc_words)
        for cand in found:
            if cand.country:
                context.countries[cand.country] += 1
        locs = [c for c in found if c.type == "LOC" and c.place_key]
        for cand in locs:
            top = self.gazetteer.resolve_key(cand.place_key or "")
            if top is not None and top.kind in ("country", "governorate", "region", "city"):
                context.countries[top.country] += 1
        # the context stays as it is during the first pass: one ranking per distinct place
        first_by_key: dict[tuple[str | None, bool], Place | None] = {}
        for c in locs:
            if (c.place_key, c.prefer_admin) not in first_by_key:
                first_by_key[(c.place_key, c.prefer_admin)] = self._resolve(c, context)
        first_pass = [first_by_key[(c.place_key, c.prefer_admin)] for c in locs]
        # What the other places of the report contribute, per place key: a candidate sees the
        # places of every other key. (Their countries are added to the shared count once per
        # candidate, as the candidates come: each pass leaves its counts for the next.)
        total: Counter = Counter()
        by_key: dict[str, Counter] = {}
        points: dict[str, set[tuple[float, float]]] = {}
        for other, place in zip(locs, first_pass, strict=True):
            if place is None:
                continue
            key = other.place_key or ""
            if place.country:
                total[place.country] += 1
                by_key.setdefault(key, Counter())[place.country] += 1
            if place.kind not in COARSE_KINDS:
                points.setdefault(key, set()).add((place.lat, place.lon))
        # one context per key: the same shared counts, words and points every time (so what it
        # remembers of the points serves every candidate of the key)
        others_by_key: dict[str, GeoContext] = {}
        for cand in locs:
            key = cand.place_key or ""
            own = by_key.get(key, {})
            for country, n in total.items():
                if n - own.get(country, 0):
                    context.countries[country] += n - own.get(country, 0)
            others = others_by_key.get(key)
            if others is None:
                others = others_by_key[key] = GeoContext(
                    countries=context.countries, words=doc_words,
                    points=[pt for k, pts in points.items() if k != key for pt in pts])
            place = self._resolve(cand, others)
            if place is None:
                continue
            place = _local_site(place, cand, locs, first_pass, total, own) or place
            cand.place = place
            if cand.canonical is None:
                cand.canonical = place.name_en
            if cand.prefer_admin:  # "بادية حمص": a region around the governorate's point
                cand.place = Place(place.name_ar, cand.canonical or place.name_en, place.country,
                                   "region", place.lat, place.lon)
            cand.entity_key = cand.place.entity_key

    def _resolve(self, cand: Candidate, context: GeoContext) -> Place | None:
        # the first of the ranking (of its governorates and regions, if any, for prefer_admin)
        return self.gazetteer.best(cand.place_key or "", context, ADMIN_AREA_KINDS if cand.prefer_admin else None)


def _local_site(place: Place, cand: Candidate, locs: list[Candidate], first_pass: list[Place | None],
                total: Counter, own: Counter | dict) -> Place | None:
    """A minor place (district, town, village) resolved to a country none of the report's other
    places is in, over ``FOREIGN_OUTLIER_KM`` from all of them, is taken for a local site missing
    from the gazetteer: it gets the point of the report's most mentioned city or town, as a
    district (a quarter of that city, as the gold codes sites the gazetteer lacks), and a name that
    says so ("al-Wasti (Kirkuk)"). None when the place is not such an outlier."""
    if place.kind not in MINOR_KINDS:
        return None
    if total.get(place.country, 0) - own.get(place.country, 0) > 0:
        return None  # the report names other places of that country
    others = [(c, p) for c, p in zip(locs, first_pass, strict=True)
              if p is not None and c.place_key != cand.place_key and p.kind not in COARSE_KINDS]
    if not others or min(distance_km(place.lat, place.lon, p.lat, p.lon) for _, p in others) <= FOREIGN_OUTLIER_KM:
        return None
    settlements = Counter(c.place_key for c, p in others if p.kind in ("city", "town"))
    if not settlements:
        return None
    key = max(settlements, key=lambda k: (settlements[k], k))
    container = next(p for c, p in others if c.place_key == key)
    name = f"{romanise_name(place.name_ar)} ({container.name_en})"
    return Place(place.name_ar, name, container.country, "district", container.lat, container.lon)


def _name_starts(res: Resources, gazetteer: Gazetteer) -> dict[str, int]:
    """First word of every known name and place → the most words a name starting with it has."""
    starts: dict[str, int] = {}
    for key in (*res.names, *gazetteer.keys()):
        first, _, rest = key.partition(" ")
        n = rest.count(" ") + 2 if rest else 1
        if n > starts.get(first, 0):
            starts[first] = n
    return starts


def _word_prefixes(keys: Iterable[str]) -> frozenset[str]:
    """Each key's first two words, first three, … up to the whole key (one-word runs are
    :func:`_name_starts`' business)."""
    out: set[str] = set()
    for key in keys:
        at = key.find(" ")
        while at != -1:
            at = key.find(" ", at + 1)
            out.add(key if at == -1 else key[:at])
    return frozenset(out)


def _prominent(place: Place) -> bool:
    """Safe to tag by name alone: GeoNames alternate names are noisy, so minor places and
    alternate names count only in the focus countries."""
    if place.kind in ("country", "region", "desert", "camp", "crossing", "base"):
        return True
    if place.kind == "governorate":
        return place.country in CORE_COUNTRIES
    if place.kind == "city":
        return not place.alt or place.country in FOCUS_COUNTRIES
    if place.kind == "town":
        return place.country in FOCUS_COUNTRIES and not place.alt
    return False


def _short_english(gazetteer: Gazetteer, key: str, place: Place) -> str:
    """A city's English name reads better than its governorate's ("Homs", not "Homs (Hims)")."""
    for other in gazetteer.candidates(key):
        if other.kind in ("city", "town") and other.country == place.country:
            return other.name_en
    return place.name_en.split(" (")[0]


def _accusative(word: Word) -> bool:
    """دوماً ("always") is an adverb, not Douma: a tanween fatha never ends a place name."""
    return word.text.endswith(("ً", "اً", "ًا"))


def _run_ends(ws: list[Word]) -> list[int]:
    """For each word, the last word of the stretch it can share a name with (no punctuation)."""
    ends = [0] * len(ws)
    end = len(ws) - 1
    for i in range(len(ws) - 1, -1, -1):
        ends[i] = end
        if not ws[i].joined:
            end = i - 1
    return ends


def _link_bare_forms(found: list[Candidate]) -> None:
    """A bare national body ("وزارة الخارجية") is the qualified one named in the same report."""
    qualified: dict[str, Candidate] = {}
    for cand in found:
        if cand.template and cand.entity_key and not cand.entity_key.endswith(":?"):
            qualified.setdefault(cand.template, cand)
    for cand in found:
        if cand.entity_key and cand.entity_key.endswith(":?") and cand.template in qualified:
            source = qualified[cand.template]
            cand.entity_key, cand.canonical = source.entity_key, source.canonical


def to_mention(cand: Candidate, text: str) -> Mention:
    place = cand.place
    return Mention(
        start=cand.start, end=cand.end, text=text[cand.start:cand.end], type=cand.type,
        canonical=cand.canonical, role=cand.role,
        entity_id=stable_id(cand.type, cand.entity_key or cand.canonical or text[cand.start:cand.end]),
        confidence=cand.confidence,
        lat=place.lat if place else None, lon=place.lon if place else None,
        geo_kind=GEO_KIND_OUT.get(place.kind, place.kind) if place else None,
        geonames_id=place.gn_id if place else None,
    )


@ner_backends.register("lexicon")
def _lexicon_backend() -> LexiconRecogniser:
    return LexiconRecogniser()
