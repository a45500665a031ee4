"""Write docs/figures.md from the latest benchmark outputs in benchmarks/out/ and two eval runs.

    make bench-record   # runs every benchmark into benchmarks/out/, then this script
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
RUNS = (
    ("bench_pipeline", "python benchmarks/bench_pipeline.py --docs 10000", "End-to-end ingest + extract + store"),
    ("bench_search", "python benchmarks/bench_search.py", "Search latency at 100,000 documents"),
    ("bench_arabic", "python benchmarks/bench_arabic.py", "Arabic text core throughput"),
    ("bench_dates_vs_dateparser", "python benchmarks/bench_dates_vs_dateparser.py", "Dates: Marsad against dateparser"),
    ("fuzz_arabic", "python benchmarks/fuzz_arabic.py --inputs 1000000", "Fuzzing the normaliser, number and date parsers"),
    ("ner_eval", "marsad ner eval", "The NER model on ANERcorp (repaired and as distributed) and WikiANN"),
    ("ner_vs_spacy", "python benchmarks/bench_ner_vs_spacy.py", "The NER model against spaCy trained on the same data"),
    ("bench_ner", "python benchmarks/bench_ner.py", "NER back-ends + geocoding on the seeds and the example reports"),
    ("bench_extract", "python benchmarks/bench_extract.py", "Whole extraction on 500-word reports, per stage"),
)
EVALS = (
    ("../shared/samples/seeds-gold", "../shared/samples/seeds"),
    ("examples/gold", "examples/reports"),
)


def section(name: str) -> tuple[str, str]:
    lines = (OUT / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    kept = [l for l in lines if l and not l.startswith(("\t", "==")) and "Command exited" not in l]
    if name == "fuzz_arabic":
        kept = kept[-3:]  # the progress lines are noise; the totals are the figure
    rss = next((l.split(":", 1)[1].strip() for l in lines if "Maximum resident" in l), "")
    return "\n".join(kept), (f" (peak RSS of the whole run: {int(rss) // 1024} MB)" if rss else "")


def main() -> None:
    doc = ["# Measured figures", "",
           "Latest outputs of the benchmark and evaluation commands, on the 2-core development machine",
           "(Python 3.11, one process). `make bench-record` re-runs them and rewrites this page; each",
           "benchmark prints its figures and asserts nothing.", ""]
    for name, command, title in RUNS:
        if not (OUT / f"{name}.txt").exists():
            continue
        body, rss = section(name)
        doc += [f"## {title}", "", f"`{command}`{rss}", "", "```", body, "```", ""]
    marsad = str(Path(sys.executable).with_name("marsad"))
    for gold, corpus in EVALS:
        table = subprocess.run([marsad, "eval", "--gold", gold, "--corpus", corpus], cwd=ROOT,
                               capture_output=True, text=True, env={"COLUMNS": "100", "PATH": ""}).stdout
        doc += [f"## `marsad eval --gold {gold} --corpus {corpus}`", "", "```", table.rstrip(), "```", ""]
    (ROOT / "docs" / "figures.md").write_text("\n".join(doc), encoding="utf-8")


if __name__ == "__main__":
    main()
