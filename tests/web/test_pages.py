"""The web workspace, server side (no browser): every page, search, reader marks, entity and
claims pages, the English switch, sign-in, and what a partner organisation may see.

Two stores are built once for the module by really ingesting ``examples/reports`` (plus two
small invented reports): an open one (no organisation: loopback needs no token) and a
shared one (a copy with organisations ACME and BETA and an AMBER report of ACME's)."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from marsad.api.app import create_app
from marsad.ingest import IngestOptions
from marsad.service import ingest_paths, ingest_text
from marsad.share import orgs, tokens
from marsad.store import Store
from marsad.web.i18n import load_strings
from tests.conftest import EXAMPLES

LOCAL = ("127.0.0.1", 40000)
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "marsad" / "web" / "templates"

# Invented reports (not taken from any sample).  The first names its city only with clitics.
CLITIC_TITLE = "حملة تفتيش في ريف المحافظة"
CLITIC_BODY = ("نفذت قوى الأمن الداخلي حملة تفتيش واسعة بالحسكة يوم الاثنين، واعتقلت 14 مشتبهاً "
               "بالانتماء إلى خلايا نائمة. وقال متحدث أمني إن الحملة ستتوسع لتشمل القرى المحيطة والحسكة الجديدة.")
SECRET_TITLE = "إحاطة داخلية عن سجون الشمال"
SECRET_OUTLET = "نشرة الزمرد الداخلية"
SECRET_MARKER = "الزمردي"
SECRET_BODY = ("قال العقيد رائد الزمردي، مدير شرطة الحدود، إن قسد أفرجت عن 900 من عناصر داعش في الحسكة "
               "خلال شهر آذار/مارس 2025، وإن 40 منهم عبروا إلى الأراضي العراقية عبر معبر ربيعة.")


# ---------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def open_store(tmp_path_factory, web_pipeline):  # noqa: ANN001, ANN201
    store = Store.open(tmp_path_factory.mktemp("web") / "open.db")
    summary = ingest_paths([EXAMPLES], IngestOptions(), store, pipeline=web_pipeline)
    assert summary.new and not summary.rejected
    ingest_text(CLITIC_BODY, IngestOptions(outlet="موقع الشمال", published=dt.date(2025, 3, 17)), store,
                title=CLITIC_TITLE, pipeline=web_pipeline)
    yield store
    store.close()


@pytest.fixture(scope="module")
def shared(open_store, tmp_path_factory, web_pipeline):  # noqa: ANN001, ANN201
    """(store, {org: token}, secret doc id): a copy of the open store with ACME and BETA."""
    path = tmp_path_factory.mktemp("web") / "shared.db"
    source = sqlite3.connect(open_store.engine.url.database)
    target = sqlite3.connect(path)
    source.backup(target)
    source.close()
    target.close()
    store = Store.open(path)
    for org in ("ACME", "BETA"):
        orgs.add_org(store, org)
    summary = ingest_text(SECRET_BODY, IngestOptions(outlet=SECRET_OUTLET, published=dt.date(2025, 3, 20),
                                                     tlp="AMBER", owner="ACME"),
                          store, title=SECRET_TITLE, pipeline=web_pipeline)
    assert len(summary.new) == 1
    secrets = {org: tokens.create_token(store, org, "read").secret for org in ("ACME", "BETA")}
    secrets["ACME-write"] = tokens.create_token(store, "ACME", "write").secret
    yield store, secrets, summary.new[0]
    store.close()


@pytest.fixture(scope="module")
def client(open_store) -> TestClient:  # noqa: ANN001
    return TestClient(create_app(open_store), client=LOCAL)


def signed_in(store: Store, token: str) -> TestClient:
    c = TestClient(create_app(store), client=LOCAL)
    c.cookies.set("marsad_token", token)
    return c


def _doc_with(store: Store, needle: str) -> str:
    for doc in store.list_documents(limit=500):
        if needle in doc.body:
            return doc.id
    raise AssertionError(f"no stored report contains {needle!r}")


# ---------------------------------------------------------------------------- HTML helpers

VOID = {"meta", "link", "input", "br", "img", "hr", "source", "col", "area", "base", "wbr", "track", "embed"}


class Page(HTMLParser):
    """Parses a page, checking that elements nest; collects every <mark> with its full text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.marks: list[dict] = []  # {"attrs": dict, "text": str}
        self._open_marks: list[dict] = []
        self.body_text: list[str] | None = None
        self._in_body = 0
        self.feed(html)
        self.close()
        assert not self.stack, f"unclosed elements: {self.stack}"

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        if tag in VOID:
            return
        self.stack.append(tag)
        attrs = dict(attrs)
        if tag == "div" and attrs.get("id") == "reader-body":
            self._in_body = len(self.stack)
            self.body_text = []
        if tag == "mark":
            mark = {"attrs": attrs, "text": ""}
            self.marks.append(mark)
            self._open_marks.append(mark)

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag in VOID:
            return
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        if tag == "mark":
            self._open_marks.pop()
        if self._in_body == len(self.stack):
            self._in_body = 0
        self.stack.pop()

    def handle_data(self, data):  # noqa: ANN001
        for mark in self._open_marks:
            mark["text"] += data
        if self._in_body and self.body_text is not None:
            self.body_text.append(data)


def span_text(page: Page, anchor: str) -> str:
    """The text of the highlight whose first piece has id ``anchor``, continuation pieces joined."""
    marks = page.marks
    first = next(i for i, m in enumerate(marks) if m["attrs"].get("id") == anchor)
    key = {k: v for k, v in marks[first]["attrs"].items() if k not in ("id", "data-cont")}
    text = marks[first]["text"]
    for m in marks[first + 1:]:
        same = {k: v for k, v in m["attrs"].items() if k not in ("id", "data-cont")} == key
        if same and m["attrs"].get("data-cont") and not m["attrs"].get("id"):
            text += m["text"]
        elif same and not m["attrs"].get("data-cont"):
            break
    return text


# ---------------------------------------------------------------------------- every page

def test_every_page_renders_arabic_rtl(client, open_store):  # noqa: ANN001
    doc_id = _doc_with(open_store, "الحسكة")
    entity = open_store.fused_entities(limit=1)[0]["id"]
    for url in ["/", "/search?q=داعش", f"/doc/{doc_id}", f"/entity/{entity}", "/claims", "/timeline",
                "/map", "/graph", f"/graph?entity={entity}", "/ingest", "/login"]:
        r = client.get(url)
        assert r.status_code == 200, url
        assert '<html lang="ar" dir="rtl">' in r.text, url
        assert 'href="#main"' in r.text and 'id="main"' in r.text, url  # the skip link and its target
        Page(r.text)  # well nested
    assert client.get("/static/css/marsad.css").status_code == 200
    assert "addEventListener" in client.get("/static/js/app.js").text


def test_unknown_document_and_entity_are_404_pages(client):  # noqa: ANN001
    for url in ("/doc/nope", "/entity/nope", "/graph?entity=nope"):
        r = client.get(url)
        assert r.status_code == 404 and 'dir="rtl"' in r.text, url


def test_every_ui_string_used_by_a_template_exists_in_both_languages():
    strings = load_strings()
    used = set()
    for path in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"""\bt\(\s*["']([\w.+-]+)["']""", path.read_text(encoding="utf-8")))
    assert len(used) > 50
    prefixes = {k for k in used if k.endswith(".")}  # t("status." ~ value): the group must exist
    missing = sorted(k for k in used - prefixes if k not in strings)
    missing += sorted(p for p in prefixes if not any(k.startswith(p) for k in strings))
    assert not missing, missing


# ---------------------------------------------------------------------------- search

def test_search_finds_clitic_forms_with_highlighted_snippets(client, open_store):  # noqa: ANN001
    clitic_doc = _doc_with(open_store, "بالحسكة")
    r = client.get("/search", params={"q": "الحسكة"})
    assert r.status_code == 200
    assert f'href="/doc/{clitic_doc}"' in r.text
    page = Page(r.text)
    hits = [m["text"] for m in page.marks if m["attrs"].get("class") == "hit"]
    assert hits and all(h.endswith("الحسكة") for h in hits)
    assert {"بالحسكة", "الحسكة"} <= set(hits)
    total = int(re.search(r'data-total="(\d+)"', r.text).group(1))
    assert total == open_store.count_search("الحسكة")


def test_search_facets_are_deferred_to_a_fragment(client):  # noqa: ANN001
    page = client.get("/search", params={"q": "داعش", "type": "ARREST"})
    assert 'data-facet="tlp"' not in page.text  # the results paint without the costly counts
    src = re.search(r'id="facet-groups" data-src="([^"]+)"', page.text).group(1).replace("&amp;", "&")
    assert src.startswith("/search/facets?") and "type=ARREST" in src
    fragment = client.get(src)
    inline = client.get("/search", params={"q": "داعش", "type": "ARREST", "facets": "1"})
    assert fragment.status_code == 200 and 'data-facet="tlp"' in fragment.text
    counts = lambda html: re.findall(r'data-facet="(\w+)"|data-count="(\d+)"', html)  # noqa: E731
    assert counts(fragment.text) == counts(inline.text)
    # links in the fragment lead back to the search page, keeping the query and filters
    href = re.search(r'<a href="([^"]+)"', fragment.text.split('data-facet="tlp"')[1]).group(1)
    assert href.startswith("/search?") and "facets" not in href and "type=ARREST" in href


def test_search_facets_count_and_filter(client, open_store):  # noqa: ANN001
    r = client.get("/search", params={"q": "داعش", "facets": "1"})
    total = int(re.search(r'data-total="(\d+)"', r.text).group(1))
    assert total == open_store.count_search("داعش") > 3
    for facet in ("type", "place", "org", "time", "outlet", "tlp"):
        assert f'data-facet="{facet}"' in r.text
    tlp_block = r.text.split('data-facet="tlp"')[1].split("</section>")[0]
    assert sum(int(n) for n in re.findall(r'data-count="(\d+)"', tlp_block)) == total
    # follow the first outlet facet: the result count becomes the facet's count
    outlet_block = r.text.split('data-facet="outlet"')[1].split("</section>")[0]
    href, count = re.search(r'<a href="([^"]+)".*?data-count="(\d+)"', outlet_block, re.S).groups()
    filtered = client.get(href.replace("&amp;", "&"))
    assert int(re.search(r'data-total="(\d+)"', filtered.text).group(1)) == int(count) < total
    # an event-type facet value narrows to reports with such an event
    type_block = r.text.split('data-facet="type"')[1].split("</section>")[0]
    href, count = re.search(r'<a href="([^"]+)".*?data-count="(\d+)"', type_block, re.S).groups()
    narrowed = client.get(href.replace("&amp;", "&"))
    assert int(re.search(r'data-total="(\d+)"', narrowed.text).group(1)) == int(count)


def test_search_pagination(client, open_store):  # noqa: ANN001
    total = open_store.count_documents()
    assert total > 20  # examples/reports gives more than one page
    first, second = client.get("/"), client.get("/?page=2")
    ids = lambda html: re.findall(r'data-doc-id="([^"]+)"', html)  # noqa: E731
    assert len(ids(first.text)) == 20 and len(ids(second.text)) == total - 20
    assert not set(ids(first.text)) & set(ids(second.text))
    assert 'rel="next"' in first.text and 'rel="prev"' in second.text


# ---------------------------------------------------------------------------- reader

def test_reader_marks_every_span_with_its_text(client, open_store):  # noqa: ANN001
    doc_id = _doc_with(open_store, "أكثر من 300 من عناصر")
    analysis = open_store.get_analysis(doc_id)
    r = client.get(f"/doc/{doc_id}")
    page = Page(r.text)
    body = analysis.doc.body
    assert "".join(page.body_text) == body  # nothing lost or added by the marks
    assert analysis.entities and analysis.quantities and analysis.dates and analysis.events and analysis.quotes
    for m in analysis.entities:
        assert span_text(page, f"m{m.start}") == body[m.start:m.end]
        first = next(x for x in page.marks if x["attrs"].get("id") == f"m{m.start}")
        assert first["attrs"]["data-entity-type"] == m.type
        if m.entity_id:
            assert first["attrs"]["data-entity-id"] == m.entity_id
    for prefix, kind, records in (("q", "quantity", analysis.quantities), ("d", "date", analysis.dates),
                                  ("e", "event", analysis.events), ("u", "quote", analysis.quotes)):
        for rec in records:
            first = next(x for x in page.marks if x["attrs"].get("id") == f"{prefix}{rec.start}")
            assert first["attrs"]["data-kind"] == kind
            if len({x.start for x in records}) == len(records):
                assert span_text(page, f"{prefix}{rec.start}") == body[rec.start:rec.end]
    # the side lists name the claims, events and quotes, linked to their place in the text
    for q in analysis.quantities:
        assert f'href="#q{q.start}"' in r.text
    assert 'id="side-events"' in r.text and 'id="side-quotes"' in r.text


# ---------------------------------------------------------------------------- entity, claims, viz pages

def test_entity_page_lists_aliases_roles_and_sources(client, open_store):  # noqa: ANN001
    isis = next(e for e in open_store.fused_entities(limit=50) if e["canonical"] == "ISIS")
    assert len(isis["aliases"]) >= 3
    r = client.get(f"/entity/{isis['id']}")
    names = r.text.split('id="names"')[1].split("</section>")[0]
    for alias in isis["aliases"]:
        assert f">{alias.replace(chr(34), '&#34;')}</li>" in names or f">{alias}</li>" in names, alias
    assert '<li lang="en" dir="ltr" class="alias alias-en">ISIS</li>' in names
    assert f'<div id="mentions-chart" class="viz" data-src="/web/data/mentions.json?entity={isis["id"]}">' in r.text
    assert f'id="entity-map" class="viz viz-small" data-src="/web/data/map.json?entity={isis["id"]}"' in r.text
    assert '<script type="module" src="/static/js/viz.js"></script>' in r.text
    detail = open_store.fused_entity(isis["id"])
    for doc_id in {m["doc_id"] for m in detail["mentions"]}:
        assert f'href="/doc/{doc_id}#m' in r.text
    # a member id of the fused entity opens the same page
    for member in isis["members"]:
        assert client.get(f"/entity/{member}").status_code == 200


def test_claims_page_badges_contradictions_and_filters(client, open_store):  # noqa: ANN001
    contradicted = open_store.claim_groups(contradictions=True)
    assert contradicted
    r = client.get("/claims")
    assert r.text.count('class="badge status-contradicted" data-status="contradicted"') == len(contradicted)
    assert "متعارض" in r.text
    for g in contradicted:
        for v in g["values"]:
            assert f'href="/doc/{v["doc_id"]}#q{v["start"]}"' in r.text
    only = client.get("/claims", params={"status": "contradicted"})
    assert set(re.findall(r'<section class="panel claim-group status-(\w+)"', only.text)) == {"contradicted"}
    category = contradicted[0]["category"]
    by_cat = client.get("/claims", params={"category": category})
    assert len(re.findall(r'<section class="panel claim-group', by_cat.text)) == len(
        open_store.claim_groups(category=category))


def test_timeline_map_graph_have_placeholders_with_fallbacks(client, open_store):  # noqa: ANN001
    events = open_store.fused_events(limit=500)
    r = client.get("/timeline?type=ARREST")
    assert '<div id="timeline" class="viz" data-src="/web/data/timeline.json?type=ARREST">' in r.text
    arrests = [e for e in events if e["type"] == "ARREST"]
    assert arrests and r.text.count("data-event-id=") == len(arrests)
    assert '<script type="module" src="/static/js/viz.js"></script>' in r.text
    r = client.get("/map")
    assert '<div id="map" class="viz" data-src="/web/data/map.json">' in r.text
    hasakah = next(p for p in open_store.fused_entities(type="LOC", limit=200) if p["canonical"] == "Al-Hasakah")
    assert f'href="/entity/{hasakah["id"]}"' in r.text
    isis = next(e for e in open_store.fused_entities(limit=50) if e["canonical"] == "ISIS")
    r = client.get(f"/graph?entity={isis['id']}")
    assert f'<div id="graph" class="viz" data-src="/web/data/graph.json?entity={isis["id"]}">' in r.text
    graph = open_store.graph(isis["id"])
    assert r.text.count("data-node-id=") == len(graph["nodes"])


def test_ingest_page_has_the_form_and_the_stix_button(client):  # noqa: ANN001
    r = client.get("/ingest")
    for field in ('name="text"', 'name="title"', 'name="files"', "multiple", 'name="outlet"',
                  'name="published"', 'name="tlp"', 'name="share_with"', '<progress id="ingest-progress"'):
        assert field in r.text, field
    for level in ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"):
        assert f'<option value="{level}"' in r.text
    assert 'href="/api/export/stix"' in r.text
    for label_for in re.findall(r'<(?:input|select|textarea) id="([^"]+)"', r.text):
        assert f'<label for="{label_for}">' in r.text, label_for


# ---------------------------------------------------------------------------- English

def test_english_switch_is_remembered(open_store):  # noqa: ANN001
    c = TestClient(create_app(open_store), client=LOCAL)
    r = c.get("/claims?lang=en")
    assert '<html lang="en" dir="ltr">' in r.text and "Claims compared" in r.text
    assert c.cookies.get("marsad_lang") == "en"
    r = c.get("/claims")
    assert '<html lang="en" dir="ltr">' in r.text and "Contradicted" in r.text
    assert 'href="/claims?lang=ar"' in r.text
    r = c.get("/?lang=ar")
    assert '<html lang="ar" dir="rtl">' in r.text and c.cookies.get("marsad_lang") == "ar"


# ---------------------------------------------------------------------------- sign-in and visibility

def test_open_store_needs_no_sign_in(client):  # noqa: ANN001
    r = client.get("/login")
    assert r.status_code == 200 and 'name="token"' in r.text and 'class="notice"' in r.text
    assert client.get("/", follow_redirects=False).status_code == 200


def test_pages_redirect_to_login_once_organisations_exist(shared):  # noqa: ANN001
    store, secrets, _ = shared
    c = TestClient(create_app(store), client=LOCAL)
    for url in ("/", "/claims", "/entity/x", "/doc/x", "/ingest", "/map"):
        r = c.get(url, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next="), url
    login = c.get("/login")
    assert login.status_code == 200 and '<input id="token" name="token"' in login.text
    bad = c.post("/login", data={"token": "wrong", "next": "/claims"}, follow_redirects=False)
    assert bad.status_code == 401 and 'role="alert"' in bad.text
    good = c.post("/login", data={"token": secrets["BETA"], "next": "/claims"}, follow_redirects=False)
    assert good.status_code == 303 and good.headers["location"] == "/claims"
    assert c.cookies.get("marsad_token") == secrets["BETA"]
    page = c.get("/claims")
    assert page.status_code == 200 and "BETA" in page.text
    assert c.get("/logout", follow_redirects=False).headers["location"] == "/login"
    # only paths of this site may follow a sign-in
    other = TestClient(create_app(store), client=LOCAL)
    r = other.post("/login", data={"token": secrets["ACME"], "next": "//evil.example/x"}, follow_redirects=False)
    assert r.headers["location"] == "/"
    # a read-only token may look at the ingest page but is told it cannot write
    assert "write" in signed_in(store, secrets["ACME"]).get("/ingest").text
    assert 'id="ingest-form"' in signed_in(store, secrets["ACME-write"]).get("/ingest").text


def test_partner_never_sees_another_organisations_amber_report(shared):  # noqa: ANN001
    store, secrets, secret_id = shared
    acme, beta = signed_in(store, secrets["ACME"]), signed_in(store, secrets["BETA"])
    # search results and facets
    a, b = acme.get("/search", params={"q": SECRET_MARKER}), beta.get("/search", params={"q": SECRET_MARKER})
    assert f'href="/doc/{secret_id}"' in a.text and SECRET_OUTLET in a.text
    assert f"/doc/{secret_id}" not in b.text and SECRET_OUTLET not in b.text
    assert re.search(r'data-total="(\d+)"', b.text).group(1) == "0"
    a, b = (acme.get("/search", params={"q": "الحسكة", "facets": "1"}),
            beta.get("/search", params={"q": "الحسكة", "facets": "1"}))
    total = lambda r: int(re.search(r'data-total="(\d+)"', r.text).group(1))  # noqa: E731
    assert total(a) == total(b) + 1
    assert SECRET_OUTLET in a.text and SECRET_OUTLET not in b.text
    assert "AMBER" in a.text.split('data-facet="tlp"')[1].split("</section>")[0]
    assert "AMBER" not in b.text.split('data-facet="tlp"')[1].split("</section>")[0]
    deferred = beta.get("/search/facets", params={"q": "الحسكة"})
    assert deferred.status_code == 200 and SECRET_OUTLET not in deferred.text
    assert "AMBER" not in deferred.text.split('data-facet="tlp"')[1].split("</section>")[0]
    listing = beta.get("/")
    assert secret_id not in listing.text and SECRET_OUTLET not in listing.text
    by_outlet = beta.get("/search", params={"outlet": SECRET_OUTLET})  # the page echoes the filter itself
    assert secret_id not in by_outlet.text and total(by_outlet) == 0
    assert total(acme.get("/search", params={"outlet": SECRET_OUTLET})) == 1
    # the reader
    assert acme.get(f"/doc/{secret_id}").status_code == 200
    assert beta.get(f"/doc/{secret_id}").status_code == 404
    # entity pages: entities named only in the secret report do not exist for BETA; shared
    # entities do not show the secret report
    analysis = store.get_analysis(secret_id)
    acme_viewer, beta_viewer = orgs.viewer_for(store, "ACME"), orgs.viewer_for(store, "BETA")
    only_secret = [m.entity_id for m in analysis.entities
                   if m.entity_id and store.fused_entity(m.entity_id, viewer=beta_viewer) is None]
    shared_entities = [m.entity_id for m in analysis.entities
                       if m.entity_id and store.fused_entity(m.entity_id, viewer=beta_viewer) is not None]
    assert only_secret and shared_entities
    for eid in only_secret:
        assert acme.get(f"/entity/{eid}").status_code == 200
        assert beta.get(f"/entity/{eid}").status_code == 404
    for eid in shared_entities:
        assert secret_id in acme.get(f"/entity/{eid}").text
        page = beta.get(f"/entity/{eid}")
        assert page.status_code == 200 and secret_id not in page.text and SECRET_MARKER not in page.text
    # claims: the secret figure and its verdicts are ACME's only
    a, b = acme.get("/claims"), beta.get("/claims")
    assert f'href="/doc/{secret_id}#q' in a.text
    badge = 'class="badge status-contradicted"'
    assert a.text.count(badge) == len(store.claim_groups(viewer=acme_viewer, contradictions=True))
    assert b.text.count(badge) == len(store.claim_groups(viewer=beta_viewer, contradictions=True))
    for url in ("/claims", "/timeline", "/map", "/graph"):
        page = beta.get(url)
        assert page.status_code == 200 and secret_id not in page.text and SECRET_TITLE not in page.text, url
    assert secret_id in acme.get("/timeline").text  # the secret report's events are ACME's to see


def test_reader_names_a_file_source_without_the_ingesting_machines_directories(client, open_store):  # noqa: ANN001
    doc_id = _doc_with(open_store, "أكثر من 300 من عناصر")
    source = open_store.get_document(doc_id).source
    assert "/" in source  # ingested from a path
    page = client.get(f"/doc/{doc_id}").text
    assert Path(source).name in page and str(Path(source).parent) not in page
