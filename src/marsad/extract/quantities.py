"""Quantities as claims: a figure, what it counts, where, when, who says so, and subset links.

Built on the number parser: each cardinal number that is not part of a date becomes a claim
whose ``what`` is the counted noun phrase after it ("9 آلاف عنصر من داعش"), categorised from
``lang/ar/quantity_categories.tsv``. The source is the speaker of the quote the figure sits in
or an attribution ("بحسب …") in its sentence; "بينهم/من بينهم" before a figure makes it a
subset of the previous claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from marsad.arabic._patterns import compiled
from marsad.arabic.normalise import match_key
from marsad.arabic.numbers import dual_nouns, find_numbers, qualifier_phrases
from marsad.extract.context import DocContext
from marsad.extract.phrases import PhraseMatcher, key_variants
from marsad.extract.quotes import attributed_source, stated_by
from marsad.lang import read_rows
from marsad.records import Analysis, NumberMatch, Quantity

_ISIS_KEYS = ("داعش", "الدوله", "الدوله الاسلاميه", "التنظيم")
# counted nouns that only point back to an earlier one: "وإصابة سبعة آخرين"، "ثلاثة منهم"
_ANAPHORIC = frozenset(match_key(w) for w in ("آخرين", "آخرون", "آخر", "أخرى", "منهم", "منهن", "منها", "بينهم"))
_GENERIC = frozenset(("persons", None))
# categories that count things or groups, which an event verb before them does not recategorise
_THINGS = frozenset(("weapons", "vehicles", "strikes", "attacks", "operations", "countries", "nationalities",
                     "cells", "camps", "prisons", "units", "convoys", "names", "attempts", "distance", "money",
                     "families"))
_STOP_WORDS = {
    "في", "على", "الى", "إلى", "عن", "الي", "خلال", "منذ", "بعد", "قبل", "حتى", "مع", "الذين", "التي",
    "الذي", "و", "او", "أو", "ثم", "كما", "لكن", "قد", "كان", "كانت", "تم", "هو", "هي", "ان", "أن",
}
_PERCENT = regex.compile(r"^\s*(?:%|٪|بالمئة|بالمائة|في المئة|في المائة)")
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
# "الخلية بأكملها، وعددها خمسة": a bare figure after عدد with a pronoun counts the group named
# before it in the sentence
_COUNT_OF_PRONOUN = regex.compile(r"(?<![\p{L}\p{M}])[وب]?عدد(?:ها|هم|هن)\s*$")
_PRONOUN_REACH_WORDS = 8  # how far back the group of "وعددها" may stand
_AFTER_REACH_WORDS = 3  # an "after" governor stands within this many words after the figure


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
def _bare_documents() -> frozenset[str]:
    return frozenset(row[1] for row in read_rows("source_nouns.tsv") if len(row) > 2 and row[2] == "document")


@cache
def _member_groups() -> dict[str, str]:
    return {match_key(group): category for group, category in read_rows("member_groups.tsv")}


@cache
def _flows() -> PhraseMatcher:
    return PhraseMatcher((phrase, category) for phrase, category in read_rows("flow_verbs.tsv"))


def _nationals(key: str) -> str | None:
    """"تونسي"، "عراقيين" → "Tunisians", "Iraqis" from the gazetteer's nisba list."""
    from marsad.ner.resources import resources

    nisba = resources().nisba
    bare = key[2:] if key.startswith("ال") else key
    for form in (bare, bare[:-1] if bare.endswith("ا") else None, bare[:-2] if bare.endswith(("ين", "ون")) else None,
                 bare[:-2] if bare.endswith("يا") else None):
        if form:
            hit = nisba.get("ال" + form)
            if hit is not None:
                return hit.adj_en + "s"
    return None


@dataclass(frozen=True, slots=True)
class _Governor:
    category: str
    applies_to: frozenset[str]
    reach: str  # before | clause
    kind: str  # flow | stock


@cache
def _governors() -> PhraseMatcher:
    """quantity_governors.tsv: words that say what a figure after them counts."""
    rows = []
    for row in read_rows("quantity_governors.tsv"):
        if len(row) != 5 or row[3] not in ("before", "clause", "after") or row[4] not in ("flow", "stock"):
            raise ValueError(f"quantity_governors.tsv: bad row {row!r} (phrase, category, counted categories, "
                             "reach before|clause|after, kind flow|stock)")
        rows.append((row[0], _Governor(row[1], frozenset(c.strip() for c in row[2].split(",")), row[3], row[4])))
    return PhraseMatcher(rows)


# a relative pronoun opens a clause with its own verb: "اعتقال قيادي الذي يقود 200 عنصر" does
# not count the arrested
_RELATIVE = frozenset(match_key(w) for w in ("الذي", "التي", "الذين", "اللذين", "اللتين", "اللواتي"))


def _governor(ctx: DocContext, pos: int, sentence_start: int, category: str | None) -> _Governor | None:
    """The nearest governor before a figure that recategorises its counted noun: a noun right
    before it ("جثامين خمسة جنود"), or a verb whose object the figure details in its clause
    ("القبض على خلية مكونة من خمسة عناصر", "الدفعة التي غادرت السجون … ضمت 120 محتجزاً")."""
    if category is None:
        return None
    first, last = ctx.words_between(sentence_start, pos)
    found = None
    for hit in _governors().find_between(ctx.text, ctx.words, first, last):
        governor = hit.value
        assert isinstance(governor, _Governor)
        if governor.reach == "after":
            continue
        between = ctx.words[first + hit.last + 1:last]
        if category not in governor.applies_to or compiled(r"[،,.؛;:()\"“”«»]").search(
                ctx.text[ctx.words[first + hit.last].end:pos]):
            continue
        if governor.reach == "before" and len(between) > 1:
            continue
        if any(w.key in _RELATIVE for w in between):
            continue
        found = governor  # the nearest one wins
    return found


def _after_governor(ctx: DocContext, end: int, sentence_end: int, category: str | None) -> _Governor | None:
    """A predicate right after a figure that says what it counts: "الخلية بأكملها، وعددها خمسة، في
    قبضة القوات الأمنية" counts the arrested. Within a few words after the figure, in its sentence;
    commas may stand between (the figure is often an aside), a full stop may not."""
    if category is None:
        return None
    first, last = ctx.words_between(end, sentence_end)
    last = min(last, first + _AFTER_REACH_WORDS + 2)
    for hit in _governors().find_all(ctx.text, ctx.words[first:last]):
        governor = hit.value
        assert isinstance(governor, _Governor)
        if governor.reach != "after" or category not in governor.applies_to or hit.first >= _AFTER_REACH_WORDS:
            continue
        if compiled(r"[.؛;:!؟?()\"“”«»]").search(ctx.text[end:ctx.words[first + hit.first].start]):
            continue
        return governor
    return None


def _pronoun_count(ctx: DocContext, pos: int, sentence_start: int) -> tuple[str, str] | None:
    """"وعددها خمسة": the group counted (the nearest group noun before it in the sentence, from
    member_groups.tsv) and the category of its members, or None."""
    before = ctx.text[max(sentence_start, pos - 20):pos]
    if not _COUNT_OF_PRONOUN.search(before):
        return None
    first, last = ctx.words_between(sentence_start, pos)
    for word in reversed(ctx.words[max(first, last - 1 - _PRONOUN_REACH_WORDS):max(first, last - 1)]):
        key = word.key[1:] if word.key.startswith("و") and len(word.key) > 3 else word.key
        category = _member_groups().get(key)
        if category is not None:
            return word.text, category
    return None


@cache
def _subset_matcher() -> PhraseMatcher:
    return PhraseMatcher((row[0], True) for row in read_rows("subset_cues.tsv"))


def find_quantities(analysis: Analysis) -> list[Quantity]:
    ctx = DocContext(analysis)
    date_spans = [(d.start, d.end) for d in analysis.dates]
    claims: list[Quantity] = []
    flows: list[str | None] = []  # the flow category of each claim ("أفرجت عن 350 محتجزاً" → released)
    for number in analysis.numbers:
        # vague counts (مئات، آلاف) stay numbers: without a figure they make no comparable claim
        if number.ordinal or number.vague or _inside(number, date_spans) or _PERCENT.match(ctx.text[number.end:]):
            continue
        claim = _claim(ctx, number, claims, flows)
        if claim is not None:
            claims.append(claim)
            flows.append(_flow(ctx, claim.start, ctx.sentence_span(claim.start).start))
    _share_sources(claims)
    return claims


def _share_sources(claims: list[Quantity]) -> None:
    """A claim repeated without its source (a headline, a lead) takes the source given where the
    report states it in full: same figure, qualifier and category."""
    sourced: dict[tuple[float, str, str | None], str] = {}
    for claim in claims:
        if claim.source:
            sourced.setdefault((claim.value, claim.qualifier, claim.category), claim.source)
    for claim in claims:
        # small counts recur by chance ("عنصرين" twice is two events), large figures do not
        if not claim.source and claim.value >= 20:
            claim.source = sourced.get((claim.value, claim.qualifier, claim.category))


def _inside(number: NumberMatch, spans: list[tuple[int, int]]) -> bool:
    return any(start <= number.start and number.end <= end for start, end in spans)


def _claim(ctx: DocContext, number: NumberMatch, earlier: list[Quantity], flows: list[str | None]) -> Quantity | None:
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
    elif _is_dual(number.text):
        end, what = number.end, number.text  # "مقتل عنصرين": the dual noun is its own counted noun
    else:
        end, what = _counted_phrase(ctx, number.end, sentence.end)
        only = _ONLY.match(text[end:sentence.end])
        if only:
            end += only.end()
            qualifier = "only"
    if what and _is_duration(what):
        return None
    if not what:
        what = _count_of(ctx, number.start, sentence.start)
    group = None if what else _pronoun_count(ctx, number.start, sentence.start)
    if group:
        what = group[0]
    category = group[1] if group else _category(what)
    if category is None and not what:
        return None
    flow = _flow(ctx, number.start, sentence.start)
    if what and match_key(what.split()[0]) in _ANAPHORIC:
        # "وإصابة سبعة آخرين" → wounded; "ثلاثة منهم" → the flow, else the noun pointed back to
        category = flow or _pointed_back(ctx, earlier, number.start) or category
    elif (governor := _governor(ctx, number.start, sentence.start, category)) and governor.reach == "before":
        # "تسلم جثث ستة جنود": the noun right before the figure says what is counted (the dead),
        # nearer than the verb before it
        category = governor.category
        flow = flow or (governor.category if governor.kind == "flow" else None)
    elif flow and (category in _GENERIC or (flow != "seized" and category not in _THINGS)):
        # a count of people under an event verb counts the event: "اعتقال 17 شخصاً" → arrested,
        # "أطلقت سراح 180 إرهابياً" and "إطلاق سراح 400 من عناصر داعش" → released (comparable claims)
        category = flow
    elif governor:
        # "ضمت 120 محتجزاً فقط" after "الدفعة التي غادرت السجون": the released, not a stock
        category = governor.category
        if governor.kind == "flow":
            flow = flow or governor.category
    elif after := _after_governor(ctx, end, sentence.end, category):
        category = after.category
        if after.kind == "flow":
            flow = flow or after.category
    return Quantity(
        start=number.start, end=end, text=text[number.start:end], value=number.value,
        qualifier=qualifier, low=number.low, high=number.high, what=what or None, category=category,
        where=_where(ctx, number.start, sentence.end, sentence.start),
        when=ctx.first_date(sentence.start, sentence.end),
        source=_source(ctx, number.start), parent=_parent(ctx, number, earlier, flows, what),
        kind="flow" if flow else "stock", confidence=0.7 if category else 0.4,
    )


def _pointed_back(ctx: DocContext, earlier: list[Quantity], pos: int) -> str | None:
    """The category of the last claim in the same sentence, for "آخرين"/"منهم"."""
    for claim in reversed(earlier):
        if ctx.sentence_index(claim.start) == ctx.sentence_index(pos) and claim.category:
            return claim.category
    return None


def _trailing_qualifier(number: NumberMatch) -> regex.Match[str] | None:
    """"41 عراقياً على الأقل": an after-qualifier the number parser pulled into the span."""
    if number.qualifier in ("exact", "only"):
        return None
    for pattern in _after_qualifier_patterns():
        m = pattern.search(number.text)
        if m and m.start() > 0:
            return m
    return None


@cache
def _after_qualifier_patterns() -> tuple[regex.Pattern[str], ...]:
    return tuple(regex.compile(r"\s*" + r"\s+".join(
        "".join(_LETTER_CLASS.get(ch, regex.escape(ch)) + r"\p{M}*" for ch in word)
        for word in phrase.split()
    ) + r"$") for phrase in qualifier_phrases()["after"])


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
    if not found or compiled(r"[،,.؛;:]").search(window[found[-1].end():]):
        return ""
    m = found[-1]
    return window[m.start(1):m.end(1)]


def _definite_count(ctx: DocContext, number: NumberMatch, sentence_start: int) -> Quantity | None:
    """"الدول الأربع": a definite number word follows the noun it counts."""
    index = ctx.word_index_at(number.start)
    if index == 0 or ctx.words[index - 1].start < sentence_start:
        return None
    noun = ctx.words[index - 1]
    if not noun.key.startswith("ال") or compiled(r"[،,.؛;:]").search(ctx.text[noun.end:number.start]):
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
        if compiled(r"[،,.؛;:!؟?()\"“”«»\n]").search(gap) or word.key in _STOP_WORDS or word.key.isdigit():
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
    keys = [match_key(w) for w in compiled(r"[\p{L}\p{M}]+").findall(what)]
    table = _categories()
    base = None
    at = -1
    for n, key in enumerate(keys):
        if n + 1 < len(keys):
            pair = f"{_strip_article(key)} {_strip_article(keys[n + 1])}"
            if pair in table:
                base, at = table[pair], n
                break
        for variant in _noun_variants(key):
            if variant in table:
                base, at = table[variant], n
                break
        if base:
            break
        if n == 0 and not key.startswith("من"):
            nationals = _nationals(key)
            if nationals:
                return nationals
    if base is None:
        return None
    if base in ("fighters", "persons", "troops"):
        group = _member_group(keys[at + 1:])
        if group:
            return group
    if base.startswith("nationals:"):
        return base.split(":", 1)[1]
    return base


def _strip_article(key: str) -> str:
    return key[2:] if key.startswith("ال") and len(key) > 3 else key


def _member_group(keys: list[str]) -> str | None:
    """"عناصر من داعش"، "منتسبي الشرطة"، "أفراد الجيش": the group the members belong to."""
    rest = [k[1:] if k.startswith("و") and len(k) > 3 else k for k in keys[:4]]
    rest = [k for k in rest if k != "من"]
    joined = " ".join(rest)
    if any(joined.startswith(alias) or f" {alias}" in f" {joined}" for alias in _ISIS_KEYS if alias != "التنظيم") or (
            rest and rest[0] in ("التنظيم", "تنظيم")):
        return "ISIS members"
    for n in (2, 1):
        if len(rest) >= n and " ".join(rest[:n]) in _member_groups():
            return _member_groups()[" ".join(rest[:n])]
    return None


def _noun_variants(key: str) -> list[str]:
    out = []
    for variant, _ in key_variants(key):
        bare = variant[2:] if variant.startswith("ال") and len(variant) > 3 else variant
        out.extend((variant, bare))
        if bare.endswith("ا") and len(bare) > 3:
            out.append(bare[:-1])  # accusative tanween: "ضابطاً" counts officers
        if len(bare) > 4 and bare.endswith(("تين", "تان")):
            out.append(bare[:-3] + "ه")  # dual of a feminine noun: "ضربتين" → ضربة
        if len(bare) > 4 and bare.endswith(("ين", "ان")):
            out.append(bare[:-2])  # dual: "جنديين"، "عنصران"
    return out


def _flow(ctx: DocContext, pos: int, sentence_start: int) -> str | None:
    """The category of a flow verb in the few words before a figure ("اعتقال 17 شخصاً" → arrested)."""
    first, last = ctx.words_between(max(sentence_start, pos - 40), pos)
    first = max(first, last - 6)
    found = None
    for hit in _flows().find_between(ctx.text, ctx.words, first, last):
        if any(w.key in _RELATIVE for w in ctx.words[first + hit.last + 1:last]):
            continue  # "اعتقال قيادي الذي يقود 30 عنصراً": the relative clause has its own verb
        if not compiled(r"[،,.؛;:()]").search(ctx.text[ctx.words[first + hit.last].end:pos]):
            found = str(hit.value)  # in the figure's own clause, a few words before it
    return found


def _where(ctx: DocContext, pos: int, sentence_end: int, sentence_start: int) -> str | None:
    """The place a figure's own clause names: after the figure, else before it. A place in
    another clause of the sentence is about something else ("استقبل جثامين خمسة جنود، بينهم ضابط
    … نقل إلى بغداد": the soldiers were not killed in Baghdad)."""
    last = _LAST_CLAUSE_BOUNDARY.search(ctx.text, sentence_start, pos)  # the nearest before pos
    clause_start = last.end() if last else sentence_start
    after = _CLAUSE_BOUNDARY.search(ctx.text, pos, sentence_end)
    clause_end = after.start() if after else sentence_end
    places = ctx.mentions_in(pos, clause_end, ("LOC",)) or ctx.mentions_in(clause_start, pos, ("LOC",))
    return ctx.display_name(places[0]) if places else None


_CLAUSE_BOUNDARY = regex.compile(r"[،,.؛;:!؟?()\"“”«»\n]")
_LAST_CLAUSE_BOUNDARY = regex.compile(_CLAUSE_BOUNDARY.pattern, regex.REVERSE)


def _source(ctx: DocContext, pos: int) -> str | None:
    """Who gives a figure: the speaker of the (innermost) quote it sits in, else the source an
    attribution in its sentence names ("بحسب مصادر أمنية"), else the speaker of a cue verb before
    it in its sentence ("أعلنت قيادة العمليات اعتقال خمسة"، "…، مؤكداً مقتل ستة")."""
    quote = ctx.quote_at(pos)
    if quote is not None and quote.speaker:
        if quote.speaker_kind == "document" and quote.speaker in _bare_documents():
            return None  # "وتفيد تقارير بأن …": nothing says whose reports
        return quote.speaker
    sentence = ctx.sentence_span(pos)
    for find in (lambda: attributed_source(ctx, sentence.start, sentence.end), lambda: stated_by(ctx, pos)):
        speaker = find()
        # a bare document ("بحسب تقديرات"، "الوثيقة") says nothing about who gives the figure
        if speaker is not None and not (speaker.bare and speaker.kind == "document"):
            return speaker.name
    return None


def _parent(ctx: DocContext, number: NumberMatch, earlier: list[Quantity], flows: list[str | None],
            what: str | None) -> int | None:
    """The claim a figure is a part of: after "بينهم/من بينهم" or before "منهم" the claim just
    before it; after "من بين المطلوبين" or before "من الجرحى/بين المفرج عنهم" the recent larger
    claim on what that group names."""
    if not earlier:
        return None
    here = ctx.sentence_index(number.start)
    recent = [i for i in range(len(earlier)) if ctx.sentence_index(earlier[i].start) >= here - 3]
    first, _ = ctx.words_between(number.start, number.end)
    lo = max(0, first - 2)  # the two words before the figure
    for hit in _subset_matcher().find_between(ctx.text, ctx.words, lo, first):
        if hit.last == first - lo - 1:
            previous = earlier[-1]
            if ctx.sentence_index(previous.start) >= here - 1:
                return len(earlier) - 1
    if what and match_key(what.split()[0]) in ("منهم", "منهن", "منها"):
        return len(earlier) - 1 if recent else None
    group = None
    if first >= 3 and [w.key for w in ctx.words[first - 3:first - 1]] == ["من", "بين"]:
        group = ctx.words[first - 1]  # "من بين المطلوبين 38 امرأة"
    else:
        after = ctx.text[number.end:min(ctx.sentence_span(number.start).end, number.end + 60)]
        m = compiled(r"(?:\s*[\p{L}\p{M}]+){0,3}?\s+(?:من|بين)\s+(ال[\p{L}\p{M}]+(?:\s+عنهم)?)").match(after)
        if m and not compiled(r"[،,.؛]").search(after[:m.start(1)]):
            group_key = match_key(m.group(1))
            category = _category(m.group(1))
            if category and not _is_member_noun(group_key):
                return _larger(earlier, flows, recent, category, number.value)
        return None
    category = _category(group.text)
    return _larger(earlier, flows, recent, category, number.value) if category else None


def _is_member_noun(key: str) -> bool:
    """"من عناصر داعش", "من منتسبي الشرطة" name what is counted, not a group counted before."""
    bare = key[2:] if key.startswith("ال") else key
    return bare.split()[0] in {match_key(w) for w in ("عناصر", "أفراد", "منتسبي", "قادة", "مقاتلي", "أبناء")}


def _larger(earlier: list[Quantity], flows: list[str | None], recent: list[int], category: str, value: float) -> int | None:
    for i in reversed(recent):
        if earlier[i].value > value and category in (earlier[i].category, flows[i] if i < len(flows) else None):
            return i
    return None
