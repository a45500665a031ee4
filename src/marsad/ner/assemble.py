"""Turn a model's typed spans into Marsad mentions, together with the lexicon.

The lexicon's candidates come first: they carry what a model cannot know (English canonical
names of known actors, roles from titles, national bodies). A model span that overlaps none of
them is added, trimmed of its proclitics (وبغداد → بغداد), given an English name (gazetteer or
romanisation) and, for places, geocoded with the rest of the report. A model PER also replaces
a lexicon place known only as a village ("minor" places give way to a name).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from marsad.arabic.segment import strip_clitics
from marsad.geo.keys import name_key
from marsad.ner.candidates import Candidate
from marsad.ner.lexicon import LexiconRecogniser, to_mention
from marsad.ner.proposers import Proposal
from marsad.ner.romanise import romanise_name
from marsad.ner.tokens import Word, text_offset, words
from marsad.records import Mention

MIN_LETTERS = 2


def assemble(text: str, proposals: Sequence[Proposal], lexicon: LexiconRecogniser,
             known: list[Candidate] | None = None, ws: list[Word] | None = None) -> list[Mention]:
    ws = words(text) if ws is None else ws
    found = lexicon.candidates(text, ws) if known is None else list(known)
    starts = [w.start for w in ws]
    for proposal in sorted(proposals, key=lambda p: p.start):
        cand = _candidate(text, ws, starts, proposal, lexicon)
        if cand is None:
            continue
        clashes = [c for c in found if c.overlaps(cand)]
        if not clashes:
            found.append(cand)
        elif cand.type == "PER" and all(c.type == "LOC" and c.minor_place for c in clashes):
            found = [c for c in found if c not in clashes] + [cand]
    found.sort(key=lambda c: c.start)
    _share_person_names(found, text)
    lexicon.geocode(found, frozenset(w.key for w in ws))
    return [to_mention(c, text) for c in found]


def _candidate(text: str, ws: list[Word], starts: list[int], proposal: Proposal,
               lexicon: LexiconRecogniser) -> Candidate | None:
    first = max(bisect_right(starts, proposal.start) - 1, 0)
    if first < len(ws) and ws[first].end <= proposal.start:
        first += 1
    last = bisect_left(starts, proposal.end) - 1
    if first >= len(ws) or last < first:
        return None
    word = ws[first]
    prefix, _stem = strip_clitics(word.key, final_ha=word.text.endswith("ه"))
    skip = len(prefix) - (2 if prefix.endswith("ال") else 0)
    if prefix.startswith("لل") or prefix.endswith("لل"):
        skip = max(0, len(prefix) - 2)
    start = word.start + text_offset(word.text, skip)
    end = ws[last].end
    surface = text[start:end]
    if sum(ch.isalpha() for ch in surface) < MIN_LETTERS:
        return None
    if surface.startswith("لل") and prefix.endswith("لل"):
        surface = "ال" + surface[2:]  # للموصل keeps its لل in the span but is looked up as الموصل
    key = name_key(surface)
    entry = lexicon.res.names.get(key)
    if proposal.type == "LOC":
        place_key = _place_key(key, lexicon)
        if place_key is None and entry is None:
            return Candidate(first, last, start, end, "LOC", romanise_name(surface), None,
                             proposal.confidence)
        return Candidate(first, last, start, end, "LOC", entry.canonical if entry else None,
                         entry.entity_key if entry else None, proposal.confidence, place_key=place_key)
    if entry is not None and entry.type == proposal.type:
        return Candidate(first, last, start, end, entry.type, entry.canonical, entry.entity_key,
                         proposal.confidence, country=entry.country)
    return Candidate(first, last, start, end, proposal.type, romanise_name(surface), None,
                     proposal.confidence)


def _place_key(key: str, lexicon: LexiconRecogniser) -> str | None:
    """The gazetteer key of a place name, also without its article (الموصل → موصل)."""
    gazetteer = lexicon.gazetteer
    if key in gazetteer:
        return key
    for variant in (key[2:] if key.startswith("ال") else "ال" + key,):
        if variant in gazetteer:
            return variant
    return None


def _share_person_names(found: list[Candidate], text: str) -> None:
    """A person named by a part of a full name found in the same report is that person
    (الخفاجي after تحسين الخفاجي)."""
    full = [c for c in found if c.type == "PER" and " " in text[c.start:c.end].strip()]
    for cand in found:
        if cand.type != "PER" or cand.entity_key is not None or cand in full:
            continue
        key = name_key(text[cand.start:cand.end])
        for other in full:
            other_keys = name_key(text[other.start:other.end]).split()
            parts = key.split()
            if parts and (parts == other_keys[-len(parts):] or key == other_keys[0]):
                cand.canonical = other.canonical
                cand.entity_key = other.entity_key or f"per:{other.canonical}"
                if other.entity_key is None:
                    other.entity_key = cand.entity_key
                break
