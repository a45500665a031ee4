"""Random sharing worlds and an INDEPENDENT reference of who may see what.

A world: a few organisations, sharing groups with random members, and documents with a
random owner (or none), TLP level and explicit shares.  Every document carries a unique
marker (``ظ`` + two letters; ``ظ`` appears nowhere else), written into its title, outlet,
entity spellings, claim, event and quote, so any trace of a document in a response can be
found by its marker.  All documents mention one common organisation (a different spelling
each), make one claim of the same group (value 120 or 900), report one arrest on the same
day at the same place, and quote a speaker: fusion then builds cross-document facts (aliases,
claim groups, contradictions, fused events, graph edges) whose visible parts must come only
from visible documents.

:func:`expected_visible` is the TLP rule table of docs/sharing.md written out again in plain
Python, deliberately NOT the production SQL (marsad.store.queries.visibility_clause).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from hypothesis import strategies as st

from marsad.records import Analysis, DateMatch, Document, Event, Mention, Quantity, Quote

LEVELS = ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED")
ORG_POOL = ("ALIF", "BAA", "JIM", "DAL")
GROUP_POOL = ("G-ONE", "G-TWO")
MARK = "ظ"
_LETTERS = "ثخذضغشصق"
MARKERS = tuple(MARK + a + b for a in _LETTERS for b in _LETTERS)
COMMON_ID = "ent-common"
COMMON_WORDS = ("تقرير", "الحدود", "والحدود", "اعتقال", "عنصر", "الوضع")
CLAIM_VALUES = (120, 900)


@dataclass(frozen=True, slots=True)
class Doc:
    marker: str
    owner: str | None
    tlp: str
    share_orgs: frozenset[str]
    share_groups: frozenset[str]
    value: int
    day: int

    @property
    def id(self) -> str:
        return f"doc-{self.marker}"

    @property
    def entity_id(self) -> str:
        return f"ent-{self.marker}"


@dataclass(frozen=True, slots=True)
class World:
    orgs: tuple[str, ...]
    groups: dict[str, frozenset[str]] = field(default_factory=dict)
    docs: tuple[Doc, ...] = ()

    def groups_of(self, org: str) -> frozenset[str]:
        return frozenset(g for g, members in self.groups.items() if org in members)


def expected_visible(world: World, doc: Doc, org: str | None) -> bool:
    """docs/sharing.md, "Visibility rule", row by row (None: the unrestricted local caller)."""
    if org is None:
        return True
    if doc.owner is not None and doc.owner == org:
        return True
    if doc.tlp in ("CLEAR", "GREEN"):
        return True
    if org in doc.share_orgs:
        return doc.tlp in ("AMBER", "AMBER+STRICT", "RED")
    if doc.tlp == "AMBER":
        return bool(doc.share_groups & world.groups_of(org))
    return False


@st.composite
def worlds(draw: st.DrawFn, max_docs: int = 7) -> World:
    orgs = tuple(ORG_POOL[:draw(st.integers(2, len(ORG_POOL)))])
    groups = {}
    for name in GROUP_POOL[:draw(st.integers(0, len(GROUP_POOL)))]:
        groups[name] = frozenset(draw(st.sets(st.sampled_from(orgs), min_size=1)))
    n = draw(st.integers(1, max_docs))
    markers = draw(st.lists(st.sampled_from(MARKERS), min_size=n, max_size=n, unique=True))
    docs = []
    for marker in markers:
        owner = draw(st.one_of(st.none(), st.sampled_from(orgs)))
        tlp = draw(st.sampled_from(LEVELS))
        share_orgs = frozenset(draw(st.sets(st.sampled_from(orgs), max_size=2)))
        # groups cannot receive AMBER+STRICT or RED (refused by share_documents)
        share_groups = frozenset(draw(st.sets(st.sampled_from(sorted(groups)), max_size=2))) \
            if groups and tlp in ("CLEAR", "GREEN", "AMBER") else frozenset()
        docs.append(Doc(marker, owner, tlp, share_orgs, share_groups,
                        draw(st.sampled_from(CLAIM_VALUES)), draw(st.integers(1, 28))))
    return World(orgs, groups, tuple(docs))


def queries(world: World) -> st.SearchStrategy[str]:
    """Search queries: a document's marker (visible or not), common words, phrases, noise."""
    markers = [d.marker for d in world.docs]
    return st.one_of(
        st.sampled_from(markers),
        st.sampled_from(markers).map(lambda m: f"{m}عنصر"),
        st.sampled_from(markers).map(lambda m: f'"تقرير {m}"'),
        st.sampled_from(COMMON_WORDS),
        st.tuples(st.sampled_from(COMMON_WORDS), st.sampled_from(markers)).map(" ".join),
        st.text(alphabet="ابتثجحخدذرزسشصضطعغفقكلمنهوي ؟\"*", min_size=1, max_size=12),
    )


def analysis(doc: Doc) -> Analysis:
    m = doc.marker
    common = f"مشترك{m}"
    body = (f"تقرير {m} عن الحدود. ذكر {common} أن {m}ناطق قال إن {doc.value} {m}عنصر عبروا إلى "
            f"{m}مكان يوم 3 مارس 2025 بعد اعتقال {m}خلية في الحدود. وقال {m}ناطق: الوضع {m}هادئ.")
    document = Document(id=doc.id, title=f"عنوان {m}", body=body, source=f"test/{m}.txt",
                        outlet=f"وكالة {m}", published=dt.date(2025, 3, doc.day), tlp=doc.tlp,
                        owner=doc.owner, ingested_at=dt.datetime(2025, 3, doc.day, 9, tzinfo=dt.UTC))
    a = Analysis(doc=document)

    def span(text: str) -> tuple[int, int]:
        s = body.index(text)
        return s, s + len(text)

    # canonical names come from the gazetteer (the same for every document), never per report
    a.entities.append(Mention(*span(common), common, "ORG", entity_id=COMMON_ID, canonical="Common Org"))
    a.entities.append(Mention(*span(f"{m}مكان"), f"{m}مكان", "LOC", entity_id=doc.entity_id))
    a.entities.append(Mention(*span(f"{m}ناطق"), f"{m}ناطق", "PER", entity_id=f"ent-per-{m}"))
    a.quantities.append(Quantity(*span(f"{doc.value} {m}عنصر"), f"{doc.value} {m}عنصر", doc.value,
                                 what=f"{m}عنصر", category="fighters", where="الحدود", when="2025-03",
                                 source=f"{m}ناطق"))
    a.dates.append(DateMatch(*span("3 مارس 2025"), "3 مارس 2025", "2025-03-03"))
    a.events.append(Event(*span("اعتقال"), "اعتقال", "ARREST", actors=[f"{m}قوة"], targets=[f"{m}خلية"],
                          where="الحدود", when="2025-03-03"))
    a.quotes.append(Quote(*span(f"الوضع {m}هادئ"), f"الوضع {m}هادئ", f"{m}ناطق", cue="وقال",
                          speaker_kind="person"))
    return a


#: records each document contributes (see :func:`analysis`)
PER_DOC = {"mentions": 3, "quantities": 1, "dates": 1, "events": 1, "quotes": 1}
