"""Searches filter on the copies of owner/TLP/outlet/date beside each search row (migration
0006): they must always equal the document's own columns, whoever changes those; and the
bounded forms of search (``candidates``, ``cap``) answer exactly what they promise."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import select, update

from marsad.share import orgs
from marsad.store import Store, queries
from marsad.store.engine import WRITE_OPTION
from marsad.store.migrate import alembic_config
from marsad.store.schema import documents, search_text

from .conftest import make_analysis

# Invented text: every report names the same word, each also a word of its own.
WORDS = ["قافلة", "سنبلة", "مرفأ", "جسر", "بيدر", "ساقية", "طاحونة", "مئذنة", "خان", "سوق"]


def _docs(n: int) -> list:
    out = []
    for i in range(n):
        body = f"تقرير {WORDS[i % len(WORDS)]} " + "تقرير " * (i % 3) + f"رقم {i}"
        a = make_analysis(f"doc-{i:02d}", body=body, title="", tlp=("GREEN", "RED")[i % 2],
                          outlet=f"وكالة {i % 3}", published=dt.date(2024, 1, 1) + dt.timedelta(days=i))
        a.doc.owner = ("ALPHA", "BRAVO")[i % 2]
        out.append(a)
    return out


def _side_equals_documents(store: Store) -> bool:
    cols = queries.SEARCH_SIDE_COLUMNS
    with store.engine.connect() as conn:
        side = {r.doc_id: tuple(r[1:]) for r in conn.execute(
            select(search_text.c.doc_id, *(search_text.c[c] for c in cols)))}
        docs = {r.id: tuple(r[1:]) for r in conn.execute(select(documents.c.id, *(documents.c[c] for c in cols)))}
    return side == docs and len(docs) > 0


def _setup(store: Store, n: int = 12) -> None:
    for org in ("ALPHA", "BRAVO"):
        orgs.add_org(store, org)
    store.save(_docs(n))


def test_side_columns_follow_the_documents(store):
    _setup(store)
    assert _side_equals_documents(store)
    alpha = orgs.viewer_for(store, "ALPHA")
    assert "doc-03" not in {h.id for h in store.search("تقرير", limit=100, viewer=alpha)}  # BRAVO's RED
    with store._write() as conn:  # noqa: SLF001 - a re-marking by any writer, in plain SQL
        conn.execute(update(documents).where(documents.c.id == "doc-03")
                     .values(tlp="GREEN", outlet="وكالة جديدة", published=dt.date(2020, 5, 5)))
        conn.execute(update(documents).where(documents.c.id == "doc-02").values(tlp="RED"))
    assert _side_equals_documents(store)
    found = {h.id for h in store.search("تقرير", limit=100, viewer=alpha)}
    assert "doc-03" in found and "doc-02" in found  # doc-02 is ALPHA's own
    bravo = orgs.viewer_for(store, "BRAVO")
    assert "doc-02" not in {h.id for h in store.search("تقرير", limit=100, viewer=bravo)}
    only = queries.DocumentFilter(outlet="جديدة")
    assert [h.id for h in store.search("تقرير", viewer=alpha, filters=only)] == ["doc-03"]


def test_migration_0006_fills_existing_rows(tmp_path):
    path = tmp_path / "old.db"
    with Store.open(path) as store:
        _setup(store, 6)
        cfg = alembic_config()
        with store.engine.connect().execution_options(**{WRITE_OPTION: True}) as conn, conn.begin():
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0005")
    with Store.open(path) as store:  # upgrades again: the copies come from the documents
        assert _side_equals_documents(store)
        assert len(store.search("تقرير", viewer=orgs.viewer_for(store, "ALPHA"))) == 3  # its own GREEN


def test_candidates_rank_the_newest_matches_only(store):
    _setup(store, 20)
    bravo = orgs.viewer_for(store, "BRAVO")
    every = store.search("تقرير", limit=100, viewer=bravo)
    assert len(every) == 20 // 2 + 20 // 2  # BRAVO's own and everyone's GREEN
    newest = [h.id for h in sorted(every, key=lambda h: h.id, reverse=True)[:5]]  # ids follow save order
    bounded = store.search("تقرير", limit=100, viewer=bravo, candidates=5)
    assert sorted(h.id for h in bounded) == sorted(newest)
    # ranked as in the full ranking: the same scores, best first
    score = {h.id: h.score for h in every}
    assert [h.score for h in bounded] == [score[h.id] for h in bounded]
    assert [h.score for h in bounded] == sorted((h.score for h in bounded), reverse=True)
    pages = [h.id for off in (0, 2, 4) for h in store.search("تقرير", limit=2, offset=off, viewer=bravo,
                                                               candidates=5)]
    assert pages == [h.id for h in bounded]  # pages end at the candidates
    assert store.search("تقرير", offset=5, viewer=bravo, candidates=5) == []


def test_count_cap_stops_one_above(store):
    _setup(store, 20)
    bravo = orgs.viewer_for(store, "BRAVO")
    assert store.count_search("تقرير", viewer=bravo) == 20
    assert store.count_search("تقرير", viewer=bravo, cap=7) == 8
    assert store.count_search("تقرير", viewer=bravo, cap=20) == 20
    assert store.count_search(WORDS[1], viewer=bravo, cap=1) == 2  # doc-01, doc-11 (BRAVO's)
    alpha = orgs.viewer_for(store, "ALPHA")
    assert store.count_search(WORDS[1], viewer=alpha, cap=1) == 0  # both RED and BRAVO's


def test_search_page_counts_what_count_search_counts(store):
    _setup(store, 20)
    for org in ("ALPHA", "BRAVO"):
        v = orgs.viewer_for(store, org)
        for q in ("تقرير", WORDS[1], WORDS[2], "لاشيء"):
            for cap in (1, 5, 50):
                hits, found = store.search_page(q, limit=3, viewer=v, candidates=cap)
                assert found == (store.count_search(q, viewer=v, cap=cap) if hits else None)
                assert len(hits) <= min(3, cap)
    assert store.search_page("تقرير", offset=30, viewer=orgs.viewer_for(store, "BRAVO"), candidates=50) == ([], None)
