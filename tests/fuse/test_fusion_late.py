"""Incremental fusion: a bare title resolved when its holder is named later; totals for the
API; link evidence and spellings of documents the viewer may not see never shown.
Invented reports."""

from __future__ import annotations

import datetime as dt

import pytest

from marsad.pipeline import Pipeline
from marsad.records import Document
from marsad.store import Store

PIPE = Pipeline()
EARLY = "بغداد - أكد رئيس جهاز المخابرات العراقي أن التنسيق مع الجانب الأردني سيتوسع خلال الأشهر المقبلة."
LATER = ("عمّان - التقى رئيس جهاز المخابرات العراقي كريم الناصري نظيره الأردني في عمّان، "
         "وبحث الجانبان تبادل المعلومات. وقال الناصري إن الاجتماع كان مثمراً.")


def _doc(doc_id: str, body: str, day: int, tlp: str = "CLEAR") -> Document:
    return Document(id=doc_id, title="", body=body, source=f"t/{doc_id}.txt", outlet=f"outlet {doc_id}",
                    published=dt.date(2025, 6, day), tlp=tlp)


@pytest.fixture()
def store(tmp_path):
    with Store.open(tmp_path / "late.db") as s:
        yield s


def _holder_id(store: Store) -> str:
    found = store.fused_entities(query="الناصري")
    assert found, "the holder is extracted"
    return found[0]["id"]


def test_bare_title_resolved_when_the_holder_is_named_later(store):
    store.save([PIPE(_doc("early", EARLY, 1))])
    store.fuse()
    store.save([PIPE(_doc("later", LATER, 10))])
    store.fuse()  # incremental, no rebuild
    entity = store.fused_entity(_holder_id(store))
    by_title = [m for m in entity["mentions"] if m["via"] == "title"]
    assert {m["doc_id"] for m in by_title} >= {"early"}


def test_totals_match_the_listings(store):
    store.save([PIPE(_doc("early", EARLY, 1)), PIPE(_doc("later", LATER, 10))])
    store.fuse()
    everything = store.fused_entities(limit=10000)
    assert store.count_fused_entities() == len(everything)
    assert store.count_fused_entities(query="الناصري") == len(store.fused_entities(query="الناصري", limit=10000)) >= 1
    assert store.count_fused_events() == len(store.fused_events(limit=10000))
    assert store.count_claim_groups(contradictions=True) == len(store.claim_groups(contradictions=True, limit=10000))


def test_invisible_report_shapes_no_spelling_or_evidence(store):
    secret = LATER.replace("الناصري", "الناصرى")  # a spelling only the secret report has
    store.save([PIPE(_doc("open", LATER, 10)), PIPE(_doc("secret", secret, 11, tlp="RED"))])
    store.fuse()
    from marsad.share.viewer import Viewer  # noqa: PLC0415 - the sharing layer's viewer

    outsider = Viewer(org="outsider org")
    for item in store.fused_entities(viewer=outsider, limit=10000):
        entity = store.fused_entity(item["id"], viewer=outsider)
        assert all(m["doc_id"] != "secret" for m in entity["mentions"])
        assert all("الناصرى" not in a for a in entity["aliases"])
        assert all(link["doc_id"] != "secret" for link in entity["links"])
        assert all("الناصرى" not in (link["evidence"] or "") for link in entity["links"])
