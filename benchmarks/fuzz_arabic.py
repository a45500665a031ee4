"""Structured random fuzzing of the Arabic text core.

Generates seeded random inputs (random Unicode from every plane, Arabic-heavy text with
diacritics, tatweel, zero-width and bidi controls, digits in every script with every separator,
number words, month names, qualifier phrases and Hijri markers spliced together) and runs
``normalise``, ``find_numbers`` and ``find_dates`` on each, checking:

* ``normalise``: every ``to_original(i)`` lies in ``[0, len(original)]`` and is non-decreasing in
  ``i``; ``span_to_original`` returns ``0 <= s <= e <= len(original)`` and is monotonic;
* ``find_numbers`` / ``find_dates``: ``text[m.start:m.end] == m.text``, ``0 <= start <= end <=
  len(text)``, values (value, low, high) finite, dates normalised as YYYY[-MM[-DD]].

Usage::

    python benchmarks/fuzz_arabic.py --inputs 1000000 --seed 1

Prints inputs/s and totals; exits 1 on any exception or violation, saving the first failing
inputs (repr, one a line) to ``benchmarks/out/fuzz_arabic_failures.txt`` (``--failures``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import re
import sys
import time
import traceback
from pathlib import Path

from marsad.arabic import find_dates, find_numbers
from marsad.arabic._data import tsv_rows
from marsad.arabic.normalise import normalise

_DATE_RE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")

ARABIC_LETTERS = [chr(c) for c in range(0x0621, 0x064B)] + list("ٱپچژگکیۀ")
DIACRITICS = [chr(c) for c in range(0x064B, 0x0653)] + ["\u0670", "\u0653", "\u0654", "\u0655"]
CONTROLS = ["\u0640", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b",
            "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\ufeff",
            "\u061c", "\u00ad"]
DIGIT_SETS = ["0123456789", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹", "०१२३४५६७८९", "０１２３４５６７８９"]
SEPARATORS = ["٫", "٬", ",", ".", "،", "/", "-", " ", "\u00a0", "'", "’"]
SPACES = [" ", " ", " ", "\n", "\t", "\u00a0", "\u2009", "\r\n", "  "]
PUNCT = list(".,،؛:!؟?()[]«»\"'-–—/") + ["..."]
PREFIXES = ["", "", "", "و", "ب", "ل", "ف", "ال", "وال", "بال", "لل"]
HIJRI = ["هـ", "ه", "هجري", "هجرية", "للهجرة", "م", "ميلادي", "الموافق", "الموافق لـ"]
EXTRA = ["بين", "و", "من", "إلى", "الى", "حتى", "عام", "سنة", "العام", "يوم", "في", "صباح",
         "مساء", "أمس", "اليوم", "غدا", "الماضي", "المقبل", "الأسبوع", "الشهر", "منتصف", "أواخر",
         "مطلع", "جنديا", "مقاتلا", "شخصا", "ألفا", "ألفين", "مليون", "عشرات", "مئات", "آلاف",
         "بضعة", "لم يتجاوز", "يقارب", "تقارب", "تجاوز", "يتجاوز"]


def _lexicon(name: str) -> list[str]:
    try:
        return [row[0] for row in tsv_rows(name) if row and row[0]]
    except Exception:  # noqa: BLE001 - a missing file only narrows the generator
        return []


class Generator:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.number_words = _lexicon("number_words.tsv") or ["ثلاثة"]
        self.months = _lexicon("months.tsv") or ["يناير"]
        self.qualifiers = _lexicon("qualifiers.tsv") or ["نحو"]
        self.weekdays = _lexicon("weekdays.tsv") or ["الاثنين"]

    def random_unicode(self, n: int) -> str:
        r = self.r
        out = []
        for _ in range(n):
            plane = r.random()
            if plane < 0.5:
                c = r.randrange(0x20, 0x800)
            elif plane < 0.8:
                c = r.randrange(0x800, 0x10000)
            elif plane < 0.95:
                c = r.randrange(0x10000, 0x30000)
            else:
                c = r.randrange(0x30000, 0x110000)
            if 0xD800 <= c <= 0xDFFF:  # lone surrogates are not valid text
                c = 0xFFFD
            out.append(chr(c))
        return "".join(out)

    def arabic_word(self) -> str:
        r = self.r
        out = []
        for _ in range(r.randint(1, 8)):
            out.append(r.choice(ARABIC_LETTERS))
            while r.random() < 0.3:
                out.append(r.choice(DIACRITICS if r.random() < 0.7 else CONTROLS))
        return "".join(out)

    def digits(self) -> str:
        r = self.r
        digits = r.choice(DIGIT_SETS) if r.random() < 0.85 else "".join(r.choice(DIGIT_SETS))
        out = []
        for _ in range(r.randint(1, 4)):
            out.append("".join(r.choice(digits) for _ in range(r.randint(1, 4))))
            if r.random() < 0.6:
                out.append(r.choice(SEPARATORS))
        return "".join(out).rstrip() or "0"

    def noisy(self, word: str) -> str:
        """Sprinkle diacritics and controls into a lexicon word now and then."""
        r = self.r
        if r.random() > 0.25:
            return word
        chars = []
        for ch in word:
            chars.append(ch)
            if r.random() < 0.2:
                chars.append(r.choice(DIACRITICS + CONTROLS))
        return "".join(chars)

    def piece(self) -> str:
        r = self.r
        x = r.random()
        if x < 0.16:
            return r.choice(PREFIXES) + self.noisy(r.choice(self.number_words))
        if x < 0.32:
            return self.digits()
        if x < 0.42:
            return r.choice(PREFIXES) + self.noisy(r.choice(self.months))
        if x < 0.50:
            return self.noisy(r.choice(self.qualifiers))
        if x < 0.56:
            return r.choice(HIJRI)
        if x < 0.61:
            return self.noisy(r.choice(self.weekdays))
        if x < 0.73:
            return self.noisy(r.choice(EXTRA))
        if x < 0.85:
            return self.arabic_word()
        if x < 0.90:
            return r.choice(PUNCT)
        if x < 0.95:
            return "".join(r.choice(CONTROLS + DIACRITICS) for _ in range(r.randint(1, 4)))
        return self.random_unicode(r.randint(1, 6))

    def make(self) -> str:
        r = self.r
        mode = r.random()
        if mode < 0.05:
            return self.random_unicode(r.randint(0, 40))
        if mode < 0.10:  # concatenated pieces with no spaces at all
            return "".join(self.piece() for _ in range(r.randint(1, 8)))
        parts = []
        for _ in range(r.randint(1, 14)):
            parts.append(self.piece())
            parts.append(r.choice(SPACES) if r.random() < 0.9 else "")
        return "".join(parts)


def _finite(x: float | None) -> bool:
    return x is None or (isinstance(x, (int, float)) and math.isfinite(x))


def check(text: str) -> list[str]:
    """Violations found on ``text`` (exceptions propagate)."""
    problems: list[str] = []
    n = normalise(text)
    prev = 0
    for i in range(len(n.text) + 1):
        o = n.to_original(i)
        if not 0 <= o <= len(text):
            problems.append(f"to_original({i})={o} out of range")
            break
        if o < prev:
            problems.append(f"to_original not monotonic at {i}: {o} < {prev}")
            break
        prev = o
    prev_e = 0
    for i in range(len(n.text)):
        s, e = n.span_to_original(i, i + 1)
        if not 0 <= s <= e <= len(text):
            problems.append(f"span_to_original({i},{i + 1})=({s},{e}) invalid")
            break
        if e < prev_e:
            problems.append(f"span_to_original ends not monotonic at {i}")
            break
        prev_e = e
    s, e = n.span_to_original(0, len(n.text))
    if not 0 <= s <= e <= len(text):
        problems.append(f"span_to_original(whole)=({s},{e}) invalid")

    for m in find_numbers(text):
        if not 0 <= m.start <= m.end <= len(text):
            problems.append(f"number span ({m.start},{m.end}) invalid")
        if text[m.start:m.end] != m.text:
            problems.append(f"number text mismatch {m.text!r}")
        if not (_finite(m.value) and _finite(m.low) and _finite(m.high)):
            problems.append(f"number value not finite {m.value!r} {m.low!r} {m.high!r}")
    for published in (None, dt.date(2024, 3, 15)):
        for d in find_dates(text, published):
            if not 0 <= d.start <= d.end <= len(text):
                problems.append(f"date span ({d.start},{d.end}) invalid")
            if text[d.start:d.end] != d.text:
                problems.append(f"date text mismatch {d.text!r}")
            if d.normalized is not None and not _DATE_RE.match(d.normalized):
                problems.append(f"date normalised badly {d.normalized!r}")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--inputs", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--failures", type=Path,
                    default=Path(__file__).parent / "out" / "fuzz_arabic_failures.txt")
    ap.add_argument("--max-failures", type=int, default=50)
    ap.add_argument("--progress", type=int, default=100_000)
    args = ap.parse_args(argv)

    gen = Generator(args.seed)
    exceptions = violations = 0
    chars = 0
    failing: list[str] = []
    t0 = time.perf_counter()
    for k in range(1, args.inputs + 1):
        text = gen.make()
        chars += len(text)
        try:
            problems = check(text)
        except Exception:  # noqa: BLE001
            exceptions += 1
            problems = ["exception: " + traceback.format_exc(limit=3).replace("\n", " | ")]
        if problems:
            violations += bool(problems) and not problems[0].startswith("exception")
            if len(failing) < args.max_failures:
                failing.append(f"{text!r}\t{problems[0]}")
        if args.progress and k % args.progress == 0:
            el = time.perf_counter() - t0
            print(f"  {k:,} inputs  {k / el:,.0f}/s  exceptions={exceptions} "
                  f"violations={violations}", flush=True)
    elapsed = time.perf_counter() - t0
    print(f"seed={args.seed} inputs={args.inputs:,} chars={chars:,} elapsed={elapsed:.1f}s "
          f"rate={args.inputs / elapsed:,.0f} inputs/s ({chars / elapsed / 1e6:.3f} M chars/s)")
    print(f"exceptions={exceptions} violations={violations}")
    if failing:
        args.failures.parent.mkdir(parents=True, exist_ok=True)
        args.failures.write_text("\n".join(failing) + "\n", encoding="utf-8")
        print(f"FAILED: first {len(failing)} failing inputs saved to {args.failures}")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
