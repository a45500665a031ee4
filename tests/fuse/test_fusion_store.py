"""Fusion in the store: incremental, explainable and reversible merges, claim groups, incidents,
and the issue's cases on the shared seed reports."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from marsad.cli import app
from marsad.records import Analysis, Document, Event, Mention, Quantity
from marsad.store import Store
from tests.conftest import SHARED, needs_shared

# Invented reports (not taken from any sample).
BODY_A = "قال المتحدث باسم الشرطة اللواء سامر الدوري إن أكثر من 400 محتجز أفرج عنهم في البوكمال."
BODY_B = "وأكد الدوري أن 180 فقط أفرج عنهم من سجون البو كمال بحسب الإدارة."


def _doc(doc_id: str, body: str, day: int, outlet: str) -> Document:
    return Document(id=doc_id, title="", body=body, source=f"t/{doc_id}.txt", outlet=outlet,
                    published=dt.date(2025, 3, day))


def _analysis_a() -> Analysis:
    a = Analysis(doc=_doc("da", BODY_A, 13, "وكالة أ"))
    s = BODY_A.index("سامر الدوري")
    a.entities.append(Mention(s, s + 11, "سامر الدوري", "PER", canonical="Samer al-Duri",
                              role="police spokesman", entity_id="per-samer"))
    s = BODY_A.index("البوكمال")
    a.entities.append(Mention(s, s + 8, "البوكمال", "LOC", entity_id="loc-bk1", lat=34.45, lon=40.92))
    s = BODY_A.index("أكثر من 400 محتجز")
    a.quantities.append(Quantity(s, s + 17, "أكثر من 400 محتجز", 400, "at_least", category="released",
                                 kind="flow", source="Samer al-Duri"))
    s = BODY_A.index("أفرج")
    a.events.append(Event(s, s + 4, "أفرج", "RELEASE", actors=["Police"], when="2025-03-12"))
    return a


def _analysis_b() -> Analysis:
    b = Analysis(doc=_doc("db", BODY_B, 14, "صحيفة ب"))
    s = BODY_B.index("الدوري")
    b.entities.append(Mention(s, s + 6, "الدوري", "PER", entity_id="per-duri"))
    s = BODY_B.index("البو كمال")
    b.entities.append(Mention(s, s + 9, "البو كمال", "LOC", entity_id="loc-bk2"))
    s = BODY_B.index("180 فقط")
    b.quantities.append(Quantity(s, s + 7, "180 فقط", 180, "only", category="released", kind="flow",
                                 source="Autonomous Administration"))
    s = BODY_B.index("أفرج")
    b.events.append(Event(s, s + 4, "أفرج", "RELEASE", actors=["Police"], when="2025-03-13"))
    return b


@pytest.fixture()
def store(tmp_path):
    with Store.open(tmp_path / "fuse.db") as s:
        yield s


def test_incremental_fusion_links_with_evidence_and_compares_claims(store):
    store.save([_analysis_a()])
    assert store.fuse().documents == 1 and store.unfused_count() == 0
    assert store.fuse().documents == 0  # nothing new: nothing recomputed
    store.save([_analysis_b()])
    report = store.fuse()
    assert report.documents == 1 and report.by_rule["surname"] == 1 and report.by_rule["spelling"] == 1
    person = store.fused_entity("per-duri")
    assert person["id"] == store.resolve_entity("per-samer") and set(person["members"]) == {"per-samer", "per-duri"}
    assert {"سامر الدوري", "الدوري"} <= set(person["aliases"])
    (link,) = [l for l in person["links"] if l["rule"] == "surname"]
    assert "الدوري" in link["evidence"] and link["active"]
    assert store.resolve_entity("loc-bk1") == store.resolve_entity("loc-bk2")
    (group,) = store.claim_groups(contradictions=True)
    assert group["status"] == "contradicted" and group["sources"] == 2
    assert {(v["value"], v["qualifier"], v["source"], v["doc_id"]) for v in group["values"]} == {
        (400.0, "at_least", "Samer al-Duri", "da"), (180.0, "only", "Autonomous Administration", "db")}
    (incident,) = store.fused_events(min_reports=2)
    assert incident["type"] == "RELEASE" and incident["reports"] == 2
    assert any(m["why"] and "RELEASE" in m["why"] for m in incident["members"])


def test_split_and_merge_are_reversible_and_split_survives_rebuild(store):
    store.save([_analysis_a(), _analysis_b()])
    store.fuse()
    assert store.split_entity("per-duri") == ["per-samer"]
    assert store.resolve_entity("per-duri") != store.resolve_entity("per-samer")
    store.fuse(rebuild=True)  # automatic evidence is recomputed; the analyst's split holds
    assert store.resolve_entity("per-duri") != store.resolve_entity("per-samer")
    link = store.merge_entities("per-duri", "per-samer", "same spokesman, checked by phone")
    assert store.resolve_entity("per-duri") == store.resolve_entity("per-samer")
    store.unlink_entities(link)
    assert store.resolve_entity("per-duri") != store.resolve_entity("per-samer")
    with pytest.raises(ValueError, match="no entity"):
        store.split_entity("nope")


def test_source_grades_weigh_the_blocs(store):
    store.save([_analysis_a(), _analysis_b()])
    store.fuse()
    store.set_source_grade("وكالة أ", "b")
    (group,) = store.claim_groups(contradictions=True)
    grades = {v["outlet"]: v["grade"] for v in group["values"]}
    assert grades == {"وكالة أ": "B", "صحيفة ب": "F"} and sorted(group["support"]) == [0.5, 0.8]
    with pytest.raises(ValueError, match="A-F"):
        store.set_source_grade("x", "Z")


def test_graph_timeline_and_path(store):
    store.save([_analysis_a(), _analysis_b()])
    store.fuse()
    g = store.graph("per-samer")
    labels = {n["label"] for n in g["nodes"]}
    assert "Samer al-Duri" in labels and any(e["kind"] == "co-occurs" for e in g["edges"])
    path = store.graph_path("per-samer", "loc-bk2")
    assert [p["id"] for p in path][0] == store.resolve_entity("per-samer")
    items = store.timeline("per-samer")
    assert any(i["kind"] == "claim" and i["source"] == "Samer al-Duri" for i in items)


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory):
    needs_shared(SHARED / "samples" / "seeds")
    from marsad.ingest import IngestOptions
    from marsad.service import ingest_paths

    path = tmp_path_factory.mktemp("seeds") / "seeds.db"
    with Store.open(path) as s:
        ingest_paths([SHARED / "samples" / "seeds"], IngestOptions(), s)
    return path


def test_issue_cases_on_the_seeds(seed_store):
    from marsad.arabic.normalise import match_key

    with Store.open(seed_store) as s:
        shatri = s.fused_entities(query="الشاطري")[0]
        aliases = {match_key(a) for a in shatri["aliases"]}
        assert {match_key("الشاطري"), match_key("حميد الشاطري"), match_key("رئيس جهاز المخابرات العراقي")} <= aliases
        isis = s.fused_entities(query="داعش")[0]
        assert {match_key("داعش"), match_key("تنظيم داعش")} <= {match_key(a) for a in isis["aliases"]}
        assert any(match_key('تنظيم "الدولة') in match_key(a) for a in isis["aliases"])
        groups = s.claim_groups(contradictions=True)
        released = [g for g in groups if {400.0, 180.0} <= {v["value"] for v in g["values"]}]
        assert released and all(v["source"] for v in released[0]["values"])


def test_cli_commands(seed_store):
    runner = CliRunner()
    db = str(seed_store)
    result = runner.invoke(app, ["entities", "--db", db, "--type", "PER", "--json"])
    assert result.exit_code == 0, result.output
    people = json.loads(result.output)
    assert any(p["canonical"] == "Hamid al-Shatri" for p in people)
    result = runner.invoke(app, ["claims", "--contradictions", "--db", db, "--json"])
    assert result.exit_code == 0 and any(g["status"] == "contradicted" for g in json.loads(result.output))
    result = runner.invoke(app, ["entities", "show", "Hamid al-Shatri", "--db", db])
    assert result.exit_code == 0 and "رئيس جهاز المخابرات" in result.output
    for args in (["timeline", "الشاطري"], ["graph", "الشاطري", "--json"], ["fuse", "--rebuild"]):
        result = runner.invoke(app, [*args, "--db", db])
        assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["timeline", "لا أحد بهذا الاسم", "--db", db])
    assert result.exit_code == 1 and "no entity" in result.output
