"""Quantities as claims: a figure, what it counts, where, when, who says so, and subset links.

Built on the number parser: each cardinal number that is not part of a date becomes a claim
whose ``what`` is the counted noun phrase after it ("9 آلاف عنصر من داعش"), categorised from
``lang/ar/quantity_categories.tsv``. The source is the speaker of the quote the figure sits in
or an attribution ("بحسب …") in its sentence; "بينهم/من بينهم" before a figure makes it a
subset of the previous claim.
"""

from __future__ import annotations

from functools import cache

import regex

from marsad.arabic.normalise import match_key
from marsad.arabic.numbers import dual_nouns, find_numbers, qualifier_phrases
from marsad.extract.context import DocContext
from marsad.extract.phrases import PhraseMatcher, key_variants
from marsad.lang import read_rows
from marsad.records import Analysis, NumberMatch, Quantity

_ISIS_KEYS = {"داعش", "الدوله", "الدوله الاسلاميه"}
_STOP_WORDS = {
    "في", "على", "الى", "إلى", "عن", "الي", "خلال", "منذ", "بعد", "قبل", "حتى", "مع", "الذين", "التي",
    "الذي", "و", "او", "أو", "ثم", "كما", "لكن", "قد", "كان", "كانت", "تم", "هو", "هي", "ان", "أن",
}
_PERCENT = regex.compile(r"^\s*(?:%|٪|بالمئة|بالمائة|في المئة|في المائة)")
_FLOW_VERBS = ("اطلاق سراح", "اطلق سراح", "اطلقت سراح", "الافراج", "افرج", "افرجت", "مقتل", "قتل",
               "اعتقال", "اعتقل", "اعتقلت", "توقيف", "نزوح", "اعاده", "عوده", "ترحيل", "اصابه", "اصيب")
_MAX_WHAT_WORDS = 5
_NISBA = regex.compile(r"(?:ي|يه|يين|يون|يا|ين)$")
_ONLY = regex.compile(r"^\s*فقط")
# durations are not counts (seed-gold convention): "استمرت أربعة أيام"، "خلال 48 ساعة"
_TIME_UNITS = frozenset(match_key(w) for w in (
    "ثانية", "ثوان", "ثواني", "دقيقة", "دقائق", "ساعة", "ساعات", "يوم", "يوما", "أيام", "ليلة", "ليال",
    "ليالي", "أسبوع", "أسبوعا", "أسابيع", "شهر", "شهرا", "أشهر", "شهور", "عام", "عاما", "أعوام", "سنة",
    "سنوات", "سنين", "عقد", "عقود",
))
# "بلغ عدد القتلى 40": with no noun after the figure, the counted noun follows عدد before it
_COUNT_OF = regex.compile(
    r"(?<![\p{L}\p{M}])[وب]?(?:ال)?عدد\s+([\p{L}\p{M}]+(?:\s+(?!يتراوح|تتراوح|بلغ|يبلغ|وصل|يصل)[\p{L}\p{M}]+)?)"
)
_TRAILING_ONLY = regex.compile(r"\s*فقط$")


def _figure_end(text: str) -> int:
    """End of the figure proper inside a number match that also holds its noun."""
    figures = [m for m in find_numbers(text) if m.qualifier != "only"]
    return figures[-1].end if figures else len(text)


@cache
def _categories() -> dict[str, str]:
    table = {match_key(noun): category for noun, category in read_rows("quantity_categories.tsv")}
    for noun, english in read_rows("nationality_nouns.tsv"):
        table.setdefault(match_key(noun), f"nationals:{english}")
    return table


@cache
def _subset_matcher() -> PhraseMatcher:
    return PhraseMatcher((row[0], True) for row in read_rows("subset_cues.tsv"))


def find_quantities(analysis: Analysis) -> list[Quantity]:
    ctx = DocContext(analysis)
    date_spans = [(d.start, d.end) for d in analysis.dates]
    claims: list[Quantity] = []
    for number in analysis.numbers:
        # vague counts (مئات، آلاف) stay numbers: without a figure they make no comparable claim
        if number.ordinal or number.vague or _inside(number, date_spans) or _PERCENT.match(ctx.text[number.end:]):
            continue
        claim = _claim(ctx, number, claims)
        if claim is not None:
            claims.append(claim)
    return claims


def _inside(number: NumberMatch, spans: list[tuple[int, int]]) -> bool:
    return any(start <= number.start and number.end <= end for start, end in spans)


def _claim(ctx: DocContext, number: NumberMatch, earlier: list[Quantity]) -> Quantity | None:
    text = ctx.text
    sentence = ctx.sentence_span(number.start)
    qualifier = number.qualifier
    trailing_only = _TRAILING_ONLY.search(number.text) or _trailing_qualifier(number)
    if number.text.startswith("ال"):
        return _definite_count(ctx, number, sentence.start)
    if trailing_only:
        # the number parser keeps "180 إرهابياً فقط" whole: the counted noun sits inside its span
        figure_end = _figure_end(number.text[: trailing_only.start()]) + number.start
        _, what = _counted_phrase(ctx, figure_end, number.start + trailing_only.start())
        end = number.end
    else:
        end, what = _counted_phrase(ctx, number.end, sentence.end)
        only = _ONLY.match(text[end:sentence.end])
        if only:
            end += only.end()
            qualifier = "only"
    if what and _is_duration(what):
        return None
    if not what and _is_dual(number.text):
        what = number.text  # "مقتل عنصرين": the dual noun is its own counted noun
    if not what:
        what = _count_of(ctx, number.start, sentence.start)
    category = _category(what)
    if category is None and not what:
        return None
    return Quantity(
        start=number.start, end=end, text=text[number.start:end], value=number.value,
        qualifier=qualifier, low=number.low, high=number.high, what=what or None, category=category,
        where=_where(ctx, number.start, sentence.end, sentence.start),
        when=ctx.first_date(sentence.start, sentence.end),
        source=_source(ctx, number.start), parent=_parent(ctx, number, earlier),
        kind=_kind(ctx, number.start, sentence.start), confidence=0.7 if category else 0.4,
    )


def _trailing_qualifier(number: NumberMatch) -> regex.Match[str] | None:
    """"41 عراقياً على الأقل": an after-qualifier the number parser pulled into the span."""
    if number.qualifier in ("exact", "only"):
        return None
    for phrase in qualifier_phrases()["after"]:
        pattern = r"\s*" + r"\s+".join(
            "".join(_LETTER_CLASS.get(ch, regex.escape(ch)) + r"\p{M}*" for ch in word)
            for word in phrase.split()
        ) + r"$"
        m = regex.search(pattern, number.text)
        if m and m.start() > 0:
            return m
    return None


# a folded letter in a qualifier phrase stands for its spelling variants
_LETTER_CLASS = {"ا": "[اأإآٱ]", "ي": "[يى]", "ه": "[هة]"}


def _is_duration(what: str) -> bool:
    words = what.split()
    return bool(words) and match_key(words[0]) in _TIME_UNITS


def _is_dual(number_text: str) -> bool:
    words = number_text.split()
    if not words:
        return False
    key = match_key(words[-1])
    duals = dual_nouns()
    return key in duals or (len(key) > 3 and key[0] in "وفبل" and key[1:] in duals)


def _count_of(ctx: DocContext, pos: int, sentence_start: int) -> str:
    """The noun after an عدد that opens the clause holding a bare figure, or ""."""
    window_start = max(sentence_start, pos - 80)
    window = ctx.text[window_start:pos]
    found = list(_COUNT_OF.finditer(window))
    if not found or regex.search(r"[،,.؛;:]", window[found[-1].end():]):
        return ""
    m = found[-1]
    return window[m.start(1):m.end(1)]


def _definite_count(ctx: DocContext, number: NumberMatch, sentence_start: int) -> Quantity | None:
    """"الدول الأربع": a definite number word follows the noun it counts."""
    index = ctx.word_index_at(number.start)
    if index == 0 or ctx.words[index - 1].start < sentence_start:
        return None
    noun = ctx.words[index - 1]
    if not noun.key.startswith("ال") or regex.search(r"[،,.؛;:]", ctx.text[noun.end:number.start]):
        return None
    category = _category(noun.text)
    if category is None:
        return None
    sentence = ctx.sentence_span(number.start)
    return Quantity(
        start=noun.start, end=number.end, text=ctx.text[noun.start:number.end], value=number.value,
        qualifier=number.qualifier, what=noun.text, category=category,
        where=_where(ctx, number.start, sentence.end, sentence.start),
        when=ctx.first_date(sentence.start, sentence.end), source=_source(ctx, number.start),
        kind="stock", confidence=0.6,
    )


def _counted_phrase(ctx: DocContext, pos: int, limit: int) -> tuple[int, str]:
    """The noun phrase after a figure: the counted noun, a nisba adjective ("مقاتل أميركي")
    and a من-complement of a few words ("من عناصر تنظيم داعش"); "1200 من أفراد" has no noun."""
    first, last = ctx.words_between(pos, limit)
    taken: list[int] = []
    in_complement = False
    for i in range(first, min(last, first + _MAX_WHAT_WORDS)):
        word = ctx.words[i]
        gap = ctx.text[ctx.words[taken[-1]].end if taken else pos:word.start]
        if regex.search(r"[،,.؛;:!؟?()\"“”«»\n]", gap) or word.key in _STOP_WORDS or word.key.isdigit():
            break
        if word.key == "من":
            if in_complement:
                break
            in_complement = True
        elif taken and not in_complement and not _NISBA.search(word.key):
            break  # after the noun only an adjective or a من-complement belongs to the phrase
        taken.append(i)
    while taken and ctx.words[taken[-1]].key in {"من", "بين"}:
        taken.pop()
    if not taken:
        return pos, ""
    end = ctx.words[taken[-1]].end
    return end, ctx.text[ctx.words[taken[0]].start:end]


def _category(what: str) -> str | None:
    if not what:
        return None
    keys = [match_key(w) for w in regex.findall(r"[\p{L}\p{M}]+", what)]
    table = _categories()
    base = None
    for key in keys:
        for variant in _noun_variants(key):
            if variant in table:
                base = table[variant]
                break
        if base:
            break
    joined = " ".join(keys)
    if base == "fighters" and any(alias in joined for alias in _ISIS_KEYS):
        return "ISIS members"
    if base and base.startswith("nationals:"):
        return base.split(":", 1)[1]
    return base


def _noun_variants(key: str) -> list[str]:
    out = []
    for variant, _ in key_variants(key):
        bare = variant[2:] if variant.startswith("ال") and len(variant) > 3 else variant
        out.extend((variant, bare))
        if bare.endswith("ا") and len(bare) > 3:
            out.append(bare[:-1])  # accusative tanween: "ضابطاً" counts officers
    return out


def _where(ctx: DocContext, pos: int, sentence_end: int, sentence_start: int) -> str | None:
    places = ctx.mentions_in(pos, sentence_end, ("LOC",)) or ctx.mentions_in(sentence_start, pos, ("LOC",))
    return ctx.display_name(places[0]) if places else None


def _source(ctx: DocContext, pos: int) -> str | None:
    quote = ctx.quote_at(pos)
    if quote is not None:
        return quote.speaker
    sentence = ctx.sentence_span(pos)
    m = _attribution().search(ctx.text[sentence.start:sentence.end])
    if m:
        inner = ctx.mentions_in(sentence.start + m.start(1), sentence.start + m.end(1), ("PER", "ORG"))
        if inner:
            return ctx.display_name(inner[0])
        first_word = match_key(m.group(1).split()[0]) if m.group(1).split() else ""
        if any(v in _source_nouns() for v, _ in key_variants(first_word)):
            return m.group(1).strip()
    return None


@cache
def _attribution() -> regex.Pattern[str]:
    """"بحسب/وفق + phrase": the source phrases of ``lang/ar/attribution.tsv``."""
    phrases = "|".join(regex.escape(phrase) for phrase, role in read_rows("attribution.tsv") if role == "source")
    return regex.compile(rf"(?<![\p{{L}}])(?:{phrases})\s+([^،,.؛\n]{{2,60}})")


@cache
def _source_nouns() -> frozenset[str]:
    return frozenset(match_key(row[0]) for row in read_rows("source_nouns.tsv"))


def _parent(ctx: DocContext, number: NumberMatch, earlier: list[Quantity]) -> int | None:
    if not earlier:
        return None
    first, _ = ctx.words_between(number.start, number.end)
    lo = max(0, first - 2)
    window = ctx.words[lo:first]
    if not window:
        return None
    text = ctx.text
    for hit in _subset_matcher().find_all(text, window):
        if hit.last == len(window) - 1:
            previous = earlier[-1]
            if ctx.sentence_index(previous.start) >= ctx.sentence_index(number.start) - 1:
                return len(earlier) - 1
    return None


def _kind(ctx: DocContext, pos: int, sentence_start: int) -> str:
    before = match_key(ctx.text[max(sentence_start, pos - 40):pos])
    return "flow" if any(verb in before for verb in _FLOW_VERBS) else "stock"
