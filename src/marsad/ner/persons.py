"""Persons: a title phrase followed by a name, a known given name followed by a family name,
and later mentions of the same person (full name or family name alone) in the same report.

"وزير الدفاع العراقي ثابت العباسي" -> PER "ثابت العباسي", role "Iraqi defence minister".
Descriptions without a name ("مسؤول في جهاز المخابرات", "مصادر أمنية") make no PER mention:
a name must follow the title directly.
"""

from __future__ import annotations

from dataclasses import dataclass

from marsad.geo.keys import name_key
from marsad.geo.resolve import Gazetteer
from marsad.ner.candidates import Candidate
from marsad.ner.resources import Resources
from marsad.ner.romanise import known_given_key, romanise_name, unambiguous_given_key, unambiguous_given_keys
from marsad.ner.tokens import Word, proclitic_variants, text_offset

MAX_NAME_WORDS = 4
MAX_CACHED_KEYS = 200_000  # word keys remembered in Resources.title_heads; cleared when full
# Words after which an ال-word still belongs to the name (عبد الأمير، أبو الفضل).
COMPOUND_FIRST = frozenset({"عبد", "ابو", "ام", "بن", "ابن", "بو"})
CONNECTORS = (" of", " for")
# A place mention inside a name (the surname الحديثي is also a village) gives way to the person,
# unless it is a prominent place.
YIELDING_PLACE_KINDS = frozenset({"village", "town", "district"})


@dataclass(slots=True)
class _Role:
    text: str | None
    end: int  # index of the first word after the title phrase
    open_complement: bool = False  # "head of" with no known body after it


def find_persons(ws: list[Word], found: list[Candidate], res: Resources,
                 gazetteer: Gazetteer) -> list[Candidate]:
    covered = _coverage(ws, found)
    persons: list[Candidate] = []
    get, stopwords, given = res.title_heads.get, res.person_stopwords, unambiguous_given_keys()
    # the words a person may start at: uncovered, and beginning a title or able to begin a name
    # (_named_person's first test); a person found covers only words before the next one tried
    starts = [i for i, w in enumerate(ws) if covered[i] is None and (
        (heads := get(w.key)) or (heads is None and _title_heads(w.key, res))
        or (w.key in given and w.light not in stopwords))]
    i = 0  # the next word a person may start at
    for j in starts:
        if j < i:
            continue
        # _titled_person would find no title at a word that begins none: skip its call
        person = (_title_heads(ws[j].key, res) and _titled_person(ws, j, covered, res, gazetteer)) \
            or _named_person(ws, j, covered, res)
        if person is None:
            i = j + 1
            continue
        persons.append(person)
        for k in range(person.first, person.last + 1):
            covered[k] = person
        i = person.last + 1
    kept = [c for c in found if not any(c.overlaps(p) for p in persons)]
    merged = sorted(kept + persons, key=lambda c: c.start)
    return _corefer(ws, merged, res)


def _coverage(ws: list[Word], found: list[Candidate]) -> list[Candidate | None]:
    covered: list[Candidate | None] = [None] * len(ws)
    for cand in found:
        for k in range(cand.first, cand.last + 1):
            covered[k] = cand
    return covered


def _title_at(ws: list[Word], i: int, res: Resources) -> tuple[str, int, int] | None:
    """(title key, number of words, proclitic chars) of the longest title phrase at word i."""
    heads = _title_heads(ws[i].key, res)
    if not heads:
        return None  # most words: no title starts with them, found with one dict lookup
    for variant, skip, longest in heads:
        keys = [variant] + [w.key for w in ws[i + 1: i + min(longest, res.max_title_words)]]
        for n in range(len(keys), 0, -1):
            if n > 1 and not ws[i + n - 1].joined:
                continue
            key = " ".join(keys[:n])
            if key in res.titles:
                return key, n, skip
    return None


def _title_heads(key: str, res: Resources) -> tuple[tuple[str, int, int], ...]:
    """(variant, proclitic chars, most words of a title it begins) of the word key itself and
    of it without a و/ف (only those come before a title), for the variants that begin a title;
    remembered per key in ``res.title_heads``."""
    heads = res.title_heads.get(key)
    if heads is None:
        if len(res.title_heads) > MAX_CACHED_KEYS:
            res.title_heads.clear()
        heads = res.title_heads[key] = tuple(
            (variant, skip, res.title_starts[variant]) for variant, skip in proclitic_variants(key)[:2]
            if (not skip or key[:1] in ("و", "ف")) and res.title_starts.get(variant, 0))
    return heads


def _titled_person(ws: list[Word], i: int, covered: list[Candidate | None], res: Resources,
                   gazetteer: Gazetteer) -> Candidate | None:
    title = _title_at(ws, i, res)
    if title is None:
        return None
    role = _role_phrase(ws, i, title, covered, res)
    j = role.end
    if j >= len(ws):
        return None
    # apposition: "وزير الدفاع العراقي، ثابت العباسي" (only before a known given name)
    if not ws[j].joined and not known_given_key(ws[j].key):
        return None
    if role.open_complement and not known_given_key(ws[j].key):
        return None  # "رئيس قسم المخاطر": an unknown body follows the title, not a name
    name = _name_words(ws, j, covered, res)
    if name is None:
        return None
    first, last = name
    return _person(ws, first, last, role.text, 0.85)


def _role_phrase(ws: list[Word], i: int, title: tuple[str, int, int],
                 covered: list[Candidate | None], res: Resources) -> _Role:
    key, n, _skip = title
    spec = res.titles[key]
    role = spec.role_en
    open_complement = False
    j = i + n
    if spec.kind in ("rank", "honorific"):
        return _Role(role if spec.kind == "rank" else None, j)
    # the body the title belongs to: "رئيس جهاز المخابرات العراقي", "محافظ نينوى"
    if j < len(ws) and ws[j].joined and covered[j] is not None and covered[j].first == j:
        body = covered[j]
        name = body.canonical or ws[j].text
        if role.endswith(CONNECTORS):
            role = f"{role} the {name}" if body.type == "ORG" else f"{role} {name}"
        j = body.last + 1
    elif role.endswith(CONNECTORS) and j < len(ws) and ws[j].joined and ws[j].key in res.institutions:
        role = f"{role} the {res.institutions[ws[j].key]}"  # "مديرة المخيم": director of the camp
        j += 1
    elif role.endswith(CONNECTORS):
        role = role.rsplit(" ", 1)[0]
        open_complement = True
    # "وزير الدفاع العراقي" -> "Iraqi defence minister"; "السابق" -> "former …"
    while j < len(ws) and ws[j].joined:
        nisba = res.nisba.get(ws[j].key)
        modifier = res.titles.get(ws[j].key)
        if nisba is not None and not role.startswith(nisba.adj_en):
            role = f"{nisba.adj_en} {role}"
        elif modifier is not None and modifier.kind == "modifier":
            role = f"{modifier.role_en} {role}"
        else:
            break
        j += 1
    # a rank or honorific between the post and the name: "قائد الشرطة اللواء …"
    if j < len(ws) and ws[j].joined:
        rank = _title_at(ws, j, res)
        if rank is not None and res.titles[rank[0]].kind in ("rank", "honorific"):
            j += rank[1]
    # "سفير الاتحاد الأوروبي لدى العراق" -> "... to Iraq"
    if j + 1 < len(ws) and ws[j].key == "لدي" and covered[j + 1] is not None and covered[j + 1].type == "LOC":
        place = covered[j + 1]
        role = f"{role} to {place.canonical or ws[j + 1].text}"
        j = place.last + 1
    return _Role(role, j, open_complement)


def _name_words(ws: list[Word], j: int, covered: list[Candidate | None],
                res: Resources) -> tuple[int, int] | None:
    """Word span of a personal name starting at j: up to the family name (an ال-word), at most
    four words; without an ال-word, at most two."""
    if not _can_start_name(ws[j], covered[j], res):
        return None
    if ws[j].key.startswith("ال"):
        return None  # a family name alone is linked later, by coreference
    last = j
    k = j + 1
    while k < len(ws) and k - j < MAX_NAME_WORDS and ws[k].spaced:
        word = ws[k]
        if not _can_continue_name(word, covered[k], res):
            break
        last = k
        if word.key.startswith("ال") and ws[k - 1].key not in COMPOUND_FIRST:
            return j, last  # the family name ends the name
        k += 1
    # no family name: given name + one more word at most ("لويد أوستن"); a first word in ة is a
    # feminine noun ("أهمية دور") unless it is a known name (أسامة)
    if last >= j + 2 and ws[j + 1].key in COMPOUND_FIRST and ws[j + 2].key.startswith("ال"):
        return j, j + 2  # a compound given name ends it: "فرهاد عبد الكريم"
    last = min(last, j + 1)
    if not known_given_key(ws[j].key) and (last == j or ws[j].key.endswith("ه")):
        return None
    return (j, last) if last > j else None


def _can_start_name(word: Word, cover: Candidate | None, res: Resources) -> bool:
    if cover is not None or not word.text[0].isalpha():
        return False
    # imperfect verbs (يثير، يقول) are not names; names in ي are in the given-name table
    if word.key.startswith("ي") and not known_given_key(word.key):
        return False
    return word.light not in res.person_stopwords and word.key not in res.titles \
        and word.key not in res.nisba


def _can_continue_name(word: Word, cover: Candidate | None, res: Resources) -> bool:
    if cover is not None and not (cover.type == "LOC" and _yields(cover)):
        return False
    if not word.text[0].isalpha() or word.light in res.person_stopwords:
        return False
    if word.key in res.titles or word.key in res.nisba:
        return False
    # a word with a conjunction or preposition attached starts a new phrase (وقال، بالعراق)
    if word.key[:1] in tuple("وفبل") and not known_given_key(word.key) and word.key not in COMPOUND_FIRST:
        stripped = word.key[1:]
        if stripped.startswith("ال") or word.key[:1] in ("و", "ف") or stripped in res.names:
            return False
    return True


def _yields(cand: Candidate) -> bool:
    return cand.last == cand.first and cand.minor_place  # a bare single-word minor place


def _named_person(ws: list[Word], i: int, covered: list[Candidate | None],
                  res: Resources) -> Candidate | None:
    """A known given name followed by a family name: "بشار الأسد", "نبيل جبار العلي"."""
    word = ws[i]
    if word.light in res.person_stopwords or not unambiguous_given_key(word.key):
        return None
    if i > 0 and ws[i].joined and res.titles.get(ws[i - 1].key) is not None:
        return None  # handled by the title rule
    name = _name_words(ws, i, covered, res)
    if name is None or not ws[name[1]].key.startswith("ال"):
        return None
    return _person(ws, name[0], name[1], None, 0.7)


def _person(ws: list[Word], first: int, last: int, role: str | None, confidence: float) -> Candidate:
    surface = " ".join(w.text for w in ws[first: last + 1])
    return Candidate(first, last, ws[first].start, ws[last].end, "PER", romanise_name(surface),
                     f"per:{name_key(surface)}", confidence, role=role)


def _corefer(ws: list[Word], found: list[Candidate], res: Resources) -> list[Candidate]:
    """Later mentions of a named person in the same report: the full name, or the family name
    alone ("الشاطري"), become PER mentions of the same entity; a family-name-only person found
    by a rank ("العميد الخفاجي") joins the full-name entity."""
    persons = [c for c in found if c.type == "PER"]
    by_family: dict[str, Candidate] = {}
    by_full: dict[tuple[str, ...], Candidate] = {}
    for p in persons:
        keys = tuple(w.key for w in ws[p.first: p.last + 1])
        if len(keys) > 1:
            by_full.setdefault(keys, p)
            family = keys[-1]
            if len(family) >= 4 and family not in res.nisba:
                by_family.setdefault(family, p)
    for p in persons:  # single-word persons take the full-name entity
        if p.first == p.last and ws[p.first].key in by_family:
            _same_entity(p, by_family[ws[p.first].key])
    if not by_full:  # no full name (so no family name either): nothing to find again
        return found
    covered = _coverage(ws, found)
    family_ends = {family[-3:] for family in by_family}
    extra: list[Candidate] = []
    by_first: dict[str, list[tuple[tuple[str, ...], Candidate]]] = {}
    for full, source in by_full.items():  # in by_full's order, so the first match is the same
        by_first.setdefault(full[0], []).append((full, source))
    for i, word in enumerate(ws):
        if covered[i] is not None and not (covered[i].type == "LOC" and _yields(covered[i])):
            continue
        for full, source in by_first.get(word.key, ()):
            n = len(full)
            if i + n <= len(ws) and _matches_at(ws, i, full) and all(
                    covered[k] is None for k in range(i + 1, i + n)):
                extra.append(_mention_like(ws, i, i + n - 1, source, 0))
                break
        else:
            # a variant is the key or "ا" + the key less one or two letters, and family names have
            # four letters or more: a family name the word can be ends as the word does
            if word.key[-3:] not in family_ends:
                continue
            for variant, skip in proclitic_variants(word.key):
                source = by_family.get(variant)
                if source is not None and (i == 0 or not _continues_name(ws, i)):
                    extra.append(_mention_like(ws, i, i, source, skip))
                    break
    if not extra:
        return found
    extra = _non_overlapping(extra)
    kept = [c for c in found if not any(c.overlaps(e) for e in extra)]
    return sorted(kept + extra, key=lambda c: c.start)


def _matches_at(ws: list[Word], i: int, keys: tuple[str, ...]) -> bool:
    for k, key in enumerate(keys):
        if ws[i + k].key != key or (k and not ws[i + k].joined):
            return False
    return True


def _continues_name(ws: list[Word], i: int) -> bool:
    """True when the family name follows another name word ("حافظ الأسد" is someone else)."""
    return ws[i].joined and known_given_key(ws[i - 1].key)


def _mention_like(ws: list[Word], first: int, last: int, source: Candidate, skip: int) -> Candidate:
    start = ws[first].start + text_offset(ws[first].text, skip)
    return Candidate(first, last, start, ws[last].end, "PER", source.canonical, source.entity_key,
                     0.8, role=source.role)


def _same_entity(target: Candidate, source: Candidate) -> None:
    target.entity_key, target.canonical = source.entity_key, source.canonical
    target.role = target.role or source.role


def _non_overlapping(cands: list[Candidate]) -> list[Candidate]:
    out: list[Candidate] = []
    for cand in sorted(cands, key=lambda c: (c.start, -(c.end - c.start))):
        if not out or cand.start >= out[-1].end:
            out.append(cand)
    return out
