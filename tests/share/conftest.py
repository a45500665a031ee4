"""A shared store with four organisations and one document per TLP level.

OWN owns every marked document and shares each with SHR by name and, where the level
allows it (AMBER), with the group GR whose member is GRP; OTH has no relation.  Two
ownerless documents (CLEAR, RED) stand for single-user local mode.  Every document names
its own entity, claim, event, quote and date (markers ``zq<level>``), and all of them
mention one common entity under a different spelling each, so counts, aliases and names
show exactly which documents were used.
"""

from __future__ import annotations

import datetime as dt

import pytest

from marsad.records import Analysis, DateMatch, Document, Event, Mention, Quantity, Quote
from marsad.share import orgs
from marsad.share.viewer import Viewer
from marsad.store import Store
from tests.store.conftest import PG_URL, _empty_postgres

LEVELS = ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED")
ORGS = ("OWN", "SHR", "GRP", "OTH")
COMMON_ID = "ent-common"


def marker(level: str, owner: str | None = "OWN") -> str:
    base = "zq" + level.lower().replace("+", "")
    return base if owner else base + "local"


#: (level, owner) -> who may see it; None is the unrestricted local caller
EXPECTED: dict[tuple[str, str | None], set[str | None]] = {
    ("CLEAR", "OWN"): {None, "OWN", "SHR", "GRP", "OTH"},
    ("GREEN", "OWN"): {None, "OWN", "SHR", "GRP", "OTH"},
    ("AMBER", "OWN"): {None, "OWN", "SHR", "GRP"},
    ("AMBER+STRICT", "OWN"): {None, "OWN", "SHR"},
    ("RED", "OWN"): {None, "OWN", "SHR"},
    ("CLEAR", None): {None, "OWN", "SHR", "GRP", "OTH"},
    ("RED", None): {None},
}


def doc_analysis(level: str, owner: str | None, day: int) -> Analysis:
    m = marker(level, owner)
    surface = f"مشترك{m}"  # the common entity, spelled per document
    body = (f"تقرير {m} عن الحدود. ذكر {surface} أن {m}ناطق قال إن 120 {m}عنصر عبروا إلى {m}مكان "
            f"يوم 3 مارس 2025 بعد اعتقال {m}خلية. وقال {m}ناطق: الوضع {m}هادئ.")
    doc = Document(id=f"doc-{m}", title=f"عنوان {m}", body=body, source=f"test/{m}.txt",
                   outlet=f"outlet-{m}", published=dt.date(2025, 3, day), tlp=level, owner=owner,
                   ingested_at=dt.datetime(2025, 3, day, 9, tzinfo=dt.UTC))
    a = Analysis(doc=doc)

    def span(text: str) -> tuple[int, int]:
        s = body.index(text)
        return s, s + len(text)

    a.entities.append(Mention(*span(surface), surface, "ORG", entity_id=COMMON_ID, canonical="Common Org"))
    a.entities.append(Mention(*span(f"{m}مكان"), f"{m}مكان", "LOC", entity_id=f"ent-{m}", canonical=f"Place {m}"))
    a.quantities.append(Quantity(*span(f"120 {m}عنصر"), f"120 {m}عنصر", 120 if level != "RED" else 900,
                                 what=f"{m}عنصر", category="fighters", where="الحدود", when="2025-03",
                                 source=f"{m}ناطق"))
    a.dates.append(DateMatch(*span("3 مارس 2025"), "3 مارس 2025", "2025-03-03"))
    a.events.append(Event(*span("اعتقال"), "اعتقال", "ARREST", actors=[f"{m}قوة"], targets=[f"{m}خلية"],
                          where=f"{m}مكان", when="2025-03-03"))
    a.quotes.append(Quote(*span(f"الوضع {m}هادئ"), f"الوضع {m}هادئ", f"{m}ناطق", cue="وقال",
                          speaker_kind="person"))
    return a


def populate(store: Store) -> None:
    for org in ORGS:
        orgs.add_org(store, org)
    orgs.add_group(store, "GR", ["GRP"])
    # the RED document is saved first, so the stored name of the common entity is its spelling
    order = [("RED", "OWN"), ("RED", None), ("CLEAR", "OWN"), ("GREEN", "OWN"), ("AMBER", "OWN"),
             ("AMBER+STRICT", "OWN"), ("CLEAR", None)]
    for day, (level, owner) in enumerate(order, start=1):
        store.save([doc_analysis(level, owner, day)])
    for level in LEVELS:
        targets = ["SHR", "GR"] if level in ("CLEAR", "GREEN", "AMBER") else ["SHR"]
        orgs.share_documents(store, [f"doc-{marker(level)}"], targets, owner="OWN")


def viewer(store: Store, org: str | None) -> Viewer | None:
    return None if org is None else orgs.viewer_for(store, org)


def visible_markers(org: str | None) -> set[str]:
    return {marker(level, owner) for (level, owner), who in EXPECTED.items() if org in who}


def _open_populated(kind: str, folder) -> Store:  # noqa: ANN001
    if kind == "postgresql":
        if not PG_URL:
            pytest.skip("set MARSAD_TEST_PG to run the sharing tests on PostgreSQL")
        _empty_postgres(PG_URL)
        store = Store.open(PG_URL)
    else:
        store = Store.open(folder / "shared.db")
    populate(store)
    return store


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shared_store(request, tmp_path_factory):
    """Built once per test module: for tests that only READ it."""
    store = _open_populated(request.param, tmp_path_factory.mktemp("shared"))
    yield store
    store.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_shared_store(request, tmp_path):
    """A store of its own, for tests that ingest, share, revoke or fuse."""
    store = _open_populated(request.param, tmp_path)
    yield store
    store.close()
