"""Fusion across reports, measured: entity clusters, claim comparison, event merging, speed.

Usage: python benchmarks/eval_fusion.py [--scale 1000]

1. Ingests the five seeds (../shared/samples/seeds, dated from their gold) and the example
   reports into a temporary store (ingest fuses incrementally) and checks the issue's cases:
   الشاطري / حميد الشاطري / رئيس جهاز المخابرات العراقي one entity; داعش / تنظيم داعش /
   تنظيم "الدولة" one entity; seed 003's "more than 400" against "only 180" released reported
   as a contradiction naming both sources.
2. Scores against examples/gold/clusters.json: entity clusters (B-cubed precision/recall over
   the gold mentions), claim groups (gold contradicted/corroborated groups whose values Marsad
   puts in one group with the same verdict), events (pairs of reports of one incident that share
   a fused event; fused multi-report events that stay within one incident).
3. Speed: a full `fuse --rebuild`, and the incremental fusion of one new report, on the example
   store and on a store of --scale generated reports.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "benchmarks"))


def build_store(path: Path):  # noqa: ANN201
    from marsad.evaluate import gold_documents
    from marsad.pipeline import Pipeline
    from marsad.store import Store

    store = Store.open(path)
    pipeline = Pipeline()
    keys: dict[str, str] = {}
    analyses = []
    for gold_dir, corpus in ((SHARED / "samples" / "seeds-gold", SHARED / "samples" / "seeds"),
                             (ROOT / "examples" / "gold", ROOT / "examples" / "reports")):
        for key, doc, _gold in gold_documents(gold_dir, corpus):
            keys[key] = doc.id
            analyses.append(pipeline(doc))
    store.save(analyses)
    return store, keys


def fused_id_of(store, doc_id: str, text: str) -> str | None:  # noqa: ANN001
    """The fused entity of a mention (or title reference) of ``text`` in a document."""
    from marsad.arabic.normalise import match_key
    from marsad.store.schema import mentions, role_mentions
    from sqlalchemy import select

    want = match_key(text)
    with store.engine.connect() as conn:
        rows = list(conn.execute(select(mentions.c.entity_id, mentions.c.text).where(mentions.c.doc_id == doc_id)))
        rows += list(conn.execute(select(role_mentions.c.entity_id, role_mentions.c.text)
                                  .where(role_mentions.c.doc_id == doc_id)))
    exact = [eid for eid, t in rows if match_key(t) == want]
    near = [eid for eid, t in rows if want in match_key(t) or match_key(t) in want]
    found = (exact or near or [None])[0]
    return store.resolve_entity(found) if found else None


def issue_checks(store, keys: dict[str, str]) -> list[tuple[str, bool, str]]:  # noqa: ANN001
    seed1 = next(v for k, v in keys.items() if k.startswith("001_"))
    seed3 = next(v for k, v in keys.items() if k.startswith("003_"))
    out = []
    ids = {t: fused_id_of(store, seed1, t) for t in ("الشاطري", "حميد الشاطري", "رئيس جهاز المخابرات العراقي")}
    out.append(("الشاطري = حميد الشاطري = رئيس جهاز المخابرات العراقي", len(set(ids.values())) == 1 and None not in ids.values(),
                json.dumps(ids, ensure_ascii=False)))
    isis = {}
    for doc in keys.values():
        for t in ("داعش", "تنظيم داعش", 'تنظيم "الدولة'):
            if t not in isis and (found := fused_id_of(store, doc, t)):
                isis[t] = found
    out.append(('داعش = تنظيم داعش = تنظيم "الدولة"', len(set(isis.values())) == 1 and len(isis) == 3,
                json.dumps(isis, ensure_ascii=False)))
    groups = store.claim_groups(contradictions=True, limit=1000)
    hit = [g for g in groups if {v["doc_id"] for v in g["values"]} == {seed3}
           and {v["value"] for v in g["values"]} >= {400.0, 180.0}]
    sources = sorted({v["source"] for g in hit for v in g["values"]})
    out.append(("seed 003: more than 400 vs only 180 released is a contradiction, both sources named",
                bool(hit) and all(sources), "; ".join(sources)))
    return out


def entity_scores(store, keys: dict[str, str], gold: list[dict]) -> dict:  # noqa: ANN001
    """B-cubed over gold mentions: for each mention, the share of its predicted cluster (among
    gold mentions) that is in its gold cluster (precision) and vice versa (recall)."""
    items = []  # (gold entity, predicted fused id)
    missing = 0
    for incident in gold:
        for ent in incident["entities"]:
            for m in ent["mentions"]:
                doc = keys.get(m["report"])
                pred = fused_id_of(store, doc, m["text"]) if doc else None
                if pred is None:
                    missing += 1
                    pred = f"missing:{m['report']}:{m['text']}"
                items.append((ent["canonical"], pred))
    p = r = 0.0
    for g, pr in items:
        same_pred = [x for x in items if x[1] == pr]
        same_gold = [x for x in items if x[0] == g]
        p += sum(1 for x in same_pred if x[0] == g) / len(same_pred)
        r += sum(1 for x in same_gold if x[1] == pr) / len(same_gold)
    n = len(items)
    prec, rec = p / n, r / n
    return {"mentions": n, "not found": missing, "precision": prec, "recall": rec,
            "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
            "gold entities": len({g for g, _ in items}),
            "merged into one": sum(1 for g in {g for g, _ in items} if len({pr for x, pr in items if x == g}) == 1)}


def claim_scores(store, keys: dict[str, str], gold: list[dict]) -> dict:  # noqa: ANN001
    from marsad.arabic.normalise import match_key

    groups = store.claim_groups(min_members=1, limit=100000)
    where: dict[tuple[str, str], tuple[str, str, int | None]] = {}  # (doc, text key) -> (group, status, bloc)
    sources: dict[tuple[str, int | None], set[str]] = defaultdict(set)  # (group, bloc) -> independent sources
    for g in groups:
        for v in g["values"]:
            where[(v["doc_id"], match_key(v["text"]))] = (g["id"], g["status"], v["bloc"])
            sources[(g["id"], v["bloc"])].add(f"{v['outlet'] or v['doc_id']}|{v['source'] or ''}")
    total = found = right = right_bloc = 0
    rows = []
    for incident in gold:
        for claim in incident["claims"]:
            if claim["relation"] not in ("contradicted", "corroborated"):
                continue
            if not all(isinstance(v["value"], (int, float)) for v in claim["values"]):
                continue  # dates are compared by the dates evaluation, not as claims
            total += 1
            located = []
            for v in claim["values"]:
                doc = keys.get(v["report"])
                key = match_key(v["text"])
                hit = next((gs for (d, t), gs in where.items() if d == doc and (key in t or t in key)), None)
                located.append(hit)
            in_one = None not in located and len({h[0] for h in located}) == 1
            found += in_one
            ok = in_one and located[0][1] == claim["relation"]
            right += ok
            # the same relation read from the agreeing blocs: figures that corroborate each other
            # stand in one bloc backed by two independent sources (even where a third source in
            # their group disagrees); contradicting ones stand in different blocs
            blocs = {h[2] for h in located} if in_one else set()
            if claim["relation"] == "corroborated":
                ok_bloc = in_one and len(blocs) == 1 and len(sources[(located[0][0], located[0][2])]) >= 2
            else:
                ok_bloc = in_one and located[0][1] == "contradicted" and len(blocs) > 1
            right_bloc += ok_bloc
            rows.append(f"{'OK ' if ok else 'no '}{'+' if ok_bloc else ' '} {claim['category']} ({claim['relation']}): "
                        + ("one group, " + located[0][1] + f", blocs {sorted(blocs, key=str)}" if in_one else
                           f"{sum(h is not None for h in located)}/{len(located)} values found, "
                           f"{len({h[0] for h in located if h})} groups"))
    return {"gold groups": total, "values in one group": found, "same verdict": right,
            "same relation by blocs": right_bloc, "rows": rows}


def event_scores(store, keys: dict[str, str], gold: list[dict]) -> dict:  # noqa: ANN001
    incident_of: dict[str, int] = {}
    pairs_gold = set()
    for i, incident in enumerate(gold):
        if incident["incident"].startswith("Not a single incident"):
            continue
        docs = [keys[r] for r in incident["reports"] if r in keys]
        for d in docs:
            incident_of[d] = i
        pairs_gold |= {tuple(sorted((a, b))) for a in docs for b in docs if a < b}
    fused = [e for e in store.fused_events(min_reports=2, limit=100000)]
    pairs_pred = set()
    pure = 0
    considered = 0
    for e in fused:
        docs = sorted({m["doc_id"] for m in e["members"]})
        if not any(d in incident_of for d in docs):
            continue
        considered += 1
        pure += len({incident_of.get(d, -1) for d in docs}) == 1
        pairs_pred |= {(a, b) for a in docs for b in docs if a < b}
    return {"incident report pairs": len(pairs_gold), "pairs sharing a fused event": len(pairs_gold & pairs_pred),
            "fused events over gold reports": considered, "within one incident": pure}


def speed(store, scale: int) -> dict:  # noqa: ANN001
    from marsad.pipeline import Pipeline
    from marsad.records import Document
    import datetime as dt

    out = {}
    t = time.perf_counter()
    store.fuse(rebuild=True)
    out["rebuild, example store (s)"] = time.perf_counter() - t
    if scale:
        from bench_extract import reports

        texts = reports(scale, 300)
        pipeline = Pipeline()
        t = time.perf_counter()
        analyses = [pipeline(Document(id=f"s{i}", title="", source="scale", body=x, outlet=f"outlet {i % 7}",
                                      published=dt.date(2025, 1, 1) + dt.timedelta(days=i % 200)))
                    for i, x in enumerate(texts)]
        out[f"extraction of {scale} generated reports (s)"] = time.perf_counter() - t
        store.save(analyses[:-1])
        t = time.perf_counter()
        store.fuse()
        out[f"incremental fusion of {scale - 1} reports (s)"] = time.perf_counter() - t
        store.save(analyses[-1:])
        t = time.perf_counter()
        store.fuse()
        out[f"incremental fusion of 1 new report into {scale + 26} (ms)"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        store.fuse(rebuild=True)
        out[f"full rebuild of {scale + 27} reports (s)"] = time.perf_counter() - t
        t = time.perf_counter()
        n = len(store.fused_entities(limit=50))
        out["entity listing, first page (ms)"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        store.claim_groups(contradictions=True)
        out["contradictions listing (ms)"] = (time.perf_counter() - t) * 1000
        assert n
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=1000, help="generated reports for the speed run (0: skip)")
    args = parser.parse_args()
    gold = json.loads((ROOT / "examples" / "gold" / "clusters.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        store, keys = build_store(Path(tmp) / "fusion.db")
        t = time.perf_counter()
        report = store.fuse()
        print(f"fused {report.documents} reports in {time.perf_counter() - t:.2f} s: {report.links} links "
              f"{dict(report.by_rule)}, {report.role_mentions} bare titles resolved, "
              f"{report.claims_grouped} claims grouped, {report.events_fused} events merged")
        print("\nissue checks:")
        for name, ok, detail in issue_checks(store, keys):
            print(f"  {'PASS' if ok else 'FAIL'}  {name}  [{detail}]")
        e = entity_scores(store, keys, gold)
        print(f"\nentities (examples/gold/clusters.json, {e['mentions']} gold mentions of {e['gold entities']} entities):")
        print(f"  B-cubed precision {e['precision']:.3f}, recall {e['recall']:.3f}, F1 {e['f1']:.3f}; "
              f"{e['merged into one']}/{e['gold entities']} gold entities in exactly one fused entity; "
              f"{e['not found']} mentions not extracted")
        c = claim_scores(store, keys, gold)
        print(f"\nclaims: {c['gold groups']} gold groups (contradicted/corroborated figures); "
              f"{c['values in one group']} have all their values in one Marsad group, {c['same verdict']} with the same "
              f"group verdict (accuracy {c['same verdict'] / max(1, c['gold groups']):.3f}), {c['same relation by blocs']} "
              f"with the same relation read from the agreeing blocs (accuracy "
              f"{c['same relation by blocs'] / max(1, c['gold groups']):.3f}; OK = group verdict, + = blocs)")
        for row in c["rows"]:
            print("   ", row)
        ev = event_scores(store, keys, gold)
        print(f"\nevents: {ev['pairs sharing a fused event']}/{ev['incident report pairs']} pairs of reports of one incident "
              f"share a fused event; {ev['within one incident']}/{ev['fused events over gold reports']} fused "
              f"multi-report events stay within one incident")
        print("\nspeed (one core):")
        for name, value in speed(store, args.scale).items():
            print(f"  {name}: {value:.2f}" if isinstance(value, float) else f"  {name}: {value}")
        store.close()


if __name__ == "__main__":
    main()
