"""The sharing commands through the real CLI (typer's CliRunner)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from marsad.cli import app
from marsad.share import tokens
from marsad.store import Store

runner = CliRunner()

REPORT = "---\noutlet: نشرة\npublished: 2025-04-10\n---\nأعلنت قيادة الشرطة في كركوك اعتقال خمسة عناصر من تنظيم داعش.\n"


def run(*args: str):  # noqa: ANN202
    return runner.invoke(app, list(args))


def test_org_group_token_audit_flow(tmp_path):
    db = str(tmp_path / "m.db")
    assert run("org", "add", "ACME", "--db", db).exit_code == 0
    assert run("org", "add", "BETA", "--db", db).exit_code == 0
    dup = run("org", "add", "ACME", "--db", db)
    assert dup.exit_code == 2 and "already exists" in dup.output
    assert run("group", "add", "PARTNERS", "--orgs", "ACME,BETA", "--db", db).exit_code == 0
    bad = run("group", "add", "X", "--orgs", "ACME,NOPE", "--db", db)
    assert bad.exit_code == 2 and "'NOPE'" in bad.output
    orgs = json.loads(run("org", "list", "--db", db, "--json").stdout)
    assert [o["name"] for o in orgs] == ["ACME", "BETA"] and orgs[0]["groups"] == ["PARTNERS"]

    created = run("token", "create", "--org", "ACME", "--scope", "write", "--db", db)
    assert created.exit_code == 0
    secret = created.stdout.strip()
    assert secret.startswith("msd_") and "\n" not in secret
    listed = run("token", "list", "--db", db, "--json")
    assert secret not in listed.stdout
    rows = json.loads(listed.stdout)
    assert rows[0]["org"] == "ACME" and rows[0]["scope"] == "write" and rows[0]["active"]
    assert run("token", "create", "--org", "NOPE", "--db", db).exit_code == 2
    assert "--scope" in run("token", "create", "--org", "ACME", "--scope", "root", "--db", db).output
    assert run("token", "revoke", str(rows[0]["id"]), "--db", db).exit_code == 0
    assert "no token with id 99" in run("token", "revoke", "99", "--db", db).output
    with Store.open(db) as store:
        assert tokens.authenticate(store, secret) is None

    log = json.loads(run("audit", "--db", db, "--json").stdout)
    ops = [e["detail"]["op"] for e in log]
    assert ops[:2] == ["token revoke", "token create"] and "org add" in ops
    assert "--action must be one of" in run("audit", "--db", db, "--action", "nope").output


def test_ingest_with_org_tlp_share_with(tmp_path):
    db = str(tmp_path / "m.db")
    (tmp_path / "r.txt").write_text(REPORT, encoding="utf-8")
    run("org", "add", "ACME", "--db", db)
    run("org", "add", "BETA", "--db", db)
    run("group", "add", "G", "--orgs", "BETA", "--db", db)
    unknown = run("ingest", str(tmp_path / "r.txt"), "--db", db, "--org", "NOPE", "-q")
    assert unknown.exit_code == 2 and "unknown organisation 'NOPE'" in unknown.output
    red_group = run("ingest", str(tmp_path / "r.txt"), "--db", db, "--org", "ACME", "--tlp", "red",
                    "--share-with", "G", "-q")
    assert red_group.exit_code == 2 and "named organisations only" in red_group.output
    bad_tlp = run("ingest", str(tmp_path / "r.txt"), "--db", db, "--tlp", "mauve", "-q")
    assert bad_tlp.exit_code == 2 and "unknown TLP 'mauve'" in bad_tlp.output
    ok = run("ingest", str(tmp_path / "r.txt"), "--db", db, "--org", "ACME", "--tlp", "amber-strict",
             "--share-with", "BETA", "-q")
    assert ok.exit_code == 0, ok.output
    with Store.open(db) as store:
        from marsad.share.orgs import shares_of, viewer_for

        doc = store.list_documents()[0]
        assert doc.tlp == "AMBER+STRICT" and doc.owner == "ACME"
        assert [(s.kind, s.name) for s in shares_of(store, doc.id)] == [("org", "BETA")]
        assert store.get_document(doc.id, viewer=viewer_for(store, "BETA")) is not None
    assert json.loads(run("audit", "--db", db, "--json", "--action", "ingest").stdout)[0]["target"] == "ACME"


def test_help_teaches():
    for args in (["org", "--help"], ["group", "add", "--help"], ["token", "create", "--help"],
                 ["audit", "--help"], ["serve", "--help"]):
        result = run(*args)
        assert result.exit_code == 0 and "--" in result.output, args
    assert "hash" in run("token", "--help").output
