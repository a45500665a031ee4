"""Fusion at 100,000 reports (migration 0007): a stored group's members not loaded still count in
its size and time span (GroupIndex.declare); the status fusion stores per group is the verdict
of all its members, and listing contradictions from it gives what computing every group's
verdict gives. Invented figures and reports."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from marsad.fuse.claims import GroupIndex
from marsad.store import Store
from marsad.store.schema import claim_group_status
from tests.fuse.test_claim_groups import claim
from tests.fuse.test_fusion_scale import _synthetic

DAY = dt.date(2025, 5, 12)


def _index(hidden: int, since: dt.date) -> GroupIndex:
    """Stored group A (one member loaded, ``hidden`` others since ``since``), stored group B
    (two members loaded)."""
    index = GroupIndex()
    index.declare("A", (since, DAY), hidden)
    index.add("A", claim("a:0", 4, 12, doc="a"))
    index.add("B", claim("b:0", 4, 13, doc="b"))
    index.add("B", claim("b:1", 4, 13, doc="b2"))
    return index


def test_hidden_members_decide_which_group_a_claim_joins():
    new = claim("n:0", 4, 14, doc="n")
    assert _index(0, DAY).place(new, "new")[0] == "B"  # the bigger group of those it touches
    gid, merged = _index(5, DAY - dt.timedelta(days=2)).place(new, "new")
    assert gid == "A" and merged == {"B": "A"}  # A is bigger with its 5 members not loaded


def test_hidden_members_time_span_refuses_a_merge_beyond_the_window():
    index = _index(5, DAY - dt.timedelta(days=30))  # A spans 30 days: a killed flow's window is 5
    gid, merged = index.place(claim("n:0", 4, 14, doc="n"), "new")
    assert gid == "B" and merged == {}
    assert index.size("A") == 6 and index.span["A"][0] == DAY - dt.timedelta(days=30)


def _statuses(store: Store) -> dict[str, str]:
    with store.engine.connect() as conn:
        return dict(conn.execute(select(claim_group_status.c.group_id, claim_group_status.c.status)).all())


def test_stored_status_is_every_members_verdict_and_lists_the_contradictions(tmp_path):
    with Store.open(tmp_path / "status.db") as store:
        for n in range(24):
            store.save([_synthetic(n)])
            store.fuse()
        for _ in range(2):  # incrementally, then rebuilt
            groups = store.claim_groups(min_members=1, limit=10000)
            stored = _statuses(store)
            assert {g["id"]: g["status"] for g in groups} == {gid: stored[gid] for gid in (g["id"] for g in groups)}
            contradicted = [g["id"] for g in groups if g["status"] == "contradicted"]
            assert contradicted, "the invented figures disagree (400 against 180 released)"
            assert [g["id"] for g in store.claim_groups(contradictions=True, limit=10000)] == contradicted
            assert store.count_claim_groups(contradictions=True) == len(contradicted)
            store.fuse(rebuild=True)
