"""Build a random world into a store and check every reading endpoint for leaks.

A *case* is one request (or one CLI listing) made as one organisation; it leaks when
anything in its answer is not supported by documents that organisation may see according
to :func:`tests.security.world.expected_visible`: an item of a hidden document, a hidden
document's marker anywhere in the body (spelling, snippet, outlet, title, value text …), a
total, facet or count that differs from the one computed over visible documents only, or a
hidden object answering differently from one that does not exist.

Used by tests/security/test_leaks.py (a few hundred cases) and benchmarks/leak_check.py
(≥ 10,000 cases).
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marsad.share import orgs, tokens
from marsad.store import Store

from .world import COMMON_ID, MARK, MARKERS, PER_DOC, World, analysis, expected_visible


@dataclass(slots=True)
class Tally:
    cases: int = 0
    leaks: list[str] = field(default_factory=list)

    def check(self, ok: bool, what: str) -> None:
        """Count one assertion inside the current case."""
        if not ok:
            self.leaks.append(what)


class TemplateStore:
    """An empty migrated SQLite store, copied for each world (migrations run once)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / "template.db"
        Store.open(self.path).close()
        self.n = 0

    def fresh(self) -> Store:
        self.n += 1
        target = self.folder / f"world-{self.n}.db"
        shutil.copyfile(self.path, target)
        return Store.open(target)

    def discard(self, store: Store) -> None:
        path = Path(store.engine.url.database)
        store.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)


def populate(store: Store, world: World) -> None:
    for org in world.orgs:
        orgs.add_org(store, org)
    for name, members in world.groups.items():
        orgs.add_group(store, name, sorted(members))
    store.save([analysis(d) for d in world.docs])
    for d in world.docs:
        targets = sorted(d.share_orgs) + sorted(d.share_groups)
        if targets:
            orgs.share_documents(store, [d.id], targets, owner=d.owner)
    if hasattr(store, "fuse"):
        store.fuse()


def _hidden_markers(world: World, org: str) -> set[str]:
    return {d.marker for d in world.docs if not expected_visible(world, d, org)}


def _markers_in(text: str) -> set[str]:
    found = set()
    start = text.find(MARK)
    while start != -1:
        found.add(text[start:start + 3])
        start = text.find(MARK, start + 1)
    return found


class Api:
    """One app and one open TestClient for many worlds: each world's store is swapped into
    ``app.state.store`` (building the app and its event-loop portal per world costs more
    than the checks)."""

    def __init__(self, store: Store) -> None:
        from fastapi.testclient import TestClient

        from marsad.api.app import create_app

        self.app = create_app(store)
        self.client = TestClient(self.app, client=("127.0.0.1", 41000))
        self.client.__enter__()

    def use(self, store: Store):  # noqa: ANN201
        self.app.state.store = store
        # generations of different stores can coincide; one app normally serves one store
        self.app.state.search_cache.clear()
        return self.client

    def done(self) -> None:
        """Write the audit entries still pending for the current store (before it goes)."""
        buffer = getattr(self.app.state, "audit_buffer", None)
        if buffer is not None:
            buffer.flush()

    def close(self) -> None:
        self.done()
        self.client.__exit__(None, None, None)


class WorldChecker:
    """Every check for one populated world, through the API (and the CLI export)."""

    def __init__(self, world: World, store: Store, tally: Tally, api: Api) -> None:
        self.world, self.store, self.tally = world, store, tally
        self.client = api.use(store)
        self.secrets = {org: tokens.create_token(store, org, "read").secret for org in world.orgs}
        self.by_marker = {d.marker: d for d in world.docs}

    # ------------------------------------------------------------------ helpers
    def visible(self, org: str):  # noqa: ANN201
        return [d for d in self.world.docs if expected_visible(self.world, d, org)]

    def get(self, org: str, url: str, **params: Any) -> tuple[int, Any, str]:
        r = self.client.get(url, params=params, headers={"Authorization": f"Bearer {self.secrets[org]}"})
        text = r.text
        try:
            body = r.json()
        except ValueError:
            body = None
        return r.status_code, body, text

    def case(self, org: str, label: str, text: str) -> None:
        """Start a case: counts it, and checks that no hidden marker appears in the answer."""
        self.tally.cases += 1
        leaked = _markers_in(text) & _hidden_markers(self.world, org)
        self.tally.check(not leaked, f"{org} {label}: hidden markers {sorted(leaked)}")

    def doc_ids_ok(self, org: str, label: str, ids: list[str]) -> None:
        allowed = {d.id for d in self.visible(org)}
        bad = set(ids) - allowed
        self.tally.check(not bad, f"{org} {label}: items of hidden documents {sorted(bad)}")

    # ------------------------------------------------------------------ documents
    def search(self, org: str, q: str | None, *, facets: bool = True, **filters: Any) -> None:
        params = {"limit": 100, **filters}
        if q is not None:
            params["q"] = q
        if facets:
            params["facets"] = "true"
        status, body, text = self.get(org, "/api/documents", **params)
        label = f"GET /api/documents q={q!r} {filters} facets={facets}"
        self.case(org, label, text)
        self.tally.check(status == 200, f"{org} {label}: status {status}")
        if status != 200:
            return
        visible = {d.id: d for d in self.visible(org)}
        # which documents match, as the unrestricted local caller sees it; visibility is ours
        if q and q.strip():
            matching = {h.id for h in self.store.search(q, limit=10_000, filters=_filter(filters))}
        else:
            matching = {d.id for d in self.store.list_documents(limit=10_000, filters=_filter(filters))}
        want = [visible[i] for i in matching if i in visible]
        ids = [i["id"] for i in body["items"]]
        self.doc_ids_ok(org, label, ids)
        self.tally.check(set(ids) == {d.id for d in want}, f"{org} {label}: items {sorted(ids)} != {sorted(d.id for d in want)}")
        self.tally.check(body["total"] == len(want), f"{org} {label}: total {body['total']} != {len(want)}")
        # the worlds are far below the API's search cap: every total is exact
        self.tally.check(body.get("total_is_lower_bound") is False, f"{org} {label}: total marked as a lower bound")
        if not facets:
            self.tally.check(body.get("facets") == {}, f"{org} {label}: facets not asked for but given")
            return
        got = body.get("facets") or {}
        tlp = Counter(d.tlp for d in want)
        self.tally.check(got.get("tlp", {}) == dict(tlp), f"{org} {label}: tlp facet {got.get('tlp')} != {dict(tlp)}")
        outlets = Counter(f"وكالة {d.marker}" for d in want)
        self.tally.check(got.get("outlet", {}) == dict(outlets), f"{org} {label}: outlet facet")

    def read_documents(self, org: str) -> None:
        _, _, absent_text = self.get(org, "/api/documents/doc-absent")
        for d in self.world.docs:
            status, body, text = self.get(org, f"/api/documents/{d.id}")
            label = f"GET /api/documents/{d.id}"
            self.tally.cases += 1
            if expected_visible(self.world, d, org):
                self.tally.check(status == 200, f"{org} {label}: visible but {status}")
                leaked = (_markers_in(text) - {d.marker}) & _hidden_markers(self.world, org)
                self.tally.check(not leaked, f"{org} {label}: hidden markers {sorted(leaked)}")
            else:
                same = status == 404 and text == absent_text.replace("doc-absent", d.id)
                self.tally.check(same, f"{org} {label}: hidden document answered {status} {text[:80]}")

    # ------------------------------------------------------------------ facts
    def entities(self, org: str) -> None:
        visible = self.visible(org)
        for params in ({}, {"q": "مشترك"}, {"type": "LOC"}):
            status, body, text = self.get(org, "/api/entities", limit=500, **params)
            label = f"GET /api/entities {params}"
            self.case(org, label, text)
            self.tally.check(status == 200, f"{org} {label}: status {status}")
            if status != 200:
                continue
            ids = {i["id"] for i in body["items"]}
            allowed = {COMMON_ID} if visible else set()
            allowed |= {d.entity_id for d in visible} | {f"ent-per-{d.marker}" for d in visible}
            members = {m for i in body["items"] for m in i.get("members", [i["id"]])}
            self.tally.check(members <= allowed, f"{org} {label}: entities of hidden documents {sorted(members - allowed)}")
            for item in body["items"]:
                if item["id"] == COMMON_ID:
                    self.tally.check(item["mention_count"] == len(visible),
                                     f"{org} {label}: common mention_count {item['mention_count']} != {len(visible)}")
                    want = {f"مشترك{d.marker}" for d in visible}
                    self.tally.check(set(item["aliases"]) == want, f"{org} {label}: aliases")
            if body.get("total") is not None and not params:
                want_total = len(allowed)
                self.tally.check(body["total"] <= want_total, f"{org} {label}: total {body['total']} > {want_total}")

    def entity_details(self, org: str) -> None:
        visible = {d.marker for d in self.visible(org)}
        ids = [(COMMON_ID, bool(visible))] + [(d.entity_id, d.marker in visible) for d in self.world.docs]
        absent = {suffix: self.get(org, f"/api/entities/ent-absent{suffix}")[2] for suffix in ("", "/timeline", "/graph")}
        for eid, should in ids:
            for suffix in ("", "/timeline", "/graph"):
                status, body, text = self.get(org, f"/api/entities/{eid}{suffix}")
                label = f"GET /api/entities/{eid}{suffix}"
                if not should:  # exactly like an entity that does not exist (whose id it echoes)
                    self.tally.cases += 1
                    same = status == 404 and text == absent[suffix].replace("ent-absent", eid)
                    self.tally.check(same, f"{org} {label}: entity of hidden documents answered {status} {text[:80]}")
                    continue
                self.case(org, label, text)
                if suffix == "" and status == 200 and eid == COMMON_ID:
                    self.tally.check(body["mention_count"] == len(visible), f"{org} {label}: mention_count")
                    docs = {m["doc_id"] for m in body.get("mentions", [])} | {x["id"] for x in body.get("documents", [])}
                    self.doc_ids_ok(org, label, sorted(docs))
                if suffix == "/graph" and status == 200:
                    nodes = {n["id"] for n in body["nodes"] if n.get("kind", "entity") == "entity"}
                    allowed = {COMMON_ID} | {f"ent-{m}" for m in visible} | {f"ent-per-{m}" for m in visible}
                    self.tally.check(nodes <= allowed, f"{org} {label}: graph nodes {sorted(nodes - allowed)}")

    def records(self, org: str) -> None:
        visible = self.visible(org)
        n = len(visible)
        for url, kind in (("/api/claims", "quantities"), ("/api/events", "events"), ("/api/quotes", "quotes")):
            status, body, text = self.get(org, url, limit=500)
            self.case(org, url, text)
            self.tally.check(status == 200, f"{org} {url}: status {status}")
            if status != 200:
                continue
            self.doc_ids_ok(org, url, [i["doc_id"] for i in body["items"]])
            want = n * PER_DOC[kind]
            self.tally.check(body["total"] == want, f"{org} {url}: total {body['total']} != {want}")
        values = {d.value for d in visible}
        for params in ({"grouped": "true"}, {"contradictions": "true"}):
            status, body, text = self.get(org, "/api/claims", limit=500, **params)
            label = f"GET /api/claims {params}"
            self.case(org, label, text)
            if status != 200:
                self.tally.check(False, f"{org} {label}: status {status}")
                continue
            for group in body["items"]:
                members = [v["doc_id"] for v in group.get("values", [])]
                self.doc_ids_ok(org, label, members)
                self.tally.check(group.get("documents", len(set(members))) == len(set(members)),
                                 f"{org} {label}: documents {group.get('documents')} != {len(set(members))}")
            if "contradictions" in params:
                self.tally.check(bool(body["items"]) == (len(values) > 1),
                                 f"{org} {label}: contradiction shown={bool(body['items'])} but visible values {values}")
            else:  # single claims may stay out of groups; no value may come from elsewhere
                seen = {v["value"] for g in body["items"] for v in g.get("values", [])}
                self.tally.check(seen <= values, f"{org} {label}: values {seen} not in {values}")
        status, body, text = self.get(org, "/api/events", fused="true", limit=500)
        label = "GET /api/events?fused=true"
        self.case(org, label, text)
        if status == 200:
            members = [m["doc_id"] for e in body["items"] for m in e.get("members", [])]
            self.doc_ids_ok(org, label, members)
            for e in body["items"]:
                self.tally.check(e.get("reports", len(e["members"])) == len({m["doc_id"] for m in e["members"]}),
                                 f"{org} {label}: reports count")

    def stats(self, org: str) -> None:
        status, body, text = self.get(org, "/api/stats")
        self.case(org, "GET /api/stats", text)
        n = len(self.visible(org))
        want = {"documents": n, **{k: v * n for k, v in PER_DOC.items()}}
        want["entities"] = 2 * n + (1 if n else 0)
        got = {k: body.get(k) for k in want} if status == 200 else None
        self.tally.check(got == want, f"{org} GET /api/stats: {got} != {want}")

    # ------------------------------------------------------------------ STIX / TAXII
    def stix(self, org: str) -> None:
        status, body, text = self.get(org, "/api/export/stix")
        self.case(org, "GET /api/export/stix", text)
        n = len(self.visible(org))
        reports = [o for o in body.get("objects", []) if o["type"] == "report"] if status == 200 else None
        self.tally.check(reports is not None and len(reports) == n,
                         f"{org} GET /api/export/stix: {None if reports is None else len(reports)} reports != {n}")

    def taxii(self, org: str) -> None:
        taxii = {"Accept": "application/taxii+json;version=2.1", "Authorization": f"Bearer {self.secrets[org]}"}
        r = self.client.get("/taxii2/marsad/collections/", headers=taxii)
        self.case(org, "TAXII collections", r.text)
        if r.status_code != 200:
            self.tally.check(False, f"{org} TAXII collections: {r.status_code}")
            return
        visible = self.visible(org)
        offered = {c["title"]: c["id"] for c in r.json().get("collections", [])}
        want = {"all"} | {f"organisation: {o}" for o in {org} | {d.owner for d in visible if d.owner}}
        want |= {f"sharing group: {g}" for g in self.world.groups_of(org)}
        self.tally.check(set(offered) == want, f"{org} TAXII collections {sorted(offered)} != {sorted(want)}")
        for title, cid in offered.items():
            for part in ("objects", "manifest"):
                r = self.client.get(f"/taxii2/marsad/collections/{cid}/{part}/", headers=taxii, params={"limit": 1000})
                label = f"TAXII {title} {part}"
                self.case(org, label, r.text)
                self.tally.check(r.status_code == 200, f"{org} {label}: {r.status_code}")
                if title == "all" and part == "objects" and r.status_code == 200:
                    reports = [o for o in r.json().get("objects", []) if o["type"] == "report"]
                    self.tally.check(len(reports) == len(visible), f"{org} {label}: {len(reports)} reports != {len(visible)}")

    def cli_export(self, org: str) -> None:
        """``marsad export stix --for-org ORG``: the command line's per-organisation listing."""
        from typer.testing import CliRunner

        from marsad.cli import app

        db = str(self.store.engine.url.database)
        result = CliRunner().invoke(app, ["export", "stix", "--db", db, "--for-org", org, "--out", "-"])
        self.case(org, "marsad export stix --for-org", result.output)
        try:
            bundle = json.loads(result.stdout)
        except ValueError:
            self.tally.check(False, f"{org} marsad export stix: exit {result.exit_code} {result.output[:200]}")
            return
        reports = [o for o in bundle["objects"] if o["type"] == "report"]
        self.tally.check(len(reports) == len(self.visible(org)), f"{org} marsad export stix: report count")

    # ------------------------------------------------------------------ all
    def run(self, queries: list[str], *, cli: bool = False) -> None:
        for org in self.world.orgs:
            self.search(org, None)
            for i, q in enumerate(queries):  # totals with and without facets (two ways of counting)
                self.search(org, q, facets=i % 2 == 0)
            self.search(org, None, facets=False)
            self.search(org, queries[0] if queries else None, tlp="amber,red")
            self.search(org, queries[-1] if queries else None, facets=False, tlp="amber,red")
            self.search(org, None, place=self.world.docs[0].marker + "مكان")
            self.read_documents(org)
            self.entities(org)
            self.entity_details(org)
            self.records(org)
            self.stats(org)
            self.stix(org)
            self.taxii(org)
            if cli:
                self.cli_export(org)


def _filter(params: dict[str, Any]):  # noqa: ANN202
    from marsad.share.tlp import TLP
    from marsad.store.queries import DocumentFilter

    tlp = tuple(TLP.parse(t).value for t in params["tlp"].split(",")) if params.get("tlp") else None
    return DocumentFilter(tlp=tlp, place=params.get("place"))


assert len(set(MARKERS)) == len(MARKERS)
