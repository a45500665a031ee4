"""Load test: `marsad serve` on loopback under a bounded-time load generator.

    .venv/bin/python benchmarks/bench_load.py --docs 100000 --db var/bench/load.db \\
        [--pg postgresql+psycopg://postgres@127.0.0.1:5432/bench] [--duration 20] \\
        [--connections 16] [--workers 2] [--distinct 400]

Builds (or reuses) a store of N synthetic reports over four organisations with random TLP
levels and shares (benchmarks/bench_api.py's builder, bench_search's invented text), creates
a read token for BRAVO, empties the store's shared answer cache (so every run starts cold),
starts ``marsad serve --workers W`` on 127.0.0.1 and drives ``GET /api/documents?q=…`` (a
page of 20 hits with snippets and the total, an audit entry; with ``--facets`` also the
facets and an exact total) with ``wrk`` (Debian package ``wrk``; a Python asyncio+httpx
generator in a separate process when wrk is missing) for a fixed time, in phases:

* **warm-up** (``--warmup`` seconds, reported but not the measurement): the mixed load below,
  so the answer caches hold what a running server would hold;
* **mixed**: each request picks one of ``--distinct`` queries (bench_search's query mix:
  common words, places, clitic forms, rare words, two words, phrases, digits) at random, so
  queries repeat as they do on a server and the answer cache is used;
* **cold**: every request a query not asked before (no cache hit possible).

Prints requests/s, p50/p95/p99 latency and non-2xx counts per back-end and phase.  Loopback
only; never asserts timings.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_api import build  # noqa: E402
from bench_search import invented_vocabulary, make_queries, percentile  # noqa: E402

from marsad.share import tokens  # noqa: E402
from marsad.store import Store  # noqa: E402
from marsad.store.schema import answer_cache  # noqa: E402

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent

WRK_SCRIPT = """
local paths = {%(paths)s}
local header = {["Authorization"] = "Bearer %(token)s"}
local sequential = %(sequential)s
local counter = 1
local n = 0
function setup(thread)
  thread:set("offset", counter)
  counter = counter + 1
end
function init(args)
  math.randomseed(offset * 7919)
  n = offset
end
function request()
  local p
  if sequential then
    p = paths[(n %% #paths) + 1]
    n = n + %(threads)d
  else
    p = paths[math.random(#paths)]
  end
  return wrk.format("GET", p, header)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests": %%d, "duration_s": %%.3f, "socket_errors": %%d, ' ..
    '"non2xx": %%d, "p50": %%.2f, "p95": %%.2f, "p99": %%.2f, "mean": %%.2f}\\n',
    summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.mean / 1000))
end
"""


def paths_for(queries: list[str], facets: bool = False) -> list[str]:
    extra = {"facets": "true"} if facets else {}
    return ["/api/documents?" + urllib.parse.urlencode({"q": q, "limit": 20, **extra}) for q in queries]


def run_wrk(port: int, paths: list[str], token: str, duration: int, connections: int,
            threads: int, sequential: bool) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(WRK_SCRIPT % {"paths": ",".join(json.dumps(p) for p in paths), "token": token,
                               "sequential": "true" if sequential else "false", "threads": threads})
        script = fh.name
    try:
        out = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s",
                              "--timeout", "10s", "-s", script, f"http://{HOST}:{port}"],
                             capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script)
    line = next(x for x in out.splitlines() if x.startswith("WRKJSON "))
    result = json.loads(line.removeprefix("WRKJSON "))
    result["rps"] = result["requests"] / result["duration_s"]
    return result


GENERATOR = """
import asyncio, json, random, sys, time
import httpx
port, token, duration, connections, sequential = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "1"
paths = json.load(sys.stdin)
lat, bad, nxt = [], 0, 0
async def worker(client, rng, end):
    global bad, nxt
    while time.perf_counter() < end:
        if sequential:
            p = paths[nxt % len(paths)]; nxt += 1
        else:
            p = rng.choice(paths)
        t = time.perf_counter()
        r = await client.get(p)
        lat.append((time.perf_counter() - t) * 1000)
        bad += r.status_code >= 300
async def main():
    limits = httpx.Limits(max_connections=connections)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=10,
                                 headers={"Authorization": f"Bearer {token}"}) as client:
        start = time.perf_counter()
        await asyncio.gather(*(worker(client, random.Random(i), start + duration) for i in range(connections)))
        print(json.dumps({"lat": lat, "bad": bad, "elapsed": time.perf_counter() - start}))
asyncio.run(main())
"""


def run_python(port: int, paths: list[str], token: str, duration: int, connections: int,
               sequential: bool) -> dict:
    """Fallback generator (no wrk): asyncio + httpx in a separate process."""
    out = subprocess.run([sys.executable, "-c", GENERATOR, str(port), token, str(duration), str(connections),
                          "1" if sequential else "0"], input=json.dumps(paths), capture_output=True,
                         text=True, check=True).stdout
    data = json.loads(out)
    lat = data["lat"]
    return {"requests": len(lat), "duration_s": data["elapsed"], "socket_errors": 0, "non2xx": data["bad"],
            "p50": percentile(lat, 50), "p95": percentile(lat, 95), "p99": percentile(lat, 99),
            "mean": sum(lat) / len(lat), "rps": len(lat) / data["elapsed"]}


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(target: str, port: int, workers: int, token: str) -> subprocess.Popen:
    marsad = shutil.which("marsad", path=str(Path(sys.executable).parent)) or "marsad"
    proc = subprocess.Popen([marsad, "serve", "--db", target, "--host", HOST, "--port", str(port),
                             "--workers", str(workers)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            req = urllib.request.Request(f"http://{HOST}:{port}/api/me", headers={"Authorization": f"Bearer {token}"})
            with urllib.request.urlopen(req, timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.5)
        if proc.poll() is not None:
            raise SystemExit(f"marsad serve exited with {proc.returncode}")
    stop_server(proc)
    raise SystemExit("marsad serve did not answer within 120 s")


def server_cpu(proc: subprocess.Popen) -> float:
    """CPU seconds (user + system) used so far by the server and its worker processes."""
    import psutil

    try:
        root = psutil.Process(proc.pid)
        total = 0.0
        for p in [root, *root.children(recursive=True)]:
            t = p.cpu_times()
            total += t.user + t.system
        return total
    except psutil.Error:
        return 0.0


def stop_server(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def bench(name: str, target: str, args: argparse.Namespace) -> None:
    store = Store.open(target)
    t0 = time.perf_counter()
    build(store, args.docs, args.seed)
    built = time.perf_counter() - t0
    n = store.stats()["documents"]
    token = tokens.create_token(store, "BRAVO", "read", user="bench_load").secret
    with store._write() as conn:  # noqa: SLF001 - answers kept by an earlier run would not be cold
        conn.execute(answer_cache.delete())
    store.close()
    rng = random.Random(args.seed + 2)
    tail = invented_vocabulary(random.Random(args.seed), 40_000)
    mixed = paths_for(make_queries(rng, tail, args.distinct), args.facets)
    cold = paths_for(list(dict.fromkeys(make_queries(rng, tail, 60_000))), args.facets)
    port = free_port()
    use_wrk = shutil.which("wrk") is not None and not args.python_generator
    print(f"{name}: {n:,} documents (build/reuse {built:.0f}s), `marsad serve --workers {args.workers}` on "
          f"{HOST}:{port}, {'wrk' if use_wrk else 'python asyncio+httpx'} -c {args.connections}, "
          f"{args.duration}s per phase{', facets=true' if args.facets else ''}", flush=True)
    proc = start_server(target, port, args.workers, token)
    try:
        phases = [("warm-up", mixed, False, args.warmup), ("mixed", mixed, False, args.duration),
                  ("cold", cold, True, args.duration)]
        for phase, paths, sequential, duration in phases:
            if duration <= 0:
                continue
            cpu0 = server_cpu(proc)
            if use_wrk:
                r = run_wrk(port, paths, token, duration, args.connections, args.threads, sequential)
            else:
                r = run_python(port, paths, token, duration, args.connections, sequential)
            cpu = server_cpu(proc) - cpu0
            distinct = f"{len(paths)} distinct queries" if not sequential else "every query new"
            print(f"  {phase:<6} {r['rps']:7.0f} req/s   p50 {r['p50']:7.1f} ms   p95 {r['p95']:7.1f} ms   "
                  f"p99 {r['p99']:7.1f} ms   {r['requests']} requests, non-2xx {r['non2xx']}, "
                  f"socket errors {r['socket_errors']} ({distinct}); server CPU "
                  f"{cpu * 1000 / max(1, r['requests']):.1f} ms/request, load average "
                  f"{os.getloadavg()[0]:.1f}", flush=True)
    finally:
        stop_server(proc)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--db", help="SQLite store path (reused if filled; default: a temporary file)")
    ap.add_argument("--pg", help="also run against this PostgreSQL URL (reused if filled)")
    ap.add_argument("--no-sqlite", action="store_true", help="only PostgreSQL")
    ap.add_argument("--duration", type=int, default=20, help="seconds per measured phase")
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--threads", type=int, default=1, help="wrk threads")
    ap.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    ap.add_argument("--distinct", type=int, default=400, help="distinct queries in the mixed phase")
    ap.add_argument("--warmup", type=int, default=0,
                    help="seconds of the mixed load before measuring (fills each worker's answer cache)")
    ap.add_argument("--facets", action="store_true", help="ask for facets (and so an exact total) too")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--python-generator", action="store_true", help="use the Python generator even if wrk exists")
    args = ap.parse_args(argv)

    tmp = None
    if not args.no_sqlite:
        target = args.db
        if not target:
            tmp = tempfile.TemporaryDirectory(prefix="marsad-bench-load-")
            target = str(Path(tmp.name) / "load.db")
        bench("SQLite", target, args)
    if args.pg:
        bench("PostgreSQL", args.pg, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
