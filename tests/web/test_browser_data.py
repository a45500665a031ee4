"""What the browser's drawings are fed (no browser): the /web/data/*.json routes, the vendor
files, the admin-1 boundaries and the pure helpers of marsad.web.vizdata.  Fast; runs
without Chromium.  Stores come from ingesting examples/reports (tests/web/conftest.py)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from fastapi.testclient import TestClient

from marsad.api.app import create_app
from marsad.web import viz_routes, vizdata

LOCAL = ("127.0.0.1", 40000)


@pytest.fixture(scope="module")
def client(examples_store) -> TestClient:  # noqa: ANN001
    return TestClient(create_app(examples_store), client=LOCAL)


def _top(store, type_: str) -> dict:  # noqa: ANN001
    return store.fused_entities(type=type_, limit=1)[0]


# ---------------------------------------------------------------------------- pure helpers

@pytest.mark.parametrize(("text", "precision", "start", "end"), [
    ("2025", "year", "2025-01-01", "2025-12-31"),
    ("2025-02", "month", "2025-02-01", "2025-02-28"),
    ("2024-02", "month", "2024-02-01", "2024-02-29"),
    ("2025-09-07", "day", "2025-09-07", "2025-09-07"),
    ("2025-03-14T10:00:00", "day", "2025-03-14", "2025-03-14"),
])
def test_partial_dates_cover_the_period_they_name(text: str, precision: str, start: str, end: str) -> None:
    period = vizdata.parse_partial_date(text)
    assert (period.precision, period.start.isoformat(), period.end.isoformat()) == (precision, start, end)


@pytest.mark.parametrize("text", [None, "", "قبل أسبوع", "2025-13", "2025-02-30"])
def test_what_is_not_a_date_is_none(text: str | None) -> None:
    assert vizdata.parse_partial_date(text) is None


def test_month_range_fills_gaps_across_years() -> None:
    assert vizdata.month_range("2024-11", "2025-02") == ["2024-11", "2024-12", "2025-01", "2025-02"]


def test_focus_extent_ignores_a_far_outlier() -> None:
    near = [vizdata.Marker(str(i), "place", 33 + i * 0.1, 44 + i * 0.1, "x", None, None, 1, None) for i in range(19)]
    far = vizdata.Marker("far", "place", 16.5, 107.6, "x", None, None, 1, None)  # one place geocoded to Viet Nam
    west, south, east, north = vizdata.focus_extent([*near, far])
    assert east < 50 and south > 30
    assert vizdata.countries_within((west, south, east, north), {"IRQ": [(39, 29, 48.6, 37.4)], "VNM": [(102, 8, 110, 23)]}) == ["IRQ"]


def test_topology_region_boxes_decode_quantised_arcs() -> None:
    topology = {"type": "Topology", "transform": {"scale": [0.5, 0.25], "translate": [40, 30]},
                "arcs": [[[0, 0], [4, 0], [0, 8]], [[10, 10], [2, 2]]],
                "objects": {"x": {"type": "GeometryCollection",
                                  "geometries": [{"type": "Polygon", "arcs": [[0]]}, {"type": "Polygon", "arcs": [[~1]]}]}}}
    assert viz_routes.region_boxes(topology) == [(40.0, 30.0, 42.0, 32.0), (45.0, 32.5, 46.0, 33.0)]


# ---------------------------------------------------------------------------- data routes

def test_map_json_has_every_located_place_and_events_at_their_places(client, examples_store) -> None:  # noqa: ANN001
    data = client.get("/web/data/map.json").json()
    located = {p["id"] for p in examples_store.fused_entities(type="LOC", limit=1000) if p["lat"] is not None}
    places = {m["id"]: m for m in data["markers"] if m["kind"] == "place"}
    assert set(places) == located
    events = [m for m in data["markers"] if m["kind"] == "event"]
    assert events and all(m["place_id"] in places for m in events)
    assert all((m["lat"], m["lon"]) == (places[m["place_id"]]["lat"], places[m["place_id"]]["lon"]) for m in events)
    assert all(s["href"] == f"/doc/{s['doc_id']}" for m in events for s in m["sources"])
    visible_events = examples_store.fused_events(limit=10000)
    assert len(events) + data["unplaced_events"] == len(visible_events)
    assert data["labels"]["ar"]["event.ARREST"] and data["labels"]["en"]["event.ARREST"] == "Arrest"


def test_map_json_filters_events_by_type_and_range(client) -> None:  # noqa: ANN001
    arrests = client.get("/web/data/map.json", params={"type": "ARREST"}).json()
    assert {m["type"] for m in arrests["markers"] if m["kind"] == "event"} == {"ARREST"}
    march = client.get("/web/data/map.json", params={"since": "2025-03-01", "until": "2025-03-31"}).json()
    whens = [m["when"] for m in march["markers"] if m["kind"] == "event"]
    assert whens and all(vizdata.parse_partial_date(w).start <= dt.date(2025, 3, 31)
                         and vizdata.parse_partial_date(w).end >= dt.date(2025, 3, 1) for w in whens)


def test_entity_map_shows_its_neighbourhood(client, examples_store) -> None:  # noqa: ANN001
    org = _top(examples_store, "ORG")
    data = client.get("/web/data/map.json", params={"entity": org["id"]}).json()
    neighbours = {n["id"] for n in examples_store.graph(org["id"])["nodes"] if n.get("lat") is not None}
    assert {m["id"] for m in data["markers"] if m["kind"] == "place"} == neighbours


def test_timeline_json_is_sorted_in_range_and_sourced(client) -> None:  # noqa: ANN001
    everything = client.get("/web/data/timeline.json").json()["items"]
    assert [i["start"] for i in everything] == sorted(i["start"] for i in everything)
    assert all(i["sources"] and all(s["href"].startswith("/doc/") for s in i["sources"]) for i in everything)
    part = client.get("/web/data/timeline.json", params={"since": "2025-04", "until": "2025-06"}).json()
    assert part["since"] == "2025-04-01" and part["until"] == "2025-06-30"
    assert 0 < len(part["items"]) < len(everything)
    assert all(i["end"] >= "2025-04-01" and i["start"] <= "2025-06-30" for i in part["items"])
    assert client.get("/web/data/timeline.json", params={"since": "April"}).status_code == 422


def test_entity_timeline_has_events_claims_or_quotes_with_titled_sources(client, examples_store) -> None:  # noqa: ANN001
    org = _top(examples_store, "ORG")
    data = client.get("/web/data/timeline.json", params={"entity": org["id"]}).json()
    assert data["entity"] == org["id"] and data["items"]
    titles = {d.id: d.title for d in examples_store.list_documents(limit=500)}
    assert all(titles[s["doc_id"]] == s["title"] for i in data["items"] for s in i["sources"])


def test_graph_json_keeps_the_strongest_neighbours(client, examples_store) -> None:  # noqa: ANN001
    org = _top(examples_store, "ORG")
    full = examples_store.graph(org["id"])
    data = client.get("/web/data/graph.json", params={"entity": org["id"], "limit": 12}).json()
    assert data["center"] == org["id"] and len(data["nodes"]) == 12
    assert data["truncated"] == len(full["nodes"]) - 12
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in data["edges"])
    # no neighbour left out shares more reports with the centre than one kept
    weight = {}
    for e in full["edges"]:
        if e["kind"] == "co-occurs" and org["id"] in (e["source"], e["target"]):
            weight[e["target"] if e["source"] == org["id"] else e["source"]] = e["weight"]
    kept = [weight[i] for i in ids if i in weight]
    dropped = [w for i, w in weight.items() if i not in ids]
    assert kept and (not dropped or min(kept) >= max(dropped))


def test_mentions_json_counts_dated_mentions_by_month(client, examples_store) -> None:  # noqa: ANN001
    org = _top(examples_store, "ORG")
    data = client.get("/web/data/mentions.json", params={"entity": org["id"]}).json()
    mentions = examples_store.fused_entity(org["id"])["mentions"]
    assert sum(m["mentions"] for m in data["months"]) + data["undated"] == len(mentions)
    months = [m["month"] for m in data["months"]]
    assert months == vizdata.month_range(months[0], months[-1])


def test_unknown_entities_are_404(client) -> None:  # noqa: ANN001
    for url in ("/web/data/graph.json", "/web/data/mentions.json", "/web/data/map.json", "/web/data/timeline.json"):
        assert client.get(url, params={"entity": "no-such-entity"}).status_code == 404


# ---------------------------------------------------------------------------- assets

def test_vendor_files_come_only_from_the_declared_packages(client) -> None:  # noqa: ANN001
    assert client.get("/vendor/left-pad/index.js").status_code == 404
    assert client.get("/vendor/d3-geo/../../package.json").status_code == 404
    assert client.get("/vendor/d3-geo/README.md").status_code == 404  # only scripts, styles and data
    if viz_routes.missing_packages():
        pytest.skip(f"npm packages not installed ({', '.join(viz_routes.missing_packages())}): run make env")
    r = client.get("/vendor/d3-geo/dist/d3-geo.min.js")
    assert r.status_code == 200 and "geoMercator" in r.text
    world = client.get("/vendor/world-atlas/countries-50m.json").json()
    assert world["type"] == "Topology" and "countries" in world["objects"]


def test_admin1_boundaries_of_iraq_and_syria(client) -> None:  # noqa: ANN001
    if viz_routes.missing_packages():
        pytest.skip("npm packages not installed: run make env")
    for code, region in (("IRQ", "Ninawa"), ("SYR", "Hasaka (Al Haksa)")):
        topology = client.get(f"/web/data/admin1/{code}.json").json()
        names = {g["properties"]["name"] for obj in topology["objects"].values() for g in obj["geometries"]}
        assert len(names) > 10 and region in names, names
    assert client.get("/web/data/admin1/XYZ.json").status_code == 404
    assert client.get("/web/data/admin1/../x.json").status_code == 404


def test_lockfile_pins_every_declared_package() -> None:
    manifest = json.loads((viz_routes.ASSETS_DIR / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((viz_routes.ASSETS_DIR / "package-lock.json").read_text(encoding="utf-8"))
    for name, version in manifest["dependencies"].items():
        entry = lock["packages"][f"node_modules/{name}"]
        assert entry["version"] == version and entry["integrity"].startswith("sha512-")
