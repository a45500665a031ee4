from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from marsad.api.app import create_app
from marsad.share import tokens
from tests.share.conftest import ORGS, fresh_shared_store, shared_store  # noqa: F401 - fixtures re-exported

LOCAL = ("127.0.0.1", 40000)


def _api(store):  # noqa: ANN001, ANN202
    read = {org: tokens.create_token(store, org, "read").secret for org in ORGS}
    write = {org: tokens.create_token(store, org, "write").secret for org in ORGS}
    return TestClient(create_app(store), client=LOCAL), read, write, store


@pytest.fixture(scope="module")
def api(shared_store):  # noqa: F811
    """(client, {org: read token}, {org: write token}, store), built once per module: read-only tests."""
    return _api(shared_store)


@pytest.fixture
def fresh_api(fresh_shared_store):  # noqa: F811
    """The same over a store of its own, for tests that change it (ingest, revoke, sign in …)."""
    return _api(fresh_shared_store)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
