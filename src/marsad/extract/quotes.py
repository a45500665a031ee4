"""Quotes and reported speech with their speaker.

A cue verb (قال، أكد، أوضح …, from ``lang/ar/cue_verbs.tsv``) opens a statement. What follows it
is, in order: the speaker (Arabic is mostly verb–subject), an optional channel ("لـ"وكالة …""),
then the content, either a direct quote in quotation marks or an indirect clause after إن/أن.
When the verb comes after its subject ("المصادر أكدت أن") the speaker is taken from before it;
continuation verbs (وأضاف، وتابع، مشيراً) with no subject keep the previous speaker.
"""

from __future__ import annotations

from functools import cache

import regex

from marsad.arabic.normalise import match_key
from marsad.extract.context import DocContext
from marsad.extract.phrases import PhraseMatcher, words
from marsad.lang import read_rows
from marsad.records import Analysis, Mention, Quote

_OPENERS = {'"': '"', "“": "”", "«": "»", "'": "'", "„": "“", "”": "”"}
_COMPLEMENTISER = regex.compile(r"(?<![\p{L}])(?:ب|و)?(?:أن|إن|ان)(?:ه|ها|هم|هما|هن)?(?![\p{L}])")
_COLON = regex.compile(r"[:：]")
_CHANNEL = regex.compile(r"(?<![\p{L}])(?:ل|لـ)\s*[\"“«]?([^\"”»،,.]{2,60}?)[\"”»]")
_CLAUSE_BREAK = regex.compile(r"[،,؛;:.()\[\]]|(?<![\p{L}])(?:و?بعد|و?قبل|و?حين|كما)(?![\p{L}])")
_TRAILING = regex.compile(r"[\s\"“”«».،,؛;:!؟?…]+$")
_CHANNEL_BEFORE = regex.compile(r"(?<![\p{L}])لـ?\s*$")
_MAX_SPEAKER_WORDS = 9
# "أشار إلى أن", "أكد كذلك أن": words between a verb and its complementiser that are not a subject
_LEADING_FUNCTION_WORDS = regex.compile(r"^(?:(?:إلى|الى|في|فيه|فيها|على|عن|عنه|عنها|كذلك|أيضا|أيضًا|أيضاً|كما|بدوره|بدورها)(?:\s+|$))+")


@cache
def _cue_matcher() -> PhraseMatcher:
    return PhraseMatcher(((form, kind) for form, kind in read_rows("cue_verbs.tsv")), inflect=_inflect)


def _inflect(form: str) -> list[str]:
    """Past-tense forms: masculine, feminine (-ت), plural (-وا); participles stay as listed."""
    if " " in form or form.endswith(("ا", "ة")) or form.startswith(("ي", "ت", "ن")):
        return [form]
    stem = form[:-1] if form.endswith("ى") else form
    return [form, stem + "ت", form + "وا"]


def find_quotes(analysis: Analysis) -> list[Quote]:
    ctx = DocContext(analysis)
    text = ctx.text
    quotes: list[Quote] = []
    covered_until = -1
    previous: Quote | None = None
    for hit in _cue_matcher().find_all(text, ctx.words):
        if hit.start < covered_until:
            continue  # a verb inside a quote already taken
        kind = str(hit.value)
        sentence = ctx.sentence_span(hit.start)
        # the cue keeps its conjunction ("وقال"), as analysts quote it
        cue_start = ctx.words[hit.first].start
        quote = _statement_after(ctx, cue_start, hit.end, sentence.end, kind, previous)
        if quote is None:
            continue
        quotes.append(quote)
        previous = quote
        covered_until = quote.end
    return quotes


def _statement_after(
    ctx: DocContext, cue_start: int, cue_end: int, region_end: int, kind: str, previous: Quote | None
) -> Quote | None:
    text = ctx.text
    content = _find_content(text, cue_end, region_end)
    if content is None:
        return None
    speaker_end, start, end, direct = content
    speaker_phrase = text[cue_end:speaker_end]
    channel = _channel(speaker_phrase)
    if channel:
        speaker_phrase = regex.sub(r"\s*(?:في\s+\S+\s+)?لـ?\s*[\"“«]?\s*$", "", speaker_phrase[: speaker_phrase.find(channel)])
    speaker_phrase = regex.sub(r"\s*(?:في|خلال)\s+(?:تصريح|تصريحات|بيان|حديث|مؤتمر)[^\"“«]*$", "", speaker_phrase)
    speaker, speaker_kind = _speaker(ctx, cue_end, cue_end + len(speaker_phrase.rstrip()), kind, cue_start, previous)
    if start >= end:
        return None
    return Quote(
        start=start, end=end, text=text[start:end], speaker=speaker, cue=text[cue_start:cue_end],
        speaker_kind=speaker_kind, channel=channel, direct=direct,
        confidence=0.8 if direct else 0.6,
    )


def _find_content(text: str, pos: int, limit: int) -> tuple[int, int, int, bool] | None:
    """(speaker_end, content_start, content_end, direct) for the statement after ``pos``."""
    window = text[pos:limit]
    comp = _COMPLEMENTISER.search(window)
    quote_at = next((i for i, ch in enumerate(window) if ch in _OPENERS), None)
    colon = _COLON.search(window)
    candidates = [c for c in (comp.start() if comp else None, quote_at, colon.start() if colon else None) if c is not None]
    if not candidates:
        return None
    first = min(candidates)
    if len(words(window[:first])) > _MAX_SPEAKER_WORDS + 4:
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
        # content when the quote is long enough to be a statement
        found = _quoted(text, pos + quote_at, pos + quote_at, limit)
        if found and _is_statement(text, found) and not _CHANNEL_BEFORE.search(text[:pos + quote_at]):
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
    return len(words(text[found[1]:found[2]])) >= 4


def _trim_end(text: str, start: int, end: int) -> int:
    trimmed = _TRAILING.sub("", text[start:end])
    return start + len(trimmed)


def _channel(phrase: str) -> str | None:
    m = _CHANNEL.search(phrase)
    return m.group(1).strip() if m else None


def _speaker(
    ctx: DocContext, start: int, end: int, kind: str, cue_start: int, previous: Quote | None
) -> tuple[str | None, str | None]:
    phrase = _LEADING_FUNCTION_WORDS.sub("", ctx.text[start:end].strip(" ،,\"“”«»"))
    if phrase and len(words(phrase)) <= _MAX_SPEAKER_WORDS:
        return _name_speaker(ctx, start, end, phrase)
    before = _subject_before(ctx, cue_start)
    if before is not None:
        return before
    if previous is not None:
        return previous.speaker, previous.speaker_kind
    return None, None


def _name_speaker(ctx: DocContext, start: int, end: int, phrase: str) -> tuple[str, str]:
    mentions = ctx.mentions_in(start, end + 1, ("PER", "ORG"))
    people = [m for m in mentions if m.type == "PER"]
    if people:
        return ctx.display_name(people[0]), "person"
    leading = [m for m in mentions if not ctx.text[start:m.start].strip(" \"“«")]
    if leading:
        return ctx.display_name(leading[0]), "organisation"
    return phrase, "anonymous"


def _subject_before(ctx: DocContext, cue_start: int) -> tuple[str, str] | None:
    sentence = ctx.sentence_span(cue_start)
    head = ctx.text[sentence.start:cue_start]
    breaks = list(_CLAUSE_BREAK.finditer(head))
    clause_start = sentence.start + (breaks[-1].end() if breaks else 0)
    mentions: list[Mention] = ctx.mentions_in(clause_start, cue_start, ("PER", "ORG"))
    if mentions:
        kind = "person" if mentions[-1].type == "PER" else "organisation"
        return ctx.display_name(mentions[-1]), kind
    phrase = ctx.text[clause_start:cue_start].strip(" ،,\"“”«»\n")
    n = len(words(phrase))
    if 1 <= n <= _MAX_SPEAKER_WORDS and not _is_function_phrase(phrase):
        return phrase, "anonymous"
    return None


def _is_function_phrase(phrase: str) -> bool:
    return match_key(phrase) in {"و", "ف", "ثم", "كما", "قد", "وقد", "لكن", "ولكن"}
