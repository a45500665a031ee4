"""The visibility matrix: each TLP level × owner / named partner / group member / other
organisation / local caller, over every store listing, count and derived fact."""

from __future__ import annotations

import pytest

from marsad.store.queries import DocumentFilter

from .conftest import COMMON_ID, EXPECTED, ORGS, marker, viewer, visible_markers

WHO = [None, *ORGS]


def _markers_in(texts) -> set[str]:  # noqa: ANN001
    every = {marker(level, owner) for level, owner in EXPECTED}
    found = set()
    for text in texts:
        for m in every:
            # longest first: zqamberstrict contains zqamber, zqclearlocal contains zqclear
            if m in str(text) and not any(o != m and o.startswith(m) and o in str(text) for o in every):
                found.add(m)
    return found


@pytest.mark.parametrize("org", WHO)
def test_documents_and_search(shared_store, org):
    s, v, want = shared_store, viewer(shared_store, org), visible_markers(org)
    assert {d.id.removeprefix("doc-") for d in s.list_documents(viewer=v, limit=100)} == want
    assert s.count_documents(viewer=v) == len(want)
    hits = s.search("تقرير", viewer=v, limit=100)
    assert {h.id.removeprefix("doc-") for h in hits} == want
    assert s.count_search("تقرير", viewer=v) == len(want)
    assert _markers_in(h.snippet for h in hits) == want
    facets = s.facets("تقرير", viewer=v)
    assert sum(facets["tlp"].values()) == len(want)
    assert set(facets["outlet"]) == {f"outlet-{m}" for m in want}
    for (level, owner), who in EXPECTED.items():
        m = marker(level, owner)
        assert bool(s.search(m, viewer=v)) == (org in who), (m, org)
        assert s.count_search(m, viewer=v) == (1 if org in who else 0)
        assert (s.get_document(f"doc-{m}", viewer=v) is not None) == (org in who)
        assert (s.get_analysis(f"doc-{m}", viewer=v) is not None) == (org in who)


@pytest.mark.parametrize("org", WHO)
def test_filters_never_widen(shared_store, org):
    s, v, want = shared_store, viewer(shared_store, org), visible_markers(org)
    red = DocumentFilter(tlp=("RED",))
    expected_red = {m for m in want if m.startswith("zqred")}
    assert {d.id.removeprefix("doc-") for d in s.list_documents(viewer=v, filters=red)} == expected_red
    assert s.count_search("تقرير", viewer=v, filters=red) == len(expected_red)
    arrests = DocumentFilter(event_type="ARREST", place="Place")
    assert s.count_documents(viewer=v, filters=arrests) == len(want)


@pytest.mark.parametrize("org", WHO)
def test_records(shared_store, org):
    s, v, want = shared_store, viewer(shared_store, org), visible_markers(org)
    claims = s.list_quantities(viewer=v)
    assert _markers_in(c["text"] for c in claims) == want
    assert s.count_records("quantities", viewer=v) == len(want)
    events = s.list_events(viewer=v)
    assert _markers_in(e["actors"][0] for e in events) == want
    assert s.count_records("events", viewer=v) == len(want)
    quotes = s.list_quotes(viewer=v)
    assert _markers_in(q["text"] for q in quotes) == want
    assert s.count_records("quotes", viewer=v) == len(want)
    # a value only the RED documents carry
    assert any(c["value"] == 900 for c in claims) == bool({"zqred", "zqredlocal"} & want)


@pytest.mark.parametrize("org", WHO)
def test_entities_counts_aliases_names(shared_store, org):
    s, v, want = shared_store, viewer(shared_store, org), visible_markers(org)
    ents = {e["id"]: e for e in s.list_entities(viewer=v, limit=100)}
    assert set(ents) == {COMMON_ID} | {f"ent-{m}" for m in want}
    common = ents[COMMON_ID]
    assert common["mention_count"] == len(want)
    assert _markers_in(common["aliases"]) == want
    assert _markers_in([common["name"]]) <= want  # never the spelling of a hidden document
    assert s.count_entities(viewer=v) == len(want) + 1
    one = s.get_entity(COMMON_ID, viewer=v)
    assert {d["id"].removeprefix("doc-") for d in one["documents"]} == want
    for (level, owner), who in EXPECTED.items():
        m = marker(level, owner)
        assert (s.get_entity(f"ent-{m}", viewer=v) is not None) == (org in who)
    # a name filter finds only entities named in visible documents
    assert [e["id"] for e in s.list_entities(viewer=v, query="zqredمكان")] == (["ent-zqred"] if "zqred" in want else [])


@pytest.mark.parametrize("org", WHO)
def test_stats(shared_store, org):
    s, v, want = shared_store, viewer(shared_store, org), visible_markers(org)
    n = len(want)
    assert s.stats(viewer=v) == {"documents": n, "entities": n + 1, "mentions": 2 * n, "quantities": n,
                                 "dates": n, "events": n, "quotes": n}


def test_first_seen_comes_from_visible_documents(shared_store):
    s = shared_store
    for org in ORGS:
        common = next(e for e in s.list_entities(viewer=viewer(s, org)) if e["id"] == COMMON_ID)
        if "zqred" in visible_markers(org):
            assert common["first_seen"].day == 1
        else:
            assert common["first_seen"].day > 2  # the RED documents were published on days 1 and 2
