"""STIX 2.1 export and import (issue 7): mapping, markings, determinism, round trip, errors."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
import stix2

from marsad.ingest import IngestOptions
from marsad.service import ingest_paths
from marsad.share import stix_model as sm
from marsad.share.stix import StixImportError, export_bundle, import_bundle
from marsad.share.stix_export import SYSTEM_ID
from marsad.store import Store
from tests.conftest import EXAMPLES

from .stix_helpers import BODY, analysis, body_variant

OFFICIAL_TLP2 = {  # OASIS cti-stix-common-objects, extension-definition-specifications/tlp-2.0
    "CLEAR": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "GREEN": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "AMBER": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "AMBER+STRICT": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "RED": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store.open(tmp_path_factory.mktemp("stix") / "examples.db")
    summary = ingest_paths([EXAMPLES], IngestOptions(), store)
    assert len(summary.new) >= 20
    yield store
    store.close()


@pytest.fixture
def store(tmp_path) -> Store:
    with Store.open(tmp_path / "s.db") as s:
        yield s


def by_type(bundle: dict, kind: str) -> list[dict]:
    return [o for o in bundle["objects"] if o["type"] == kind]


def by_id(bundle: dict) -> dict[str, dict]:
    return {o["id"]: o for o in bundle["objects"]}


# ---------------------------------------------------------------------------- round trip

def test_round_trip_of_the_example_reports_is_exact(examples: Store, tmp_path) -> None:
    first = export_bundle(examples)
    wire = json.loads(json.dumps(first, ensure_ascii=False))  # as a file would carry it
    with Store.open(tmp_path / "copy.db") as copy_store:
        report = import_bundle(copy_store, wire)
        assert len(report.new) == len(by_type(first, "report")) and not report.duplicates
        second = export_bundle(copy_store)
        assert second["objects"] == first["objects"]  # identical, bundle id aside
        assert second["id"] != first["id"]
        for obj in by_type(first, "report"):
            doc_id = obj["x_marsad_id"]
            assert copy_store.get_analysis(doc_id) == examples.get_analysis(doc_id)
        assert copy_store.stats() == examples.stats()
        again = import_bundle(copy_store, wire)  # dedup by document id
        assert again.new == [] and len(again.duplicates) == len(report.new)


def test_export_is_deterministic(examples: Store) -> None:
    a, b = export_bundle(examples), export_bundle(examples)
    assert a["objects"] == b["objects"]
    assert a["id"] != b["id"]


def test_every_object_is_valid_stix_and_marked_tlp2(examples: Store) -> None:
    bundle = export_bundle(examples)
    ids = set()
    for obj in bundle["objects"]:
        stix2.parse(obj, allow_custom=True, version="2.1")  # raises on any invalid object
        assert obj["id"] not in ids
        ids.add(obj["id"])
        if obj["type"] == "marking-definition":
            level = obj["extensions"][sm.TLP2_EXTENSION]["tlp_2_0"].upper()
            assert obj["id"] == OFFICIAL_TLP2[level] and obj["name"] == f"TLP:{level}"
            continue
        marks = obj["object_marking_refs"]
        assert len(marks) == 1 and marks[0] in OFFICIAL_TLP2.values(), obj["id"]
        assert marks[0] in ids  # the definition travels in the bundle, before its users
    # every reference resolves inside the bundle
    for obj in bundle["objects"]:
        refs = list(obj.get("object_refs", [])) + [obj[k] for k in ("created_by_ref", "report_ref",
                                                                   "parent_ref") if k in obj]
        refs += [m["entity_ref"] for m in obj.get("x_marsad_mentions", [])]
        assert set(refs) <= ids, obj["id"]


def test_tlp2_constants_are_the_official_ones() -> None:
    assert sm.TLP2_IDS == OFFICIAL_TLP2
    for level in OFFICIAL_TLP2:
        obj = json.loads(sm.tlp_marking(level).serialize())
        assert obj["created"] == "2022-10-01T00:00:00.000Z"
        assert obj["extensions"] == {sm.TLP2_EXTENSION: {"extension_type": "property-extension",
                                                         "tlp_2_0": level.lower()}}


# ---------------------------------------------------------------------------- mapping

def test_mapping_of_one_report(store: Store) -> None:
    a = analysis()
    store.save([a])
    bundle = export_bundle(store)
    objs = by_id(bundle)
    report = by_type(bundle, "report")[0]
    assert report["name"] == a.doc.title and report["x_marsad_body"] == BODY
    assert report["published"] == "2024-11-03T00:00:00Z" and report["lang"] == "ar"
    assert report["x_marsad_outlet"] == "وكالة تجريبية" and report["x_marsad_source"] == "test/report.txt"
    assert report["created"] == "2024-11-04T08:30:00.123456Z"  # ingested_at, to the microsecond
    assert report["object_marking_refs"] == [OFFICIAL_TLP2["GREEN"]]
    owner = objs[report["created_by_ref"]]
    assert owner["type"] == "identity" and owner["identity_class"] == "organization" and owner["name"] == "ACME"

    person = next(o for o in by_type(bundle, "identity") if o.get("x_marsad_type") == "PER")
    assert person["identity_class"] == "individual" and person["name"] == "سامر الخطيب"
    assert person["x_marsad_role"] == "director of Hasakah police"
    assert person["roles"] == ["director of Hasakah police"]
    [isis] = by_type(bundle, "threat-actor")
    assert isis["x_marsad_canonical"] == "ISIS" and "ISIS" in isis["aliases"]
    assert isis["threat_actor_types"] == ["terrorist"]
    ministry = next(o for o in by_type(bundle, "identity") if o.get("x_marsad_type") == "ORG")
    assert ministry["identity_class"] == "organization" and ministry["name"] == "وزارة الداخلية"
    [hasakah] = by_type(bundle, "location")
    assert (hasakah["latitude"], hasakah["longitude"]) == (36.50237, 40.74772)
    assert hasakah["x_marsad_geonames_id"] == 173811 and hasakah["name"] == "الحسكة"
    [shai] = by_type(bundle, "x-marsad-place")  # not geocoded: no invented coordinates
    assert shai["name"] == "الشاي"

    claims = by_type(bundle, "x-marsad-claim")
    assert [c["value"] for c in claims] == [300.0, 40.0]
    assert claims[1]["parent_ref"] == claims[0]["id"] and claims[0]["qualifier"] == "approx"
    assert claims[0]["category"] == "ISIS members" and claims[0]["where"] == "al-Shai"
    assert claims[0]["confidence"] == 70 and claims[0]["marsad_confidence"] == 0.7
    events = by_type(bundle, "x-marsad-event")
    assert {e["event_type"] for e in events} == {"ARREST", "TRAVEL_TO_FIGHT"}
    [quote] = by_type(bundle, "x-marsad-quote")
    assert BODY[quote["start"]:quote["end"]] == quote["text"] and quote["cue"] == "قال"
    for rec in claims + events + [quote]:
        assert rec["report_ref"] == report["id"] and rec["id"] in report["object_refs"]
        assert rec["created_by_ref"] == owner["id"]
    assert len(report["x_marsad_mentions"]) == 6 and len(report["x_marsad_dates"]) == 1


def test_stix_ids_are_uuid5_of_marsad_ids(store: Store) -> None:
    a = analysis()
    store.save([a])
    report = by_type(export_bundle(store), "report")[0]
    assert report["id"] == sm.report_id(a.doc.id)
    assert report["id"].split("--")[1][14] == "5"  # UUID version 5


def test_derived_objects_carry_the_strictest_tlp_of_their_documents(store: Store) -> None:
    green = analysis(body_variant(1), tlp="GREEN")
    red = analysis(body_variant(2), tlp="RED",
                   ingested=dt.datetime(2024, 11, 5, tzinfo=dt.UTC))
    store.save([green, red])
    both = export_bundle(store)
    isis = by_type(both, "threat-actor")[0]
    assert isis["object_marking_refs"] == [OFFICIAL_TLP2["RED"]]
    owner = next(o for o in by_type(both, "identity") if o["name"] == "ACME")
    assert owner["object_marking_refs"] == [OFFICIAL_TLP2["RED"]]
    assert isis["created"] == "2024-11-04T08:30:00.123456Z" and isis["modified"] == "2024-11-05T00:00:00.000Z"
    only_green = export_bundle(store, doc_ids=[green.doc.id])
    assert by_type(only_green, "threat-actor")[0]["object_marking_refs"] == [OFFICIAL_TLP2["GREEN"]]
    assert {o["id"] for o in only_green["objects"] if o["type"] == "marking-definition"} == {OFFICIAL_TLP2["GREEN"]}


def test_since_selects_by_ingestion_time(store: Store) -> None:
    old = analysis(body_variant(1), ingested=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    new = analysis(body_variant(2), ingested=dt.datetime(2024, 6, 1, tzinfo=dt.UTC))
    store.save([old, new])
    assert [r["x_marsad_id"] for r in by_type(export_bundle(store, since=dt.date(2024, 3, 1)), "report")] == [new.doc.id]
    assert len(by_type(export_bundle(store, since="2023-12-31"), "report")) == 2
    assert export_bundle(store, since="2025-01-01")["objects"] == []


def test_report_without_facts_or_date_round_trips(store: Store, tmp_path) -> None:
    bare = analysis(body_variant(7), facts=False, published=None, owner=None, title="")
    store.save([bare])
    bundle = export_bundle(store)
    [report] = by_type(bundle, "report")
    assert report["object_refs"] == [SYSTEM_ID] and "created_by_ref" not in report
    assert by_id(bundle)[SYSTEM_ID]["identity_class"] == "system"
    with Store.open(tmp_path / "b.db") as other:
        import_bundle(other, bundle)
        assert other.get_analysis(bare.doc.id) == store.get_analysis(bare.doc.id)
        assert export_bundle(other)["objects"] == bundle["objects"]


# ---------------------------------------------------------------------------- import

def test_import_with_org_sets_the_owner(store: Store, tmp_path) -> None:
    store.save([analysis()])
    bundle = export_bundle(store)
    with Store.open(tmp_path / "b.db") as other:
        with pytest.raises(StixImportError, match="unknown organisation 'PARTNER'"):
            import_bundle(other, bundle, org="PARTNER")
        from marsad.share.orgs import add_org

        add_org(other, "PARTNER")
        import_bundle(other, bundle, org="PARTNER")
        [doc] = other.list_documents()
        assert doc.owner == "PARTNER" and doc.tlp == "GREEN"


def test_import_of_a_text_hidden_from_the_importer_makes_its_own_copy(store: Store, tmp_path) -> None:
    from marsad.ids import stable_id
    from marsad.share.orgs import add_org

    a = analysis(tlp="RED", owner="ACME")
    store.save([a])
    bundle = export_bundle(store)
    for name in ("ACME", "PARTNER"):
        add_org(store, name)
    result = import_bundle(store, bundle, org="PARTNER")
    assert result.duplicates == [] and result.new == [stable_id(a.doc.id, "PARTNER")]
    copy_ = store.get_analysis(result.new[0])
    assert copy_.doc.owner == "PARTNER" and copy_.quantities == a.quantities
    again = import_bundle(store, bundle, org="PARTNER")  # now a duplicate of its own copy
    assert again.new == [] and again.duplicates == result.new
    assert import_bundle(store, bundle, org="ACME").duplicates == [a.doc.id]


def test_foreign_reports_are_stored_without_facts(store: Store) -> None:
    indicator = stix2.v21.Indicator(pattern="[ipv4-addr:value = '198.51.100.1']",
                                    pattern_type="stix", valid_from="2024-05-01T00:00:00Z")
    report = stix2.v21.Report(name="Weekly summary", published="2024-05-01T00:00:00Z",
                              description="نص تقرير من أداة أخرى", object_refs=[indicator.id],
                              object_marking_refs=[stix2.TLP_AMBER])
    bundle = json.loads(stix2.v21.Bundle(report, indicator, stix2.TLP_AMBER).serialize())
    result = import_bundle(store, bundle)
    assert len(result.new) == 1 and result.foreign == result.new
    assert result.ignored == {"indicator": 1}
    analysis_ = store.get_analysis(result.new[0])
    assert analysis_.doc.tlp == "AMBER" and analysis_.doc.body == "نص تقرير من أداة أخرى"
    assert analysis_.doc.published == dt.date(2024, 5, 1) and analysis_.entities == []


@pytest.mark.parametrize("bundle, message", [
    ([], "not a STIX bundle"),
    ({"type": "report"}, "not a STIX bundle"),
    ({"type": "bundle", "objects": {}}, "not a list"),
    ({"type": "bundle", "objects": ["x"]}, "invalid STIX object 0"),
])
def test_envelope_errors(store: Store, bundle, message) -> None:
    with pytest.raises(StixImportError, match=message):
        import_bundle(store, bundle)


def _exported(store: Store) -> dict:
    store.save([analysis(body_variant(1)), analysis(body_variant(2))])
    return export_bundle(store)


def test_invalid_object_is_named_by_position_and_id_and_nothing_is_imported(store: Store, tmp_path) -> None:
    bundle = _exported(store)
    reports = [i for i, o in enumerate(bundle["objects"]) if o["type"] == "report"]
    bad = copy.deepcopy(bundle)
    n = reports[1]
    bad["objects"][n]["published"] = "not a time"
    with Store.open(tmp_path / "b.db") as other:
        with pytest.raises(StixImportError, match=rf"invalid STIX object {n} \({bad['objects'][n]['id']}\)"):
            import_bundle(other, bad)
        assert other.stats()["documents"] == 0


@pytest.mark.parametrize("change, message", [
    (lambda o: o.update(x_marsad_body=o["x_marsad_body"] + " ."), "text was changed"),
    (lambda o: o["x_marsad_mentions"][0].update(end=10_000), "outside the report body"),
    (lambda o: o["x_marsad_mentions"][0].update(entity_ref="identity--" + "0" * 8 + "-0000-4000-8000-" + "0" * 12),
     "not in the bundle"),
    (lambda o: o.update(object_marking_refs=[]), "no TLP marking"),
])
def test_marsad_consistency_errors(store: Store, tmp_path, change, message) -> None:
    bundle = _exported(store)
    n = max(i for i, o in enumerate(bundle["objects"]) if o["type"] == "report")
    change(bundle["objects"][n])
    if not bundle["objects"][n]["object_marking_refs"]:
        del bundle["objects"][n]["object_marking_refs"]
    with Store.open(tmp_path / "b.db") as other:
        with pytest.raises(StixImportError, match=message) as info:
            import_bundle(other, bundle)
        assert f"object {n} (report--" in str(info.value)
        assert other.stats()["documents"] == 0  # the valid first report is not kept either


def test_claim_with_a_foreign_parent_is_refused(store: Store, tmp_path) -> None:
    bundle = _exported(store)
    claims = [i for i, o in enumerate(bundle["objects"]) if o["type"] == "x-marsad-claim"]
    first, last = bundle["objects"][claims[0]], bundle["objects"][claims[-1]]
    last["parent_ref"] = first["id"]  # a claim of the other report
    with Store.open(tmp_path / "b.db") as other, pytest.raises(StixImportError, match="parent_ref"):
        import_bundle(other, bundle)


# ---------------------------------------------------------------------------- visibility

def test_export_for_a_viewer_holds_only_what_it_may_see(store: Store) -> None:
    orgs = pytest.importorskip("marsad.share.orgs")
    for name in ("ACME", "PARTNER"):
        orgs.add_org(store, name)
    visible = analysis(body_variant(1), tlp="GREEN", owner="ACME")
    hidden = analysis(body_variant(2).replace("سامر الخطيب", "سامر الخطيبي"), tlp="RED", owner="ACME",
                      ingested=dt.datetime(2024, 11, 6, tzinfo=dt.UTC), facts=False)
    store.save([visible, hidden])
    hidden_only = analysis(body_variant(3), tlp="AMBER", owner="ACME")
    store.save([hidden_only])
    viewer = orgs.viewer_for(store, "PARTNER")
    bundle = export_bundle(store, viewer)
    assert [r["x_marsad_id"] for r in by_type(bundle, "report")] == [visible.doc.id]
    text = json.dumps(bundle, ensure_ascii=False)
    assert "سامر الخطيبي" not in text and hidden.doc.id not in text and hidden_only.doc.id not in text
    # derived objects are computed from the visible documents only: no stricter marking leaks
    assert all(o.get("object_marking_refs", [OFFICIAL_TLP2["GREEN"]]) == [OFFICIAL_TLP2["GREEN"]]
               for o in bundle["objects"])
    owner_view = export_bundle(store, orgs.viewer_for(store, "ACME"))
    assert len(by_type(owner_view, "report")) == 3
