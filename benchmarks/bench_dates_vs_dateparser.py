"""Marsad's find_dates side by side with dateparser's search_dates(languages=["ar"]).

Data: the seed articles of ``../shared/samples/seeds`` with their gold dates
(``../shared/samples/seeds-gold/*.json``, field ``dates``) and the annotated sentences of
``benchmarks/data/dates_gold.jsonl`` (one JSON object a line: text, published, dates).

Scoring (DESIGN.md §6): a predicted date matches a gold one when their spans overlap and their
normalised values are equal; each gold date is matched at most once. dateparser returns a
datetime, so its value is compared at the gold's precision (YYYY, YYYY-MM or YYYY-MM-DD), which
favours it. Gold values that are null (a relative date in a text without a publication date) are
matched on the span alone, for both systems. Relative dates are resolved against the
publication date where the gold gives one (dateparser: ``RELATIVE_BASE``).

Prints precision, recall, F1 and throughput for both; asserts nothing.

    .venv/bin/pip install dateparser   # if missing
    python benchmarks/bench_dates_vs_dateparser.py
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass
from pathlib import Path

from marsad.arabic.dates import find_dates

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "samples" / "seeds"
SEEDS_GOLD = ROOT.parent / "shared" / "samples" / "seeds-gold"
OWN_GOLD = ROOT / "benchmarks" / "data" / "dates_gold.jsonl"


@dataclass
class Sample:
    name: str
    text: str
    published: dt.date | None
    gold: list[tuple[int, int, str | None]]  # span and normalised value


@dataclass
class Prediction:
    start: int
    end: int
    value: dt.date | str | None


def _gold_spans(text: str, dates: list[dict]) -> list[tuple[int, int, str | None]]:
    spans = []
    for item in dates:
        start = text.find(item["text"])
        if start < 0:
            raise ValueError(f"gold text not in the article: {item['text']!r}")
        spans.append((start, start + len(item["text"]), item["normalized"]))
    return spans


def load_samples() -> list[Sample]:
    samples: list[Sample] = []
    if SEEDS_GOLD.is_dir():
        for gold_path in sorted(SEEDS_GOLD.glob("*.json")):
            text_path = SEEDS / (gold_path.stem + ".txt")
            if not text_path.exists():
                continue
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            text = text_path.read_text(encoding="utf-8")
            published = dt.date.fromisoformat(gold["published"]) if gold.get("published") else None
            samples.append(Sample(gold_path.stem, text, published, _gold_spans(text, gold["dates"])))
    for n, line in enumerate(OWN_GOLD.read_text(encoding="utf-8").splitlines()):
        if line.strip():
            row = json.loads(line)
            published = dt.date.fromisoformat(row["published"]) if row.get("published") else None
            samples.append(Sample(f"own-{n}", row["text"], published,
                                  _gold_spans(row["text"], row["dates"])))
    return samples


def marsad_predict(sample: Sample) -> list[Prediction]:
    return [Prediction(d.start, d.end, d.normalized) for d in find_dates(sample.text, sample.published)]


def dateparser_predict(sample: Sample) -> list[Prediction]:
    from dateparser.search import search_dates

    settings = {"PREFER_DATES_FROM": "past"}
    if sample.published:
        settings["RELATIVE_BASE"] = dt.datetime.combine(sample.published, dt.time())
    found = search_dates(sample.text, languages=["ar"], settings=settings) or []
    predictions: list[Prediction] = []
    cursor = 0
    for substring, when in found:
        start = sample.text.find(substring, cursor)
        if start < 0:
            start = sample.text.find(substring)
        if start < 0:
            continue
        cursor = start + len(substring)
        predictions.append(Prediction(start, start + len(substring), when.date()))
    return predictions


def _same_value(predicted: dt.date | str | None, gold: str | None) -> bool:
    if gold is None:
        return True  # unresolvable in the gold: the span decides
    if isinstance(predicted, dt.date):
        return predicted.isoformat()[:len(gold)] == gold
    return predicted == gold


def score(samples: list[Sample], predictions: list[list[Prediction]]) -> tuple[float, float, float, int, int, int]:
    tp = fp = fn = 0
    for sample, predicted in zip(samples, predictions):
        unmatched = list(sample.gold)
        for p in predicted:
            hit = next((g for g in unmatched if p.start < g[1] and g[0] < p.end and _same_value(p.value, g[2])), None)
            if hit is None:
                fp += 1
            else:
                tp += 1
                unmatched.remove(hit)
        fn += len(unmatched)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, tp, fp, fn


def run(name: str, predict, samples: list[Sample], repeat: int) -> tuple[list[list[Prediction]], float]:  # type: ignore[no-untyped-def]
    predictions = [predict(s) for s in samples]  # warm-up: data files, language models
    start = time.perf_counter()
    for _ in range(repeat):
        for sample in samples:
            predict(sample)
    seconds = (time.perf_counter() - start) / repeat
    return predictions, seconds


def main() -> None:
    samples = load_samples()
    megabytes = sum(len(s.text.encode("utf-8")) for s in samples) / 1e6
    gold_count = sum(len(s.gold) for s in samples)
    print(f"{len(samples)} texts ({megabytes * 1000:.1f} kB), {gold_count} gold dates "
          f"({sum(1 for s in samples if s.name.startswith('own-'))} own sentences + seeds)")
    systems = [("marsad", marsad_predict, 20)]
    try:
        import dateparser  # noqa: F401

        systems.append(("dateparser", dateparser_predict, 1))
    except ImportError:
        print("dateparser is not installed (.venv/bin/pip install dateparser): skipped")
    speeds: dict[str, float] = {}
    print(f"{'system':12s} {'P':>6s} {'R':>6s} {'F1':>6s} {'tp':>4s} {'fp':>4s} {'fn':>4s} {'MB/s':>9s}")
    for name, predict, repeat in systems:
        predictions, seconds = run(name, predict, samples, repeat)
        p, r, f1, tp, fp, fn = score(samples, predictions)
        speeds[name] = megabytes / seconds
        print(f"{name:12s} {p:6.3f} {r:6.3f} {f1:6.3f} {tp:4d} {fp:4d} {fn:4d} {speeds[name]:9.3f}")
        seeds_only = [(s, pr) for s, pr in zip(samples, predictions) if not s.name.startswith("own-")]
        if seeds_only:
            sp, sr, sf, *_ = score([s for s, _ in seeds_only], [pr for _, pr in seeds_only])
            print(f"{'  seeds only':12s} {sp:6.3f} {sr:6.3f} {sf:6.3f}")
    if len(speeds) == 2:
        print(f"marsad is {speeds['marsad'] / speeds['dateparser']:.0f}× faster than dateparser")


if __name__ == "__main__":
    main()
