"""Claim grouping as connected components, time-bounded; places from the clause, the whole or
the report; broader categories. Pure stage (marsad.fuse.claims), invented figures."""

from __future__ import annotations

import datetime as dt

from marsad.fuse.claims import Claim, GroupIndex, Spot, comparable, place_compatible, related_categories, verdict

RAQQA = Spot("Raqqa", 35.95, 39.01, "city")
TABQA = Spot("Tabqa", 35.84, 38.55, "city")  # ~40 km from Raqqa
MOSUL = Spot("Mosul", 36.34, 43.12, "city")


def claim(key: str, value: float, day: int, *, doc: str | None = None, source: str | None = "s", category="killed",
          kind="flow", qualifier="exact", place: Spot | None = RAQQA, report_places=(), outlet=None) -> Claim:
    return Claim(key=key, doc_id=doc or key, category=category, kind=kind, value=value, qualifier=qualifier,
                 place=place.name if place else None, lat=place.lat if place else None,
                 lon=place.lon if place else None, place_kind=place.kind if place else None,
                 published=dt.date(2025, 5, day), source=source, outlet=outlet or key, report_places=tuple(report_places))


def group_all(claims: list[Claim]) -> dict[str, str]:
    index = GroupIndex()
    for c in claims:
        index.place(c, "g-" + c.key)
    return {c.key: gid for gid, members in index.members.items() for c in members}


def test_components_do_not_depend_on_arrival_order():
    # one speaker's two different figures in one report are never compared directly, but a
    # third report agreeing with one and disagreeing with the other puts all three in one group
    a = claim("r1:0", 4, 10, doc="r1", source="spokesman")
    b = claim("r1:1", 6, 10, doc="r1", source="spokesman")
    c = claim("r2:0", 6, 11, doc="r2", source="medics")
    assert not comparable(a, b)
    for order in ([a, b, c], [c, a, b], [b, c, a]):
        groups = group_all(order)
        assert len(set(groups.values())) == 1, order
    v = verdict([a, b, c])
    assert v.status == "contradicted"


def test_a_chain_longer_than_the_window_is_cut():
    # killed: flows compared within 5 days; a chain of incidents every 4 days stays apart
    chain = [claim(f"r{i}:0", 3, 1 + 4 * i, doc=f"r{i}") for i in range(4)]
    groups = group_all(chain)
    assert len(set(groups.values())) >= 2


def test_far_places_and_other_categories_stay_apart():
    a = claim("r1:0", 4, 10)
    b = claim("r2:0", 9, 10, place=MOSUL)
    c = claim("r3:0", 9, 10, category="wounded")
    assert len(set(group_all([a, b, c]).values())) == 3


def test_unplaced_figure_takes_the_report_places_at_town_reach():
    a = claim("r1:0", 4, 10, place=None, report_places=[MOSUL, RAQQA])
    b = claim("r2:0", 5, 10, place=RAQQA)
    assert place_compatible(a, b)
    # a place only the report names reaches as far as a town, not a governorate
    hasakah_gov = Spot("Al-Hasakah governorate", 36.5, 40.75, "governorate")  # ~180 km from Raqqa... out of reach
    near_gov = Spot("Raqqa governorate", 35.9, 39.3, "governorate")  # ~27 km from Raqqa city
    c = claim("r3:0", 5, 10, place=None, report_places=[near_gov])
    assert place_compatible(claim("r4:0", 5, 10, place=near_gov), b)  # stated: governorate reach
    assert not place_compatible(c, claim("r5:0", 5, 10, place=TABQA))  # report only: town reach
    assert not place_compatible(claim("r6:0", 5, 10, place=None, report_places=[hasakah_gov]), b)


def test_within_a_report_an_unplaced_figure_is_about_its_main_place_only():
    a = claim("r1:0", 4, 10, doc="r1", source="police", place=None, report_places=[MOSUL, RAQQA])
    b = claim("r1:1", 15, 10, doc="r1", source="council", place=RAQQA)
    assert not place_compatible(a, b)


def test_broader_category_is_compared():
    assert "fighters" in related_categories("ISIS members")
    a = claim("r1:0", 9000, 10, category="fighters", kind="stock", qualifier="approx")
    b = claim("r2:0", 9000, 12, category="ISIS members", kind="stock", qualifier="approx")
    assert comparable(a, b)
    assert not comparable(a, claim("r3:0", 9000, 12, category="detainees", kind="stock"))


def test_corroborating_bloc_inside_a_contradicted_group():
    a = claim("r1:0", 300, 10, qualifier="at_least", source="officer")
    b = claim("r2:0", 300, 11, qualifier="at_least", source="officer quoted")
    c = claim("r3:0", 120, 11, qualifier="only", source="administration")
    v = verdict([a, b, c])
    assert v.status == "contradicted"
    blocs = {key: i for i, bloc in enumerate(v.agreeing) for key in bloc}
    assert blocs["r1:0"] == blocs["r2:0"] != blocs["r3:0"]


def test_contradiction_in_time_by_cells_equals_asking_every_figure():
    # the definition: some figure and the figures of its time (same_state) cannot all be true;
    # random invented figures of related categories, both kinds, days, months and undated
    import random

    from marsad.fuse.claims import _contradiction_in_time, common_interval, same_state

    rng = random.Random(5)

    def brute(claims: list[Claim]) -> bool:
        for c in claims:
            now = [o for o in claims if same_state(c, o)]
            if len(now) > 1 and common_interval(now) is None:
                return True
        return False

    found = 0
    for trial in range(300):
        claims = []
        for i in range(rng.randint(1, 9)):
            c = claim(f"t{trial}:{i}", rng.choice([100, 110, 150, 400, 9000]), rng.randint(1, 28),
                      category=rng.choice(["fighters", "ISIS members", "detainees", "killed"]),
                      kind=rng.choice(["stock", "flow"]), qualifier=rng.choice(["exact", "approx", "at_least", "only"]))
            month = rng.choice([5, 5, 6, 9, 12])
            when = rng.choice([None, None, f"2025-{month:02d}", f"2025-{month:02d}-{rng.randint(1, 28):02d}"])
            published = None if when is None and rng.random() < 0.2 else dt.date(2025, month, rng.randint(1, 28))
            claims.append(Claim(**{**{f: getattr(c, f) for f in Claim.__slots__}, "when": when, "published": published}))
        expected = brute(claims)
        assert _contradiction_in_time(claims) == expected, claims
        found += expected
    assert 30 < found < 270, found
