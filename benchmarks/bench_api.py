"""API benchmark: requests/s and latency of search and document reads, with tokens, and the
cost of visibility filtering.

    .venv/bin/python benchmarks/bench_api.py --docs 10000 [--db PATH | --db postgresql+psycopg://…] [--requests 400]

Builds a store of N synthetic documents (bench_search's invented text) spread over four
organisations with random TLP levels and shares, then times, in one process and one
thread (FastAPI's TestClient, so no network):

* ``GET /api/documents?q=…`` (a page of 20 hits with snippets + total + facets + audit row)
* ``GET /api/documents/{id}`` (the document with all its facts + audit row)
* the store alone: ``search`` + ``count_search`` as the local caller (viewer None) and as
  an organisation (viewer), i.e. the overhead of the sharing rule.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import invented_vocabulary, make_doc, make_queries, percentile  # noqa: E402

from marsad.share import orgs, tokens  # noqa: E402
from marsad.store import Store  # noqa: E402
from marsad.store.schema import document_shares, documents  # noqa: E402

ORGS = ("ALPHA", "BRAVO", "CHARLIE", "DELTA")
LEVELS = ("CLEAR", "GREEN", "GREEN", "AMBER", "AMBER", "AMBER+STRICT", "RED")


def build(store: Store, n: int, seed: int) -> None:
    rng = random.Random(seed)
    tail = invented_vocabulary(rng, 40_000)
    have = store.stats()["documents"]
    if not orgs.has_orgs(store):
        for org in ORGS:
            orgs.add_org(store, org)
        orgs.add_group(store, "PARTNERS", ["BRAVO", "CHARLIE"])
    base = dt.date(2025, 6, 1)
    batch = []
    shares = []
    for i in range(have, n):
        a = make_doc(rng, tail, i, base)
        a.doc.owner = rng.choice(ORGS)
        a.doc.tlp = rng.choice(LEVELS)
        if a.doc.tlp != "CLEAR" and rng.random() < 0.4:
            other = rng.choice([o for o in ORGS if o != a.doc.owner])
            kind, target = ("group", "PARTNERS") if a.doc.tlp == "AMBER" and rng.random() < 0.5 else ("org", other)
            shares.append({"doc_id": a.doc.id, "kind": kind, "target": target,
                           "created_at": dt.datetime(2025, 6, 1)})
        batch.append(a)
        if len(batch) >= 1000:
            store.save(batch)
            batch = []
    if batch:
        store.save(batch)
    if shares:
        with store._write() as conn:  # noqa: SLF001 - bulk shares for the benchmark only
            conn.execute(document_shares.insert(), shares)


def timed(fn, items):  # noqa: ANN001, ANN202
    out = []
    for item in items:
        t = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - t) * 1000)
    return out


def line(name: str, ms: list[float]) -> str:
    rps = 1000 / statistics.mean(ms)
    return (f"{name:<44} {rps:7.0f} req/s   p50 {percentile(ms, 50):6.1f} ms   "
            f"p95 {percentile(ms, 95):6.1f} ms")


def main(argv: list[str] | None = None) -> int:
    from fastapi.testclient import TestClient

    from marsad.api.app import create_app

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--db", help="store path or URL (default: a temporary SQLite file); reused if filled")
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args(argv)

    tmp = None
    if args.db:
        target = args.db
    else:
        tmp = tempfile.TemporaryDirectory(prefix="marsad-bench-api-")
        target = str(Path(tmp.name) / "api.db")
    store = Store.open(target)
    t0 = time.perf_counter()
    build(store, args.docs, args.seed)
    built = time.perf_counter() - t0
    secret = tokens.create_token(store, "BRAVO", "read").secret
    viewer = orgs.viewer_for(store, "BRAVO")
    client = TestClient(create_app(store), client=("127.0.0.1", 5555))
    headers = {"Authorization": f"Bearer {secret}"}

    rng = random.Random(args.seed + 1)
    queries = make_queries(rng, invented_vocabulary(random.Random(args.seed), 40_000), args.requests)
    with store.engine.connect() as conn:
        ids = list(conn.execute(documents.select().with_only_columns(documents.c.id)).scalars())
    visible = {d.id for d in store.list_documents(viewer=viewer, limit=len(ids))}
    sample = [rng.choice(ids) for _ in range(args.requests)]

    for q in queries[:20]:  # warm caches
        client.get("/api/documents", params={"q": q}, headers=headers)
    search_ms = timed(lambda q: client.get("/api/documents", params={"q": q, "limit": 20}, headers=headers), queries)
    doc_ms = timed(lambda i: client.get(f"/api/documents/{i}", headers=headers), sample)
    found = sum(client.get(f"/api/documents/{i}", headers=headers).status_code == 200 for i in sample[:100])

    def store_search(v):  # noqa: ANN001, ANN202
        return lambda q: (store.search(q, limit=20, viewer=v), store.count_search(q, viewer=v))

    none_ms = timed(store_search(None), queries)
    viewer_ms = timed(store_search(viewer), queries)
    stats_none = timed(lambda _: store.stats(), range(20))
    stats_viewer = timed(lambda _: store.stats(viewer=viewer), range(20))

    print(f"store            {store.url}")
    print(f"documents        {len(ids):,} over {len(ORGS)} organisations (built in {built:.1f}s); "
          f"BRAVO sees {len(visible):,} ({len(visible) / len(ids):.0%})")
    print(f"requests         {len(queries)} searches, {len(sample)} document reads ({found}/100 visible), one thread")
    print(line("GET /api/documents?q= (token, page of 20)", search_ms))
    print(line("GET /api/documents/{id} (token)", doc_ms))
    print(line("store search+count, viewer None", none_ms))
    print(line("store search+count, viewer BRAVO", viewer_ms))
    over = statistics.median(viewer_ms) / statistics.median(none_ms) - 1
    print(f"visibility overhead on search+count (p50)   {over:+.0%}")
    print(f"store stats p50: viewer None {percentile(stats_none, 50):.1f} ms, viewer BRAVO {percentile(stats_viewer, 50):.1f} ms")
    store.close()
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
