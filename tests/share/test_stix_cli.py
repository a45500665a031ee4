"""`marsad export stix` and `marsad import stix`: files, stdout, errors naming file and reason."""

from __future__ import annotations

import datetime as dt
import json

from typer.testing import CliRunner

from marsad.cli import app
from marsad.store import Store

from .stix_helpers import analysis, body_variant

runner = CliRunner()


def _store(path) -> None:
    with Store.open(path) as s:
        s.save([analysis(body_variant(1), ingested=dt.datetime(2024, 1, 1, tzinfo=dt.UTC)),
                analysis(body_variant(2), ingested=dt.datetime(2024, 6, 1, tzinfo=dt.UTC))])


def test_export_then_import_round_trip(tmp_path) -> None:
    src, dst, out = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "bundle.json"
    _store(src)
    r = runner.invoke(app, ["export", "stix", "--db", str(src), "--out", str(out)])
    assert r.exit_code == 0, r.output
    bundle = json.loads(out.read_text(encoding="utf-8"))
    assert bundle["type"] == "bundle" and sum(o["type"] == "report" for o in bundle["objects"]) == 2
    r = runner.invoke(app, ["import", "stix", str(out), "--db", str(dst)])
    assert r.exit_code == 0, r.output
    assert "2 new documents" in r.output
    r = runner.invoke(app, ["import", "stix", str(out), "--db", str(dst), "--org", "PARTNER"])
    assert r.exit_code == 1 and "unknown organisation 'PARTNER'" in r.output
    from marsad.share.orgs import add_org

    with Store.open(dst) as s:
        add_org(s, "PARTNER")
    r = runner.invoke(app, ["import", "stix", str(out), "--db", str(dst), "--org", "PARTNER"])
    assert r.exit_code == 0 and "2 duplicates" in r.output
    r = runner.invoke(app, ["export", "stix", "--db", str(dst)])  # stdout
    assert r.exit_code == 0
    again = json.loads(r.stdout)
    assert again["objects"] == bundle["objects"]


def test_export_since(tmp_path) -> None:
    src = tmp_path / "a.db"
    _store(src)
    r = runner.invoke(app, ["export", "stix", "--db", str(src), "--since", "2024-03-01"])
    assert r.exit_code == 0
    assert sum(o["type"] == "report" for o in json.loads(r.stdout)["objects"]) == 1
    r = runner.invoke(app, ["export", "stix", "--db", str(src), "--since", "March"])
    assert r.exit_code != 0 and "--since" in r.output


def test_import_errors_name_the_file_and_the_reason(tmp_path) -> None:
    db = tmp_path / "b.db"
    not_json = tmp_path / "notjson.json"
    not_json.write_text("{oops", encoding="utf-8")
    r = runner.invoke(app, ["import", "stix", str(not_json), "--db", str(db)])
    assert r.exit_code == 1 and f"{not_json} is not JSON" in r.output and "line 1" in r.output

    not_bundle = tmp_path / "list.json"
    not_bundle.write_text("[]", encoding="utf-8")
    r = runner.invoke(app, ["import", "stix", str(not_bundle), "--db", str(db)])
    assert r.exit_code == 1 and str(not_bundle) in r.output and "not a STIX bundle" in r.output

    src, good = tmp_path / "a.db", tmp_path / "bundle.json"
    _store(src)
    runner.invoke(app, ["export", "stix", "--db", str(src), "--out", str(good)])
    bundle = json.loads(good.read_text(encoding="utf-8"))
    n = max(i for i, o in enumerate(bundle["objects"]) if o["type"] == "x-marsad-claim")
    bundle["objects"][n]["value"] = "many"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    r = runner.invoke(app, ["import", "stix", str(broken), "--db", str(db)])
    assert r.exit_code == 1
    assert f"invalid STIX object {n} ({bundle['objects'][n]['id']})" in r.output
    assert "nothing imported" in r.output
    with Store.open(db) as s:
        assert s.stats()["documents"] == 0

    r = runner.invoke(app, ["import", "stix", str(tmp_path / "missing.json"), "--db", str(db)])
    assert r.exit_code == 2 and "cannot read" in r.output


def test_export_for_an_organisation(tmp_path) -> None:
    from marsad.share.orgs import add_org

    src = tmp_path / "a.db"
    with Store.open(src) as s:
        s.save([analysis(body_variant(1), tlp="GREEN"), analysis(body_variant(2), tlp="RED")])
        for name in ("ACME", "PARTNER"):
            add_org(s, name)
    r = runner.invoke(app, ["export", "stix", "--db", str(src), "--for-org", "PARTNER"])
    assert r.exit_code == 0
    [report] = [o for o in json.loads(r.stdout)["objects"] if o["type"] == "report"]
    assert report["object_marking_refs"] == ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]
    r = runner.invoke(app, ["export", "stix", "--db", str(src), "--for-org", "NOBODY"])
    assert r.exit_code != 0 and "NOBODY" in r.output
