"""STIX export never leaks: for every organisation, a bundle holds exactly the reports it may
see, and its derived objects (entities, their names, aliases and markings) come from those
reports only.  Runs on SQLite and, with MARSAD_TEST_PG, PostgreSQL (the shared fixture)."""

from __future__ import annotations

import json
import re

import pytest

from marsad.share.stix import export_bundle, import_bundle
from marsad.share.stix_model import TLP2_IDS, strictest
from marsad.store import Store
from tests.share.conftest import LEVELS, ORGS, shared_store, viewer, visible_markers  # noqa: F401
from tests.store.conftest import PG_URL, _empty_postgres

from .stix_helpers import analysis, body_variant

MARKER = re.compile(r"zq[a-z]+")


@pytest.mark.parametrize("org", [None, *ORGS])
def test_bundle_holds_only_what_the_viewer_may_see(shared_store, org) -> None:  # noqa: F811
    bundle = export_bundle(shared_store, viewer(shared_store, org))
    allowed = visible_markers(org)
    reports = [o for o in bundle["objects"] if o["type"] == "report"]
    assert {r["x_marsad_id"] for r in reports} == {f"doc-{m}" for m in allowed}
    # nothing of another document anywhere: no marker, no spelling of the common entity
    assert set(MARKER.findall(json.dumps(bundle, ensure_ascii=False))) <= allowed
    levels = {r["x_marsad_id"]: r["object_marking_refs"][0] for r in reports}
    by_level = {v: k for k, v in TLP2_IDS.items()}
    widest = strictest(by_level[m] for m in levels.values())
    for obj in bundle["objects"]:
        if obj["type"] in ("identity", "threat-actor", "location", "x-marsad-place"):
            # an entity is marked by the visible documents that support it, never stricter
            assert LEVELS.index(by_level[obj["object_marking_refs"][0]]) <= LEVELS.index(widest)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, tmp_path):
    if request.param == "postgresql":
        if not PG_URL:
            pytest.skip("set MARSAD_TEST_PG to run the STIX tests on PostgreSQL")
        _empty_postgres(PG_URL)
        store = Store.open(PG_URL)
    else:
        store = Store.open(tmp_path / "backend.db")
    yield store
    store.close()


def test_round_trip_on_each_backend(backend: Store, tmp_path) -> None:
    with Store.open(tmp_path / "source.db") as source:
        source.save([analysis(body_variant(1)), analysis(body_variant(2), tlp="AMBER+STRICT",
                                                         owner="PARTNER")])
        bundle = export_bundle(source)
        report = import_bundle(backend, json.loads(json.dumps(bundle, ensure_ascii=False)))
        assert len(report.new) == 2
        assert export_bundle(backend)["objects"] == bundle["objects"]
        for doc_id in report.new:
            assert backend.get_analysis(doc_id) == source.get_analysis(doc_id)
