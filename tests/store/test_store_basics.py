from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3

import pytest
from sqlalchemy import inspect

from marsad.arabic.normalise import match_key
from marsad.ids import stable_id
from marsad.store import SaveResult, Store, StoreError
from marsad.store import queries
from marsad.store.engine import resolve_url
from marsad.store.migrate import current_revision, head_revision

from .conftest import BODY, make_analysis


def test_round_trip(store):
    a = make_analysis()
    assert store.save([a]) == SaveResult(new=["doc-1"], duplicates=[])
    assert store.has_document("doc-1") and not store.has_document("nope")
    assert store.get_document("doc-1") == a.doc
    back = store.get_analysis("doc-1")
    assert back.doc == a.doc
    want = sorted(a.entities, key=lambda m: (m.start, m.end))
    hasakah_id = stable_id("LOC", "Al-Hasakah")
    for m in want:  # ids are filled in by the store
        m.entity_id = m.entity_id or stable_id(m.type, m.canonical or match_key(m.text))
    assert back.entities == want
    assert back.entities[[m.text for m in back.entities].index("الحسكة")].entity_id == hasakah_id
    assert back.quantities == a.quantities
    assert back.quantities[1].parent == 0
    assert back.dates == a.dates and back.events == a.events and back.quotes == a.quotes
    for m in back.entities:
        assert BODY[m.start:m.end] == m.text
    assert store.get_analysis("missing") is None and store.get_document("missing") is None


def test_records_returned_in_span_order_with_parents_remapped(store):
    a = make_analysis()
    a.quantities.reverse()  # child first, parent second: parent index is 1
    a.quantities[0].parent = 1
    store.save([a])
    back = store.get_analysis("doc-1").quantities
    assert [q.start for q in back] == sorted(q.start for q in back)
    assert back[1].parent == 0 and back[1].text == "40 طفلاً"


def test_dedup_and_existing_ids(store):
    a = make_analysis()
    assert store.save([a, make_analysis()]).duplicates == ["doc-1"]
    result = store.save([a, make_analysis("doc-2")])
    assert result.new == ["doc-2"] and result.duplicates == ["doc-1"]
    assert store.stats()["documents"] == 2
    assert store.stats()["quantities"] == 4  # records of the duplicate not written twice
    assert store.existing_ids(["doc-1", "doc-2", "doc-3"]) == {"doc-1", "doc-2"}


def test_entities_shared_across_documents(store):
    b = make_analysis("doc-b")
    c = make_analysis("doc-c")
    c.doc.published = dt.date(2023, 1, 1)
    store.save([b])
    store.save([c])
    stats = store.stats()
    assert stats["entities"] == 3 and stats["mentions"] == 6
    ents = {e["name"]: e for e in store.list_entities()}
    assert ents["الحسكة"]["mention_count"] == 2
    assert ents["الحسكة"]["first_seen"] == dt.date(2023, 1, 1)
    assert ents["الحسكة"]["lat"] == 36.5 and ents["الحسكة"]["geonames_id"] == 173057
    assert ents["الحسكة"]["aliases"] == ["الحسكة"]
    assert [e["name"] for e in store.list_entities(type="ORG")] == ["وزارة الداخلية"]


def test_stats(store):
    store.save([make_analysis()])
    assert store.stats() == {"documents": 1, "entities": 3, "mentions": 3, "quantities": 2,
                             "dates": 1, "events": 1, "quotes": 1}


def test_rollback_on_python_error_names_document(store, monkeypatch):
    store.save([make_analysis("doc-0")])
    before = store.stats()
    real = queries._event_row

    def boom(doc, i, e):
        if doc.id == "doc-2":
            raise RuntimeError("boom")
        return real(doc, i, e)

    monkeypatch.setattr(queries, "_event_row", boom)
    with pytest.raises(StoreError, match="doc-2") as info:
        store.save([make_analysis("doc-1"), make_analysis("doc-2"), make_analysis("doc-3")])
    assert info.value.doc_id == "doc-2"
    assert store.stats() == before
    assert store.existing_ids(["doc-1", "doc-2", "doc-3"]) == set()
    assert [h.id for h in store.search("الحسكة")] == ["doc-0"]


def test_rollback_on_database_error_names_document(store):
    bad = make_analysis("doc-bad")
    bad.quotes[0].text = None  # NOT NULL violation, raised by the database
    with pytest.raises(StoreError, match="doc-bad"):
        store.save([make_analysis("doc-ok"), bad])
    assert store.stats()["documents"] == 0
    assert store.search("الحسكة") == []


def test_derived_rows_carry_document_tlp(store):
    store.save([make_analysis(tlp="AMBER")])
    assert {q["tlp"] for q in store.list_quantities()} == {"AMBER"}
    assert {e["tlp"] for e in store.list_events()} == {"AMBER"}
    assert {q["tlp"] for q in store.list_quotes()} == {"AMBER"}


def test_migrations_idempotent_and_wal(tmp_path):
    path = tmp_path / "m.db"
    with Store.open(path) as s:
        s.save([make_analysis()])
        assert current_revision(s.engine) == head_revision()
        with s.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    mtime = path.stat().st_mtime_ns
    with Store.open(path) as s:
        assert s.stats()["documents"] == 1
        assert current_revision(s.engine) == head_revision()
    assert path.stat().st_mtime_ns == mtime  # nothing rewritten
    raw = sqlite3.connect(path)
    assert raw.execute("select count(*) from alembic_version").fetchone() == (1,)
    tables = {r[0] for r in raw.execute("select name from sqlite_master where type='table'")}
    assert {"documents", "entities", "mentions", "quantities", "dates", "events", "quotes",
            "search_text", "search_fts", "ingest_log"} <= tables


def test_migration_matches_schema_module(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from marsad.store.schema import metadata

    with Store.open(tmp_path / "m.db") as s, s.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
        diff = [d for d in diff if not (d[0] == "remove_table" and d[1].name.startswith("search_fts"))]
        assert diff == []
        assert "search_fts" in inspect(conn).get_table_names()


def test_open_targets(tmp_path, monkeypatch):
    assert resolve_url(tmp_path / "a.db") == f"sqlite:///{tmp_path / 'a.db'}"
    assert resolve_url("sqlite:///x.db") == "sqlite:///x.db"
    assert resolve_url("postgresql+psycopg://u:p@h/db").startswith("postgresql+psycopg://")
    monkeypatch.setattr("platformdirs.user_data_dir", lambda *a, **k: str(tmp_path / "data"))
    with Store.open() as s:
        assert s.url.endswith("data/marsad.db")
    with Store.open(f"sqlite:///{tmp_path / 'b.db'}") as s:
        s.save([make_analysis()])
        assert s.stats()["documents"] == 1
    with Store.open(":memory:") as s:
        s.save([make_analysis()])
        assert len(s.search("الحسكة")) == 1


def test_list_documents(store):
    store.save([make_analysis("a", published=dt.date(2024, 1, 1)),
                make_analysis("b", published=dt.date(2024, 6, 1)),
                make_analysis("c", published=None)])
    assert [d.id for d in store.list_documents()] == ["b", "a", "c"]
    assert [d.id for d in store.list_documents(limit=1, offset=1)] == ["a"]


def test_listing_filters(store):
    store.save([make_analysis("a")])
    other = make_analysis("b", published=dt.date(2023, 5, 1))
    other.quantities = [dataclasses.replace(other.quantities[0], where="مدينة دمشق", when=None,
                                            category="fighters", source="مصدر عسكري", parent=None)]
    other.events[0] = dataclasses.replace(other.events[0], type="CLASH", where="حلب", when=None,
                                          actors=["فصيل مسلح"])
    other.quotes[0] = dataclasses.replace(other.quotes[0], speaker="مسؤول محلي")
    store.save([other])

    qs = store.list_quantities()
    assert len(qs) == 3
    assert {"doc_id", "doc_title", "outlet", "published", "value", "where", "when", "parent"} <= set(qs[0])
    assert [q["value"] for q in store.list_quantities(category="fighters")] == [350]
    assert {q["doc_id"] for q in store.list_quantities(place="الحسكه")} == {"a"}  # ة/ه folded
    assert {q["doc_id"] for q in store.list_quantities(place="دمشق")} == {"b"}
    assert {q["doc_id"] for q in store.list_quantities(speaker="الداخلية")} == {"a"}
    assert {q["doc_id"] for q in store.list_quantities(place="%")} == set()  # LIKE escaped
    # when falls back to published; partial dates (2024-11) overlap the range
    assert {q["doc_id"] for q in store.list_quantities(since="2024-11-15")} == {"a"}
    assert {q["doc_id"] for q in store.list_quantities(until=dt.date(2023, 12, 31))} == {"b"}
    assert store.list_quantities(since="2025-01-01") == []
    assert len(store.list_quantities(limit=1, offset=1)) == 1

    assert [e["type"] for e in store.list_events(type="ARREST")] == ["ARREST"]
    assert [e["doc_id"] for e in store.list_events(place="القامشلى")] == ["a"]  # ى/ي folded
    assert [e["doc_id"] for e in store.list_events(actor="فصيل")] == ["b"]
    assert [e["doc_id"] for e in store.list_events(since="2024-01-01")] == ["a"]
    assert store.list_events()[0]["actors"] == ["دورية"]

    assert [q["doc_id"] for q in store.list_quotes(speaker="مسؤول")] == ["b"]
    assert [q["doc_id"] for q in store.list_quotes(until="2023-12-31")] == ["b"]
    assert len(store.list_quotes()) == 2
