"""Harness of the real-browser tests: stores built by ingesting ``examples/reports``, the
workspace served by uvicorn on a free loopback port in a thread, and Debian's Chromium
(``/usr/bin/chromium``, headless) driven by Playwright.  Screenshots go to
``test-artifacts/screenshots/`` (git-ignored) for review.

Two servers: an open one (no organisation: loopback needs no token, single-user mode) and a
shared one (a copy with organisations ACME and BETA and an AMBER report of ACME's that BETA
must never see).  Both are built once per test session.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# Invented reports for these tests (not taken from any sample).
SECRET_TITLE = "مذكرة داخلية عن نقاط العبور الشمالية"
SECRET_MARKER = "القرمزي"
SECRET_BODY = ("قال المقدم سامر القرمزي، قائد حرس الحدود، إن 75 من عناصر داعش عبروا من الحسكة إلى الموصل "
               "خلال شهر نيسان/أبريل 2025، وإن قوات الأمن اعتقلت 12 منهم قرب معبر ربيعة.")
UPLOAD_MARKER = "الفيروزي"
UPLOAD_BODY = ("---\ntitle: دورية مشتركة قرب سنجار\noutlet: موقع الاختبار\npublished: 2025-04-02\n---\n"
               "أعلنت قيادة العمليات المشتركة أن دورية مشتركة بقيادة العقيد حازم الفيروزي ضبطت 30 صاروخاً "
               "في قرية قرب سنجار يوم الثلاثاء، وقال متحدث باسم القيادة إن التفتيش سيستمر.")


@dataclass(frozen=True, slots=True)
class LiveServer:
    url: str
    store: object
    tokens: dict[str, str]
    secret_doc: str | None = None


def chromium_or_skip() -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent (CI installs Debian's chromium): no browser to drive")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(store, pipeline) -> Iterator[str]:  # noqa: ANN001
    """The workspace over ``store`` at http://127.0.0.1:PORT, in a thread, until the block ends."""
    import uvicorn

    from marsad.api.app import create_app

    app = create_app(store)
    app.state.pipeline = lambda: pipeline  # uploads reuse the loaded model
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, name=f"marsad-web-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the test server on port {port} did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="session")
def web_pipeline():  # noqa: ANN201
    from marsad.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def examples_store(tmp_path_factory, web_pipeline):  # noqa: ANN001, ANN201
    from marsad.ingest import IngestOptions
    from marsad.service import ingest_paths
    from marsad.store import Store

    store = Store.open(tmp_path_factory.mktemp("browser") / "open.db")
    summary = ingest_paths([EXAMPLES], IngestOptions(), store, pipeline=web_pipeline)
    assert summary.new and not summary.rejected
    yield store
    store.close()


@pytest.fixture(scope="session")
def open_server(examples_store, web_pipeline) -> Iterator[LiveServer]:  # noqa: ANN001
    chromium_or_skip()
    with serve(examples_store, web_pipeline) as url:
        yield LiveServer(url, examples_store, {})


@pytest.fixture(scope="session")
def shared_server(examples_store, web_pipeline, tmp_path_factory) -> Iterator[LiveServer]:  # noqa: ANN001
    """A copy of the examples store with ACME and BETA and an AMBER report of ACME's."""
    from marsad.ingest import IngestOptions
    from marsad.service import ingest_text
    from marsad.share import orgs, tokens
    from marsad.store import Store

    chromium_or_skip()
    path = tmp_path_factory.mktemp("browser") / "shared.db"
    source, target = sqlite3.connect(examples_store.engine.url.database), sqlite3.connect(path)
    source.backup(target)
    source.close()
    target.close()
    store = Store.open(path)
    for org in ("ACME", "BETA"):
        orgs.add_org(store, org)
    summary = ingest_text(SECRET_BODY, IngestOptions(outlet="نشرة داخلية", published=dt.date(2025, 4, 20),
                                                     tlp="AMBER", owner="ACME"),
                          store, title=SECRET_TITLE, pipeline=web_pipeline)
    assert len(summary.new) == 1
    secrets = {org: tokens.create_token(store, org, "read").secret for org in ("ACME", "BETA")}
    with serve(store, web_pipeline) as url:
        yield LiveServer(url, store, secrets, summary.new[0])
    store.close()


@pytest.fixture(scope="session")
def browser():  # noqa: ANN201
    chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield instance
        instance.close()


@pytest.fixture
def page(browser):  # noqa: ANN001, ANN201
    """A fresh browser context (no cookies) at 1280×800; JavaScript errors fail the test."""
    context = browser.new_context(viewport=DESKTOP, locale="ar")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def screenshot(page, name: str, *, full_page: bool = True) -> Path:  # noqa: ANN001
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
