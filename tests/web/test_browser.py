"""The workspace in a real browser (Debian Chromium, headless, driven by Playwright).

Covers what an analyst does: open the workspace (Arabic, right to left), search with a
clitic, read a report with its highlights, open an entity page (mentions chart, small map),
see markers on the map and nodes on the graph (and expand one), zoom the timeline, switch to
English, upload a report and find it, sign in once organisations exist without ever seeing a
partner's AMBER report; and accessibility basics with axe-core (no serious or critical
violation) plus a keyboard Tab-order check.  Screenshots (1280×800 and 390 px wide) are
saved to test-artifacts/screenshots/ for review.  Skipped only when /usr/bin/chromium is absent.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from marsad.web import viz_routes
from tests.web.conftest import (
    PHONE,
    SECRET_MARKER,
    SECRET_TITLE,
    UPLOAD_BODY,
    UPLOAD_MARKER,
    chromium_or_skip,
    screenshot,
)

pytestmark = pytest.mark.slow

READY = "[data-state=ready]"


def _top_entity(store, type_: str) -> dict:  # noqa: ANN001
    return store.fused_entities(type=type_, limit=1)[0]


def _doc_with(store, needle: str) -> str:  # noqa: ANN001
    for doc in store.list_documents(limit=500):
        if needle in doc.body:
            return doc.id
    raise AssertionError(f"no stored report contains {needle!r}")


def _doc_only_with_clitic(store, word: str) -> str:  # noqa: ANN001
    """A report that writes ``word`` only with a proclitic attached (ببغداد, never بغداد alone)."""
    bare = re.compile(rf"(?<![\u0621-\u064A]){word}")
    attached = re.compile(rf"(?<![\u0621-\u064A])[وفبلك]{{1,2}}{word}")
    for doc in store.list_documents(limit=500):
        if attached.search(doc.body) and not bare.search(doc.body):
            return doc.id
    raise AssertionError(f"no stored report writes {word!r} only with a clitic")


def _wait_viz(page, selector: str) -> None:  # noqa: ANN001
    page.wait_for_selector(f"{selector}{READY}, {selector}[data-state=error]")
    state = page.get_attribute(selector, "data-state")
    assert state == "ready", f"{selector} did not draw: {page.inner_text(selector)[:300]}"


# ---------------------------------------------------------------------------- search and reader

def test_workspace_opens_in_arabic_and_search_handles_a_clitic(open_server, page) -> None:  # noqa: ANN001
    page.goto(open_server.url + "/")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "ar"
    screenshot(page, "search-empty")
    # the bare word finds a report that only writes it with a clitic (ببغداد)
    clitic_doc = _doc_only_with_clitic(open_server.store, "بغداد")
    page.fill("#q", "بغداد")
    page.press("#q", "Enter")
    page.wait_for_selector("li.hit")
    assert page.locator("li.hit").count() >= 2
    assert page.locator(f'li.hit[data-doc-id="{clitic_doc}"]').count() == 1
    # the facet counts arrive after the results and sum to the result count
    page.wait_for_selector('#facet-groups[data-loaded="true"] [data-facet="tlp"]')
    tlp_counts = page.locator('[data-facet="tlp"] .count').all_inner_texts()
    total = int(page.get_attribute(".results-count", "data-total"))
    assert sum(int(n.replace(",", "")) for n in tlp_counts) == total
    screenshot(page, "search-results")
    page.set_viewport_size(PHONE)
    screenshot(page, "search-results-390")


def test_reader_shows_the_reports_highlights(open_server, page) -> None:  # noqa: ANN001
    page.goto(open_server.url + "/search?q=" + quote("الحسكة"))
    page.locator("li.hit a[href^='/doc/']").first.click()
    page.wait_for_url("**/doc/**")
    body = page.locator("#reader-body")
    for selector in ("mark[data-entity-type=PER]", "mark[data-entity-type=LOC]", "[data-kind=quantity]", "[data-kind=date]"):
        assert body.locator(selector).count() >= 1, f"no {selector} in the reader"
    # a highlight covers exactly the characters the store recorded for it
    doc_id = page.url.rsplit("/", 1)[1].split("?")[0]
    analysis = open_server.store.get_analysis(doc_id)
    texts = set(body.locator("mark[data-entity-type=LOC]").all_inner_texts())
    assert texts & {m.text for m in analysis.entities if m.type == "LOC"}
    screenshot(page, "reader")
    page.set_viewport_size(PHONE)
    screenshot(page, "reader-390")


# ---------------------------------------------------------------------------- entity, map, graph, timeline

def test_entity_page_has_a_mentions_chart_and_a_small_map(open_server, page) -> None:  # noqa: ANN001
    entity = _top_entity(open_server.store, "ORG")
    page.goto(f"{open_server.url}/entity/{entity['id']}")
    _wait_viz(page, "#mentions-chart")
    _wait_viz(page, "#entity-map")
    months = open_server.store.fused_entity(entity["id"])["mentions"]
    bars = page.locator("#mentions-chart rect.bar")
    assert bars.count() >= 1
    drawn = sum(int(c) for c in page.eval_on_selector_all("#mentions-chart rect.bar", "els => els.map(e => e.dataset.count)"))
    assert drawn == sum(1 for m in months if m["published"])  # every dated mention counted once
    assert page.locator("#entity-map circle.marker[data-entity-id]").count() >= 1
    screenshot(page, "entity")


def test_map_draws_a_marker_per_place_and_event_on_an_offline_basemap(open_server, page) -> None:  # noqa: ANN001
    page.goto(open_server.url + "/map")
    _wait_viz(page, "#map")
    data = page.evaluate("fetch('/web/data/map.json').then(r => r.json())")
    places = {m["id"] for m in data["markers"] if m["kind"] == "place"}
    events = {m["id"] for m in data["markers"] if m["kind"] == "event"}
    assert places and events
    drawn_places = set(page.eval_on_selector_all("#map circle.marker-place", "els => els.map(e => e.dataset.entityId)"))
    drawn_events = set(page.eval_on_selector_all("#map circle.marker-event", "els => els.map(e => e.dataset.eventId)"))
    assert drawn_places == places and drawn_events == events
    baghdad = next(m for m in data["markers"] if m["kind"] == "place" and m["label_en"] == "Baghdad")
    link = page.locator(f'#map circle.marker[data-entity-id="{baghdad["id"]}"]').first.locator("xpath=..")
    assert link.get_attribute("href") == f"/entity/{baghdad['id']}"
    if not viz_routes.missing_packages():  # the npm packages are installed by make env
        assert page.locator("#map path.country").count() > 100
        assert "IRQ" in " ".join(data["basemap"]["admin1"]) and "SYR" in " ".join(data["basemap"]["admin1"])
        assert page.locator("#map path.admin1-region").count() > 20
        assert page.get_attribute("#map svg", "data-projection") == "mercator"
    # zoom keeps markers the same size on screen
    before = page.locator("#map circle.marker-place").first.bounding_box()["width"]
    page.get_by_role("button", name="تكبير").first.click()
    after = page.locator("#map circle.marker-place").first.bounding_box()["width"]
    assert abs(before - after) < 1.0
    screenshot(page, "map")
    page.set_viewport_size(PHONE)
    page.reload()
    _wait_viz(page, "#map")
    screenshot(page, "map-390")


def test_graph_nodes_expand_on_click(open_server, page) -> None:  # noqa: ANN001
    center = _top_entity(open_server.store, "ORG")
    page.goto(f"{open_server.url}/graph?entity={center['id']}")
    _wait_viz(page, "#graph")
    shown = set(page.eval_on_selector_all("#graph g.node", "els => els.map(e => e.dataset.nodeId)"))
    assert center["id"] in shown and len(shown) > 5
    kinds = set(page.eval_on_selector_all("#graph g.node", "els => els.map(e => e.dataset.kind + ':' + e.dataset.type)"))
    assert {"entity:ORG", "entity:LOC"} <= kinds and any(k.startswith("event:") for k in kinds)
    # a neighbour whose own neighbourhood brings nodes not drawn yet
    target, new = None, set()
    for node_id in sorted(shown - {center["id"]}):
        if node_id.startswith("event:"):
            continue
        theirs = page.evaluate(f"fetch('/web/data/graph.json?entity={node_id}').then(r => r.json())")
        new = {n["id"] for n in theirs["nodes"]} - shown
        if new:
            target = node_id
            break
    assert target, "no neighbour of the centre has further neighbours"
    page.locator(f'#graph g.node[data-node-id="{target}"] .node-shape').click()
    page.wait_for_selector(f'#graph g.node[data-node-id="{target}"][data-expanded=true]')
    after = set(page.eval_on_selector_all("#graph g.node", "els => els.map(e => e.dataset.nodeId)"))
    assert shown < after and new <= after
    assert page.locator("#graph .graph-details a[href^='/entity/']").count() == 1
    screenshot(page, "graph")


def test_timeline_items_link_to_their_sources_and_zoom(open_server, page) -> None:  # noqa: ANN001
    page.goto(open_server.url + "/timeline")
    _wait_viz(page, "#timeline")
    data = page.evaluate("fetch('/web/data/timeline.json').then(r => r.json())")
    assert data["items"]
    entries = page.locator("#timeline li.timeline-entry")
    assert entries.count() >= 1
    for href in page.eval_on_selector_all("#timeline li.timeline-entry a", "els => els.map(e => e.getAttribute('href'))"):
        assert href.startswith("/doc/")
    marks = page.locator("#timeline .timeline-item").count()
    assert marks == entries.count() or entries.count() == 300
    before = page.get_attribute("#timeline", "data-since"), page.get_attribute("#timeline", "data-until")
    page.get_by_role("button", name="تكبير").click()
    after = page.get_attribute("#timeline", "data-since"), page.get_attribute("#timeline", "data-until")
    assert after[0] > before[0] and after[1] < before[1]
    assert page.locator("#timeline .timeline-item").count() <= marks
    screenshot(page, "timeline")


# ---------------------------------------------------------------------------- language, ingest

def test_english_switch_turns_the_page_and_its_drawings_left_to_right(open_server, page) -> None:  # noqa: ANN001
    page.goto(open_server.url + "/map")
    page.click("a.lang-switch")
    page.wait_for_function("document.documentElement.dir === 'ltr'")
    assert page.get_attribute("html", "lang") == "en"
    _wait_viz(page, "#map")
    assert "Places" in page.inner_text("#map .viz-legend")
    assert page.get_by_role("button", name="Zoom in").count() == 1
    screenshot(page, "map-en")
    page.goto(open_server.url + "/timeline")  # the language sticks (cookie)
    _wait_viz(page, "#timeline")
    assert page.get_attribute("html", "dir") == "ltr"
    screenshot(page, "timeline-en")


def test_uploaded_report_appears_in_search(open_server, page, tmp_path) -> None:  # noqa: ANN001
    report = tmp_path / "joint_patrol.txt"
    report.write_text(UPLOAD_BODY, encoding="utf-8")
    page.goto(open_server.url + "/ingest")
    page.set_input_files("#ingest-files", str(report))
    page.click("#ingest-submit")
    link = page.locator("#ingest-results a[href^='/doc/']")
    link.wait_for(timeout=60_000)  # the first ingest loads the NER model
    screenshot(page, "ingest")
    doc_id = link.first.get_attribute("href").rsplit("/", 1)[1]
    page.goto(open_server.url + "/search?q=" + quote(UPLOAD_MARKER))
    assert page.locator(f'li.hit[data-doc-id="{doc_id}"]').count() == 1


# ---------------------------------------------------------------------------- sign-in and sharing

def _sign_in(page, server, org: str) -> None:  # noqa: ANN001
    page.goto(server.url + "/")
    page.wait_for_url("**/login**")
    page.fill("input[name=token]", server.tokens[org])
    page.locator("form[action='/login'] [type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)


def test_sign_in_and_a_partners_amber_report_never_shows(shared_server, page) -> None:  # noqa: ANN001
    _sign_in(page, shared_server, "BETA")
    screenshot(page, "signed-in-beta")
    page.goto(shared_server.url + "/search?q=" + quote(SECRET_MARKER))
    assert page.locator("li.hit").count() == 0
    assert SECRET_TITLE not in page.content() and shared_server.secret_doc not in page.content()
    response = page.goto(f"{shared_server.url}/doc/{shared_server.secret_doc}")
    assert response.status == 404
    for url in ("/web/data/map.json", "/web/data/timeline.json"):
        text = page.evaluate(f"fetch('{url}').then(r => r.text())")
        assert shared_server.secret_doc not in text and SECRET_TITLE not in text
    # the owner does see it, through the same pages
    page.context.clear_cookies()
    _sign_in(page, shared_server, "ACME")
    page.goto(shared_server.url + "/search?q=" + quote(SECRET_MARKER))
    assert page.locator(f'li.hit[data-doc-id="{shared_server.secret_doc}"]').count() == 1
    timeline = page.evaluate("fetch('/web/data/timeline.json').then(r => r.text())")
    assert shared_server.secret_doc in timeline


# ---------------------------------------------------------------------------- accessibility

#: WCAG 2.1 A and AA rules (labels, contrast, names, structure); the decorative basemap is skipped
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}
A11Y_PAGES = ("/", "/search?q=" + quote("بغداد"), "/claims", "/map", "/timeline", "/ingest")


def test_no_serious_accessibility_violations(open_server, page) -> None:  # noqa: ANN001
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    org = _top_entity(open_server.store, "ORG")["id"]
    doc = _doc_only_with_clitic(open_server.store, "بغداد")
    problems = []
    for path in (*A11Y_PAGES, f"/doc/{doc}", f"/entity/{org}", f"/graph?entity={org}"):
        page.goto(open_server.url + path)
        if page.locator(".viz[data-src]").count():
            page.wait_for_selector(".viz[data-src]:not([data-state=loading])")
            page.wait_for_function("[...document.querySelectorAll('.viz[data-src]')].every(e => e.dataset.state === 'ready' || e.dataset.state === 'error')")
        results = axe.run(page, context={"exclude": [[".basemap"]]}, options=AXE_OPTIONS)
        for v in results.response["violations"]:
            if v["impact"] in ("serious", "critical"):
                targets = [n["target"] for n in v["nodes"][:3]]
                problems.append(f"{path}: {v['id']} ({v['impact']}): {v['help']} {targets}")
    assert not problems, "\n".join(problems)


def test_keyboard_tab_order_follows_the_page(open_server, page) -> None:  # noqa: ANN001
    page.goto(open_server.url + "/map")
    _wait_viz(page, "#map")
    page.evaluate("window.__stops = []")
    seen: list[dict] = []
    while len(seen) < 60 and not (seen and seen[-1]["tag"] == "BUTTON" and seen[-1]["text"] == "+"):
        page.keyboard.press("Tab")
        # (a date field's focus is on its inner segment, which Chromium highlights itself)
        seen.append(page.evaluate("""() => {
            const e = document.activeElement;
            window.__stops.push(e);
            const style = getComputedStyle(e);
            const cls = typeof e.className === 'string' ? e.className : (e.className.baseVal || '');
            return {tag: e.tagName, cls, text: (e.textContent || '').trim().slice(0, 30),
                    tabindex: e.getAttribute('tabindex'), ring: style.outlineStyle !== 'none' || style.boxShadow !== 'none' || e.type === 'date'};
        }"""))
    assert "skip" in seen[0]["cls"], f"the first Tab stop is not the skip link: {seen[0]}"
    assert all(s["tabindex"] is None or int(s["tabindex"]) <= 0 for s in seen), "a positive tabindex breaks the order"
    assert all(s["ring"] for s in seen), f"focus without a visible ring: {[s for s in seen if not s['ring']]}"
    assert any(s["tag"] == "BUTTON" and s["text"] == "+" for s in seen), f"the map's zoom buttons are not reachable: {seen}"
    # every stop comes after the previous one in the document: Tab never jumps back
    backwards = page.evaluate("""() => window.__stops.slice(1).map((e, i) => [window.__stops[i], e])
        .filter(([a, b]) => a !== b && !(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING))
        .map(([a, b]) => `${a.tagName}.${a.className} -> ${b.tagName}.${b.className}`)""")
    assert not backwards, f"Tab moved backwards: {backwards}"


def test_graph_nodes_are_reachable_and_expand_with_the_keyboard(open_server, page) -> None:  # noqa: ANN001
    center = _top_entity(open_server.store, "ORG")
    page.goto(f"{open_server.url}/graph?entity={center['id']}")
    _wait_viz(page, "#graph")
    node = page.locator("#graph g.node[data-kind=entity][data-expanded=false]").first
    node.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#graph g.node[data-expanded=true]:not(.node-center)")
    assert page.locator("#graph .graph-details").is_visible()
