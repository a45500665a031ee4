"""Fusion at scale (migration 0005): incremental fusion looks up stored keys instead of reading
whole tables, and gives the same picture as a rebuild and as the whole-table index; a rebuild
reuses the stored bare titles; a store fused before 0005 is rebuilt once by itself.
Runs on SQLite and, with MARSAD_TEST_PG, PostgreSQL. Invented reports."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, func, select, text, update

from marsad.fuse.entities import EntityIndex, EntityRow, propose_links
from marsad.pipeline import Pipeline
from marsad.records import Analysis, Document, Mention, Quantity
from marsad.store import Store
from marsad.store import fusion as store_fusion
from marsad.store.migrate import downgrade, upgrade
from marsad.store.schema import (
    claim_spots,
    documents,
    entities,
    entity_keys,
    fusion_documents,
    mentions,
    role_assertions,
    title_references,
)
from tests.store.conftest import PG_URL, _empty_postgres

PIPE = Pipeline()
EARLY = "بغداد - أكد رئيس جهاز المخابرات العراقي أن التنسيق مع الجانب الأردني سيتوسع خلال الأشهر المقبلة."
LATER = ("عمّان - التقى رئيس جهاز المخابرات العراقي كريم الناصري نظيره الأردني في عمّان، "
         "وبحث الجانبان تبادل المعلومات. وقال الناصري إن الاجتماع كان مثمراً.")
# a family of invented people and places, so that spelling, surname, fuzzy and English links form
PEOPLE = [("سامر الدوري", "Samer al-Duri"), ("الدوري", None), ("سامر الدورى", "Samer Al Duri"),
          ("خالد العبيدي", "Khalid al-Obeidi"), ("العبيدي", None), ("خالد العبيدى", None),
          ("نوري الجبوري", "Nouri al-Jubouri"), ("نوري الجبورى", None), ("الجبوري", None)]
# (no two people share a family name here: whether a lone family name links then depends on the
# order reports arrive in, by design, so incremental and rebuilt pictures could differ)
PLACES = [("البوكمال", "Abu Kamal", 34.45, 40.92), ("البو كمال", None, 34.45, 40.92),
          ("الميادين", "Al Mayadin", 35.02, 40.45), ("القائم", "Al Qaim", 34.37, 41.09)]


def _open(kind: str, folder) -> Store:  # noqa: ANN001
    if kind == "postgresql":
        if not PG_URL:
            pytest.skip("set MARSAD_TEST_PG to run the fusion scale tests on PostgreSQL")
        _empty_postgres(PG_URL)
        return Store.open(PG_URL)
    return Store.open(folder / "scale.db")


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    s = _open(request.param, tmp_path)
    yield s
    s.close()


def _synthetic(n: int) -> Analysis:
    """Report ``n``: two people, a place and a released figure, its day and outlet varying."""
    person, english = PEOPLE[n % len(PEOPLE)]
    other, other_en = PEOPLE[(n * 5 + 3) % len(PEOPLE)]
    place, place_en, lat, lon = PLACES[n % len(PLACES)]
    value = (100, 120, 400, 180)[n % 4]
    body = f"قال {person} إن {value} محتجزاً أفرج عنهم في {place} بحسب {other}."
    doc = Document(id=f"s{n:03d}", title="", body=body, source=f"t/{n}.txt", outlet=f"وكالة {n % 3}",
                   published=dt.date(2025, 3, 1) + dt.timedelta(days=n % 9))
    a = Analysis(doc=doc)
    for text_, canonical in ((person, english), (other, other_en)):
        s = body.index(text_)
        a.entities.append(Mention(s, s + len(text_), text_, "PER", canonical=canonical))
    s = body.index(place)
    a.entities.append(Mention(s, s + len(place), place, "LOC", canonical=place_en or "Abu Kamal",
                              lat=lat, lon=lon, geo_kind="town"))
    s = body.index(str(value))
    a.quantities.append(Quantity(s, s + len(str(value)), f"{value} محتجزاً", value, "exact", category="released",
                                 kind="flow", source=english or person, where=place_en or "Abu Kamal"))
    return a


def _picture(store: Store) -> tuple:
    """What fusion shows, independent of ids: clusters of mentions, claim groups, role mentions."""
    clusters = sorted(sorted(m for m in e["members"]) for e in store.fused_entities(limit=10000)
                      if len(e["members"]) > 1)
    groups = sorted(sorted((v["doc_id"], v["value"]) for v in g["values"]) + [g["status"]]
                    for g in store.claim_groups(limit=10000))
    with store.engine.connect() as conn:
        roles = sorted(conn.execute(text("SELECT doc_id, start, entity_id FROM role_mentions")).all())
    return clusters, groups, roles


def test_incremental_one_at_a_time_equals_rebuild(store):
    analyses = [_synthetic(n) for n in range(24)]
    for a in analyses:
        store.save([a])
        store.fuse()
    incremental = _picture(store)
    assert incremental[0], "links formed"
    assert any(len(g) > 2 for g in incremental[1]), "claims grouped across reports"
    report = store.fuse(rebuild=True)
    assert report.rebuilt and report.documents == 24
    assert _picture(store) == incremental


def test_candidates_by_stored_keys_match_the_whole_table_index(store):
    analyses = [_synthetic(n) for n in range(18)]
    store.save(analyses[:12])
    store.fuse()
    store.save(analyses[12:])
    with store._write() as conn:  # noqa: SLF001 - the stage under test takes a connection
        store_fusion._prepare(conn, [a.doc.id for a in analyses[12:]], store_fusion._Places.load(conn), set(),
                              store_fusion.FuseReport())
        new_ids = sorted(set(conn.execute(select(mentions.c.entity_id).where(
            mentions.c.doc_id.in_([a.doc.id for a in analyses[12:]]))).scalars()))
        e = entities.c
        whole = EntityIndex(EntityRow(r.id, r.type, r.name, r.canonical, r.geonames_id)
                            for r in conn.execute(select(e.id, e.type, e.name, e.canonical, e.geonames_id)))
        expected = propose_links(new_ids, whole, store_fusion._alias_ids())
        looked_up = store_fusion._candidate_index(conn, new_ids)
        got = propose_links(new_ids, looked_up, store_fusion._alias_ids())
        assert len(looked_up.rows) < len(whole.rows) or len(whole.rows) <= len(new_ids) + 2
    assert sorted((l.pair, l.rule) for l in got) == sorted((l.pair, l.rule) for l in expected)
    assert {l.rule for l in expected} >= {"spelling", "surname"}


def test_rebuild_reuses_stored_titles_and_late_holder_is_a_lookup(store):
    store.save([PIPE(Document(id="early", title="", body=EARLY, source="t/e", outlet="أ",
                              published=dt.date(2025, 6, 1)))])
    first = store.fuse()
    assert first.titles_scanned == 1 and first.role_mentions == 0
    with store.engine.connect() as conn:
        stored = conn.execute(select(title_references.c.role_key, title_references.c.text)).all()
    assert stored and "المخابرات" in stored[0].text, "the unresolved title is kept for later"
    store.save([PIPE(Document(id="later", title="", body=LATER, source="t/l", outlet="ب",
                              published=dt.date(2025, 6, 10)))])
    second = store.fuse()
    assert second.titles_scanned == 1, "the earlier report is not scanned again"
    assert second.role_mentions >= 1, "its stored title is resolved to the holder named now"
    rebuilt = store.fuse(rebuild=True)
    assert rebuilt.titles_scanned == 0 and rebuilt.role_mentions == second.role_mentions
    rescanned = store.fuse(rebuild=True, rescan_titles=True)
    assert rescanned.titles_scanned == 2 and rescanned.role_mentions == second.role_mentions


def test_derived_rows_follow_the_documents(store):
    store.save([_synthetic(n) for n in range(6)])
    store.fuse()
    with store.engine.connect() as conn:
        count = lambda t: conn.execute(select(func.count()).select_from(t)).scalar_one()  # noqa: E731
        assert count(fusion_documents) == 6
        assert count(entity_keys) == conn.execute(select(func.count()).select_from(entities)).scalar_one()
        assert count(claim_spots) == 6  # one place per figure
        spot = conn.execute(select(claim_spots)).first()
        assert spot.cell_y == 34 and spot.reach_km == 25.0 and spot.bucket_lo <= spot.bucket_hi
        assert count(role_assertions) == 0  # no person is named with a post


def test_store_fused_before_0005_is_rebuilt_by_the_next_fusion(tmp_path):
    analyses = [_synthetic(n) for n in range(10)]
    with Store.open(tmp_path / "fresh.db") as fresh:
        fresh.save(analyses)
        fresh.fuse()
        expected = _picture(fresh)
    from marsad.store.engine import make_engine, resolve_url
    from marsad.store.queries import save

    engine = make_engine(resolve_url(tmp_path / "old.db"))
    upgrade(engine)
    with engine.begin() as conn:  # a store written and fused by the code before 0005:
        save(conn, analyses)
        conn.execute(update(documents).values(fused_at=dt.datetime(2026, 1, 1)))
    downgrade(engine, "0004")  # (today's save path writes today's schema, so it goes back after)
    engine.dispose()
    with Store.open(tmp_path / "old.db") as old:  # migrates to head: flags the rebuild
        report = old.fuse()
        assert report.rebuilt and report.documents == 10
        assert _picture(old) == expected
        assert old.fuse().documents == 0 and not old.fuse().rebuilt  # once only
        with old.engine.begin() as conn:
            conn.execute(delete(fusion_documents))
        assert old.fuse().documents == 0
