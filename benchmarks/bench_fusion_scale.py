"""Fusion at scale: incremental fusion of one report into a large store, full rebuild, memory.

    .venv/bin/python benchmarks/bench_fusion_scale.py --docs 100000 [--db PATH] [--new 20] [--first rebuild]

The store is synthesised without running NER on every report: the example reports are
analysed once, and each synthetic report is a clone of one of those analyses with its people
renamed (a family name drawn from a pool of invented ones), its places moved to one of a few
hundred invented places on a grid over the region, its figures scaled and its dates shifted
across three years, so that clusters, claim groups and fused events form as they would in a
real collection (most clones meet nothing, some meet a few). Then:

1. every stored report is fused (``store.fuse()``, incremental, chunk by chunk; with ``--first
   rebuild`` by a rebuild instead, the quicker way to a fused store of this size);
2. ``--new`` more clones are saved and fused one at a time: incremental ms, p50 / p95;
3. ``store.fuse(rebuild=True)``: the full rebuild time (stored bare titles are reused);
4. the peak resident memory of the process (``resource.getrusage``) after each step.

Times are wall clock with the process's CPU time beside them (``time.process_time``): on a
shared machine the CPU time says more.

Prints figures; asserts nothing. Timings depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import random
import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import percentile  # noqa: E402
from marsad.records import Analysis, Document  # noqa: E402

LETTERS = "ابتثجحخدرزسشصضطعغفقكلمنهوي"
BASE = dt.date(2023, 1, 1)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def templates() -> list[Analysis]:
    """The example reports, analysed once."""
    from marsad.evaluate import gold_documents
    from marsad.pipeline import Pipeline

    pipeline = Pipeline()
    return [pipeline(doc) for _key, doc, _gold in gold_documents(ROOT / "examples" / "gold", ROOT / "examples" / "reports")]


def invented_places(rng: random.Random, n: int) -> list[tuple[str, str, float, float, str]]:
    """(Arabic name, English name, lat, lon, kind) on a grid over Iraq and eastern Syria."""
    kinds = ["city", "town", "town", "camp", "district", "governorate"]
    out = []
    for i in range(n):
        name = "".join(rng.choice(LETTERS) for _ in range(rng.randint(4, 7)))
        out.append((name, f"Place {i}", 31.0 + rng.random() * 6.0, 38.0 + rng.random() * 8.0, kinds[i % len(kinds)]))
    return out


def _shift(when: str | None, days: int) -> str | None:
    if not when:
        return when
    try:
        if len(when) >= 10:
            return (dt.date.fromisoformat(when[:10]) + dt.timedelta(days=days)).isoformat()
        if len(when) == 7:
            return (dt.date.fromisoformat(when + "-15") + dt.timedelta(days=days)).isoformat()[:7]
        if len(when) == 4:
            return str((dt.date(int(when), 6, 15) + dt.timedelta(days=days)).year)
    except ValueError:
        pass
    return when


def clone(template: Analysis, n: int, rng: random.Random, places: list, family_names: list[str]) -> Analysis:
    days = rng.randint(0, 3 * 365)
    published = BASE + dt.timedelta(days=days)
    shift = (published - template.doc.published).days if template.doc.published else days
    doc = replace(template.doc, id=f"clone-{n:07d}", source=f"synthetic/{n}", published=published,
                  outlet=f"{template.doc.outlet or 'outlet'} {rng.randint(0, 40)}", tlp="CLEAR")
    moved: dict[str, tuple] = {}  # original place name -> invented place
    entities = []
    for m in template.entities:
        m = copy.copy(m)
        if m.type == "PER":
            family = family_names[int(rng.paretovariate(1.2)) % len(family_names)]
            m.text = f"{m.text} {family}"
            m.canonical = f"{m.canonical or 'Person'} {family}"
            m.entity_id = None
        elif m.type == "LOC" and m.lat is not None and m.geo_kind != "country":
            key = m.canonical or m.text
            if key not in moved:
                moved[key] = places[int(rng.paretovariate(0.8)) % len(places)]
            ar, en, lat, lon, kind = moved[key]
            m.text, m.canonical, m.lat, m.lon, m.geo_kind, m.entity_id, m.geonames_id = ar, en, lat, lon, kind, None, None
        entities.append(m)
    quantities = []
    for q in template.quantities:
        q = copy.copy(q)
        q.value = float(max(1, round(q.value * rng.choice((1, 1, 1, 0.8, 1.25, 2)))))
        if q.where in moved:
            q.where = moved[q.where][1]
        q.when = _shift(q.when, shift)
        quantities.append(q)
    events = []
    for e in template.events:
        e = copy.copy(e)
        if e.where in moved:
            e.where = moved[e.where][1]
        e.when = _shift(e.when, shift)
        events.append(e)
    return Analysis(doc=doc, entities=entities, quantities=quantities, dates=template.dates, events=events,
                    quotes=template.quotes, numbers=template.numbers)


def main(argv: list[str] | None = None) -> int:
    from marsad.store import Store

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--new", type=int, default=20, help="reports fused one at a time after the store is built")
    ap.add_argument("--db", help="store path or URL (default: a temporary SQLite file)")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--no-rebuild", action="store_true")
    ap.add_argument("--save-only", action="store_true",
                    help="stop once the store holds --docs reports (build a store for later runs with --db)")
    ap.add_argument("--first", choices=("incremental", "rebuild"), default="incremental",
                    help="how the saved reports are fused before the one-at-a-time step")
    args = ap.parse_args(argv)

    rng = random.Random(args.seed)
    t = time.perf_counter()
    base = templates()
    print(f"templates        {len(base)} example reports analysed in {time.perf_counter() - t:.1f} s")
    places = invented_places(rng, 400)
    family_names = ["".join(rng.choice(LETTERS) for _ in range(rng.randint(4, 6))) for _ in range(5000)]

    tmp = None
    if args.db:
        target = args.db
    else:
        tmp = tempfile.TemporaryDirectory(prefix="marsad-fusion-scale-")
        target = Path(tmp.name) / "fusion.db"
    store = Store.open(target)
    have = store.stats()["documents"]
    t = time.perf_counter()
    batch = []
    for n in range(have, args.docs):
        batch.append(clone(base[n % len(base)], n, rng, places, family_names))
        if len(batch) == 1000:
            store.save(batch)
            batch = []
            if (n + 1) % 20_000 == 0:
                print(f"  {n + 1:,} saved, {time.perf_counter() - t:.0f} s", file=sys.stderr)
    if batch:
        store.save(batch)
    print(f"store            {args.docs:,} reports ({args.docs - have:,} synthesised and saved in "
          f"{time.perf_counter() - t:.0f} s); peak RSS {peak_rss_mib():,.0f} MiB")
    if args.save_only:
        store.close()
        return 0

    t, c = time.perf_counter(), time.process_time()
    report = store.fuse(rebuild=args.first == "rebuild")
    how = "by a rebuild" if args.first == "rebuild" else "incrementally"
    print(f"fuse all         {report.documents:,} reports fused {how} in {time.perf_counter() - t:.1f} s "
          f"(CPU {time.process_time() - c:.1f} s; {report.links:,} links, {report.claims_grouped:,} claims, "
          f"{report.events_fused:,} events joined); peak RSS {peak_rss_mib():,.0f} MiB")

    timings, cpu = [], []
    for i in range(args.new):
        analysis = clone(base[i % len(base)], args.docs + i, rng, places, family_names)
        store.save([analysis])
        t, c = time.perf_counter(), time.process_time()
        store.fuse()
        timings.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    if timings:
        print(f"incremental      one new report into {args.docs:,}: p50 {percentile(timings, 50):.0f} ms, "
              f"p95 {percentile(timings, 95):.0f} ms, max {max(timings):.0f} ms over {len(timings)} reports "
              f"(CPU p50 {percentile(cpu, 50):.0f} ms, p95 {percentile(cpu, 95):.0f} ms)")

    if not args.no_rebuild:
        t, c = time.perf_counter(), time.process_time()
        report = store.fuse(rebuild=True)
        print(f"rebuild          {report.documents:,} reports in {time.perf_counter() - t:.1f} s "
              f"(CPU {time.process_time() - c:.1f} s; {report.titles_scanned:,} scanned for bare titles, the "
              f"others' stored titles reused); peak RSS {peak_rss_mib():,.0f} MiB")

    t, c = time.perf_counter(), time.process_time()
    store.claim_groups(contradictions=True, limit=20)
    print(f"contradictions   first page in {(time.perf_counter() - t) * 1000:.0f} ms "
          f"(CPU {(time.process_time() - c) * 1000:.0f} ms)")
    store.close()
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
