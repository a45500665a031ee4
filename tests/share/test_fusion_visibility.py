"""Fusion views (marsad.store.fusion) over the shared store: a contradiction between a
visible claim and a hidden RED one shows only the visible side."""

from __future__ import annotations

import pytest

from .conftest import COMMON_ID, viewer, visible_markers


@pytest.fixture
def fused(shared_store):
    if not hasattr(shared_store, "claim_groups"):
        pytest.skip("fusion not in the store yet")
    shared_store.fuse()
    return shared_store


def test_contradiction_with_hidden_red_claim_shows_only_visible_side(fused):
    # OWN sees its RED figure (900) against the others (120): contradicted
    own = fused.claim_groups(viewer=viewer(fused, "OWN"), contradictions=True)
    assert len(own) == 1 and {v["value"] for v in own[0]["values"]} == {120, 900}
    # OTH sees only CLEAR/GREEN: no contradiction, and nothing of the RED claim anywhere
    oth = viewer(fused, "OTH")
    assert fused.claim_groups(viewer=oth, contradictions=True) == []
    groups = fused.claim_groups(viewer=oth)
    assert len(groups) == 1
    group = groups[0]
    assert group["status"] != "contradicted"
    assert {v["value"] for v in group["values"]} == {120}
    assert group["documents"] == len(visible_markers("OTH"))
    assert group["tlp"] in ("CLEAR", "GREEN")
    assert "zqred" not in repr(group)


@pytest.mark.parametrize("org", ["GRP", "OTH"])
def test_fused_entities_count_only_visible_mentions(fused, org):
    v, want = viewer(fused, org), visible_markers(org)
    common = fused.fused_entity(COMMON_ID, viewer=v)
    assert common["mention_count"] == len(want)
    assert all("zqred" not in a for a in common["aliases"])
    assert fused.fused_entity("ent-zqred", viewer=v) is None


@pytest.mark.parametrize("org", ["GRP", "OTH"])
def test_fused_entity_name_is_a_visible_spelling(fused, org):
    v = viewer(fused, org)
    assert "zqred" not in fused.fused_entity(COMMON_ID, viewer=v)["name"]
    assert all("zqred" not in e["name"] for e in fused.fused_entities(viewer=v))
