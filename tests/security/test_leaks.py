"""Property-based leak tests: random organisations, groups, markings and queries; nothing a
caller may not see is ever returned, spelled, snippeted or counted, through any reading
endpoint (documents, search totals and facets, entities and their details, timeline and
graph, claims and claim groups, events and fused events, quotes, stats, STIX export, TAXII
collections, objects and manifests) or the CLI's per-organisation export.

The expected visibility comes from a reference written from the rule table in
docs/sharing.md (tests/security/world.py), not from the production query.  The suite keeps
the number of worlds small; benchmarks/leak_check.py runs ≥ 10,000 cases.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from .leakcheck import Api, Tally, TemplateStore, WorldChecker, populate
from .world import Doc, World, expected_visible, queries, worlds

@pytest.fixture(scope="module")
def harness():
    """(template store, API harness) shared by every world of this module."""
    template = TemplateStore(Path(tempfile.mkdtemp(prefix="marsad-leaks-")))
    first = template.fresh()
    api = Api(first)
    yield template, api
    api.close()
    template.discard(first)


def test_reference_rule_matches_the_table():
    """The reference itself, on the table's rows (so a wrong reference cannot hide a leak)."""
    w = World(("A", "B", "C"), {"G": frozenset({"B"})})

    def doc(tlp: str, owner: str | None = "A", orgs=(), groups=()) -> Doc:  # noqa: ANN001
        return Doc("ظثث", owner, tlp, frozenset(orgs), frozenset(groups), 120, 1)

    rows = {
        ("CLEAR", "A"): {"A", "B", "C"}, ("GREEN", "A"): {"A", "B", "C"},
        ("AMBER", "A"): {"A"}, ("AMBER+STRICT", "A"): {"A"}, ("RED", "A"): {"A"},
        ("RED", None): set(), ("GREEN", None): {"A", "B", "C"},
    }
    for (tlp, owner), who in rows.items():
        assert {o for o in w.orgs if expected_visible(w, doc(tlp, owner), o)} == who
    assert {o for o in w.orgs if expected_visible(w, doc("AMBER", groups=["G"]), o)} == {"A", "B"}
    assert {o for o in w.orgs if expected_visible(w, doc("RED", orgs=["C"]), o)} == {"A", "C"}
    assert {o for o in w.orgs if expected_visible(w, doc("AMBER+STRICT", orgs=["B"]), o)} == {"A", "B"}
    assert {o for o in w.orgs if expected_visible(w, doc("RED", None, orgs=["B"]), o)} == {"B"}
    assert all(expected_visible(w, doc(level, None), None) for level in ("RED", "AMBER"))


# no shrinking: one world is a whole store, and the failure message lists every leak
@settings(max_examples=12, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_no_leaks_through_the_api(harness, data):
    template, api = harness
    world = data.draw(worlds())
    qs = data.draw(st.lists(queries(world), min_size=1, max_size=3))
    store = template.fresh()
    try:
        populate(store, world)
        tally = Tally()
        WorldChecker(world, store, tally, api).run(qs)
    finally:
        api.done()
        template.discard(store)
    assert tally.cases > 0
    assert tally.leaks == [], f"{world}\n" + "\n".join(tally.leaks[:20])


def test_no_leaks_through_the_cli_export(harness):
    template, api = harness
    world = World(("ALIF", "BAA", "JIM"), {"G-ONE": frozenset({"BAA"})}, (
        Doc("ظثخ", "ALIF", "RED", frozenset({"JIM"}), frozenset(), 900, 2),
        Doc("ظخث", "ALIF", "AMBER", frozenset(), frozenset({"G-ONE"}), 120, 3),
        Doc("ظذذ", "BAA", "GREEN", frozenset(), frozenset(), 120, 4),
        Doc("ظضض", None, "AMBER+STRICT", frozenset(), frozenset(), 900, 5),
    ))
    store = template.fresh()
    try:
        populate(store, world)
        tally = Tally()
        checker = WorldChecker(world, store, tally, api)
        for org in world.orgs:
            checker.cli_export(org)
    finally:
        api.done()
        template.discard(store)
    assert tally.cases == 3
    assert tally.leaks == [], "\n".join(tally.leaks)


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__, "-q"])
