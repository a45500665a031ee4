"""Web workspace benchmark: paint of the search page in Chromium, server time of the reader
page, and the size and time of the map / timeline / graph JSON, on a large store.

    .venv/bin/python benchmarks/bench_web.py [--docs 100000] [--db PATH] [--queries 12] [--reads 300]

The store: N synthetic reports (bench_search's invented text and builder, ~65 s for 100,000
on an idle machine; reused when ``--db`` names an existing one) plus the example reports
ingested for real, so the map and timeline have geocoded places and fused events.  The workspace runs as
``marsad serve`` (uvicorn, one worker) on a free loopback port; Chromium is Debian's
``/usr/bin/chromium``, headless, driven by Playwright.

Measured:

* search page with a query: first contentful paint and largest contentful paint from the
  browser's ``performance`` entries (``paint``, ``largest-contentful-paint``), and the
  navigation's response start (server time + loopback), a fresh browser context per query
  (cold: no cached CSS/JS) and again in the same context (warm);
* reader page ``/doc/{id}``: server time over many reports (wall time of the request on
  loopback, HTML fully read), p50 / p95, synthetic and example reports apart;
* ``/web/data/{map,timeline,graph,mentions}.json``: bytes and time (first call and median of 5).

Prints figures; asserts nothing.  Timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import invented_vocabulary, make_doc, percentile  # noqa: E402

from sqlalchemy import update  # noqa: E402

from marsad.store import Store  # noqa: E402
from marsad.store.schema import documents  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
#: queries an analyst types: places and organisations, bare and with a clitic, and a phrase
QUERIES = ["الحسكة", "بغداد", "والرقة", "داعش", "المخابرات", "الموصل", "معتقلين", "مخيم الهول",
           "بالحسكه", "الحدود", "قوات", "اعتقال"]

PAINT_SCRIPT = """() => new Promise((resolve) => {
  // paint entries can land after the load event: observe them (buffered) and wait a little
  const nav = performance.getEntriesByType('navigation')[0];
  let fcp = null;
  let lcp = null;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') fcp = e;
  }).observe({ type: 'paint', buffered: true });
  new PerformanceObserver((list) => { const e = list.getEntries(); lcp = e[e.length - 1]; })
    .observe({ type: 'largest-contentful-paint', buffered: true });
  const started = performance.now();
  const done = () => {
    if ((!fcp || !lcp) && performance.now() - started < 3000) return setTimeout(done, 50);
    resolve({
      responseStart: nav ? nav.responseStart : null, domContentLoaded: nav ? nav.domContentLoadedEventEnd : null,
      fcp: fcp ? fcp.startTime : null, lcp: lcp ? lcp.startTime : null,
      bytes: nav ? nav.transferSize : null, hits: document.querySelectorAll('li.hit').length,
    });
  };
  setTimeout(done, 50);
})"""


def build_store(path: Path, docs: int, seed: int) -> Store:
    """Synthetic reports up to ``docs`` (saved directly), then the examples ingested for real
    (fused events, geocoded places).  The synthetic reports are marked fused first: ingest
    fuses every report not fused yet, and fusing 100,000 synthetic claims takes far longer
    than this benchmark is about (each has one place mention and one figure, nothing to link)."""
    store = Store.open(path)
    have = store.stats()["documents"]
    if have < docs:
        import datetime as dt

        rng = random.Random(seed)
        tail = invented_vocabulary(rng, 40_000)
        base = dt.date(2025, 6, 1)
        t0 = time.perf_counter()
        batch = []
        for n in range(have, docs):
            batch.append(make_doc(rng, tail, n, base))
            if len(batch) >= 1000:
                store.save(batch)
                batch = []
        if batch:
            store.save(batch)
        print(f"built {docs - have:,} synthetic reports in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    with store.engine.begin() as conn:
        conn.execute(update(documents).where(documents.c.source.like("synthetic/%"), documents.c.fused_at.is_(None))
                     .values(fused_at=dt_now()))
    marsad = Path(sys.executable).with_name("marsad")
    subprocess.run([str(marsad), "ingest", str(ROOT / "examples" / "reports"), "--db", str(path)],
                   check=True, capture_output=True)  # nothing new when the store is reused
    return store


def dt_now():  # noqa: ANN201
    import datetime as dt

    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int) -> subprocess.Popen:
    marsad = Path(sys.executable).with_name("marsad")
    proc = subprocess.Popen([str(marsad), "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"marsad serve did not answer on port {port}: {proc.stderr.read().decode()[-2000:]}")


def timed_get(client, url: str) -> tuple[float, int, int]:  # noqa: ANN001
    t = time.perf_counter()
    r = client.get(url)
    body = r.content
    return (time.perf_counter() - t) * 1000, r.status_code, len(body)


def fmt(values: list[float]) -> str:
    return f"p50 {percentile(values, 50):7.1f} ms  p95 {percentile(values, 95):7.1f} ms  max {max(values):7.1f} ms"


def bench_paint(base: str, queries: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    # facets: when the deferred facet counts have arrived (ms after navigation start); the next
    # navigation waits for them, so one query's facets never slow the next query's paint
    cold: dict[str, list[float]] = {"fcp": [], "lcp": [], "responseStart": [], "facets": []}
    warm: dict[str, list[float]] = {"fcp": [], "lcp": [], "responseStart": [], "facets": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        for q in queries:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            url = f"{base}/search?q={quote(q)}"
            for round_, sink in ((0, cold), (1, warm)):
                page.goto(url, wait_until="load")
                m = page.evaluate(PAINT_SCRIPT)
                page.wait_for_selector('#facet-groups[data-loaded="true"]', timeout=120_000)
                m["facets"] = page.evaluate("performance.now()")
                for key in sink:
                    if m[key] is not None:
                        sink[key].append(m[key])
                if round_ == 0:
                    print(f"  {q:12s} hits {m['hits']:3d}  response {m['responseStart']:6.0f} ms  "
                          f"FCP {m['fcp'] or 0:6.0f} ms  LCP {m['lcp'] or 0:6.0f} ms  facets {m['facets']:6.0f} ms  "
                          f"html {m['bytes'] or 0:,} B")
            context.close()
        browser.close()
    for name, sink in (("cold", cold), ("warm", warm)):
        for key in ("responseStart", "fcp", "lcp", "facets"):
            if sink[key]:
                print(f"search page {name:4s} {key:13s} {fmt(sink[key])}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--db", help="store path (default: a temporary file); reused if it exists")
    ap.add_argument("--queries", type=int, default=len(QUERIES))
    ap.add_argument("--reads", type=int, default=300, help="reader pages to time")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)

    tmp = None
    if args.db:
        path = Path(args.db)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="marsad-bench-web-")
        path = Path(tmp.name) / "bench.db"
    store = build_store(path, args.docs, args.seed)
    stats = store.stats()
    examples = [d.id for d in store.list_documents(limit=100_000) if not d.source.startswith("synthetic/")][:200]
    synthetic = [d.id for d in store.list_documents(limit=5000) if d.source.startswith("synthetic/")]
    entity = next(iter(store.fused_entities(type="ORG", limit=1)), None)
    store.close()
    print(f"store            {stats['documents']:,} reports, {stats['mentions']:,} mentions, {stats['events']:,} events ({path})")

    import httpx

    port = free_port()
    server = start_server(path, port)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            rng = random.Random(args.seed)
            # warm the server (imports, first SQLite pages, the admin-1 index)
            for url in ("/", "/search?q=" + quote("بغداد"), f"/doc/{synthetic[0]}"):
                client.get(url)

            bench_paint(base, QUERIES[:args.queries])

            server_search = [timed_get(client, f"/search?q={quote(q)}")[0] for q in QUERIES[:args.queries]]
            print(f"search page server time           {fmt(server_search)}")

            reads = rng.sample(synthetic, min(args.reads, len(synthetic)))
            t_syn = [timed_get(client, f"/doc/{d}")[0] for d in reads]
            t_ex = [timed_get(client, f"/doc/{d}")[0] for d in examples for _ in range(3)]
            print(f"reader page, synthetic ({len(t_syn)})   {fmt(t_syn)}")
            print(f"reader page, examples ({len(t_ex)})     {fmt(t_ex)}")

            data_urls = ["/web/data/map.json", "/web/data/timeline.json"]
            if entity:
                data_urls += [f"/web/data/map.json?entity={entity['id']}", f"/web/data/timeline.json?entity={entity['id']}",
                              f"/web/data/graph.json?entity={entity['id']}", f"/web/data/mentions.json?entity={entity['id']}"]
            for url in data_urls:
                first, status, size = timed_get(client, url)
                again = [timed_get(client, url)[0] for _ in range(5)]
                print(f"{url[:58]:58s} {status} {size / 1024:8.1f} KiB  first {first:7.1f} ms  "
                      f"median {statistics.median(again):7.1f} ms")
    finally:
        server.terminate()
        server.wait(10)
        if tmp is not None:
            tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
