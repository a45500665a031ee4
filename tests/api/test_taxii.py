"""TAXII 2.1 endpoints, driven by the real taxii2-client over real HTTP (uvicorn on loopback).

The partner organisation pulls with its own token and must get its collections' objects only.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import requests
import uvicorn
from taxii2client.v21 import ApiRoot, Collection, Server, as_pages

from marsad.api.app import create_app
from marsad.share import orgs, tokens
from marsad.share.stix import export_bundle
from marsad.store import Store
from tests.share.stix_helpers import analysis, body_variant
from tests.store.conftest import PG_URL, _empty_postgres

TAXII = "application/taxii+json;version=2.1"


class Bearer(requests.auth.AuthBase):
    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = f"Bearer {self.token}"
        return r


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class World:
    """ACME shares with the group ALLIES (ACME, PARTNER); OTHER is outside it."""

    def __init__(self, store: Store) -> None:
        for name in ("ACME", "PARTNER", "OTHER"):
            orgs.add_org(store, name)
        orgs.add_group(store, "ALLIES", ["ACME", "PARTNER"])
        day = dt.datetime(2024, 11, 1, tzinfo=dt.UTC)
        self.docs = {
            "green": analysis(body_variant(1), tlp="GREEN", owner="ACME", ingested=day),
            "red": analysis(body_variant(2), tlp="RED", owner="ACME", ingested=day + dt.timedelta(days=1)),
            "amber_group": analysis(body_variant(3), tlp="AMBER", owner="ACME", ingested=day + dt.timedelta(days=2)),
            "amber_other": analysis(body_variant(4), tlp="AMBER", owner="ACME", ingested=day + dt.timedelta(days=3)),
            "partner_own": analysis(body_variant(5), tlp="RED", owner="PARTNER", ingested=day + dt.timedelta(days=4)),
            "other_clear": analysis(body_variant(6), tlp="CLEAR", owner="OTHER", ingested=day + dt.timedelta(days=5)),
        }
        store.save(list(self.docs.values()))
        orgs.share_documents(store, [self.docs["amber_group"].doc.id], ["ALLIES"], owner="ACME")
        orgs.share_documents(store, [self.docs["amber_other"].doc.id], ["OTHER"], owner="ACME")
        self.partner = tokens.create_token(store, "PARTNER", "read").secret
        self.other = tokens.create_token(store, "OTHER", "read").secret
        self.partner_sees = {"green", "amber_group", "partner_own", "other_clear"}

    def ids(self, names: set[str]) -> set[str]:
        return {self.docs[n].doc.id for n in names}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(request, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Store, World]]:
    if request.param == "postgresql":
        if not PG_URL:
            pytest.skip("set MARSAD_TEST_PG to run the TAXII tests on PostgreSQL")
        _empty_postgres(PG_URL)
        store = Store.open(PG_URL)
    else:
        store = Store.open(tmp_path_factory.mktemp("taxii") / "taxii.db")
    world = World(store)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(store), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", store, world
    server.should_exit = True
    thread.join(timeout=10)
    store.close()


def _reports(objects: list[dict]) -> set[str]:
    return {o["x_marsad_id"] for o in objects if o["type"] == "report"}


def _collection(root: ApiRoot, title: str) -> Collection:
    return next(c for c in root.collections if c.title == title)


def test_partner_pulls_its_collections_with_taxii2client(served) -> None:
    base, store, world = served
    auth = Bearer(world.partner)
    server = Server(f"{base}/taxii2/", auth=auth)
    assert server.title == "Marsad TAXII 2.1 server"
    [root] = server.api_roots
    assert root.versions == [TAXII]
    titles = [c.title for c in root.collections]
    # its own organisation, the organisations whose reports it can see, its group; not OTHER's
    # sharing with ACME, and never a collection it cannot read
    assert titles == ["all", "organisation: ACME", "organisation: OTHER", "organisation: PARTNER",
                      "sharing group: ALLIES"]

    everything = _collection(root, "all")
    pages = list(as_pages(everything.get_objects, per_request=7))
    assert len(pages) > 2 and all(len(p.get("objects", [])) <= 7 for p in pages)
    objects = [o for p in pages for o in p.get("objects", [])]
    assert len({o["id"] for o in objects}) == len(objects)  # no repeats across pages
    assert _reports(objects) == world.ids(world.partner_sees)
    # the same objects as a STIX export for that organisation
    expected = export_bundle(store, orgs.viewer_for(store, "PARTNER"))["objects"]
    assert sorted(objects, key=lambda o: o["id"]) == sorted(expected, key=lambda o: o["id"])

    acme = _collection(root, "organisation: ACME").get_objects()
    assert _reports(acme["objects"]) == world.ids({"green", "amber_group"})
    group = _collection(root, "sharing group: ALLIES").get_objects()
    assert _reports(group["objects"]) == world.ids({"amber_group"})


def test_added_after_and_manifest(served) -> None:
    base, _, world = served
    root = ApiRoot(f"{base}/taxii2/marsad/", auth=Bearer(world.partner))
    everything = _collection(root, "all")
    manifest = [r for p in as_pages(everything.get_manifest, per_request=50) for r in p.get("objects", [])]
    assert manifest and all(r["media_type"] == "application/stix+json;version=2.1" for r in manifest)
    dates = [r["date_added"] for r in manifest]
    assert dates == sorted(dates)
    cut = "2024-11-03T12:00:00.000000Z"
    later = everything.get_objects(added_after=cut)
    assert _reports(later["objects"]) == world.ids({"partner_own", "other_clear"})
    assert all(r["date_added"] > cut for r in everything.get_manifest(added_after=cut)["objects"])
    one = manifest[0]["id"]
    got = everything.get_object(one)
    assert [o["id"] for o in got["objects"]] == [one]
    reports = everything.get_objects(type="report")
    assert {o["type"] for o in reports["objects"]} == {"report"}


def test_headers_content_type_and_paging_envelope(served) -> None:
    base, _, world = served
    h = {"Authorization": f"Bearer {world.partner}", "Accept": TAXII}
    cols = requests.get(f"{base}/taxii2/marsad/collections/", headers=h, timeout=10)
    assert cols.headers["content-type"] == TAXII
    cid = next(c["id"] for c in cols.json()["collections"] if c["title"] == "all")
    r = requests.get(f"{base}/taxii2/marsad/collections/{cid}/objects/", params={"limit": 3},
                     headers=h, timeout=10)
    body = r.json()
    assert r.status_code == 200 and body["more"] is True and len(body["objects"]) == 3 and body["next"]
    first = r.headers["X-TAXII-Date-Added-First"]
    last = r.headers["X-TAXII-Date-Added-Last"]
    assert first <= last and first.endswith("Z")
    r2 = requests.get(f"{base}/taxii2/marsad/collections/{cid}/objects/",
                      params={"limit": 3, "next": body["next"]}, headers=h, timeout=10)
    assert not {o["id"] for o in body["objects"]} & {o["id"] for o in r2.json()["objects"]}
    assert r2.headers["X-TAXII-Date-Added-First"] >= last
    alias = requests.get(f"{base}/taxii2/marsad/collections/all/", headers=h, timeout=10)
    assert alias.json()["id"] == cid
    bad = requests.get(f"{base}/taxii2/marsad/collections/{cid}/objects/", params={"next": "%%%"},
                       headers=h, timeout=10)
    assert bad.status_code == 400 and bad.headers["content-type"] == TAXII
    wrong = requests.get(f"{base}/taxii2/", headers={**h, "Accept": "text/html"}, timeout=10)
    assert wrong.status_code == 406


def test_partner_cannot_reach_other_collections_or_objects(served) -> None:
    base, store, world = served
    h = {"Authorization": f"Bearer {world.partner}", "Accept": TAXII}
    listed = requests.get(f"{base}/taxii2/marsad/collections/", headers=h, timeout=10).json()["collections"]
    partner_ids = {c["title"]: c["id"] for c in listed}
    # OTHER is not in ALLIES and sees nothing of PARTNER: those collections are not offered
    # to it, and asking for them by id answers 404 like a collection that does not exist
    other_root = ApiRoot(f"{base}/taxii2/marsad/", auth=Bearer(world.other))
    assert {c.title for c in other_root.collections} == {"all", "organisation: ACME", "organisation: OTHER"}
    ho = {"Authorization": f"Bearer {world.other}", "Accept": TAXII}
    for title in ("sharing group: ALLIES", "organisation: PARTNER"):
        for path in ("", "objects/", "manifest/"):
            r = requests.get(f"{base}/taxii2/marsad/collections/{partner_ids[title]}/{path}", headers=ho, timeout=10)
            assert r.status_code == 404, (title, path)
    from marsad.share.stix_feed import _collection as make

    for cid in (make("group", "NOBODY").id, make("org", "NOBODY").id, "nonsense"):
        assert requests.get(f"{base}/taxii2/marsad/collections/{cid}/", headers=h, timeout=10).status_code == 404
    # a RED report of ACME, asked for by its id through the partner's "all": 404
    red_report = next(o["id"] for o in export_bundle(store)["objects"]
                      if o.get("x_marsad_id") == world.docs["red"].doc.id)
    r = requests.get(f"{base}/taxii2/marsad/collections/{partner_ids['all']}/objects/{red_report}/",
                     headers=h, timeout=10)
    assert r.status_code == 404
    # OTHER sees the AMBER report shared with it, and not PARTNER's RED one
    other_all = _reports(_collection(other_root, "all").get_objects()["objects"])
    assert world.ids({"green", "amber_other", "other_clear"}) == other_all


def test_tokens_are_required_once_organisations_exist(served) -> None:
    base, _, _ = served
    assert requests.get(f"{base}/taxii2/", timeout=10).status_code == 401
    bad = requests.get(f"{base}/taxii2/", headers={"Authorization": "Bearer msd_nope"}, timeout=10)
    assert bad.status_code == 401


def test_rest_export_is_the_callers_bundle(served) -> None:
    base, store, world = served
    r = requests.get(f"{base}/api/export/stix", headers={"Authorization": f"Bearer {world.partner}"}, timeout=10)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/stix+json")
    assert _reports(r.json()["objects"]) == world.ids(world.partner_sees)
    since = requests.get(f"{base}/api/export/stix", params={"since": "2024-11-05"},
                         headers={"Authorization": f"Bearer {world.partner}"}, timeout=10)
    assert _reports(since.json()["objects"]) == world.ids({"partner_own", "other_clear"})
    bad = requests.get(f"{base}/api/export/stix", params={"since": "yesterday"},
                       headers={"Authorization": f"Bearer {world.partner}"}, timeout=10)
    assert bad.status_code == 400


def test_the_partner_script_in_the_docs_works(served, monkeypatch, capsys) -> None:
    """docs/stix-taxii.md's partner script, run as written against the live server."""
    import re
    from pathlib import Path

    base, _, world = served
    doc = (Path(__file__).resolve().parents[2] / "docs" / "stix-taxii.md").read_text(encoding="utf-8")
    section = doc[doc.index("### Partner script"):]
    script = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    monkeypatch.setenv("MARSAD_URL", base)
    monkeypatch.setenv("MARSAD_TOKEN", world.partner)
    monkeypatch.setattr("sys.argv", ["pull_marsad.py", "all"])
    exec(compile(script, "pull_marsad.py", "exec"), {"__name__": "__main__"})  # noqa: S102
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == len(world.partner_sees) and all("(2 claims)" in line for line in lines)
