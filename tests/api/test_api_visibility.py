"""Every endpoint, for every organisation, returns and counts only what it may see."""

from __future__ import annotations

import pytest

from marsad.share import audit
from tests.share.conftest import COMMON_ID, EXPECTED, ORGS, marker, visible_markers

from .conftest import bearer


def _ids(items, key="doc_id"):  # noqa: ANN001, ANN202
    return {i[key].removeprefix("doc-") for i in items}


@pytest.mark.parametrize("org", ORGS)
def test_documents(api, org):
    client, read, _, _ = api
    h, want = bearer(read[org]), visible_markers(org)
    page = client.get("/api/documents", params={"q": "تقرير", "limit": 3}, headers=h).json()
    assert page["total"] == len(want) and len(page["items"]) == min(3, len(want))
    assert page["total_is_lower_bound"] is False and page["facets"] == {}  # facets are asked for
    page = client.get("/api/documents", params={"q": "تقرير", "limit": 3, "facets": "true"}, headers=h).json()
    assert page["total"] == len(want) and sum(page["facets"]["tlp"].values()) == len(want)
    every = client.get("/api/documents", params={"q": "تقرير", "limit": 100}, headers=h).json()
    assert _ids(every["items"], "id") == want
    listing = client.get("/api/documents", headers=h).json()
    assert _ids(listing["items"], "id") == want and listing["total"] == len(want)
    red = client.get("/api/documents", params={"tlp": "red"}, headers=h).json()
    assert red["total"] == len({m for m in want if m.startswith("zqred")})
    for (level, owner), who in EXPECTED.items():
        m = marker(level, owner)
        r = client.get(f"/api/documents/doc-{m}", headers=h)
        assert r.status_code == (200 if org in who else 404), (m, org)
        if r.status_code == 404:
            assert r.json() == client.get("/api/documents/doc-doesnotexist", headers=h).json() | {
                "detail": f"no document 'doc-{m}'"}
        r = client.get("/api/documents", params={"q": m}, headers=h).json()
        assert r["total"] == (1 if org in who else 0)


def test_document_detail_and_shares(api):
    client, read, _, _ = api
    own = client.get("/api/documents/doc-zqamber", headers=bearer(read["OWN"])).json()
    assert own["document"]["tlp"] == "AMBER" and own["document"]["owner"] == "OWN"
    assert {(s["kind"], s["name"]) for s in own["shares"]} == {("org", "SHR"), ("group", "GR")}
    assert own["quantities"][0]["value"] == 120 and own["events"][0]["type"] == "ARREST"
    partner = client.get("/api/documents/doc-zqamber", headers=bearer(read["GRP"])).json()
    assert partner["shares"] is None  # who else it is shared with is the owner's business


@pytest.mark.parametrize("org", ORGS)
def test_facts(api, org):
    client, read, _, _ = api
    h, want = bearer(read[org]), visible_markers(org)
    claims = client.get("/api/claims", params={"limit": 100}, headers=h).json()
    assert _ids(claims["items"]) == want and claims["total"] == len(want)
    events = client.get("/api/events", headers=h).json()
    assert _ids(events["items"]) == want and events["total"] == len(want)
    quotes = client.get("/api/quotes", headers=h).json()
    assert _ids(quotes["items"]) == want and quotes["total"] == len(want)
    stats = client.get("/api/stats", headers=h).json()
    assert stats["documents"] == len(want) and stats["quantities"] == len(want)
    ents = client.get("/api/entities", params={"limit": 100}, headers=h).json()["items"]
    ids = {e["id"] for e in ents}
    assert {f"ent-{m}" for m in want} <= ids and COMMON_ID in ids
    assert not any(f"ent-{m}" in ids for m in {marker(*k) for k in EXPECTED} - want)
    common = client.get(f"/api/entities/{COMMON_ID}", headers=h).json()
    assert common["mention_count"] == len(want)
    assert all(any(m in a for m in want) for a in common["aliases"])
    for m in {marker(*k) for k in EXPECTED} - want:
        assert client.get(f"/api/entities/ent-{m}", headers=h).status_code == 404


def test_contradictions_endpoint(fresh_api):
    client, read, _, store = fresh_api
    if not hasattr(store, "claim_groups"):
        pytest.skip("fusion not in the store yet")
    store.fuse()
    own = client.get("/api/claims", params={"contradictions": "true"}, headers=bearer(read["OWN"])).json()
    assert len(own["items"]) == 1
    oth = client.get("/api/claims", params={"contradictions": "true"}, headers=bearer(read["OTH"])).json()
    assert oth["items"] == []
    grouped = client.get("/api/claims", params={"grouped": "true"}, headers=bearer(read["OTH"])).json()
    assert {v["value"] for g in grouped["items"] for v in g["values"]} == {120}


def test_bad_filters_are_422(api):
    client, read, _, _ = api
    h = bearer(read["OWN"])
    r = client.get("/api/documents", params={"tlp": "purple"}, headers=h)
    assert r.status_code == 422 and "purple" in r.text
    assert client.get("/api/documents", params={"limit": 0}, headers=h).status_code == 422
    assert client.get("/api/events", params={"since": "2025-05-01", "until": "2025-01-01"}, headers=h).status_code == 422


def test_ingest_owned_shared_and_audited(fresh_api):
    client, read, write, store = fresh_api
    body = {"text": "أعلنت قيادة الشرطة في كركوك اعتقال خمسة عناصر من تنظيم داعش zqposted.",
            "title": "خبر", "tlp": "amber", "share_with": ["SHR"], "published": "2025-04-01"}
    r = client.post("/api/documents", json=body, headers=bearer(write["OWN"]))
    assert r.status_code == 201, r.text
    doc_id = r.json()["new"][0]
    assert client.get(f"/api/documents/{doc_id}", headers=bearer(read["SHR"])).json()["document"]["owner"] == "OWN"
    assert client.get(f"/api/documents/{doc_id}", headers=bearer(read["GRP"])).status_code == 404
    again = client.post("/api/documents", json=body, headers=bearer(write["OWN"]))
    assert again.status_code == 200 and again.json()["duplicates"] == [doc_id]
    bad = client.post("/api/documents", json={**body, "share_with": ["NOPE"]}, headers=bearer(write["OWN"]))
    assert bad.status_code == 422 and "NOPE" in bad.json()["detail"]
    bad = client.post("/api/documents", json={**body, "tlp": "mauve"}, headers=bearer(write["OWN"]))
    assert bad.status_code == 422 and "mauve" in bad.json()["detail"]
    actions = [(e.org, e.action) for e in audit.entries(store, limit=100)]
    assert ("OWN", "ingest") in actions and ("SHR", "read") in actions


def test_upload_file(fresh_api):
    client, read, write, _ = fresh_api
    files = {"file": ("report.txt", "---\noutlet: نشرة\n---\nاعتقلت الشرطة خمسة عناصر zqupload في الموصل.\n".encode())}
    r = client.post("/api/documents/upload", files=files, data={"tlp": "red"}, headers=bearer(write["SHR"]))
    assert r.status_code == 201, r.text
    doc = client.get(f"/api/documents/{r.json()['new'][0]}", headers=bearer(read["SHR"])).json()["document"]
    assert doc["source"] == "upload:report.txt" and doc["tlp"] == "RED" and doc["owner"] == "SHR"
    assert client.get("/api/documents", params={"q": "zqupload"}, headers=bearer(read["OWN"])).json()["total"] == 0


def test_reads_and_searches_are_audited(fresh_api):
    client, read, _, store = fresh_api
    h = bearer(read["GRP"])
    client.get("/api/documents", params={"q": "zqgreen"}, headers=h)
    client.get("/api/documents/doc-zqgreen", headers=h)
    client.get("/api/claims", headers=h)
    entries = [e for e in audit.entries(store, org="GRP")]
    assert [(e.action, e.target) for e in entries[:3]] == [("search", "claims"), ("read", "document:doc-zqgreen"),
                                                           ("search", "zqgreen")]
    assert entries[0].token_id is not None and entries[0].detail["client"] == "127.0.0.1"
