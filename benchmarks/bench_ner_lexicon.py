"""Lexicon NER back-end: accuracy on the seed gold, geocoding distance, speed and load time.

Usage: python benchmarks/bench_ner_lexicon.py [SAMPLES_DIR]   (default ../shared/samples)
Entities match when the spans overlap and the types agree (seeds-gold README); a gold LOC counts
as well placed when the matched mention lies within 25 km of the gold point (150 km for
countries and regions).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from marsad.geo.resolve import distance_km


def _find_all(body: str, text: str) -> list[tuple[int, int]]:
    spans, at = [], body.find(text)
    while at >= 0:
        spans.append((at, at + len(text)))
        at = body.find(text, at + 1)
    return spans


def main(samples: Path) -> None:
    started = time.perf_counter()
    from marsad.geo.resolve import Gazetteer
    gazetteer = Gazetteer.load()
    from marsad.ner.lexicon import LexiconRecogniser
    recogniser = LexiconRecogniser(gazetteer)
    load_s = time.perf_counter() - started

    tp_gold = n_gold = tp_pred = n_pred = 0
    loc_total = loc_near = 0
    by_type: dict[str, list[int]] = {}
    texts = []
    for gold_path in sorted((samples / "seeds-gold").glob("*.json")):
        body = (samples / "seeds" / f"{gold_path.stem}.txt").read_text(encoding="utf-8")
        texts.append(body)
        gold = json.loads(gold_path.read_text(encoding="utf-8"))["entities"]
        mentions = recogniser.recognise_text(body)
        gold_spans = [(g, _find_all(body, g["text"])) for g in gold]
        for g, spans in gold_spans:
            n_gold += 1
            hits = [m for m in mentions if m.type == g["type"]
                    and any(m.start < e and s < m.end for s, e in spans)]
            stats = by_type.setdefault(g["type"], [0, 0, 0, 0])
            stats[1] += 1
            if hits:
                tp_gold += 1
                stats[0] += 1
            if g["type"] == "LOC" and g.get("lat") is not None:
                loc_total += 1
                limit = 150 if g.get("geo_kind") in ("country", "region") else 25
                if any(m.lat is not None and distance_km(m.lat, m.lon, g["lat"], g["lon"]) <= limit
                       for m in hits):
                    loc_near += 1
        for m in mentions:
            n_pred += 1
            stats = by_type.setdefault(m.type, [0, 0, 0, 0])
            stats[3] += 1
            if any(g["type"] == m.type and any(m.start < e and s < m.end for s, e in spans)
                   for g, spans in gold_spans):
                tp_pred += 1
                stats[2] += 1
    precision = tp_pred / n_pred if n_pred else 0.0
    recall = tp_gold / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"load (gazetteer + lexicon): {load_s:.2f} s")
    print(f"entities: P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}  "
          f"(gold {n_gold}, predicted {n_pred})")
    for type_, (g_hit, g_all, p_hit, p_all) in sorted(by_type.items()):
        p = p_hit / p_all if p_all else 0.0
        r = g_hit / g_all if g_all else 0.0
        print(f"  {type_}: P {p:.3f}  R {r:.3f}  (gold {g_all}, predicted {p_all})")
    print(f"LOC within 25 km (150 km country/region) of gold: {loc_near}/{loc_total} "
          f"= {loc_near / loc_total:.3f}")

    from marsad.ner.tokens import words
    corpus = texts * 40
    n_tokens = sum(len(words(t)) for t in corpus)
    started = time.perf_counter()
    for text in corpus:
        recogniser.recognise_text(text)
    elapsed = time.perf_counter() - started
    print(f"speed: {n_tokens / elapsed:,.0f} tokens/s ({len(corpus)} docs, {n_tokens:,} tokens, "
          f"{elapsed:.2f} s)")


if __name__ == "__main__":
    default = Path(__file__).resolve().parents[2] / "shared" / "samples"
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
