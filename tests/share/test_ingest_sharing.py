"""Ingest with owners and shares: unknown names refused, own copies of hidden texts."""

from __future__ import annotations

import pytest

from marsad.ingest import IngestOptions
from marsad.service import ingest_text
from marsad.share import orgs
from marsad.share.errors import ShareError
from marsad.store import Store

TEXT = "أعلنت قيادة الشرطة في كركوك اعتقال خمسة عناصر من تنظيم داعش يوم الاثنين."


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "s.db") as s:
        for name in ("A", "B", "C"):
            orgs.add_org(s, name)
        orgs.add_group(s, "G", ["C"])
        yield s


def test_unknown_owner_or_target_refused_before_storing(store):
    with pytest.raises(ShareError, match="unknown organisation 'Z'"):
        ingest_text(TEXT, IngestOptions(owner="Z"), store)
    with pytest.raises(ShareError, match="'NOPE'"):
        ingest_text(TEXT, IngestOptions(owner="A", tlp="amber"), store, share_with=["NOPE"])
    with pytest.raises(ShareError, match="named organisations only"):
        ingest_text(TEXT, IngestOptions(owner="A", tlp="red"), store, share_with=["G"])
    assert store.stats()["documents"] == 0


def test_shares_applied_and_widened_on_reingest(store):
    a = ingest_text(TEXT, IngestOptions(owner="A", tlp="amber"), store, share_with=["B"])
    doc_id = a.new[0]
    c = orgs.viewer_for(store, "C")
    assert store.get_document(doc_id, viewer=orgs.viewer_for(store, "B")) is not None
    assert store.get_document(doc_id, viewer=c) is None
    again = ingest_text(TEXT, IngestOptions(owner="A", tlp="amber"), store, share_with=["G"])
    assert again.duplicates == [doc_id] and not again.new
    assert store.get_document(doc_id, viewer=c) is not None


def test_hidden_duplicate_becomes_the_uploaders_own_copy(store):
    first = ingest_text(TEXT, IngestOptions(owner="A", tlp="red"), store)
    second = ingest_text(TEXT, IngestOptions(owner="B", tlp="green"), store)
    # B is told nothing about A's document: it gets its own, new, document
    assert second.new and second.new != first.new and not second.duplicates
    b = orgs.viewer_for(store, "B")
    assert store.get_document(first.new[0], viewer=b) is None
    assert store.get_document(second.new[0], viewer=b).owner == "B"
    # and B re-sending the text is now an ordinary duplicate of its own copy
    assert ingest_text(TEXT, IngestOptions(owner="B"), store).duplicates == second.new
    # a third organisation gets its own copy too (the text's id is A's hidden document)
    third = ingest_text(TEXT, IngestOptions(owner="C"), store)
    assert third.new and third.new[0] not in first.new + second.new


def test_visible_duplicate_is_a_plain_duplicate(store):
    first = ingest_text(TEXT, IngestOptions(owner="A", tlp="green"), store)
    again = ingest_text(TEXT, IngestOptions(owner="B", tlp="red"), store, share_with=["C"])
    assert again.duplicates == first.new and not again.new
    # B's shares never touch A's document
    assert orgs.shares_of(store, first.new[0]) == []
