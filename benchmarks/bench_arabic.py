"""Throughput of the Arabic text core, stage by stage: normalise, sentences, tokens, numbers,
dates, and all five together (as the pipeline runs them, sharing one normalisation).

The corpus is the project's example reports (the ``.txt`` files of ``examples/reports``) plus the
seed articles of ``../shared/samples/seeds`` when present, replicated to the requested size; each
copy gets a serial number so no cache can recognise a repeat. Sizes are UTF-8 megabytes of the
original text. Prints figures; asserts nothing.

    python benchmarks/bench_arabic.py --mb 4
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import marsad.arabic.normalise as normalise_module
from marsad.arabic.dates import find_dates
from marsad.arabic.numbers import find_numbers
from marsad.arabic.segment import sentences, tokens

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "examples" / "reports", ROOT.parent / "shared" / "samples" / "seeds"]


def load_texts() -> list[str]:
    texts: list[str] = []
    for folder in SOURCES:
        if folder.is_dir():
            for path in sorted(folder.glob("*.txt")):
                try:
                    texts.append(path.read_text(encoding="utf-8"))
                except UnicodeDecodeError:
                    continue  # a file kept in a legacy encoding on purpose (ingest tests)
    if not texts:
        raise SystemExit("no corpus found (examples/reports or ../shared/samples/seeds)")
    return texts


def build_corpus(texts: list[str], megabytes: float) -> list[str]:
    corpus: list[str] = []
    size = 0
    serial = 0
    while size < megabytes * 1e6:
        for text in texts:
            doc = f"{text}\nرقم النسخة {serial}\n"
            corpus.append(doc)
            size += len(doc.encode("utf-8"))
            serial += 1
    return corpus


def _clear_cache() -> None:
    normalise_module._normalise.cache_clear()


def run_stage(corpus: list[str], stage: Callable[[str], object], *, cold: bool) -> float:
    """Seconds to run ``stage`` over the corpus; ``cold`` clears the normalisation cache before
    each document so that a stage pays for its own normalisation."""
    start = time.perf_counter()
    for doc in corpus:
        if cold:
            _clear_cache()
        stage(doc)
    return time.perf_counter() - start


def all_stages(doc: str) -> None:
    normalise_module.normalise(doc)
    sentences(doc)
    tokens(doc)
    find_numbers(doc)
    find_dates(doc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=4.0, help="corpus size in MB (default 4)")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    args = parser.parse_args()
    texts = load_texts()
    corpus = build_corpus(texts, args.mb)
    megabytes = sum(len(doc.encode("utf-8")) for doc in corpus) / 1e6
    print(f"corpus: {len(texts)} source texts → {len(corpus)} documents, {megabytes:.2f} MB")
    all_stages(corpus[0])  # load the data files and compile the patterns outside the timing
    stages: list[tuple[str, Callable[[str], object], bool]] = [
        ("normalise", normalise_module.normalise, True),
        ("sentences", sentences, False),
        ("tokens", tokens, False),
        ("numbers (incl. normalise)", find_numbers, True),
        ("dates (incl. normalise)", find_dates, True),
        ("all five together", all_stages, True),
    ]
    for name, stage, cold in stages:
        best = min(run_stage(corpus, stage, cold=cold) for _ in range(args.repeat))
        print(f"{name:28s} {megabytes / best:8.2f} MB/s   ({best:.3f} s)")


if __name__ == "__main__":
    main()
