"""STIX 2.1 export/import benchmark: time, bundle size and an exact round-trip check.

    .venv/bin/python benchmarks/bench_stix.py [--docs 2000] [--keep DIR]

1. The example reports (examples/reports, ingested with the normal pipeline).
2. N generated documents: each example report's analysis again under a new body (a numbered
   sentence appended, so a new id) with rotating TLP levels and owners, the same record
   density as real reports (spans stay valid: the text is appended at the end).

For each: export time and bundle size (compact JSON, UTF-8), import into an empty store, and
the round trip (export of the copy == first export, and Store.get_analysis equal for every
document).  For the generated set also the TAXII feed: building a collection (first request)
and serving a page of 100 from the cache.  Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from marsad.ids import document_id  # noqa: E402
from marsad.ingest import IngestOptions  # noqa: E402
from marsad.records import TLP_LEVELS, Analysis  # noqa: E402
from marsad.service import ingest_paths  # noqa: E402
from marsad.share import stix_feed  # noqa: E402
from marsad.share.stix import export_bundle, import_bundle  # noqa: E402
from marsad.store import Store  # noqa: E402

OWNERS = ("ACME", "PARTNER", "OTHER", None)


def _size(bundle: dict) -> int:
    return len(json.dumps(bundle, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _measure(name: str, store: Store, workdir: Path) -> dict:
    t0 = time.perf_counter()
    bundle = export_bundle(store)
    export_s = time.perf_counter() - t0
    wire = json.dumps(bundle, ensure_ascii=False, separators=(",", ":"))
    reports = [o for o in bundle["objects"] if o["type"] == "report"]
    with Store.open(workdir / f"{name}-copy.db") as copy:
        t0 = time.perf_counter()
        import_bundle(copy, json.loads(wire))
        import_s = time.perf_counter() - t0
        again = export_bundle(copy)
        same_bundle = again["objects"] == bundle["objects"]
        same_analyses = all(copy.get_analysis(r["x_marsad_id"]) == store.get_analysis(r["x_marsad_id"])
                            for r in reports)
    n = len(reports)
    return {"set": name, "documents": n, "objects": len(bundle["objects"]),
            "export_s": export_s, "export_docs_per_s": n / export_s if export_s else 0.0,
            "bytes": _size(bundle), "bytes_per_doc": _size(bundle) / max(n, 1),
            "import_s": import_s, "import_docs_per_s": n / import_s if import_s else 0.0,
            "round_trip_exact": same_bundle and same_analyses}


def _generated(examples: list[Analysis], n: int) -> list[Analysis]:
    out = []
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    for i in range(n):
        base = examples[i % len(examples)]
        body = base.doc.body + f"\n\nملاحظة رقم {i} من أرشيف الاختبار."
        doc = replace(base.doc, id=document_id(body), body=body, tlp=TLP_LEVELS[i % len(TLP_LEVELS)],
                      owner=OWNERS[i % len(OWNERS)], ingested_at=start + dt.timedelta(minutes=i))
        out.append(Analysis(doc=doc, entities=base.entities, quantities=base.quantities,
                            dates=base.dates, events=base.events, quotes=base.quotes))
    return out


def _taxii(store: Store) -> dict:
    [everything] = [c for c in stix_feed.collections_for(store) if c.kind == "all"]
    t0 = time.perf_counter()
    items = stix_feed.collection_items(store, None, everything)
    first = stix_feed.page(items, limit=100)
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    pages = 1
    token = first.next
    while token:
        got = stix_feed.page(stix_feed.collection_items(store, None, everything), limit=100, next=token)
        token = got.next
        pages += 1
    warm = (time.perf_counter() - t0) / max(pages - 1, 1)
    return {"taxii_objects": len(items), "taxii_first_page_s": cold, "taxii_next_page_ms": warm * 1000,
            "taxii_pages": pages}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=2000, help="generated documents (default 2000)")
    parser.add_argument("--keep", type=Path, help="keep the stores in this folder")
    args = parser.parse_args()
    tmp = None if args.keep else tempfile.TemporaryDirectory()
    workdir = args.keep or Path(tmp.name)
    workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    with Store.open(workdir / "examples.db") as ex:
        ingest_paths([ROOT / "examples" / "reports"], IngestOptions(), ex)
        rows.append(_measure("examples", ex, workdir))
        examples = [ex.get_analysis(r.id) for r in ex.list_documents(limit=1000)]
    with Store.open(workdir / "generated.db") as gen:
        batch = _generated(examples, args.docs)
        for i in range(0, len(batch), 500):
            gen.save(batch[i:i + 500])
        row = _measure(f"generated-{args.docs}", gen, workdir)
        row.update(_taxii(gen))
        rows.append(row)
    for row in rows:
        print(f"[{row['set']}] {row['documents']} documents → {row['objects']} STIX objects, "
              f"{row['bytes'] / 1e6:.2f} MB ({row['bytes_per_doc'] / 1000:.1f} kB/document)")
        print(f"  export {row['export_s']:.2f} s ({row['export_docs_per_s']:.0f} documents/s); "
              f"import {row['import_s']:.2f} s ({row['import_docs_per_s']:.0f} documents/s); "
              f"round trip exact: {row['round_trip_exact']}")
        if "taxii_objects" in row:
            print(f"  TAXII 'all' collection: {row['taxii_objects']} objects; first page of 100 "
                  f"{row['taxii_first_page_s']:.2f} s (builds the collection), next pages "
                  f"{row['taxii_next_page_ms']:.1f} ms each ({row['taxii_pages']} pages)")
    print(json.dumps(rows))
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
