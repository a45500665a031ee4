"""Claim grouping by group (migration 0008): incremental fusion reads one row per group, place and
half month (group_spots) with a sample figure, and reads a group figure by figure only where its
sample does not decide; merged groups are found through chains of merges; a store fused before
0008 is rebuilt once by itself. Invented reports and figures."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from marsad.fuse.claims import BUCKET_DAYS, GroupIndex, Spot
from marsad.records import Analysis, Document, Mention, Quantity
from marsad.store import Store
from marsad.store import fusion as store_fusion
from marsad.store.migrate import downgrade
from marsad.store.schema import claim_group_status, group_spots, quantities
from tests.fuse.test_claim_groups import MOSUL, RAQQA, claim

DEIR = Spot("Deir ez-Zor", 35.33, 40.14, "city")  # ~110 km from Raqqa
BASRA = Spot("Basra", 30.51, 47.81, "city")


def test_a_claim_meets_a_group_merged_twice_through_its_first_members():
    # W (three reports), Y and Z are apart; b1 (about Mosul and Basra, its report's places)
    # merges Z into Y, b2 (Mosul and Raqqa) merges Y into W: Z's figure now stands in W
    index = GroupIndex()
    for n in range(3):
        index.place(claim(f"w{n}:0", 5, 10, doc=f"w{n}", place=RAQQA), f"W{n}")
    index.place(claim("y:0", 4, 10, doc="y", place=MOSUL), "Y")
    index.place(claim("z:0", 6, 10, doc="z", place=BASRA), "Z")
    assert index.place(claim("b1:0", 4, 11, doc="b1", place=None, report_places=(MOSUL, BASRA)), "B1") == ("Y", {"Z": "Y"})
    assert index.place(claim("b2:0", 5, 11, doc="b2", place=None, report_places=(MOSUL, RAQQA)), "B2") == (
        "W0", {"Y": "W0"})
    # a new figure about Basra is comparable with Z's first figure only
    gid, merged = index.place(claim("n:0", 6, 12, doc="n", place=BASRA), "N")
    assert gid == "W0" and merged == {}
    assert len(index.members["W0"]) == 8 and set(index.members) >= {"W0"}
    assert not index.members.get("Y") and not index.members.get("Z")


def _report(n: int, day: dt.date, value: int, source: str) -> Analysis:
    """One figure of detainees held in Abu Kamal, by ``source``."""
    body = f"قال {source} إن {value} محتجزاً ما زالوا في سجن البوكمال."
    doc = Document(id=f"g{n:02d}", title="", body=body, source=f"t/g{n}.txt", outlet=f"وكالة {n}", published=day)
    a = Analysis(doc=doc)
    s = body.index("البوكمال")
    a.entities.append(Mention(s, s + len("البوكمال"), "البوكمال", "LOC", canonical="Abu Kamal", lat=34.45, lon=40.92,
                              geo_kind="town"))
    s = body.index(str(value))
    a.quantities.append(Quantity(s, s + len(str(value)), f"{value} محتجزاً", value, "exact", category="detainees",
                                 kind="stock", source=source, where="Abu Kamal"))
    return a


def _groups(store: Store) -> dict[str, str]:
    with store.engine.connect() as conn:
        return dict(conn.execute(select(quantities.c.doc_id, quantities.c.group_id)).all())


def test_a_group_whose_sample_does_not_decide_is_read_figure_by_figure(tmp_path, monkeypatch):
    first = dt.date(2025, 3, 1)
    first -= dt.timedelta(days=first.toordinal() % BUCKET_DAYS)  # the first day of a half-month bucket
    # 100 and 500 eight days apart contradict each other (one group, its sample the first figure);
    # 500 again 65 days after the second agrees with it, beyond the 60 days of one state, while
    # it is neither of the first's state nor agrees with it
    reports = [_report(1, first, 100, "مصدر أمني"), _report(2, first + dt.timedelta(days=8), 500, "مسؤول محلي"),
               _report(3, first + dt.timedelta(days=73), 500, "ناشط")]
    wanted: list = []
    original = store_fusion._candidates

    def spy(conn, new_docs, claims, only=None):  # noqa: ANN001, ANN202
        wanted.append(only)
        return original(conn, new_docs, claims, only)

    with Store.open(tmp_path / "spots.db") as store:
        for a in reports[:2]:
            store.save([a])
            store.fuse()
        monkeypatch.setattr(store_fusion, "_candidates", spy)
        store.save([reports[2]])
        store.fuse()
        assert any(only and any(only) for only in wanted), "the group was read figure by figure"
        incremental = _groups(store)
        assert len(set(incremental.values())) == 1, incremental
        with store.engine.connect() as conn:
            members, span = conn.execute(select(claim_group_status.c.members, claim_group_status.c.span)).one()
            assert members == 3 and span == f"{first.isoformat()}/{(first + dt.timedelta(days=73)).isoformat()}"
            rows = conn.execute(select(group_spots.c.members, group_spots.c.bucket_lo)).all()
        assert sum(n for n, _ in rows) == 3 and len(rows) == 2  # two half months, one group
        store.fuse(rebuild=True)
        assert len(set(_groups(store).values())) == 1


def test_store_fused_before_0008_is_rebuilt_by_the_next_fusion(tmp_path):
    first = dt.date(2025, 3, 1)
    analyses = [_report(n, first + dt.timedelta(days=n), 100 + 50 * (n % 3), f"مصدر {n}") for n in range(6)]
    with Store.open(tmp_path / "old.db") as store:
        for a in analyses:
            store.save([a])
            store.fuse()
        expected = _groups(store)
    from marsad.store.engine import make_engine, resolve_url

    engine = make_engine(resolve_url(tmp_path / "old.db"))
    downgrade(engine, "0007")  # as a store fused by the code before 0008 left it
    engine.dispose()
    with Store.open(tmp_path / "old.db") as store:  # migrates to head: flags the rebuild
        report = store.fuse()
        assert report.rebuilt and report.documents == 6
        assert _groups(store) == expected
        with store.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(group_spots)).scalar_one() > 0
            assert conn.execute(select(func.count()).where(claim_group_status.c.span.is_(None))).scalar_one() == 0
        assert not store.fuse().rebuilt


def test_post_holder_looked_up_by_index_is_the_one_all_holders_give():
    # incremental fusion asks for the holder of a post on a day by index; a rebuild reads all
    # holders of the post once (marsad.fuse.roles.Holders): random invented assertions
    import random

    from sqlalchemy import create_engine

    from marsad.fuse.roles import Holders, RoleAssertion
    from marsad.store.schema import role_assertions

    rng = random.Random(7)
    engine = create_engine("sqlite://")
    role_assertions.create(engine)
    day0 = dt.date(2024, 1, 1)
    asserted: dict[str, list[RoleAssertion]] = {}
    with engine.begin() as conn:
        for n in range(120):
            key = rng.choice(["head-inis", "minister", "governor"])
            a = RoleAssertion(key, rng.choice(["p1", "p2", "p3"]), f"name {n}", day0 + dt.timedelta(days=rng.randint(0, 900)),
                              f"d{n}")
            asserted.setdefault(key, []).append(a)
            conn.execute(role_assertions.insert().values(doc_id=a.doc_id, role_key=key, entity_id=a.entity_id,
                                                         name=a.name, day=a.day))
        conn.execute(role_assertions.insert().values(doc_id="solo", role_key="mayor", entity_id="p9", name="solo",
                                                     day=day0))
        asserted["mayor"] = [RoleAssertion("mayor", "p9", "solo", day0, "solo")]
        by_index = store_fusion._PostHolders(conn, whole=False)
        whole = store_fusion._PostHolders(conn, whole=True)
        whole.read([*asserted, "nobody"])
        days = [None, day0 - dt.timedelta(days=400), day0 - dt.timedelta(days=30)] + [
            day0 + dt.timedelta(days=rng.randint(-50, 1000)) for _ in range(60)]
        found = 0
        for key in [*asserted, "nobody"]:
            for day in days:
                expected = Holders(asserted.get(key, [])).on(day)
                assert by_index.on(key, day) == expected == whole.on(key, day), (key, day)
                found += expected is not None
        assert found > 150


def test_contradictions_listed_page_by_page_are_the_whole_listing(tmp_path, monkeypatch):
    # the page reads the groups stored as contradicted a few at a time, in the order of their
    # stored sources and size, until no group left could rank within it: the same page as judging
    # every group, for a caller who sees everything and for one who does not see some reports
    from dataclasses import replace

    from marsad.share.viewer import Viewer

    with Store.open(tmp_path / "pages.db") as store:
        n = 0
        for cluster in range(7):  # seven incidents 200 days apart, two to six reports each, disagreeing
            for k in range(2 + cluster % 5):
                a = _report(n, dt.date(2022, 1, 1) + dt.timedelta(days=200 * cluster + k), 100 + 60 * k,
                            f"مصدر {k % (2 + cluster % 3)}")
                if n % 4 == 1:
                    a.doc = replace(a.doc, tlp="RED")  # outside every organisation
                store.save([a])
                store.fuse()
                n += 1
        monkeypatch.setattr(store_fusion, "PAGE_GROUPS", 2)
        read: list = []
        original = store_fusion._claim_groups

        def spy(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            read.append(kwargs.get("only"))
            return original(*args, **kwargs)

        for viewer in (None, Viewer(org="outsider org")):
            with store.engine.connect() as conn:
                whole = original(conn, viewer, True, None, None, 2)
            assert len(whole) >= 3, len(whole)
            monkeypatch.setattr(store_fusion, "_claim_groups", spy)
            for offset, limit in ((0, 1), (0, 2), (1, 2), (2, 5), (0, 100), (len(whole), 3)):
                page = store.claim_groups(viewer=viewer, contradictions=True, limit=limit, offset=offset)
                assert page == whole[offset:offset + limit], (viewer, offset, limit)
            monkeypatch.setattr(store_fusion, "_claim_groups", original)
        assert read and all(only is not None and len(only) <= 2 for only in read), "read a few groups at a time"
