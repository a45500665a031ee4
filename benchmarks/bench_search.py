"""Search benchmark: build a store of N synthetic Arabic documents, time queries.

    .venv/bin/python benchmarks/bench_search.py --docs 100000 [--db PATH] [--queries 300]

The text is invented from word lists (no real reports).  Prints build time, DB size and
search latency percentiles (store.search, first page of 20 hits with snippets).  Never
asserts timings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from marsad.ids import document_id
from marsad.records import Analysis, Document, Mention, Quantity
from marsad.store import Store

COMMON = (
    "قال أعلن أكد مصدر مسؤول في من إلى على عن مع بعد قبل خلال حيث التي الذي هذا هذه "
    "وزارة الداخلية الدفاع الأمن قوات الجيش الشرطة مدينة ريف منطقة محافظة مخيم معبر الحدود "
    "عناصر مقاتلين معتقلين نازحين لاجئين سجن سجون عملية هجوم اشتباك اعتقال إطلاق سراح "
    "اجتماع لقاء اتفاق بيان تصريح مؤتمر صحفي تقرير مصادر محلية المرصد الحكومة الرئيس "
    "المخابرات العسكرية المدنيين الأطفال النساء الشمال الجنوب الشرق الغرب يوم أمس اليوم "
    "الأسبوع الشهر العام الماضي الجاري أكثر أقل نحو حوالي قرابة ألف آلاف مئات عشرات"
).split()
PLACES = (
    "الحسكة القامشلي دمشق حلب الرقة دير الزور إدلب حمص حماة درعا اللاذقية طرطوس "
    "الموصل بغداد أربيل كركوك الأنبار الفلوجة الرمادي البصرة بيروت عمان القاهرة"
).split()
ORGS = "داعش قسد التحالف الأمم المتحدة الصليب الأحمر الحشد الشعبي البيشمركة".split()
CLITICS = ("", "", "", "", "و", "ب", "ل", "ف", "وب", "ك")
LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
DIACRITICS = "\u064e\u064f\u0650\u0651\u0652"


def invented_vocabulary(rng: random.Random, size: int) -> list[str]:
    """A long tail of invented word forms (3–7 letters) so that rare terms exist."""
    return ["".join(rng.choice(LETTERS) for _ in range(rng.randint(3, 7))) for _ in range(size)]


def make_word(rng: random.Random, tail: list[str]) -> str:
    r = rng.random()
    if r < 0.55:
        word = rng.choice(COMMON)
    elif r < 0.68:
        word = rng.choice(PLACES)
    elif r < 0.72:
        word = rng.choice(ORGS)
    else:
        # Zipf-like pick from the invented tail
        word = tail[min(len(tail) - 1, int(rng.paretovariate(1.1)) - 1)] if rng.random() < 0.5 \
            else rng.choice(tail)
    clitic = rng.choice(CLITICS)
    if clitic and clitic.endswith("ل") and word.startswith("ال"):
        word = "ل" + word[1:]  # ل + ال → لل
    word = clitic + word
    if rng.random() < 0.03:
        i = rng.randrange(1, len(word) + 1)
        word = word[:i] + rng.choice(DIACRITICS) + word[i:]
    if rng.random() < 0.01 and len(word) > 3:
        word = word[:2] + "\u0640" + word[2:]
    return word


def make_doc(rng: random.Random, tail: list[str], n: int, base: dt.date) -> Analysis:
    words = [make_word(rng, tail) for _ in range(rng.randint(60, 220))]
    for i in range(12, len(words), rng.randint(12, 20)):
        words[i] += rng.choice("،.")
    number = str(rng.randint(2, 9000))
    words.insert(rng.randrange(len(words)), number)
    body = " ".join(words)
    title = " ".join(words[:rng.randint(5, 9)])
    doc = Document(id=document_id(body + str(n)), title=title, body=body, source=f"synthetic/{n}",
                   outlet=rng.choice(["وكالة أ", "وكالة ب", "صحيفة ج"]),
                   published=base - dt.timedelta(days=rng.randint(0, 1500)), tlp="CLEAR")
    place = rng.choice(PLACES)
    pos = body.find(number)
    quantities = [Quantity(start=pos, end=pos + len(number), text=number, value=float(number),
                           where=place, category=rng.choice(["detainees", "fighters", "displaced"]))]
    mentions = []
    pos = body.find(place)
    if pos >= 0:
        mentions.append(Mention(start=pos, end=pos + len(place), text=place, type="LOC"))
    return Analysis(doc=doc, entities=mentions, quantities=quantities)


def make_queries(rng: random.Random, tail: list[str], n: int) -> list[str]:
    queries: list[str] = []
    kinds = ["common", "place", "clitic", "rare", "two", "phrase", "mixed", "digits"]
    for i in range(n):
        kind = kinds[i % len(kinds)]
        if kind == "common":
            queries.append(rng.choice(COMMON))
        elif kind == "place":
            queries.append(rng.choice(PLACES).replace("ة", "ه"))
        elif kind == "clitic":
            queries.append("و" + rng.choice(PLACES + ORGS))
        elif kind == "rare":
            queries.append(rng.choice(tail[len(tail) // 2:]))
        elif kind == "two":
            queries.append(f"{rng.choice(PLACES)} {rng.choice(COMMON)}")
        elif kind == "phrase":
            queries.append(f'"{rng.choice(COMMON)} {rng.choice(COMMON)}"')
        elif kind == "mixed":
            queries.append(f"{rng.choice(ORGS)} {rng.choice(tail[:200])}")
        else:
            queries.append(str(rng.randint(2, 9000)).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")))
    return queries


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=400)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--db", help="store path (default: a temporary file); reused if it exists")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)

    rng = random.Random(args.seed)
    tail = invented_vocabulary(rng, 40_000)
    tmp = None
    if args.db:
        path = Path(args.db)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="marsad-bench-")
        path = Path(tmp.name) / "bench.db"

    store = Store.open(path)
    have = store.stats()["documents"]
    t0 = time.perf_counter()
    if have < args.docs:
        base = dt.date(2025, 6, 1)
        batch: list[Analysis] = []
        for n in range(have, args.docs):
            batch.append(make_doc(rng, tail, n, base))
            if len(batch) >= args.batch:
                store.save(batch)
                batch = []
                done = n + 1
                if done % 20_000 == 0:
                    print(f"  {done} documents, {time.perf_counter() - t0:.0f}s", file=sys.stderr)
        if batch:
            store.save(batch)
    build = time.perf_counter() - t0
    with store.engine.connect() as conn:  # fold the WAL into the main file before measuring
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    size = os.path.getsize(path) + (os.path.getsize(f"{path}-wal") if os.path.exists(f"{path}-wal") else 0)

    queries = make_queries(random.Random(args.seed + 1), tail, args.queries)
    for q in queries[:20]:  # warm the page cache
        store.search(q)
    timings: list[float] = []
    hits = 0
    for q in queries:
        t = time.perf_counter()
        result = store.search(q, limit=20)
        timings.append((time.perf_counter() - t) * 1000)
        hits += bool(result)
    count_t = []
    for q in queries[:50]:
        t = time.perf_counter()
        store.count_search(q)
        count_t.append((time.perf_counter() - t) * 1000)

    stats = store.stats()
    print(f"documents        {stats['documents']:,} (built {args.docs - have:,} in {build:.1f}s"
          f"{f', {(args.docs - have) / build:,.0f} docs/s' if build > 0.5 else ''})")
    print(f"db size          {size / 2**20:,.1f} MiB  ({path})")
    print(f"queries          {len(queries)} ({hits} with hits)")
    print(f"search p50       {percentile(timings, 50):.1f} ms")
    print(f"search p95       {percentile(timings, 95):.1f} ms")
    print(f"search p99       {percentile(timings, 99):.1f} ms")
    print(f"search max       {max(timings):.1f} ms  mean {statistics.mean(timings):.1f} ms")
    print(f"count_search p50 {percentile(count_t, 50):.1f} ms  p95 {percentile(count_t, 95):.1f} ms")
    store.close()
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
