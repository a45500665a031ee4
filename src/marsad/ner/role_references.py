"""Titles without a name: "رئيس جهاز المخابرات العراقي" standing for its holder.

The NER stage makes a PER mention only when a name follows the title.  Fusion resolves the
bare title to the person who held that post when the report was written, so this module
finds such phrases with the same title and role machinery as :mod:`marsad.ner.persons`.
Ranks and honorifics (اللواء، الشيخ) are not posts and are skipped, as are open titles
("رئيس قسم ..." with an unknown body) and former posts (السابق).
"""

from __future__ import annotations

from dataclasses import dataclass

from marsad.ner.lexicon import LexiconRecogniser
from marsad.ner.persons import _coverage, _role_phrase, _title_at
from marsad.ner.tokens import words


@dataclass(frozen=True, slots=True)
class RoleReference:
    start: int
    end: int
    text: str
    role: str  # English, as a titled person's role


def role_references(text: str, recogniser: LexiconRecogniser, named_spans: list[tuple[int, int]]) -> list[RoleReference]:
    """Bare title phrases of ``text``; ``named_spans`` are the PER mentions already found (a
    title right before one of them is that person's title, not a bare reference)."""
    ws = words(text)
    found = recogniser.candidates(text, ws)
    covered = _coverage(ws, [c for c in found if c.type != "PER"])
    person_starts = {start for start, _ in named_spans} | {c.start for c in found if c.type == "PER"}
    res = recogniser.res
    out: list[RoleReference] = []
    i = 0
    while i < len(ws):
        title = _title_at(ws, i, res)
        if title is None or res.titles[title[0]].kind in ("rank", "honorific", "modifier"):
            i += 1
            continue
        role = _role_phrase(ws, i, title, covered, res)
        j = role.end
        bare = j - i == 1 and role.text == res.titles[title[0]].role_en  # "الرئيس": of what?
        if role.text is None or role.open_complement or bare:
            i += 1
            continue
        if "former" in role.text:
            i = j
            continue
        if j < len(ws) and ws[j].start in person_starts:
            i = j
            continue
        if any(start >= ws[i].start and start < ws[j - 1].end for start in person_starts):
            i = j
            continue
        start = ws[i].start + title[2]
        end = ws[j - 1].end
        out.append(RoleReference(start, end, text[start:end], role.text))
        i = j
    return out
