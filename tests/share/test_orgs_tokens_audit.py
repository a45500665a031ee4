"""Organisations, groups, tokens (hashed, revocable, scoped), shares and the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marsad.share import audit, orgs, tokens
from marsad.share.errors import ShareError
from marsad.share.tlp import TLP, strictest
from marsad.share.viewer import expand_scope
from marsad.store import Store
from marsad.store.schema import api_tokens, metadata

from .conftest import doc_analysis


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "s.db") as s:
        yield s


def test_tlp_parsing_and_order():
    assert TLP.parse("white") is TLP.CLEAR
    assert TLP.parse("amber-strict") is TLP.AMBER_STRICT
    assert TLP.parse("TLP:Amber+Strict") is TLP.AMBER_STRICT
    assert TLP.parse(" red ") is TLP.RED
    assert TLP.CLEAR < TLP.GREEN < TLP.AMBER < TLP.AMBER_STRICT < TLP.RED
    assert strictest("green", "RED", TLP.AMBER) is TLP.RED
    assert strictest([]) is TLP.CLEAR
    with pytest.raises(ValueError, match="unknown TLP 'purple'"):
        TLP.parse("purple")


def test_scopes_are_cumulative():
    assert expand_scope("read") == {"read"}
    assert expand_scope("write") == {"read", "write"}
    assert expand_scope("ADMIN") == {"read", "write", "admin"}
    with pytest.raises(ValueError, match="unknown scope"):
        expand_scope("root")


def test_orgs_and_groups(store):
    assert not orgs.has_orgs(store)
    orgs.add_org(store, "A")
    orgs.add_org(store, "B")
    assert orgs.has_orgs(store)
    with pytest.raises(ShareError, match="already exists"):
        orgs.add_org(store, "A")
    with pytest.raises(ShareError, match="comma"):
        orgs.add_org(store, "X,Y")
    group = orgs.add_group(store, "G", "A,B")
    assert group.orgs == ("A", "B")
    with pytest.raises(ShareError, match="unknown organisation.*'Z'"):
        orgs.add_group(store, "H", ["A", "Z"])
    with pytest.raises(ShareError, match="organisation's name"):
        orgs.add_group(store, "A", ["B"])
    with pytest.raises(ShareError, match="sharing group's name"):
        orgs.add_org(store, "G")
    assert orgs.viewer_for(store, "A").groups == {"G"}


def test_share_targets_checked(store):
    orgs.add_org(store, "A")
    orgs.add_org(store, "B")
    orgs.add_group(store, "G", ["B"])
    with pytest.raises(ShareError, match="unknown organisation or group 'NOPE'"):
        orgs.check_targets(store, ["B", "NOPE"])
    with pytest.raises(ShareError, match="named organisations only"):
        orgs.check_targets(store, ["G"], "RED")
    with pytest.raises(ShareError, match="named organisations only"):
        orgs.check_targets(store, ["G"], "amber+strict")
    assert [t.kind for t in orgs.check_targets(store, ["B", "G"], "AMBER")] == ["org", "group"]


def test_share_only_own_documents(store):
    for name in ("OWN", "B", "C"):
        orgs.add_org(store, name)
    store.save([doc_analysis("AMBER", "OWN", 1)])
    assert orgs.share_documents(store, ["doc-zqamber"], ["C"], owner="B") == 0  # not B's document
    assert orgs.share_documents(store, ["doc-zqamber"], ["C"], owner="OWN") == 1
    assert orgs.share_documents(store, ["doc-zqamber"], ["C"], owner="OWN") == 0  # already shared
    assert [(t.kind, t.name) for t in orgs.shares_of(store, "doc-zqamber")] == [("org", "C")]


def _dump(store: Store) -> str:
    with store.engine.connect() as conn:
        return repr([list(conn.execute(select(t))) for t in metadata.sorted_tables])


def test_tokens_hashed_revocable(store):
    orgs.add_org(store, "A")
    orgs.add_group(store, "G", ["A"])
    new = tokens.create_token(store, "A", "write", user="alice")
    assert new.secret.startswith("msd_") and len(new.secret) > 40
    assert new.secret not in _dump(store)  # only the hash is stored
    with store.engine.connect() as conn:
        assert conn.execute(select(api_tokens.c.secret_hash)).scalar_one() == tokens.hash_token(new.secret)
    viewer = tokens.authenticate(store, new.secret)
    assert viewer.org == "A" and viewer.scopes == {"read", "write"} and viewer.groups == {"G"}
    assert viewer.token_id == new.info.id and viewer.user == "alice"
    assert tokens.list_tokens(store)[0].last_used_at is not None
    assert tokens.authenticate(store, new.secret[:-1] + "x") is None
    assert tokens.authenticate(store, "") is None
    tokens.revoke_token(store, new.info.id)
    assert tokens.authenticate(store, new.secret) is None
    assert not tokens.list_tokens(store)[0].active
    with pytest.raises(ShareError, match="no token with id 99"):
        tokens.revoke_token(store, 99)
    with pytest.raises(ShareError, match="unknown organisation 'Z'"):
        tokens.create_token(store, "Z")
    with pytest.raises(ShareError, match="--scope"):
        tokens.create_token(store, "A", "root")


def test_audit_append_and_filter(store):
    orgs.add_org(store, "A")
    viewer = orgs.viewer_for(store, "A")
    audit.record(store, viewer, "search", "الحسكة", {"total": 3})
    audit.record(store, None, "change", "org:A")
    rows = audit.entries(store)
    assert [r.action for r in rows] == ["change", "search"]  # newest first
    assert rows[1].org == "A" and rows[1].detail == {"total": 3}
    assert [r.action for r in audit.entries(store, org="A")] == ["search"]
    assert [r.action for r in audit.entries(store, action="change")] == ["change"]
    with pytest.raises(ValueError, match="unknown audit action"):
        audit.record(store, None, "delete", "x")
