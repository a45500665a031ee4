"""End-to-end throughput: ingest + extract + store N documents, and peak memory.

The corpus is the bundled example reports replicated with variations (figures, dates and a
serial word changed) so that deduplication keeps every copy. Prints figures; asserts nothing.

    python benchmarks/bench_pipeline.py --docs 10000
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import regex

from marsad.ingest import IngestOptions, Rejection, iter_documents
from marsad.ingest import discover
from marsad.service import ingest_paths
from marsad.store import Store

ROOT = Path(__file__).resolve().parent.parent
_DIGITS = regex.compile(r"\d+")


def example_documents() -> list[dict]:
    docs = []
    for path in discover([ROOT / "examples" / "reports"]):
        if not isinstance(path, Path):
            continue
        for doc in iter_documents([path], IngestOptions()):
            if not isinstance(doc, Rejection):
                docs.append({"title": doc.title, "body": doc.body, "outlet": doc.outlet,
                             "published": doc.published.isoformat() if doc.published else None})
    return docs


def varied(doc: dict, n: int, rng: random.Random) -> dict:
    body = _DIGITS.sub(lambda m: str(int(m.group()) + rng.randint(1, 9)) if len(m.group()) < 4 else m.group(), doc["body"])
    return {**doc, "title": f"{doc['title']} ({n})", "body": f"{body}\nرقم النشرة {n}."}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10_000)
    args = parser.parse_args()
    rng = random.Random(7)
    base = example_documents()
    if not base:
        sys.exit("no example reports found under examples/reports")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as fh:
            for n in range(args.docs):
                fh.write(json.dumps(varied(base[n % len(base)], n, rng), ensure_ascii=False) + "\n")
        chars = sum(len(json.loads(line)["body"]) for line in corpus.open(encoding="utf-8"))
        store = Store.open(Path(tmp) / "bench.db")
        started = time.perf_counter()
        summary = ingest_paths([corpus], IngestOptions(max_bytes=corpus.stat().st_size + 1), store)
        elapsed = time.perf_counter() - started
        if summary.rejected:
            sys.exit(f"benchmark input rejected: {summary.rejected[0]}")
        stats = store.stats()
        store.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"documents          {args.docs:,} ({chars / 1e6:.1f} M characters, {chars / args.docs:.0f} per document)")
    print(f"stored             {len(summary.new):,} new, {len(summary.duplicates):,} duplicate, {len(summary.rejected)} rejected")
    print(f"time               {elapsed:.1f} s")
    print(f"throughput         {args.docs / elapsed:.1f} documents/s (one process, one core)")
    print(f"peak memory (RSS)  {peak_mb:.0f} MB")
    print(f"extracted          {json.dumps(stats)}")


if __name__ == "__main__":
    main()
