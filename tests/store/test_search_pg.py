"""PostgreSQL full-text search gives the same answers as SQLite FTS5 (same token stream,
same query terms), and migration 0004 converts the search rows of an existing store."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from marsad.store import Store, migrate
from marsad.store.engine import make_engine
from marsad.store.search import index_terms, parse_query, pg_vectors

from .conftest import PG_URL, _empty_postgres, make_analysis
from .test_search import DOCS

QUERIES = [
    "الحسكة", "والحسكة", "بالحسكة", "حسكه", "الحسكه", "المخابرات", "للمخابرات", "مخابرات",
    "والمخابرات", "المحافظ", "اللجنة", "1200", "١٢٠٠", "٣٥", "المعسكر", "كالمعسكر",
    "الحسكة الوفد", '"مدينة الحسكة"', '"الحسكة مدينة"', '"المخابرات العامة"',
    'تستعد "القافلة والحسكة"', "مصطفي", "الاخري", "غائبة", "OR", '"', "الحسكة*",
]


def test_tsvector_literals_keep_positions_and_forms():
    terms = index_terms("", "والحسكة مدينة والحسكة")
    variants, stems = pg_vectors(terms)
    assert variants == "'والحسكه':1,3 'الحسكه':1,3 'حسكه':1,3 'مدينه':2"
    assert stems == "'حسكه':1,3 'مدينه':2"
    parsed = parse_query('والحسكة "مدينة الحسكة"')
    assert parsed.pg_words() == "('والحسكه' | 'الحسكه')"
    assert parsed.pg_phrases() == "('مدينه' <-> 'حسكه')"
    assert parse_query("x'y\\z").pg_words() == "('x') & ('y') & ('z')"  # quotes never reach tsquery


def test_tsvector_positions_are_capped_like_postgresql():
    terms = [("كلمه", "كلمه")] * 20_000
    variants, _ = pg_vectors(terms)
    assert variants.endswith(",16383") and variants.count("16383") == 1


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    if not PG_URL:
        pytest.skip("set MARSAD_TEST_PG to compare PostgreSQL with SQLite")
    _empty_postgres(PG_URL)
    stores = [Store.open(tmp_path_factory.mktemp("cmp") / "s.db"), Store.open(PG_URL)]
    for s in stores:
        s.save([make_analysis(k, body=v, title="") for k, v in DOCS.items()])
    yield stores
    for s in stores:
        s.close()


@pytest.mark.parametrize("query", QUERIES)
def test_postgresql_finds_what_sqlite_finds(both, query):
    lite, pg = both
    found = {h.id for h in lite.search(query, limit=100)}
    assert {h.id for h in pg.search(query, limit=100)} == found
    assert pg.count_search(query) == lite.count_search(query) == len(found)
    assert pg.facets(query) == lite.facets(query)
    pg_snippets = {h.id: h.snippet for h in pg.search(query, limit=100)}
    assert pg_snippets == {h.id: h.snippet for h in lite.search(query, limit=100)}


def test_clitic_forms_on_postgresql(both):
    _, pg = both
    assert {"waw", "bi", "plain", "heh"} <= {h.id for h in pg.search("الحسكة")}
    hit = next(h for h in pg.search("الحسكة") if h.id == "waw")
    assert "[والحسكة]" in hit.snippet
    assert {h.id for h in pg.search("بالحسكة")} == {"bi"}


def test_migration_0004_converts_existing_rows():
    if not PG_URL:
        pytest.skip("set MARSAD_TEST_PG to run the PostgreSQL migration test")
    from marsad.store.search import index_text

    _empty_postgres(PG_URL)
    engine = make_engine(PG_URL)
    try:
        migrate.upgrade(engine, "0003")
        body = DOCS["waw"]
        variants, stems = index_text("عنوان", body)
        with engine.begin() as conn:  # a store written before 0004: LIKE text only
            conn.execute(text("INSERT INTO documents (id, title, body, source, language, tlp, published) "
                              "VALUES ('old', 'عنوان', :b, 'x', 'ar', 'CLEAR', :p)"),
                         {"b": body, "p": dt.date(2024, 1, 1)})
            conn.execute(text("INSERT INTO search_text (doc_id, variants, stems) VALUES ('old', :v, :s)"),
                         {"v": variants, "s": stems})
        migrate.upgrade(engine)
        store = Store(engine)
        assert [h.id for h in store.search("الحسكة")] == ["old"]
        assert store.count_search('"القافلة والحسكة"') == 1
        with engine.connect() as conn:
            assert conn.execute(text("SELECT variants, stems FROM search_text")).one() == (None, None)
            indexes = {r[0] for r in conn.execute(text(
                "SELECT indexdef FROM pg_indexes WHERE tablename = 'search_text'"))}
        assert sum("USING gin" in i for i in indexes) == 2
    finally:
        engine.dispose()
