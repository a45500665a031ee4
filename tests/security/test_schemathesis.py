"""Schemathesis against the app's own OpenAPI document (in-process ASGI): for every
operation, schema-valid and schema-violating requests with a valid token, bounded in
number; no request may end in a server error (5xx)."""

from __future__ import annotations

from collections import Counter

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis.generation.modes import GenerationMode  # noqa: E402

from marsad.api.app import create_app  # noqa: E402
from marsad.api.auth import FailureLimiter  # noqa: E402
from marsad.share import tokens  # noqa: E402
from marsad.store import Store  # noqa: E402
from tests.share.conftest import populate  # noqa: E402

EXAMPLES = {GenerationMode.POSITIVE: 12, GenerationMode.NEGATIVE: 8}
#: ingesting runs the whole extraction pipeline per example: fewer of those
SLOW = {("POST", "/api/documents"), ("POST", "/api/documents/upload")}


def test_no_server_errors(tmp_path):
    store = Store.open(tmp_path / "st.db")
    populate(store)
    secret = tokens.create_token(store, "OWN", "admin").secret
    app = create_app(store)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    errors: list[str] = []
    statuses: Counter[int] = Counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    for op in operations:
        label = f"{op.method.upper()} {op.path}"
        for mode, n in EXAMPLES.items():
            if (op.method.upper(), op.path) in SLOW:
                n = 3

            @settings(max_examples=n, deadline=None, database=None, derandomize=True,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            @given(case=op.as_strategy(generation_mode=mode))
            def call(case):  # noqa: ANN001
                # failed sign-ins would otherwise lock the client out (429) for the rest
                app.state.auth_failures = FailureLimiter()
                headers = {"Authorization": f"Bearer {secret}", **(case.headers or {})}
                response = case.call(headers=headers)
                statuses[response.status_code] += 1
                if response.status_code >= 500:
                    errors.append(f"{label} path={case.path_parameters} "
                                  f"query={case.query} -> {response.status_code} {response.text[:200]}")

            try:
                call()
            except Unsatisfiable:
                if mode is GenerationMode.POSITIVE:
                    raise
                # nothing in this operation's schema can be violated (no parameters, no body)
    store.close()
    assert errors == [], "\n".join(errors[:20])
    assert sum(n for code, n in statuses.items() if code < 300) > 50  # the requests did reach handlers
