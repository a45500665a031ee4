"""The API's search answers are cached per store generation and caller: a change to
documents or sharing (by this process or any other) is seen at once, and one
organisation's cached answer is never served to another."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from marsad.api.app import create_app
from marsad.api.routes import documents as document_routes
from marsad.share import orgs
from marsad.store import queries
from tests.share.conftest import doc_analysis, visible_markers

from .conftest import bearer


def _search(client, token, q="تقرير", **params):  # noqa: ANN001, ANN202
    params = {"q": q, "limit": 100, "facets": "true", **params}
    return client.get("/api/documents", params=params, headers=bearer(token)).json()


def test_generation_moves_with_documents_and_shares(fresh_api):
    _, _, _, store = fresh_api
    with store.engine.connect() as conn:
        before = queries.generation(conn)
    orgs.share_documents(store, ["doc-zqred"], ["OTH"], owner="OWN")
    with store.engine.connect() as conn:
        after_share = queries.generation(conn)
    store.fuse()  # fusion bookkeeping changes nothing a caller may see
    with store.engine.connect() as conn:
        assert queries.generation(conn) == after_share > before


def test_cached_answer_follows_a_new_share(fresh_api):
    client, read, _, store = fresh_api
    first = _search(client, read["OTH"])
    assert first["total"] == len(visible_markers("OTH"))
    again = _search(client, read["OTH"])
    assert again == first
    cache = client.app.state.search_cache
    assert cache.hits >= 1  # the second request's answer
    orgs.share_documents(store, ["doc-zqred"], ["OTH"], owner="OWN")  # written outside the API
    shared = _search(client, read["OTH"])
    assert shared["total"] == first["total"] + 1
    assert "doc-zqred" in {i["id"] for i in shared["items"]}
    assert shared["facets"]["tlp"].get("RED") == 1


def test_cached_answer_follows_a_new_document(fresh_api):
    client, read, _, store = fresh_api
    before = _search(client, read["SHR"], "عنوان")["total"]
    doc = doc_analysis("GREEN", "OTH", 20)
    doc.doc.id = "doc-late"
    store.save([doc])
    assert _search(client, read["SHR"], "عنوان")["total"] == before + 1


def test_one_organisation_never_gets_anothers_cached_answer(fresh_api):
    client, read, _, _ = fresh_api
    own = _search(client, read["OWN"])
    oth = _search(client, read["OTH"])
    assert own["total"] == len(visible_markers("OWN")) > oth["total"] == len(visible_markers("OTH"))
    assert {i["id"] for i in oth["items"]} == {f"doc-{m}" for m in visible_markers("OTH")}


def test_facets_can_be_skipped(fresh_api):
    client, read, _, _ = fresh_api
    page = client.get("/api/documents", params={"q": "تقرير", "facets": "false"}, headers=bearer(read["OWN"])).json()
    assert page["facets"] == {} and page["total"] == len(visible_markers("OWN"))


def _generation(store):  # noqa: ANN001, ANN202
    with store.engine.connect() as conn:
        return queries.generation(conn)


def test_serving_requests_never_moves_the_generation(fresh_api):
    """Audit entries and token bookkeeping (last use) are writes too, but of tables the
    generation does not watch: if they moved it, every request would miss the cache."""
    client, read, _, store = fresh_api
    before = _generation(store)
    for org in ("OWN", "OTH"):
        _search(client, read[org])
        client.get("/api/me", headers=bearer(read[org]))
    client.app.state.audit_buffer.flush()
    assert _generation(store) == before
    _search(client, read["OWN"])
    assert client.app.state.search_cache.hits >= 1


def test_workers_share_answers_through_the_store(fresh_api):
    """A second app over the same store (another uvicorn worker) reads the answer the first
    one computed, and both recompute after a change made elsewhere."""
    client, read, _, store = fresh_api
    other = TestClient(create_app(store), client=("127.0.0.1", 40001))
    first = _search(client, read["OTH"])
    assert other.app.state.search_cache.shared_hits == 0
    assert _search(other, read["OTH"]) == first
    assert other.app.state.search_cache.shared_hits == 1
    # another organisation's question is a different entry, even with the same words
    assert _search(other, read["OWN"])["total"] == len(visible_markers("OWN"))
    assert other.app.state.search_cache.shared_hits == 1
    orgs.share_documents(store, ["doc-zqred"], ["OTH"], owner="OWN")
    assert _search(other, read["OTH"])["total"] == first["total"] + 1
    assert _search(client, read["OTH"])["total"] == first["total"] + 1
    assert other.app.state.search_cache.shared_hits == 1  # the new generation was computed once
    assert client.app.state.search_cache.shared_hits == 1  # … by `other`, then read here


@pytest.mark.parametrize("with_facets", [False, True])
def test_totals_above_the_cap_say_so(fresh_api, monkeypatch, with_facets):
    client, read, _, _ = fresh_api
    want = len(visible_markers("OWN"))
    cap = 2
    assert want > cap + 1
    monkeypatch.setattr(document_routes, "SEARCH_CAP", cap)
    page = _search(client, read["OWN"], facets=str(with_facets).lower(), limit=10)
    if with_facets:  # every match counted
        assert page["total"] == want and page["total_is_lower_bound"] is False
        assert sum(page["facets"]["tlp"].values()) == want
    else:
        assert page["total"] == cap and page["total_is_lower_bound"] is True and page["facets"] == {}
    assert len(page["items"]) == cap  # hits: the newest `cap` visible matches
    assert _search(client, read["OWN"], facets="false", offset=cap)["items"] == []


def test_a_remembered_token_follows_groups_and_revocation(fresh_api):
    """Who a token stands for is remembered (no token lookup per request) only while the
    access and store generations stay the same: a new group and a revocation are seen on
    the next request."""
    from marsad.share import tokens

    client, read, _, store = fresh_api
    h = bearer(read["OTH"])
    before = client.get("/api/me", headers=h).json()
    assert client.get("/api/me", headers=h).json() == before
    assert client.app.state.viewers.hits >= 1
    orgs.add_group(store, "LATE", ["OTH"])
    assert "LATE" in client.get("/api/me", headers=h).json()["groups"]
    tokens.revoke_token(store, next(t.id for t in tokens.list_tokens(store, "OTH") if read["OTH"].startswith(t.prefix)))
    assert client.get("/api/me", headers=h).status_code == 401
