"""Finding numbers in Arabic text: digits in any script, number words, and both mixed.

The search runs on the normalised text (see :mod:`marsad.arabic.normalise`: diacritics dropped,
letters and digits folded) and every span is mapped back to the original, so that
``text[m.start:m.end] == m.text`` always holds.

Three passes:

1. *atoms* — one regex finds digit groups (1,200 · ١٬٢٠٠ · 1.200 · 2.5 · ٢٫٥), number words
   with their clitics (وثلاثة، بألف، الأربع) and dual nouns from the countable-noun lexicon
   (جنديين = 2);
2. *compounds* — a small grammar joins atoms that form one number: "خمسة وعشرين ألفاً",
   "9 آلاف", "2.5 مليون", "ثلاث مئة", "الحادي والعشرين", "بضع مئات", "عشرات الآلاف";
3. *context* — ranges ("بين 25 ألفاً و31 ألفاً", "من 3 إلى 5") and qualifiers before
   ("نحو"، "أكثر من") or after ("180 إرهابياً فقط") are pulled into the match.

All words come from the data files ``number_words.tsv``, ``qualifiers.tsv`` and
``countable_nouns.tsv``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cache

import regex

from marsad.arabic._data import tsv_rows
from marsad.arabic._patterns import bmp_class, is_bmp, trie_alternation
from marsad.arabic.normalise import match_key, normalise
from marsad.records import NumberMatch


@dataclass(frozen=True, slots=True)
class NumberWord:
    value: float
    kind: str
    low: float | None = None
    high: float | None = None


@cache
def number_words() -> dict[str, NumberWord]:
    """The number-word lexicon keyed by match key (multi-word forms with single spaces)."""
    words: dict[str, NumberWord] = {}
    for row in tsv_rows("number_words.tsv"):
        low = float(row[3]) if len(row) > 3 and row[3] else None
        high = float(row[4]) if len(row) > 4 and row[4] else None
        words[" ".join(match_key(row[0]).split())] = NumberWord(float(row[1]), row[2], low, high)
    return words


@cache
def dual_nouns() -> frozenset[str]:
    """Dual forms (match keys) of the countable nouns: each counts as 2."""
    duals: set[str] = set()
    for row in tsv_rows("countable_nouns.tsv"):
        key = match_key(row[0])
        base = key[:-1] + "ت" if key.endswith("ه") else key
        duals.update((base + "ين", base + "ان"))
        if len(row) > 1 and row[1]:
            duals.update(match_key(form.strip()) for form in row[1].split(","))
    return frozenset(duals)


@cache
def qualifier_phrases() -> dict[str, dict[str, str]]:
    """{"before": {phrase key: qualifier}, "after": {...}}."""
    table: dict[str, dict[str, str]] = {"before": {}, "after": {}}
    for phrase, qualifier, position in tsv_rows("qualifiers.tsv"):
        table[position][" ".join(match_key(phrase).split())] = qualifier
    return table


@cache
def ordinal_day_phrases() -> dict[str, int]:
    """Ordinal day numbers 1–31 as they stand in dates ("الحادي والعشرين" → 21), match keys."""
    words = number_words()
    units: dict[int, list[str]] = {}
    compound_units: dict[int, list[str]] = {}
    for key, word in words.items():
        if word.kind == "ordinal":
            units.setdefault(int(word.value), []).append(key)
            if word.value > 1:
                compound_units.setdefault(int(word.value), []).append(key)
        elif word.kind == "ordinal_unit":
            compound_units.setdefault(int(word.value), []).append(key)
    tens = {int(w.value): k for k, w in words.items() if w.kind == "ten" and k.endswith("ين")}
    phrases: dict[str, int] = {}
    for value, keys in units.items():
        phrases.update({"ال" + key: value for key in keys})
    for value, keys in compound_units.items():
        for key in keys:
            for ten_word in ("عشر", "عشره"):
                phrases[f"ال{key} {ten_word}"] = 10 + value
            phrases[f"ال{key} وال{tens[20]}"] = 20 + value
            if value == 1:
                phrases[f"ال{key} وال{tens[30]}"] = 31
    phrases["ال" + tens[20]] = 20
    phrases["ال" + tens[30]] = 30
    return phrases


def words_alternation(keys: Iterable[str], space: str = r"\s") -> str:
    """A pattern (``re`` syntax) matching any of the lexicon keys; see :func:`trie_alternation`."""
    return trie_alternation(keys, space)


# ---------------------------------------------------------------------------------------------
# pass 1: atoms

# Proclitics a number word or dual noun may carry: و ف, then ب ل ك or the article (بال، لل).
_PREFIX = r"(?P<{0}>[وف]?(?:بال|لل|ال|[بلك])|[وف])?"


@cache
def _atom_regex() -> re.Pattern[str]:
    # a digit group must not continue an earlier one ("1,200" is not "200" after a comma)
    digits = (
        r"(?=\d)(?<!\d)(?<!\d[.,٫٬])(?:"
        r"(?P<d_comma>\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d))"
        r"|(?P<d_arabic>\d{1,3}(?:٬\d{3})+(?:٫\d+)?(?!\d))"
        r"|(?P<d_dots>\d{1,3}(?:\.\d{3})+(?!\d|[.,]\d))"  # 1.200 = 1200, only with 3 digits
        r"|(?P<d_plain>\d+(?:[.٫]\d+)?(?!\d))"
        r")"
    )
    word = rf"{_PREFIX.format('pre')}(?P<word>{words_alternation(number_words())})(?!\w)"
    dual = rf"{_PREFIX.format('dpre')}(?P<dual>{words_alternation(dual_nouns())})(?!\w)"
    return re.compile(rf"{digits}|(?<!\w)(?:{word}|{dual})")


@dataclass(slots=True)
class _Atom:
    start: int
    end: int
    value: float
    kind: str  # a NumberWord kind, or "digits" / "dual"
    prefix: str = ""
    word: str = ""
    low: float | None = None
    high: float | None = None


_MONTH_BEFORE = regex.compile(r"(?:كانون|تشرين|ربيع|جمادي)\s+$")
_HUNDRED_KEYS = frozenset({"ميه", "مايه"})


def _atoms(norm: str) -> list[_Atom]:
    lexicon = number_words()
    atoms: list[_Atom] = []
    for m in _atom_regex().finditer(norm):
        start, end = m.span()
        if m.group("dual") is not None:
            atoms.append(_Atom(start, end, 2.0, "dual", m.group("dpre") or "", m.group("dual")))
            continue
        key = m.group("word")
        if key is None:
            atoms.append(_Atom(start, end, _digits_value(m), "digits"))
            continue
        key = " ".join(key.split())
        entry = lexicon[key]
        prefix = m.group("pre") or ""
        has_article = prefix.endswith(("ال", "لل"))
        if entry.kind in ("ordinal", "ordinal_unit"):
            if not has_article and entry.kind == "ordinal":
                continue  # أول، ثاني without the article are adjectives/verbs as often as not
            if _MONTH_BEFORE.search(norm, max(0, start - 10), start):
                continue  # كانون الثاني، ربيع الأول: part of a month name
        if has_article and key.startswith("اثن") and entry.kind == "unit":
            continue  # الاثنين is Monday far more often than "the two"
        if key in _HUNDRED_KEYS and has_article:
            continue  # بالمئة، في المئة: per cent
        atoms.append(_Atom(start, end, entry.value, entry.kind, prefix, key, entry.low, entry.high))
    return atoms


def _digits_value(m: re.Match[str]) -> float:
    if m.group("d_comma"):
        return float(m.group("d_comma").replace(",", ""))
    if m.group("d_arabic"):
        return float(m.group("d_arabic").replace("٬", "").replace("٫", "."))
    if m.group("d_dots"):
        return float(m.group("d_dots").replace(".", ""))
    return float(m.group("d_plain").replace("٫", "."))


# ---------------------------------------------------------------------------------------------
# pass 2: compounds

_SPACE_GAP = regex.compile(r"\s+")
_CONJ_GAP = regex.compile(r"\s+و\s*")
_TEEN_TAIL = frozenset({"عشر", "عشره"})
_CARDINAL = frozenset({"unit", "teen", "ten", "hundred"})


@dataclass(slots=True)
class _Number:
    start: int
    end: int
    value: float
    low: float | None = None
    high: float | None = None
    ordinal: bool = False
    vague: bool = False
    qualifier: str = "exact"
    scale: float = 1.0  # the scale word applied last, for ranges ("بين 25 و31 ألفاً")


class _Compound:
    """Accumulates atoms into one number, Arabic order: units before tens, groups before scales."""

    def __init__(self, first: _Atom) -> None:
        self.start, self.end = first.start, first.end
        self.total = 0.0
        self.current = first.value
        self.last = first.kind
        self.article = first.prefix.endswith(("ال", "لل"))
        self.ordinal = first.kind in ("ordinal", "ordinal_unit")
        self.low, self.high = first.low, first.high
        self.vague = first.kind in ("vague", "few", "scale_plural")  # آلاف alone is vague
        self.scale = 1.0
        self.last_scale = float("inf")
        if first.kind in ("scale", "scale_dual"):
            # ألف = 1 × 1000; ألفين = 2 × 1000 (the lexicon gives the dual's full value)
            times = 1.0 if first.kind == "scale" else 2.0
            self._apply_scale(times, first.value / times)

    def _apply_scale(self, times: float, scale: float) -> None:
        self.total += times * scale
        self.current = 0.0
        self.scale = self.last_scale = scale
        self.last = "scale"

    def accept(self, atom: _Atom, norm: str, following: _Atom | None = None) -> bool:
        """Join ``atom`` to this number if the two form one; return whether it was joined."""
        gap = norm[self.end:atom.start]
        spaced = gap == "" and self.last == "digits" or bool(_SPACE_GAP.fullmatch(gap))
        conj = (spaced and atom.prefix in ("و", "وال")) or (
            bool(_CONJ_GAP.fullmatch(gap)) and atom.prefix in ("", "ال")
        )
        kind = atom.kind
        joined = False
        if self.vague:
            if spaced and kind in ("vague", "scale_plural") and atom.prefix in ("", "ال"):
                self.low = (self.low or 0) * atom.value
                self.high = (self.high or 0) * atom.value
                self.last = kind
                joined = True
        elif spaced and kind in ("scale", "scale_plural") and atom.prefix == "" and (
            self.last in _CARDINAL or self.last == "digits"
        ) and self.current > 0 and atom.value < self.last_scale and not self.ordinal:
            self._apply_scale(self.current, atom.value)
            joined = True
        elif spaced and not atom.prefix and atom.word in _TEEN_TAIL and self.last in ("unit", "ordinal", "ordinal_unit") and (
            self.current < 10
        ):
            self.current += 10
            self.last = "teen"
            joined = True
        elif spaced and not atom.prefix and atom.word in _HUNDRED_KEYS and self.last == "unit" and 3 <= self.current <= 9:
            self.current *= 100
            self.last = "hundred"
            joined = True
        elif conj and self._conj_allowed(atom) and not self._coordinate(atom, following, norm):
            self.current += atom.value
            self.last = kind
            joined = True
        elif spaced and self.last == "dual" and kind == "unit" and atom.value == 2 and not atom.prefix:
            self.last = "unit"  # "جنديين اثنين": the numeral only repeats the dual
            joined = True
        if joined:
            self.end = atom.end
        return joined

    def _coordinate(self, atom: _Atom, following: _Atom | None, norm: str) -> bool:
        """"ثلاثة آلاف وخمسة آلاف": the conjoined figure takes its own scale word, no smaller
        than ours, so it is a second number (a range end), not part of this one."""
        if self.last != "scale" or following is None or following.prefix:
            return False
        return (following.kind in ("scale", "scale_plural") and following.value >= self.last_scale
                and bool(_SPACE_GAP.fullmatch(norm[atom.end:following.start])))

    def _conj_allowed(self, atom: _Atom) -> bool:
        kind = atom.kind
        if atom.prefix in ("وال", "ال") and not self.article:
            return False  # "خمسة والعشرين" only after an article: "الخمسة والعشرين"
        if self.last in ("unit", "ordinal", "ordinal_unit"):
            return kind == "ten" and self.current % 100 < 10
        if self.ordinal:
            return False
        if self.last == "hundred":
            return kind in ("unit", "teen", "ten") and self.current % 100 == 0
        if self.last == "scale":
            return kind in ("unit", "teen", "ten", "hundred")
        return False

    def result(self) -> _Number:
        if self.vague:
            return _Number(self.start, self.end, self.low or 0.0, self.low, self.high,
                           vague=True, qualifier="approx")
        return _Number(self.start, self.end, self.total + self.current, ordinal=self.ordinal,
                       scale=self.scale)


def _compounds(atoms: list[_Atom], norm: str) -> list[_Number]:
    numbers: list[_Number] = []
    i = 0
    while i < len(atoms):
        compound = _Compound(atoms[i])
        j = i + 1
        while j < len(atoms) and compound.accept(
            atoms[j], norm, atoms[j + 1] if j + 1 < len(atoms) else None
        ):
            j += 1
        numbers.append(compound.result())
        i = j
    return numbers


# ---------------------------------------------------------------------------------------------
# pass 3: ranges and qualifiers

Pattern = re.Pattern[str] | regex.Pattern[str]


@dataclass(frozen=True, slots=True)
class _Context:
    """The patterns of pass 3, searched in a short window before or after every number."""

    range_gap: Pattern
    range_open: Pattern
    negation_just_before: Pattern
    negation: Pattern
    before: Pattern  # a qualifier phrase before the figure ("نحو"، "أكثر من")
    after: Pattern  # one after it, a few words on ("فقط"، "على الأقل")
    ceiling: Pattern  # "لا يتجاوز عددهم 40": the verb may stand a word or two before the figure
    verbs: tuple[tuple[Pattern, str], ...]  # "تجاوز عدد العائدين 18 ألفاً", "تقارب 2.5 مليون"


def _context_patterns(char_class: Callable[[str], str], compile_pattern: Callable[[str], Pattern]) -> _Context:
    """The pass-3 patterns, their character classes written by ``char_class`` (see
    :class:`marsad.arabic._patterns.BmpTwin`)."""
    letter, space, non_space = char_class(r"\p{L}"), char_class(r"\s"), char_class(r"\S")
    before = words_alternation(qualifier_phrases()["before"].keys(), space)
    after = words_alternation(qualifier_phrases()["after"].keys(), space)
    return _Context(
        range_gap=compile_pattern(rf"{space}*(?:و|-|–|الي|حتي){space}*"),
        range_open=compile_pattern(rf"(?<!{letter})[وف]?(?:(?P<between>(?:ما{space}+)?بين)|من){space}+$"),
        negation_just_before=compile_pattern(rf"(?<!{letter})(?:لا|لم|لن|ما){space}+$"),
        negation=compile_pattern(rf"(?<!{letter})(?:لا|لم|لن|ما|ليس|ليست){space}+(?:{non_space}+{space}+){{0,3}}$"),
        before=compile_pattern(rf"(?<!{letter})(?:[وفب]|ل)?(?P<q>{before}){space}*$"),
        after=compile_pattern(rf"(?:{space}+{letter}+){{0,3}}?{space}+(?P<q>{after})(?!{letter})"),
        ceiling=compile_pattern(
            rf"(?<!{letter})(?:ما{space}+)?(?:لا|لن|لم){space}+(?:يتجاوز|تتجاوز|يتعدي|تتعدي|يزيد|تزيد|يتخطي|تتخطي)"
            rf"(?:{space}+{letter}+){{0,2}}?{space}+(?:عن{space}+|علي{space}+)?$"),
        verbs=(
            (compile_pattern(
                rf"(?<!{letter})[وف]?(?:تجاوز|تجاوزت|يتجاوز|تتجاوز|تخطي|تخطت|يتخطي|تتخطي|فاق|فاقت|يفوق|تفوق)"
                rf"(?:{space}+{letter}+){{0,2}}?{space}+(?:عتبه{space}+|حاجز{space}+)?$"), "at_least"),
            (compile_pattern(
                rf"(?<!{letter})[وف]?(?:يقارب|تقارب|قاربت|يناهز|تناهز|ناهز|ناهزت)(?:{space}+{letter}+){{0,2}}?{space}+$"),
             "approx"),
        ),
    )


@cache
def _context(bmp: bool) -> _Context:
    """The pass-3 patterns for a text within the BMP (``re`` twins: each search over a window
    runs about three times faster than in ``regex``) or beyond it (``regex``)."""
    if bmp:
        return _context_patterns(bmp_class, re.compile)
    return _context_patterns(lambda char_class: char_class, regex.compile)


def _ranges(numbers: list[_Number], norm: str, context: _Context) -> list[_Number]:
    out: list[_Number] = []
    i = 0
    while i < len(numbers):
        a = numbers[i]
        if i + 1 < len(numbers) and not (a.vague or a.ordinal):
            b = numbers[i + 1]
            gap = norm[a.end:b.start]
            if gap.isspace() and norm.startswith("و", b.start):
                gap += "و"  # "بين أربعة وخمسة": the conjunction is the second number's clitic
            opener = context.range_open.search(norm, max(0, a.start - 12), a.start)
            if not (b.vague or b.ordinal) and context.range_gap.fullmatch(gap) and (
                opener or gap.strip() in ("-", "–")
            ):
                low = a.value * b.scale if a.scale == 1.0 and b.scale > 1.0 else a.value
                connector = gap.strip()
                between = bool(opener and opener.group("between"))
                if low < b.value and (connector != "و" or between) and (
                    connector not in ("الي", "حتي") or opener
                ):
                    start = opener.start() if opener else a.start
                    out.append(_Number(start, b.end, low, low, b.value, scale=b.scale))
                    i += 2
                    continue
        out.append(a)
        i += 1
    return out


def _qualify(number: _Number, norm: str, context: _Context, lo: int = 0, hi: int | None = None) -> _Number:
    """Pull a qualifier before or after ``number`` into it; the qualifier must lie within
    ``norm[lo:hi]`` (between the previous number's end and the next number's start)."""
    if number.vague:
        return number
    before = context.before.search(norm, max(lo, number.start - 30), number.start)
    if before is None:
        ceiling = context.ceiling.search(norm, max(lo, number.start - 50), number.start)
        if ceiling:
            return replace(number, start=ceiling.start(), qualifier="at_most")
        for verb, qualifier in context.verbs:
            m = verb.search(norm, max(lo, number.start - 40), number.start)
            if m and not context.negation_just_before.search(norm, max(lo, m.start() - 8), m.start()):
                return replace(number, start=m.start(), qualifier=qualifier)
    if before:
        phrase = " ".join(before.group("q").split())
        qualifier = qualifier_phrases()["before"][phrase]
        start = before.start()
        if phrase == "الا":
            negation = context.negation.search(norm, max(0, start - 40), start)
            if not negation:
                return _qualify_after(number, norm, context, hi)
            start = max(lo, negation.start())
        return replace(number, start=start, qualifier=qualifier)
    return _qualify_after(number, norm, context, hi)


def _qualify_after(number: _Number, norm: str, context: _Context, hi: int | None = None) -> _Number:
    limit = min(len(norm) if hi is None else hi, number.end + 60)
    after = context.after.match(norm, number.end, max(number.end, limit))
    if after:
        phrase = " ".join(after.group("q").split())
        return replace(number, end=after.end(), qualifier=qualifier_phrases()["after"][phrase])
    return number


# ---------------------------------------------------------------------------------------------


def find_numbers(text: str) -> list[NumberMatch]:
    """Every number in ``text`` (spans into the original text)."""
    normalised = normalise(text)
    norm = normalised.text
    context = _context(is_bmp(norm))
    numbers = _ranges(_compounds(_atoms(norm), norm), norm, context)
    matches: list[NumberMatch] = []
    lo = 0
    for k, number in enumerate(numbers):
        hi = numbers[k + 1].start if k + 1 < len(numbers) else len(norm)
        number = _qualify(number, norm, context, lo, hi)
        lo = max(lo, number.end)
        start, end = normalised.span_to_original(number.start, number.end)
        if matches and start < matches[-1].end:  # a qualifier reached into the previous match
            start = matches[-1].end
            while start < end and text[start].isspace():
                start += 1
            start = min(start, end)
        matches.append(NumberMatch(
            start=start, end=end, text=text[start:end], value=number.value, low=number.low,
            high=number.high, qualifier=number.qualifier, ordinal=number.ordinal,
            vague=number.vague,
        ))
    return matches
