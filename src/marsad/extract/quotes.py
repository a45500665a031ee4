"""Quotes and reported speech with their speaker and channel.

A cue verb (قال، أكد، أوضح …, from ``lang/ar/cue_verbs.tsv``) opens a statement. What follows it
is, in order: the speaker (Arabic is mostly verb–subject), an optional channel ("لـ"وكالة …""),
then the content, either a direct quote in quotation marks or an indirect clause after إن/أن.

The speaker is, in this order of preference:
- a named person in the subject phrase (its English canonical name from NER);
- an organisation that opens the subject phrase;
- a title alone ("وأكد المتحدث"، "رئيس جهاز المخابرات") taken back to the person introduced with
  it earlier in the report, else rendered in English from ``titles.tsv``;
- a described, unnamed source ("مسؤول في جهاز المخابرات"، "مصادر أمنية"، "بيان صادر عن …"),
  typed by its head noun (``source_nouns.tsv``) and written in English from its adjectives
  (``source_modifiers.tsv``), nationality and the entity it belongs to; the definite noun alone
  ("المصدر"، "الضابط") refers back to the last speaker of that type.
When the verb comes after its subject ("المصادر أكدت أن") the speaker is taken from before it;
continuation verbs (وأضاف، وتابع) with no subject keep the previous speaker; participles
("، مشيراً إلى أن") take the subject of their sentence.

Reported speech inside a statement ("وأوضح أن تقارير المخابرات تشير إلى …، رغم أن الإدارة
الذاتية أعلنت أنها …") is a nested quote with its own speaker, so that a figure inside it is
attributed to whoever gave it. Attribution phrases (``attribution.tsv``: "وفق ما نقلت"، "نقلاً
عن"، "لـ" + outlet) give the channel the statement came through.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import regex

from marsad.arabic._patterns import class_chars, compiled
from marsad.arabic.normalise import match_key
from marsad.extract.context import DocContext
from marsad.extract.phrases import PhraseHit, PhraseMatcher, Word, key_variants, word_count, words
from marsad.lang import read_rows
from marsad.records import Analysis, Mention, Quote

_OPENERS = {'"': '"', "“": "”", "«": "»", "'": "'", "„": "“", "”": "”"}
_OPENER = regex.compile("[" + regex.escape("".join(_OPENERS)) + "]")
_COMPLEMENTISER = regex.compile(r"(?<![\p{L}])(?:ب|و)?(?:أن|إن|ان)(?:ه|ها|هم|هما|هن)?(?![\p{L}])")
_COLON = regex.compile(r"[:：]")
_EXISTENCE = regex.compile(r"(?<![\p{L}])عن\s+(وجود)(?![\p{L}])")
_CLAUSE_BREAK = regex.compile(r"[،,؛;:.()\[\]\n]|(?<![\p{L}])(?:و?بعد|و?قبل|و?حين|كما|رغم|ورغم|برغم)(?![\p{L}])")
TRAILING_CLASS = r"[\s\"“”«».،,؛;:!؟?…]"  # spaces and punctuation trimmed off a statement's end
_CHANNEL_BEFORE = regex.compile(r"(?<![\p{L}])لـ?\s*$")
_MAX_SPEAKER_WORDS = 9
_QUOTE_CHARS = "\"“”«»'„"
# "أشار إلى أن", "أكد كذلك أن", "حذر من أن": words between a verb and its content that are not a subject
_FUNCTION_WORDS = frozenset(match_key(w) for w in (
    "إلى", "الى", "في", "فيه", "فيها", "على", "عن", "عنه", "عنها", "كذلك", "أيضا", "أيضًا", "أيضاً",
    "كما", "بدوره", "بدورها", "من", "له", "لها", "لهم", "به", "بها", "قد", "بالقول", "قائلا", "قائلة",
    "جانبه", "جانبها", "جهته", "جهتها", "ناحيته", "ناحيتها", "بدورهم", "جانبهم",
))
_TRAILING_WORDS = frozenset(match_key(w) for w in ("إلى", "الى", "على", "من", "عن", "قد", "قوله", "قولها", "قولهم"))
_AUXILIARIES = frozenset(match_key(w) for w in ("كان", "كانت", "وكان", "وكانت", "فكان", "قد", "وقد", "لقد", "ولقد"))
# a speaker phrase ends where a circumstance of the statement begins
_SPEECH_SETTINGS = frozenset(match_key(w) for w in (
    "تصريح", "تصريحات", "بيان", "بيانها", "بيانه", "حديث", "مؤتمر", "كلمة", "اتصال", "لقاء", "مقابلة",
    "حوار", "رسالة", "تغريدة", "منشور", "ندوة", "جلسة", "وقت", "أثناء", "معرض", "سياق", "ختام",
))
_SETTING_PREPOSITIONS = frozenset(match_key(w) for w in ("في", "خلال", "عبر", "ضمن", "اثناء", "أثناء"))
# after a verb, a preposition opens a complement or a circumstance, not the subject
_PREPOSITIONS = frozenset(match_key(w) for w in (
    "في", "خلال", "عبر", "ضمن", "أثناء", "على", "إلى", "الى", "عن", "من", "مع", "أمام", "بعد", "قبل", "منذ", "لدى",
))
_GENERIC_ROLE_WORDS = frozenset("""iraqi syrian jordanian turkish iranian russian american kurdish national
    general ministry service command forces office state the""".split())
_PLACE_WORDS = frozenset(match_key(w) for w in (
    "قضاء", "ناحية", "محافظة", "مدينة", "بلدة", "قرية", "مخيم", "سجن", "منطقة", "حي", "معبر", "قاعدة", "مطار",
))
_RELATIVES = frozenset(match_key(w) for w in ("الذي", "التي", "اللذان", "اللتان", "الذين", "اللواتي", "اللاتي"))
_DEMONSTRATIVES = frozenset(match_key(w) for w in ("هذا", "هذه", "ذلك", "تلك", "هؤلاء", "أولئك"))
_COMPLEMENT_PREPOSITIONS = {
    match_key(w): en for w, en in (
        ("في", "in"), ("ب", "in"), ("من", "from"), ("لدى", "in"), ("داخل", "in"), ("باسم", "for"),
        ("عن", "by"), ("صادر", "by"), ("صادرة", "by"), ("التابع", "of"), ("التابعة", "of"), ("تابع", "of"),
        ("ضمن", "in"), ("مع", "with"),
    )
}
_BY_WORDS = frozenset(match_key(w) for w in ("صادر", "صادرة", "الصادر", "الصادرة"))
# verb proclitics: only the conjunctions, never ب/ل/ك ("بقدر" is not the verb قدر)
_VERB_CLITICS = frozenset(match_key(w) for w in ("", "و", "ف"))


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who says something: an English name or description, its kind and its head type."""

    name: str
    kind: str  # person | organisation | anonymous | document
    head: str | None = None  # English head of an unnamed source ("official"), for reference back
    bare: bool = False  # an unnamed source with nothing to tell it apart ("تقديرات"، "الوثيقة")


@cache
def _cue_matcher() -> PhraseMatcher:
    return PhraseMatcher(((form, kind) for form, kind in read_rows("cue_verbs.tsv")), inflect=_inflect)


def _inflect(form: str) -> list[str]:
    """Past-tense forms: masculine, feminine (-ت), plural (-وا); participles stay as listed."""
    if " " in form or form.endswith(("ا", "ة")):
        return [form]
    stem = form[:-1] if form.endswith("ى") else form
    return [form, stem + "ت", form + "وا"]


@cache
def _source_nouns() -> dict[str, tuple[str, str]]:
    """match key (article-less) → (English, kind)."""
    table: dict[str, tuple[str, str]] = {}
    for row in read_rows("source_nouns.tsv"):
        english = row[1] if len(row) > 1 else row[0]
        kind = row[2] if len(row) > 2 else "person"
        table.setdefault(_bare(match_key(row[0])), (english, kind))
    return table


@cache
def _modifiers() -> dict[str, tuple[str, int]]:
    """match key of an adjective form (with generated feminine and plural) → (English, order)."""
    table: dict[str, tuple[str, int]] = {}
    for adjective, english, order in read_rows("source_modifiers.tsv"):
        key = match_key(adjective)
        first, _, rest = key.partition(" ")
        rest = " ".join(_bare(w) for w in rest.split())
        for form in (first, first + "ه", first + "ون", first + "ين", first + "ات"):
            table.setdefault(f"{form} {rest}".strip(), (english, int(order)))
    return table


@cache
def _titles() -> dict[str, str]:
    """match key of a title phrase → English role."""
    table: dict[str, str] = {}
    for row in read_rows("titles.tsv"):
        if len(row) >= 3 and row[2] in ("office", "person") and row[0] != "title_ar":
            table[match_key(row[0])] = row[1]
    return table


def _bare(key: str) -> str:
    return key[2:] if key.startswith("ال") and len(key) > 3 else key


def _nationality(key: str) -> str | None:
    from marsad.ner.resources import resources

    nisba = resources().nisba
    bare = _bare(key)
    for form in (bare, bare[:-2] if bare.endswith(("ين", "ون")) else None,
                 bare[:-1] if bare.endswith("ه") else None):
        if form:
            hit = nisba.get("ال" + form)
            if hit is not None:
                return hit.adj_en
    return None


# ---------------------------------------------------------------------------------------------
# finding statements

def find_quotes(analysis: Analysis) -> list[Quote]:
    ctx = DocContext(analysis)
    text = ctx.text
    quotes: list[Quote] = []
    heads: list[str | None] = []  # the head type of each quote's speaker, for "المصدر" etc.
    outer: Quote | None = None  # the last top-level statement
    covered_from, covered_until = -1, -1
    previous: tuple[Quote, str | None] | None = None
    hits = [h for h in _cue_matcher().find_all(text, ctx.words) if _verb_clitic_ok(ctx, h)]
    attributed = _attributed_statements(ctx)
    for n, hit in enumerate(hits):
        while attributed and attributed[0][0].start <= hit.start:
            quote, head = attributed.pop(0)
            if not any(q.start <= quote.start < q.end for q in quotes):
                quotes.append(quote)
                heads.append(head)
                previous = (quote, head)
                outer = quote
                covered_from, covered_until = quote.start, quote.end
        kind = str(hit.value)
        if kind == "topic":
            continue
        cue_start = ctx.words[hit.first].start
        sentence = ctx.sentence_span(hit.start)
        if covered_from <= hit.start < covered_until:
            if outer is not None and hit.start >= outer.start and kind != "participle":
                nested = _nested(ctx, hit, cue_start, outer, quotes, heads)
                if nested is not None:
                    quotes.append(nested[0])
                    heads.append(nested[1])
            continue
        found = _find_content(text, hit.end, sentence.end)
        if found is None:
            continue
        speaker_end, start, end, direct = found
        if any(h.value == "participle" and hit.end <= h.start < start for h in hits[n + 1:n + 4]):
            continue  # "نفى X …، مؤكداً أن": the content is the participle's
        if not direct:
            end = _indirect_end(ctx, start, end)
        if start >= end:
            continue
        if not direct and _reports_other_speaker(ctx, start, hits[n + 1:]):
            continue  # "وأضاف البيان أن الكرخي أكد أن …": the statement is the one it reports
        main = _main_cue(ctx, hits, n)
        speaker, channel = _speaker_for(ctx, hit, kind, cue_start, speaker_end, sentence.start, previous, quotes, heads, main)
        channel = channel or _channel_in_sentence(ctx, sentence.start, sentence.end, start, end)
        quote = Quote(
            start=start, end=end, text=text[start:end], speaker=speaker.name if speaker else None,
            cue=text[cue_start:hit.end], speaker_kind=speaker.kind if speaker else None, channel=channel,
            direct=direct, confidence=(0.8 if direct else 0.6) if speaker else 0.4,
        )
        quotes.append(quote)
        heads.append(speaker.head if speaker else None)
        previous = (quote, speaker.head if speaker else None)
        outer = quote
        covered_from, covered_until = cue_start, end
    for quote, _ in attributed:
        if not any(q.start <= quote.start < q.end for q in quotes):
            quotes.append(quote)
    return sorted(quotes, key=lambda q: q.start) if attributed else quotes


def _main_cue(ctx: DocContext, hits: list[PhraseHit], n: int) -> PhraseHit | None:
    """The last cue before ``hits[n]`` in its sentence that is neither a participle nor a topic.
    Hits come in text order: the walk back stops at the first one in an earlier sentence."""
    here = ctx.sentence_index(hits[n].start)
    floor = ctx.sentences[here].start if here > 0 else -1  # offsets before the first sentence count as in it
    for h in reversed(hits[:n]):
        if h.start < floor:
            return None
        if h.value not in ("participle", "topic"):
            return h
    return None


def _attributed_statements(ctx: DocContext) -> list[tuple[Quote, str | None]]:
    """"وبحسب بيان لجهاز المخابرات، فإن العملية …": a statement introduced by its source."""
    text = ctx.text
    found: list[tuple[Quote, str | None]] = []
    ws = ctx.words
    for i, w in enumerate(ws):
        if not w.key.endswith(("حسب", "وفق", "وفقا", "طبقا")):
            continue
        attribution = _attribution_at(ctx, i)
        if attribution is None or attribution[0] != "source":
            continue
        j = attribution[1]
        for k in range(j + 1, min(len(ws), j + 12)):
            gap = text[ws[k - 1].end:ws[k].start]
            if compiled(r"[.؛;\n]").search(gap):
                break
            if compiled(r"[،,]").search(gap):
                if ws[k].key in ("فان", "فانه", "فانها", "فانهم") and k + 1 < len(ws):
                    speaker = describe_source(ctx, ws[j].start, ws[k - 1].end)
                    sentence = ctx.sentence_span(ws[k].start)
                    start = ws[k + 1].start
                    rest = text[start:sentence.end].lstrip()
                    if rest[:1] in _OPENERS:
                        quoted = _quoted(text, start, sentence.end - len(rest), sentence.end)
                        start, end = quoted[1], quoted[2] if quoted else (start, sentence.end)
                    else:
                        end = _indirect_end(ctx, start, _trim_end(text, start, sentence.end))
                    if speaker is not None and start < end:
                        found.append((Quote(
                            start=start, end=end, text=text[start:end], speaker=speaker.name,
                            cue=text[w.start:ws[j - 1].end], speaker_kind=speaker.kind, direct=False,
                            confidence=0.5), speaker.head))
                break
    return found


def _verb_clitic_ok(ctx: DocContext, hit: PhraseHit) -> bool:
    word = ctx.words[hit.first]
    return match_key(ctx.text[word.start:hit.start]) in _VERB_CLITICS


def _find_content(text: str, pos: int, limit: int) -> tuple[int, int, int, bool] | None:
    """(speaker_end, content_start, content_end, direct) for the statement after ``pos``."""
    window = text[pos:limit]
    existence = _EXISTENCE.search(window)
    comp = _COMPLEMENTISER.search(window)
    if existence and not (comp and comp.start() < existence.start()) and word_count(window[:existence.start()]) <= _MAX_SPEAKER_WORDS:
        # "أعلن الشاطري عن وجود 9 آلاف عنصر": what is announced to exist is a reported claim
        if not any(ch in _OPENERS for ch in window[:existence.start()]):
            start = pos + existence.start(1)
            return pos + existence.start(), start, _trim_end(text, start, limit), False
    opener = _OPENER.search(window)
    quote_at = opener.start() if opener else None
    colon = _COLON.search(window)
    candidates = [c for c in (comp.start() if comp else None, quote_at, colon.start() if colon else None) if c is not None]
    if not candidates:
        return None
    first = min(candidates)
    if _subject_length(window[:first]) > _MAX_SPEAKER_WORDS + 4:
        return None
    if comp and first == comp.start():
        after = pos + comp.end()
        rest = text[after:limit].lstrip()
        after = limit - len(rest)
        if rest[:1] in _OPENERS:  # أن "…": a direct quote introduced by a complementiser
            found = _quoted(text, pos + first, after, limit)
            if found and _is_statement(text, found):
                return found  # otherwise a quoted name opens the clause: أن "قسد" منحت …
        return pos + first, after, _trim_end(text, after, limit), False
    if quote_at is not None and first == quote_at:
        # a quote mark right after the cue may open the speaker's name ("قسد") — only take it as
        # content when the quote is long enough to be a statement and no أن follows it
        found = _quoted(text, pos + quote_at, pos + quote_at, limit)
        if (found and _is_statement(text, found) and not _CHANNEL_BEFORE.search(text[:pos + quote_at])
                and not _COMPLEMENTISER.match(text[found[2]:limit].lstrip(_QUOTE_CHARS + " "))):
            return found
        if comp and comp.start() > quote_at:
            return _find_content(text, pos + comp.start(), limit)
        return None
    after = pos + colon.end()
    rest = text[after:limit].lstrip()
    after = limit - len(rest)
    if rest[:1] in _OPENERS:
        return _quoted(text, pos + first, after, limit)
    return pos + first, after, _trim_end(text, after, limit), False


def _subject_length(stretch: str) -> int:
    """Words between a verb and its content, not counting asides set off by commas
    ("الكرخي، في اتصال هاتفي مع الوكالة، أن")."""
    parts = compiled(r"[،,]").split(stretch)
    if len(parts) >= 3:
        return word_count(parts[0]) + word_count(parts[-1])
    return word_count(stretch)


def _quoted(text: str, speaker_end: int, open_at: int, limit: int) -> tuple[int, int, int, bool] | None:
    closer = _OPENERS.get(text[open_at])
    if closer is None:
        return None
    # a quotation may run past the sentence splitter's boundary, never past its paragraph
    paragraph_end = text.find("\n", limit)
    close = text.find(closer, open_at + 1, len(text) if paragraph_end == -1 else paragraph_end)
    if close == -1:
        close = limit
    start = open_at + 1
    end = _trim_end(text, start, close)
    return speaker_end, start, end, True


def _is_statement(text: str, found: tuple[int, int, int, bool]) -> bool:
    """A quoted stretch of a few words is a name or a term ("قسد"), not what was said."""
    return word_count(text[found[1]:found[2]]) >= 4


def _trim_end(text: str, start: int, end: int) -> int:
    """``end`` less the spaces and punctuation before it (``TRAILING_CLASS``)."""
    return start + len(text[start:end].rstrip(class_chars(TRAILING_CLASS)))


def _indirect_end(ctx: DocContext, start: int, end: int) -> int:
    """An indirect clause ends before a trailing attribution (", وفق ما نقلت روسيا اليوم")."""
    text = ctx.text
    for m in compiled(r"[،,]\s*").finditer(text[start:end]):
        cut = start + m.start()
        first, _ = ctx.words_between(start + m.end(), end)
        if first >= len(ctx.words):
            break
        if _attribution_at(ctx, first) is not None:
            return _trim_end(text, start, cut)
    return end


@cache
def _attribution_matcher() -> PhraseMatcher:
    """Attribution phrases; one written with a final "ل" ("وفقا ل", "في تصريح ل") is matched
    without it and marked, the ل being the first letter of the next word ("للبيان", "لـ")."""
    entries = []
    for phrase, role in read_rows("attribution.tsv"):
        parts = phrase.split()
        lam = len(parts) > 1 and parts[-1] == "ل"
        entries.append((" ".join(parts[:-1]) if lam else phrase, (role, lam)))
    return PhraseMatcher(entries)


def _attributions(ctx: DocContext) -> dict[int, tuple[str, int]]:
    """Word index → (role, index of the first word after the phrase) for the whole document."""
    found = ctx.memo.get("attributions")
    if found is None:
        found = {}
        ws = ctx.words
        for hit in _attribution_matcher().find_all(ctx.text, ws):
            role, lam = hit.value  # type: ignore[misc]
            after = hit.last + 1
            if lam:
                if after >= len(ws) or not ws[after].key.startswith("ل"):
                    continue
                after += 1
            found[hit.first] = (role, after)
        ctx.memo["attributions"] = found
    return found


def _attribution_at(ctx: DocContext, index: int) -> tuple[str, int] | None:
    """(role, index of the first word after the phrase) for an attribution phrase at word ``index``."""
    return _attributions(ctx).get(index)


def _reports_other_speaker(ctx: DocContext, content_start: int, later: list[PhraseHit]) -> bool:
    """Whether an indirect clause opens with another subject and cue verb ("أن الكرخي أكد أن")."""
    for hit in later[:1]:
        first, _ = ctx.words_between(content_start, ctx.words[hit.first].start)
        if hit.value in ("participle", "continuation"):
            return False
        n = hit.first - first
        if not 1 <= n <= 4:
            return False
        between = ctx.text[content_start:ctx.words[hit.first].start]
        if compiled(r"[،,.؛;:\"“”«»]").search(between):
            return False
        mentions = ctx.mentions_in(content_start, ctx.words[hit.first].start, ("PER", "ORG"))
        return bool(mentions) and _find_content(ctx.text, hit.end, ctx.sentence_span(hit.start).end) is not None
    return False


def _nested(
    ctx: DocContext, hit: PhraseHit, cue_start: int, outer: Quote, quotes: list[Quote], heads: list[str | None]
) -> tuple[Quote, str | None] | None:
    """Reported speech inside a statement, with its own subject before the verb."""
    text = ctx.text
    clause_start = _clause_start(ctx, max(outer.start, ctx.sentence_span(hit.start).start), cue_start)
    speaker = _subject_phrase(ctx, clause_start, cue_start, quotes, heads, strict=True)
    if speaker is None:
        return None
    limit = max(outer.end, ctx.sentence_span(hit.start).end)
    rest = compiled(r"\s*(?:إلى|الى)\s*[\"“«]?(?!\s*(?:أن|ان|إن)(?![\p{L}]))").match(text[hit.end:outer.end])
    found = None if rest else _find_content(text, hit.end, limit)
    if found is None:
        # "تشير إلى "إطلاق سراح …"" / "تشير إلى إطلاق": the rest of the statement is what they say
        if not rest:
            return None
        start, end = hit.end + rest.end(), outer.end
        direct = outer.direct
    else:
        _, start, end, direct = found
        end = min(end, outer.end) if end > outer.end and not direct else end
        if not direct:
            end = _indirect_end(ctx, start, end)
    if start >= end:
        return None
    quote = Quote(
        start=start, end=end, text=text[start:end], speaker=speaker.name, cue=text[cue_start:hit.end],
        speaker_kind=speaker.kind, channel=outer.speaker, direct=direct, confidence=0.5,
    )
    return quote, speaker.head


# ---------------------------------------------------------------------------------------------
# speakers

def _speaker_for(
    ctx: DocContext, hit: PhraseHit, kind: str, cue_start: int, speaker_end: int, sentence_start: int,
    previous: tuple[Quote, str | None] | None, quotes: list[Quote], heads: list[str | None],
    main: PhraseHit | None = None,
) -> tuple[Speaker | None, str | None]:
    """The speaker of a statement and the channel named in its subject phrase."""
    start, end = hit.end, speaker_end
    if kind == "participle":
        if main is not None and not (previous is not None and previous[0].start > main.end):
            subject = _verb_subject(ctx, main, cue_start, quotes, heads)
            if subject is not None:
                return subject, None
        return _participle_speaker(ctx, cue_start, sentence_start, previous), None
    speaker, channel = _phrase_speaker(ctx, start, end, quotes, heads, cue=match_key(ctx.text[hit.start:hit.end]))
    if speaker is not None:
        return speaker, channel
    # "قالت فيه": the statement just mentioned speaks through its publisher
    if compiled(r"\s*فيه?ا?\s*$").match(ctx.text[start:end]):
        publisher = _publisher_before(ctx, cue_start)
        if publisher is not None:
            return publisher, channel
    clause_start = _clause_start(ctx, sentence_start, cue_start)
    if quotes:
        clause_start = max(clause_start, min(cue_start, quotes[-1].end))
    before = _subject_phrase(ctx, clause_start, cue_start, quotes, heads)
    if before is not None:
        return before, channel
    same_sentence = previous is not None and ctx.sentence_index(previous[0].end - 1) == ctx.sentence_index(cue_start)
    if not same_sentence and ctx.words_between(sentence_start, cue_start)[1] > ctx.words_between(sentence_start, cue_start)[0]:
        # "ولا تشارك روسيا في التحالف …، وتعتبر أنه": the subject of the sentence's first verb
        subject = _sentence_subject(ctx, sentence_start, cue_start)
        if subject is not None:
            return subject, channel
    if previous is not None:
        quote, head = previous
        if quote.speaker:
            return Speaker(quote.speaker, quote.speaker_kind or "anonymous", head), channel
    return None, channel


def _verb_subject(ctx: DocContext, verb: PhraseHit, limit: int, quotes: list[Quote], heads: list[str | None]) -> Speaker | None:
    """The explicit subject of a cue verb: after it ("نفى قائد الشرطة …") or before it
    ("إلا أن قائد شرطة كركوك نفى …")."""
    end = _subject_end(ctx, verb.end, limit)
    speaker, _ = _phrase_speaker(ctx, verb.end, end, quotes, heads, loose=False)
    if speaker is not None:
        return speaker
    verb_start = ctx.words[verb.first].start
    sentence = ctx.sentence_span(verb_start)
    return _subject_phrase(ctx, _clause_start(ctx, sentence.start, verb_start), verb_start, quotes, heads, strict=True)


def _participle_speaker(
    ctx: DocContext, cue_start: int, sentence_start: int, previous: tuple[Quote, str | None] | None
) -> Speaker | None:
    """", مشيراً إلى أن": the subject of the sentence the participle closes."""
    if previous is not None:
        quote, head = previous
        if quote.speaker and ctx.sentence_index(quote.start) == ctx.sentence_index(cue_start):
            return Speaker(quote.speaker, quote.speaker_kind or "anonymous", head)
    subject = _sentence_subject(ctx, sentence_start, cue_start)
    if subject is not None:
        return subject
    if previous is not None and previous[0].speaker:
        quote, head = previous
        return Speaker(quote.speaker, quote.speaker_kind or "anonymous", head)
    return None


def _sentence_subject(ctx: DocContext, sentence_start: int, limit: int) -> Speaker | None:
    """The subject after the main verb of a sentence: "نفت الوزارة …", "أعلنت قيادة العمليات …"."""
    first, last = ctx.words_between(sentence_start, limit)
    i = first
    # an opening adverbial ends at its comma: "من جانبه، أكد …", "في السياق ذاته، أعلنت …"
    head = ctx.text[sentence_start:limit]
    comma = compiled(r"[،,]").search(head)
    if comma and word_count(head[:comma.start()]) <= 3:
        i, _ = ctx.words_between(sentence_start + comma.end(), limit)
    if i >= last:
        return None
    verb_end = ctx.words[i].end
    hit = _cue_matcher().match_at(ctx.text, ctx.words, i)
    if hit is not None:
        verb_end = hit.end
    end = _subject_end(ctx, verb_end, limit)
    speaker, _ = _phrase_speaker(ctx, verb_end, end, [], [], loose=False)
    return speaker


def _subject_end(ctx: DocContext, start: int, limit: int) -> int:
    """Where the subject after a verb ends: at a comma, a complementiser, a figure or after a
    named entity that it opens."""
    text = ctx.text[start:limit]
    m = compiled(r"[،,.؛;:]|(?<![\p{L}])(?:ب|و)?(?:أن|إن|ان)(?:ه|ها|هم)?(?![\p{L}])|\p{N}").search(text)
    end = start + (m.start() if m else len(text))
    mentions = [m for m in ctx.mentions_in(start, end, ("PER", "ORG", "LOC"))
                if m.type != "LOC" or m.geo_kind == "country"]
    if mentions and not ctx.text[start:mentions[0].start].strip(" " + _QUOTE_CHARS):
        return mentions[0].end
    first, last = ctx.words_between(start, end)
    return ctx.words[min(last, first + 12) - 1].end if last > first else end


def _publisher_before(ctx: DocContext, cue_start: int) -> Speaker | None:
    sentence = ctx.sentence_span(cue_start)
    for lo in (sentence.start, ctx.sentence_span(max(0, sentence.start - 1)).start):
        mentions = ctx.mentions_in(lo, cue_start, ("ORG", "PER"))
        if mentions:
            m = mentions[0]
            return Speaker(ctx.display_name(m), "person" if m.type == "PER" else "organisation")
    return None


def _clause_start(ctx: DocContext, lo: int, cue_start: int) -> int:
    head = ctx.text[lo:cue_start]
    breaks = list(_CLAUSE_BREAK.finditer(head))
    start = lo + (breaks[-1].end() if breaks else 0)
    comp = list(_COMPLEMENTISER.finditer(ctx.text[start:cue_start]))
    if comp:
        start += comp[-1].end()
    return start


def _subject_phrase(
    ctx: DocContext, start: int, cue_start: int, quotes: list[Quote], heads: list[str | None], strict: bool = False
) -> Speaker | None:
    """The subject written before its verb: "المصادر أكدت"، "وكانت منظمات دولية قد حذرت"."""
    first, last = ctx.words_between(start, cue_start)
    ws = [w for w in ctx.words[first:last] if w.key not in _AUXILIARIES and w.key not in ("و", "ف", "ثم")]
    if ws and ws[-1].key in _RELATIVES:
        # "وفقاً للخفاجي الذي أكد أن": the relative's antecedent speaks
        named = [m for m in ctx.mentions_in(start, ws[-1].start, ("PER", "ORG")) if not _is_common_noun(m)]
        if named and not ctx.text[named[-1].end:ws[-1].start].strip():
            m = named[-1]
            return Speaker(ctx.display_name(m), "person" if m.type == "PER" else "organisation")
        return None
    if ws and len(ws) <= _MAX_SPEAKER_WORDS and _head_noun(ws)[1] is not None:
        described = _describe(ctx, ws, quotes, heads)  # "تقارير المخابرات العراقية تشير"
        if described is not None:
            return described
    # the subject opens its clause: "وكانت وزارة الداخلية قد أعلنت", not "رسائلنا للشرع تقول"
    mentions: list[Mention] = [m for m in ctx.mentions_in(start, cue_start, ("PER", "ORG"))
                               if not _is_common_noun(m) and ws and m.start <= ws[0].start + 2]
    if mentions:
        m = mentions[0]
        return Speaker(ctx.display_name(m), "person" if m.type == "PER" else "organisation")
    country = _country_at(ctx, ws)
    if country is not None:
        return country
    if not ws or len(ws) > _MAX_SPEAKER_WORDS:
        return None
    described = _describe(ctx, ws, quotes, heads)
    if described is not None:
        return described
    phrase = ctx.text[ws[0].start:ws[-1].end].strip(" ،,\"“”«»\n")
    if strict:
        # inside a statement only a short noun phrase right before the verb ("رغم أن إدارة المحافظة أعلنت")
        short = 1 <= len(ws) <= 3 and not _is_function_phrase(phrase) and not _starts_with_preposition(ws)
        return Speaker(phrase, "anonymous") if short and _COMPLEMENTISER.search(ctx.text[max(0, start - 6):start]) else None
    if 1 <= len(ws) <= 4 and not _is_function_phrase(phrase) and not _starts_with_preposition(ws):
        return Speaker(phrase, "anonymous")
    return None


def _country_at(ctx: DocContext, ws: list[Word]) -> Speaker | None:
    """A country that opens a subject speaks as a state ("روسيا تعتبر …")."""
    if not ws:
        return None
    for m in ctx.mentions_in(ws[0].start - 2, ws[0].end + 1, ("LOC",)):
        if m.geo_kind == "country" and m.start <= ws[0].start + 2:
            return Speaker(ctx.display_name(m), "organisation")
    return None


def _phrase_speaker(
    ctx: DocContext, start: int, end: int, quotes: list[Quote], heads: list[str | None], cue: str = "",
    loose: bool = True,
) -> tuple[Speaker | None, str | None]:
    """The speaker named in the phrase between a cue verb and its content, and a channel there;
    ``loose`` lets a short phrase that is neither a name nor a known description stand as written."""
    text = ctx.text
    first, last = ctx.words_between(start, end)
    ws = list(ctx.words[first:last])
    channel: str | None = None
    # "نقل الموقع عن مسؤول … قوله" / "الصحيفة، نقلاً عن مسؤول": the outlet relays someone
    relay = _relay_split(ctx, first, ws, cue)
    if relay is not None:
        outlet_words, ws = relay
        if outlet_words:
            channel = _channel_name(ctx, outlet_words)
    ws = _strip_leading(ctx, ws)
    full = ws
    ws, cut_channel = _cut_core(ctx, ws)
    channel = channel or cut_channel
    while ws and ws[-1].key in _TRAILING_WORDS:
        ws = ws[:-1]
    if not ws:
        return None, channel
    core_start, core_end = ws[0].start, ws[-1].end
    mentions = [m for m in ctx.mentions_in(core_start, core_end + 1, ("PER", "ORG")) if not _is_common_noun(m)]
    people = [m for m in mentions if m.type == "PER"]
    if people:
        return Speaker(ctx.display_name(people[0]), "person"), channel
    titled = _title_at(ws) is not None
    if len(ws) > _MAX_SPEAKER_WORDS and not titled:
        if not loose and _head_noun(ws)[1] is not None:
            return _describe(ctx, ws, quotes, heads), channel  # "يقدر مسؤولون أكراد عدد …"
        return None, channel
    # "رئيسة جمعية أمل العودة، سلوى بن عمر، إن": the name in an apposition after a title
    if titled and len(full) > len(ws):
        rest = full[len(ws):]
        stop = next((j for j in range(1, len(rest)) if compiled(r"[،,]").search(text[rest[j - 1].end:rest[j].start])), len(rest))
        apposed = [m for m in ctx.mentions_in(rest[0].start, rest[stop - 1].end + 1, ("PER",)) if not _is_common_noun(m)]
        if apposed and apposed[0].start <= rest[0].start + 1:
            return Speaker(ctx.display_name(apposed[0]), "person"), channel
    leading = [m for m in mentions if not text[core_start:m.start].strip(" " + _QUOTE_CHARS)]
    if leading and leading[0].end >= core_end - 1:
        return Speaker(ctx.display_name(leading[0]), "organisation"), channel
    described = _describe(ctx, ws, quotes, heads)
    if described is not None:
        return described, channel
    if leading:
        return Speaker(ctx.display_name(leading[0]), "organisation"), channel
    country = _country_at(ctx, ws)
    if country is not None:
        return country, channel
    phrase = text[core_start:core_end].strip(" ،,\"“”«»")
    if titled and loose:
        return Speaker(phrase, "person"), channel  # a title and a name NER did not find
    if not loose or _starts_with_preposition(ws) or len(ws) > 5:
        return None, channel
    return (Speaker(phrase, "anonymous"), channel) if phrase else (None, channel)


def _relay_split(ctx: DocContext, first: int, ws: list[Word], cue: str) -> tuple[list[Word], list[Word]] | None:
    """(outlet words, speaker words) for "نقل X عن Y قوله" and "X، نقلاً عن Y"."""
    for i, w in enumerate(ws):
        if "نقل" not in w.key:
            continue
        found = _attribution_at(ctx, first + i)
        if found is not None and found[0] == "relay":
            return ws[:i], _drop_saying(ws[found[1] - first:])
    if cue.endswith(("نقل", "نقلت", "نقلوا")):
        for i, w in enumerate(ws):
            if w.key == "عن" and i > 0:
                return ws[:i], _drop_saying(ws[i + 1:])
    return None


def _drop_saying(ws: list[Word]) -> list[Word]:
    for i, w in enumerate(ws):
        if w.key in ("قوله", "قولها", "قولهم", "قوله:"):
            return ws[:i]
    return ws


def _strip_leading(ctx: DocContext, ws: list[Word]) -> list[Word]:
    """Drop function words and a leading circumstance ("في وقت سابق"، "اليوم") before a subject.
    A preposition right after the verb opens a complement or a circumstance: what follows it
    up to its comma is not the subject, and without a comma there is no subject there."""
    changed = True
    while ws and changed:
        changed = False
        while ws and (ws[0].key in _FUNCTION_WORDS or ws[0].key in _AUXILIARIES or ws[0].key in _PREPOSITIONS):
            if ws[0].key in _PREPOSITIONS:
                ws = _skip_to_comma(ctx, ws)
            else:
                ws = ws[1:]
            changed = True
        date_end = _date_end_at(ctx, ws[0].start) if ws else None
        if date_end is not None:
            ws = [w for w in ws if w.start >= date_end]
            changed = True
    return ws


def _skip_to_comma(ctx: DocContext, ws: list[Word]) -> list[Word]:
    for j in range(1, len(ws)):
        if compiled(r"[،,]").search(ctx.text[ws[j - 1].end:ws[j].start]):
            return ws[j:]
    return []


def _date_end_at(ctx: DocContext, offset: int) -> int | None:
    for date in ctx.analysis.dates:
        if date.start <= offset < date.end:
            return date.end
    return None


def _cut_core(ctx: DocContext, ws: list[Word]) -> tuple[list[Word], str | None]:
    """The subject proper: up to a comma (an apposition or aside follows), a date, a speech
    setting ("في تصريح …") or a channel ("لـ"راديو دجلة"", "لفرانس برس")."""
    text = ctx.text
    channel = None
    for j, w in enumerate(ws):
        if j and compiled(r"[،,(]").search(text[ws[j - 1].end:w.start]):
            return ws[:j], channel
        if j and (_date_end_at(ctx, w.start) is not None or w.key in _DEMONSTRATIVES):
            return ws[:j], channel
        if j and w.key in _SETTING_PREPOSITIONS and j + 1 < len(ws) and _bare(ws[j + 1].key) in _SPEECH_SETTINGS:
            return ws[:j], channel
        if w.key.startswith("ل") and not w.key.startswith("لل") and not (
                j and _head_noun(ws[j - 1:j])[1] is not None and _head_noun(ws[j - 1:j])[1][1] == "document"):
            name = _outlet_at(ctx, w)  # not "بيان لجهاز المخابرات": a statement of, not to
            if name is not None:
                return ws[:j], name
    return ws, channel


def _outlet_at(ctx: DocContext, w: Word) -> str | None:
    """A channel written "لـ"X"" or "لX" where X is a named organisation or a quoted name."""
    text = ctx.text
    after = w.start + 1
    while after < len(text) and text[after] in "ـ \u200c":
        after += 1
    for m in ctx.analysis.entities:
        if m.type == "ORG" and (m.start == w.start or after <= m.start <= after + 1):
            return ctx.display_name(m)
    if after < len(text) and text[after] in _OPENERS:
        close = text.find(_OPENERS[text[after]], after + 1, after + 80)
        if close != -1:
            return text[after + 1:close].strip()
    return None


def _channel_name(ctx: DocContext, ws: list[Word]) -> str | None:
    if not ws:
        return None
    mentions = ctx.mentions_in(ws[0].start, ws[-1].end, ("ORG",))
    if mentions:
        return ctx.display_name(mentions[0])
    return ctx.text[ws[0].start:ws[-1].end].strip(" ،,\"“”«»")


def _channel_in_sentence(ctx: DocContext, sentence_start: int, sentence_end: int, start: int, end: int) -> str | None:
    """"وفق ما نقلت روسيا اليوم", "بحسب ما نقلت", "في حديث لـ…" anywhere in the sentence, outside the quote."""
    first, last = ctx.words_between(sentence_start, sentence_end)
    for i, found in sorted(_attributions(ctx).items()):
        if not first <= i < last or start <= ctx.words[i].start < end or found[0] != "channel":
            continue
        after = found[1]
        if after >= len(ctx.words):
            continue
        w = ctx.words[after - 1]
        if w.key.startswith("ل") and w.key not in ("ل",) and after - 1 > i:
            name = _outlet_at(ctx, w)
            if name:
                return name
        j = after
        stop = j
        while stop < last and stop - j < 6 and not compiled(r"[،,.؛;\n]").search(ctx.text[ctx.words[stop - 1].end:ctx.words[stop].start] if stop > j else ""):
            stop += 1
        name = _channel_name(ctx, list(ctx.words[j:stop]))
        if name:
            return name
    return None


# ---------------------------------------------------------------------------------------------
# described sources

def _is_common_noun(mention: Mention) -> bool:
    """NER sometimes takes a title or source noun for a name ("الضابط")."""
    keys = [_bare(match_key(w)) for w in mention.text.split()]
    return bool(keys) and all(k in _source_nouns() or k in _titles() or _bare(k) in _modifiers() for k in keys)


def _starts_with_preposition(ws: list[Word]) -> bool:
    return bool(ws) and ws[0].key in _FUNCTION_WORDS | _SETTING_PREPOSITIONS


def _is_function_phrase(phrase: str) -> bool:
    return match_key(phrase) in {"و", "ف", "ثم", "كما", "قد", "وقد", "لكن", "ولكن"}


def describe_source(ctx: DocContext, start: int, end: int) -> Speaker | None:
    """A source named or described in [start, end): "وزارة الداخلية"، "مصادر أمنية عراقية"."""
    speaker, _ = _phrase_speaker(ctx, start, end, [], [], loose=False)
    return speaker


def _describe(ctx: DocContext, ws: list[Word], quotes: list[Quote], heads: list[str | None]) -> Speaker | None:
    """An unnamed source or a title, in English: "senior security official in X", "X statement"."""
    if not ws:
        return None
    title = _title_at(ws)
    head_n, head = _head_noun(ws)
    definite = ws[0].key.startswith("ال") or (ws[0].key[:1] in "وفبل" and ws[0].key[1:3] == "ال")
    # an indefinite source noun is someone new ("مسؤول أمني"); a title or a definite noun may be
    # someone named before ("المتحدث"، "رئيس جهاز المخابرات")
    if title is not None and (head is None or definite):
        person = _titled_person(ctx, ws, title[1])
        if person is not None:
            return Speaker(ctx.display_name(person), "person")
        if head is None:
            return _title_speaker(ctx, ws, title)
    if definite and len(ws) <= 2:
        org = _organisation_back(ctx, ws)  # "المرصد" after "مرصد الفرات لحقوق الإنسان"
        if org is not None:
            return org
    if head is None or head[1] == "place":
        return None
    english, kind = head
    i = head_n
    before: list[tuple[int, str]] = []
    nationality: str | None = None
    complement: tuple[str, str, str] | None = None
    while i < len(ws):
        w = ws[i]
        two = f"{_bare(w.key)} {_bare(ws[i + 1].key)}" if i + 1 < len(ws) else None
        if two and two in _modifiers():
            english_mod, order = _modifiers()[two]
            before.append((order, english_mod))
            i += 2
            continue
        if _bare(w.key) in _modifiers():
            english_mod, order = _modifiers()[_bare(w.key)]
            before.append((order, english_mod))
            i += 1
            continue
        nat = _nationality(w.key)
        if nat is not None:
            nationality = nationality or nat
            i += 1
            continue
        complement = _complement(ctx, ws, i)
        break
    modifiers = [e for o, e in sorted(before, key=lambda p: p[0]) if o == 0]
    others = [e for o, e in before if o != 0]
    if kind in ("document", "outlet", "body") and complement and complement[1] in ("by", "of", ""):
        name = " ".join([*modifiers, complement[0], *([nationality] if nationality and nationality not in complement[0] else []), *others, english])
    else:
        parts = [*modifiers, *([nationality] if nationality else []), *others, english]
        name = " ".join(parts)
        if complement:
            preposition = complement[1] or "of"
            name += f" {preposition} {complement[2]}{complement[0]}"
    head_type = english.rstrip("s") if english.endswith("s") and not english.endswith("ss") else english
    if definite and not before and not nationality and not complement:
        back = _refer_back(head_type, quotes, heads, generic=head_type in ("source", "official"))
        if back is not None:
            return back
    speaker_kind = "anonymous" if kind == "person" else "document" if kind == "document" else "organisation"
    return Speaker(name, speaker_kind, head_type, bare=not before and not nationality and not complement)


def _head_noun(ws: list[Word]) -> tuple[int, tuple[str, str] | None]:
    nouns = _source_nouns()
    if len(ws) > 1:
        for first in {ws[0].key, _unclitic(ws[0].key)}:
            two = f"{_bare(first)} {_bare(ws[1].key)}"
            if two in nouns:
                return 2, nouns[two]
    for variant, _ in key_variants(ws[0].key):
        if _bare(variant) in nouns:
            return 1, nouns[_bare(variant)]
    return 0, None


def _unclitic(key: str) -> str:
    """A word without a conjunction و/ف, when what is left is still a word ("والمتحدث");
    a word that merely starts with و ("وزير") keeps it where the caller tries both."""
    return key[1:] if len(key) > 3 and key[0] in "وف" else key


def _forms(key: str) -> set[str]:
    return {_bare(key), _bare(_unclitic(key))}


def _complement(ctx: DocContext, ws: list[Word], i: int) -> tuple[str, str, str] | None:
    """(English name, preposition, article) of the entity a source belongs to: "في جهاز المخابرات"
    → in, "صادر عن الجيش العراقي" → by, a direct genitive "تقارير المخابرات العراقية" → ''; the
    article ("the ") goes before an organisation or an unnamed body, not before a place or person."""
    w = ws[i]
    preposition = ""
    j = i
    if w.key in _COMPLEMENT_PREPOSITIONS:
        preposition = _COMPLEMENT_PREPOSITIONS[w.key]
        j = i + 1
        if w.key in _BY_WORDS and j < len(ws) and ws[j].key == "عن":
            j += 1
    elif w.key[:1] in "بل" and len(w.key) > 3:
        preposition = "in" if w.key[0] == "ب" else "by"
    if j >= len(ws):
        return None
    target = ws[j]
    # "في قضاء الشرقاط", "في مخيم الهول": a place word before the place's name
    targets = [target]
    if _bare(target.key) in _PLACE_WORDS and j + 1 < len(ws):
        targets.append(ws[j + 1])
    for t in targets:
        for m in ctx.analysis.entities:
            if m.type in ("ORG", "LOC", "PER") and m.start <= t.start < m.end or (
                    m.type in ("ORG", "LOC") and t.start < m.start <= t.start + 2):
                if m.end <= ws[-1].end + 1:
                    name = ctx.display_name(m)
                    article = "the " if m.type == "ORG" and not name.lower().startswith("the ") else ""
                    return name, ("of" if preposition == "" and m.type == "PER" else preposition), article
    # "تقارير الشرطة المحلية"، "مدير السجن": an unnamed body or place, in English from its words
    group = _gloss_group(ws[j:])
    if group is not None:
        return group, preposition, "the "
    return None


def _gloss_group(ws: list[Word]) -> str | None:
    n, head = _head_noun(ws)
    if head is None or head[1] not in ("body", "outlet", "place"):
        return None
    before, nationality = [], None
    for w in ws[n:]:
        if _bare(w.key) in _modifiers():
            before.append(_modifiers()[_bare(w.key)][0])
        elif _nationality(w.key):
            nationality = nationality or _nationality(w.key)
        else:
            break
    return " ".join([*before, *([nationality] if nationality else []), head[0]])


def _title_at(ws: list[Word]) -> tuple[int, str] | None:
    """(words, English role) of the longest title phrase that opens ``ws``; a title cut short
    ("وأكد المتحدث" for "المتحدث باسم") counts when it is all there is."""
    titles = _titles()
    for first in dict.fromkeys((ws[0].key, _unclitic(ws[0].key))):
        keys = [first, *(w.key for w in ws[1:])]
        for n in range(min(len(keys), 6), 0, -1):
            phrase = " ".join(keys[:n])
            for candidate in (phrase, phrase[2:] if phrase.startswith("ال") else "ال" + phrase):
                if candidate in titles:
                    return n, titles[candidate]
        whole = " ".join(keys)
        for candidate in (whole, whole[2:] if whole.startswith("ال") else "ال" + whole):
            role = _title_prefixes().get(candidate)
            if role:
                return len(keys), role
    return None


@cache
def _title_prefixes() -> dict[str, str]:
    table: dict[str, str] = {}
    for key, role in sorted(_titles().items(), key=lambda kv: len(kv[0])):
        parts = key.split()
        for n in range(1, len(parts)):
            table.setdefault(" ".join(parts[:n]), role)
    return table


def _title_speaker(ctx: DocContext, ws: list[Word], title: tuple[int, str]) -> Speaker | None:
    """A title no one was introduced with: its English role ("head of the X"); None when words
    we cannot read follow it (most often a name NER did not find: keep the Arabic)."""
    n, role = title
    rest = ws[n:]
    nationality: str | None = None
    complement: tuple[str, str, str] | None = None
    i = 0
    while i < len(rest):
        w = rest[i]
        if _bare(w.key) in _modifiers():
            i += 1
            continue
        if _nationality(w.key):
            nationality = nationality or _nationality(w.key)
            i += 1
            continue
        if complement is not None:
            return None
        complement = _complement(ctx, rest, i)
        if complement is None:
            return None
        i = _complement_end(ctx, rest, i)
    role = role.rsplit(" ", 1)[0] if role.endswith((" of", " for")) else role
    if complement is not None:
        link = "of" if complement[1] in ("", "of", "in", "by") else complement[1]
        return Speaker(f"{role} {link} {complement[2]}{complement[0]}", "person")
    return Speaker(f"{nationality} {role}" if nationality else role, "person")


def _complement_end(ctx: DocContext, ws: list[Word], i: int) -> int:
    """Index of the first word after the complement that starts at ``ws[i]``."""
    j = i + 1 if ws[i].key in _COMPLEMENT_PREPOSITIONS else i
    if j < len(ws) and ws[i].key in _BY_WORDS and ws[j].key == "عن":
        j += 1
    if j < len(ws) and _bare(ws[j].key) in _PLACE_WORDS:
        j += 1
    if j >= len(ws):
        return len(ws)
    for m in ctx.analysis.entities:
        if m.start <= ws[j].start + 2 and m.end > ws[j].start:
            k = j
            while k < len(ws) and ws[k].start < m.end:
                k += 1
            return k
    k, head = _head_noun(ws[j:])
    k = j + max(k, 1)
    while k < len(ws) and (_bare(ws[k].key) in _modifiers() or _nationality(ws[k].key)):
        k += 1
    return k


def _titled_person(ctx: DocContext, ws: list[Word], role: str) -> Mention | None:
    """The person before ``ws`` introduced with this title: the nearest title words around a
    name (before it, or in an apposition after it) decide, else the English role NER gave."""
    keys = [_forms(w.key) for w in ws]
    people = [m for m in ctx.analysis.entities if m.type == "PER" and m.end <= ws[0].start and not _is_common_noun(m)]
    best: Mention | None = None
    best_rank: tuple[int, int] | None = None
    for m in people:
        context = _title_context(ctx, m)
        head_at = [context[f] for f in keys[0] if f in context] if keys else []
        if not head_at:
            continue
        shared = sum(1 for forms in keys if forms & context.keys())
        if shared < max(1, (len(keys) + 1) // 2):
            continue
        rank = (-shared, min(head_at))  # more words shared, then the title nearest the name
        if best_rank is None or rank <= best_rank:
            best, best_rank = m, rank
    if best is not None:
        return best
    head = role.split()[0].lower() if role else ""
    if not head:
        return None
    # the person NER gave that role: for a bare title ("المتحدث") the last one; for a title with
    # its body ("رئيس جهاز المخابرات") one whose role names that body
    body_words: set[str] = set()
    if len(keys) > 1:
        for i in range(1, len(ws)):
            complement = _complement(ctx, ws, i)
            if complement:
                body_words = {w for w in compiled(r"[a-z]+").findall(complement[0].lower())
                              if len(w) > 3 and w not in _GENERIC_ROLE_WORDS}
                break
        if not body_words:
            return None
    matches = [m for m in people if m.role and head in m.role.lower()
               and (not body_words or body_words & set(compiled(r"[a-z]+").findall(m.role.lower())))]
    return matches[-1] if matches else None


def _title_context(ctx: DocContext, mention: Mention) -> dict[str, int]:
    """Article-less keys of the words before a name (same sentence, up to 8) and of an
    apposition after it, each with its distance in words from the name."""
    sentence = ctx.sentence_span(mention.start)
    first, at = ctx.words_between(sentence.start, mention.start)
    keys: dict[str, int] = {}
    for distance, w in enumerate(reversed(ctx.words[max(first, at - 8):at]), start=1):
        for form in _forms(w.key):
            keys.setdefault(form, distance)
    tail = ctx.text[mention.end:min(sentence.end, mention.end + 160)]
    opening = compiled(r"\s*[،,]").match(tail)
    if opening:
        segment = tail[opening.end():]
        stop = compiled(r"[،,]").search(segment)
        for distance, w in enumerate(words(segment[:stop.start()] if stop else segment)[:10], start=1):
            for form in _forms(w.key):
                keys.setdefault(form, distance)
    return keys


def _refer_back(head_type: str, quotes: list[Quote], heads: list[str | None], generic: bool = False) -> Speaker | None:
    """The last speaker of the same type ("الضابط" → the officer quoted before); "المصدر" and
    "المسؤول" may refer to any unnamed speaker before them."""
    for quote, head in zip(reversed(quotes), reversed(heads)):
        if head and quote.speaker and (head == head_type or head.rstrip("s") == head_type.rstrip("s")):
            return Speaker(quote.speaker, quote.speaker_kind or "anonymous", head)
    if generic:
        for quote, head in zip(reversed(quotes), reversed(heads)):
            if head and quote.speaker and quote.speaker_kind == "anonymous":
                return Speaker(quote.speaker, "anonymous", head)
    return None


@lru_cache(maxsize=16384)
def _first_key(name: str) -> str | None:
    """The key of a name's first word (cached: the same organisations are named in every report)."""
    found = words(name)
    return found[0].key if found else None


def _organisation_back(ctx: DocContext, ws: list[Word]) -> Speaker | None:
    """A definite noun alone naming an organisation met before: "المرصد"، "الوزارة"، "الجهاز"."""
    keys = _forms(ws[0].key)
    for m in reversed([m for m in ctx.analysis.entities if m.type == "ORG" and m.end <= ws[0].start]):
        first = _first_key(m.text)
        if first is not None and _forms(first) & keys:
            return Speaker(ctx.display_name(m), "organisation")
    return None


# ---------------------------------------------------------------------------------------------
# sources of facts outside quotes (used by the claim and event extractors)

_REPORTING_CLAUSE = regex.compile(
    r"^\s*ما\s+(?:[\p{L}\p{M}]+\s+){0,1}?(?:أفاد|افاد|أفادت|افادت|ذكر|ذكرت|نقل|نقلت|أورد|أوردت|اورد|اوردت|أعلن|"
    r"أعلنت|اعلن|اعلنت|كشف|كشفت|قال|قالت|أكد|أكدت|اكد|اكدت)(?:ه|ها|ته)?\s+(?:به|بها)?\s*"
)


def attributed_source(ctx: DocContext, start: int, end: int) -> Speaker | None:
    """The source an attribution phrase names in [start, end): "بحسب مصادر أمنية"،
    "بحسب ما أفادت به مصادر طبية"، "وبحسب تقديرات رسمية،"."""
    first, last = ctx.words_between(start, end)
    for i in range(first, last):
        if not ctx.words[i].key.endswith(("حسب", "وفق", "وفقا", "طبقا", "حسبما")):
            continue
        found = _attribution_at(ctx, i)
        if found is None or found[0] != "source" or found[1] >= last:
            continue
        phrase_start = ctx.words[found[1]].start
        lead = _REPORTING_CLAUSE.match(ctx.text[phrase_start:end])
        if lead:
            phrase_start += lead.end()
        stop = compiled(r"[،,.؛;\n]").search(ctx.text[phrase_start:end])
        phrase_end = phrase_start + (stop.start() if stop else end - phrase_start)
        p_first, p_last = ctx.words_between(phrase_start, phrase_end)
        phrase_end = ctx.words[min(p_last, p_first + 8) - 1].end if p_last > p_first else phrase_end
        speaker = describe_source(ctx, phrase_start, phrase_end)
        if speaker is not None:
            return speaker
    return None


def stated_by(ctx: DocContext, pos: int) -> Speaker | None:
    """Who states what is at ``pos`` when it lies outside any quote: the speaker of the last cue
    verb before it in its sentence ("أعلنت قيادة العمليات اعتقال خمسة"، "…، مؤكداً مقتل ستة")."""
    sentence = ctx.sentence_span(pos)
    first, last = ctx.words_between(sentence.start, pos)
    matcher = _cue_matcher()
    hits: list[PhraseHit] = []
    i = first
    for j in matcher.starts_between(ctx.words, first, last):  # elsewhere match_at finds nothing
        if j < i:
            continue
        hit = matcher.match_at(ctx.text, ctx.words, j)
        if hit is not None and _verb_clitic_ok(ctx, hit):
            hits.append(hit)
            i = hit.last + 1
    if not hits:
        return None
    quotes = [q for q in ctx.analysis.quotes if q.end <= pos]
    heads: list[str | None] = [None] * len(quotes)
    hit = hits[-1]
    cue_start = ctx.words[hit.first].start
    if hit.value == "participle":
        main = next((h for h in reversed(hits[:-1]) if h.value != "participle"), None)
        in_sentence = [q for q in quotes if q.start >= sentence.start and q.speaker]
        if in_sentence and (main is None or in_sentence[-1].start > main.end):
            q = in_sentence[-1]  # "وقال X إن "…"، مؤكداً مقتل ستة": X goes on
            return Speaker(q.speaker or "", q.speaker_kind or "anonymous")
        if main is not None:
            subject = _verb_subject(ctx, main, cue_start, quotes, heads)
            if subject is not None:
                return subject
        return _sentence_subject(ctx, sentence.start, cue_start)
    subject = _verb_subject(ctx, hit, pos, quotes, heads)
    if subject is not None:
        return subject
    if hit.value == "continuation" and quotes and quotes[-1].speaker:
        return Speaker(quotes[-1].speaker or "", quotes[-1].speaker_kind or "anonymous")
    return None
