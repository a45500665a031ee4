"""The API's search answers are cached per store generation and caller: a change to
documents or sharing (by this process or any other) is seen at once, and one
organisation's cached answer is never served to another."""

from __future__ import annotations

from marsad.share import orgs
from marsad.store import queries
from tests.share.conftest import doc_analysis, visible_markers

from .conftest import bearer


def _search(client, token, q="تقرير"):  # noqa: ANN001, ANN202
    return client.get("/api/documents", params={"q": q, "limit": 100}, headers=bearer(token)).json()


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
    assert cache.hits >= 2  # the page and the total with facets of the second request
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
