"""NER back-ends side by side: entity accuracy and geocoding on gold reports, speed, load time.

Usage: python benchmarks/bench_ner.py [--backends crf,lexicon] [--samples ../shared/samples]

Two gold sets: the five seed reports (development set) and Marsad's own example reports
(examples/gold). Entities match when the spans overlap and the types agree (seeds-gold README);
a gold LOC counts as well placed when its matched mention lies within 25 km of the gold point
(150 km for countries and regions). Speed is NER + gazetteer + geocoding on one core, over the
example reports repeated, counted in word tokens.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from marsad.evaluate import gold_documents, occurrences
from marsad.geo.resolve import distance_km
from marsad.records import Mention

ROOT = Path(__file__).resolve().parents[1]


def score(recognise, gold_dir: Path, corpus: Path) -> dict[str, float]:
    tp_gold = n_gold = tp_pred = n_pred = loc_total = loc_near = loc_plain = 0
    for _key, doc, gold_doc in gold_documents(gold_dir, corpus):
        mentions: list[Mention] = recognise(doc.body)
        gold = [(g, occurrences(doc.body, g["text"])) for g in gold_doc.get("entities", [])]
        for g, spans in gold:
            n_gold += 1
            hits = [m for m in mentions if m.type == g["type"] and any(m.start < e and s < m.end for s, e in spans)]
            tp_gold += bool(hits)
            if g["type"] == "LOC" and g.get("lat") is not None:
                loc_total += 1
                limit = 150 if g.get("geo_kind") in ("country", "region") else 25
                loc_near += any(m.lat is not None and distance_km(m.lat, m.lon, g["lat"], g["lon"]) <= limit
                                for m in hits)
        for m in mentions:
            n_pred += 1
            tp_pred += any(g["type"] == m.type and any(m.start < e and s < m.end for s, e in spans)
                           for g, spans in gold)
            loc_plain += m.type == "LOC" and m.lat is None
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "gold": n_gold, "predicted": n_pred, "loc_near": loc_near, "loc_total": loc_total,
            "loc_without_point": loc_plain}


def speed(recognise, texts: list[str]) -> float:
    from marsad.ner.tokens import words

    corpus = texts * 10
    n_tokens = sum(len(words(t)) for t in corpus)
    started = time.perf_counter()
    for text in corpus:
        recognise(text)
    return n_tokens / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backends", default="crf,lexicon")
    parser.add_argument("--samples", type=Path, default=ROOT.parent / "shared" / "samples")
    args = parser.parse_args()
    from marsad.registry import ner_backends
    import marsad.ner.backends  # noqa: F401
    import marsad.ner.lexicon  # noqa: F401

    sets = {"seeds": (args.samples / "seeds-gold", args.samples / "seeds"),
            "examples": (ROOT / "examples" / "gold", ROOT / "examples" / "reports")}
    texts = [doc.body for _k, doc, _g in gold_documents(*sets["examples"])]
    for name in args.backends.split(","):
        started = time.perf_counter()
        backend = ner_backends.get(name)
        load = time.perf_counter() - started
        print(f"== {name}: load {load:.2f} s (gazetteer, lexicon{', model' if name != 'lexicon' else ''})")
        for set_name, (gold_dir, corpus) in sets.items():
            s = score(backend.recognise_text, gold_dir, corpus)
            print(f"  {set_name:9} entities P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}  "
                  f"(gold {s['gold']}, predicted {s['predicted']}); LOC within 25/150 km: "
                  f"{s['loc_near']}/{s['loc_total']} = {s['loc_near'] / max(s['loc_total'], 1):.3f}; "
                  f"predicted LOC without a point: {s['loc_without_point']}")
        print(f"  speed: {speed(backend.recognise_text, texts):,.0f} tokens/s (NER + gazetteer + geocoding, one core)")


if __name__ == "__main__":
    main()
