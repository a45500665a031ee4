"""Authentication: tokens, scopes, loopback single-user mode, cookie, limits."""

from __future__ import annotations

from fastapi.testclient import TestClient

from marsad.api.app import create_app
from marsad.share import audit, orgs, tokens
from marsad.store import Store

from .conftest import LOCAL, bearer


def test_missing_bad_revoked_token_401(fresh_api):
    client, read, _, store = fresh_api
    r = client.get("/api/stats")
    assert r.status_code == 401 and "token is required" in r.json()["detail"]
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert client.get("/api/stats", headers=bearer("msd_wrong")).status_code == 401
    assert client.get("/api/stats", headers={"Authorization": "Basic abc"}).status_code == 401
    assert client.get("/api/stats", headers=bearer(read["OTH"])).status_code == 200
    token_id = next(t.id for t in tokens.list_tokens(store, "OTH"))
    tokens.revoke_token(store, token_id)
    assert client.get("/api/stats", headers=bearer(read["OTH"])).status_code == 401


def test_scope_403(fresh_api):
    client, read, write, _ = fresh_api
    body = {"text": "أعلنت الشرطة اعتقال خمسة عناصر في كركوك.", "tlp": "green"}
    r = client.post("/api/documents", json=body, headers=bearer(read["OWN"]))
    assert r.status_code == 403 and "'write' scope" in r.json()["detail"]
    assert client.post("/api/documents", json=body, headers=bearer(write["OWN"])).status_code == 201


def test_loopback_needs_no_token_until_an_organisation_exists(tmp_path):
    store = Store.open(tmp_path / "solo.db")
    local = TestClient(create_app(store), client=LOCAL)
    remote = TestClient(create_app(store))  # client host "testclient": not loopback
    assert local.get("/api/stats").status_code == 200
    assert local.get("/api/me").json()["org"] is None
    assert remote.get("/api/stats").status_code == 401
    assert local.get("/api/stats", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 401
    orgs.add_org(store, "A")
    assert local.get("/api/stats").status_code == 401
    token = tokens.create_token(store, "A").secret
    assert local.get("/api/me", headers=bearer(token)).json()["org"] == "A"
    store.close()


def test_cookie_sign_in(fresh_api):
    client, read, _, store = fresh_api
    assert client.post("/api/session", json={"token": "msd_nope"}).status_code == 401
    r = client.post("/api/session", json={"token": read["GRP"]})
    assert r.status_code == 200 and r.json()["org"] == "GRP" and r.json()["groups"] == ["GR"]
    assert "marsad_token" in r.cookies or "marsad_token" in client.cookies
    assert client.get("/api/me").json()["org"] == "GRP"  # the cookie alone now authenticates
    assert any(e.action == "login" and e.org == "GRP" for e in audit.entries(store))
    client.delete("/api/session")
    client.cookies.clear()
    assert client.get("/api/me").status_code == 401


def test_failed_tokens_rate_limited(fresh_api):
    client, read, _, _ = fresh_api
    codes = [client.get("/api/stats", headers=bearer(f"msd_guess{i}")).status_code for i in range(25)]
    assert codes[0] == 401 and codes[-1] == 429
    # the address stays blocked for the window, even with a good token
    assert client.get("/api/stats", headers=bearer(read["OWN"])).status_code == 429


def test_body_size_limit(api):
    client, _, write, _ = api
    r = client.post("/api/documents", content=b"x", headers={**bearer(write["OWN"]),
                                                            "Content-Length": str(26 * 1024 * 1024),
                                                            "Content-Type": "application/json"})
    assert r.status_code == 413


def test_openapi_documents_the_api(api):
    client = api[0]
    spec = client.get("/openapi.json").json()
    assert spec["info"]["title"] == "Marsad API"
    for path in ("/api/documents", "/api/documents/{doc_id}", "/api/entities", "/api/entities/{entity_id}",
                 "/api/claims", "/api/events", "/api/quotes", "/api/stats"):
        assert path in spec["paths"], path
    assert "DocumentPage" in spec["components"]["schemas"]
