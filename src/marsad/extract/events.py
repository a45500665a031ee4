"""Events: typed triggers from ``lang/ar/event_triggers.tsv`` with actors, targets, place, time.

Arguments come from the sentence around the trigger: the nearest named actors before it, the
named entities after it as targets, the first place and date of the sentence. Modality words
(نفى، تتوقع، من المقرر …) earlier in the sentence mark the event denied, expected or
hypothetical. The time falls back to the publication date only when the sentence says "today".
"""

from __future__ import annotations

from functools import cache

from marsad.arabic.normalise import match_key
from marsad.extract.context import DocContext
from marsad.extract.phrases import PhraseMatcher
from marsad.lang import read_rows
from marsad.records import Analysis, Event, Mention

_TODAY = ("اليوم", "صباح اليوم", "مساء اليوم")
_MAX_ARGS = 3


@cache
def _triggers() -> PhraseMatcher:
    return PhraseMatcher((phrase, (etype, plover)) for phrase, etype, plover in read_rows("event_triggers.tsv"))


@cache
def _modality() -> PhraseMatcher:
    return PhraseMatcher((word, modality) for word, modality in read_rows("modality_cues.tsv"))


def find_events(analysis: Analysis) -> list[Event]:
    ctx = DocContext(analysis)
    events: list[Event] = []
    seen: set[tuple[int, str]] = set()
    for hit in _triggers().find_all(ctx.text, ctx.words):
        etype, plover = hit.value  # type: ignore[misc]
        sentence_no = ctx.sentence_index(hit.start)
        if (sentence_no, etype) in seen:
            continue  # one event of a type per sentence: repeated triggers describe the same one
        seen.add((sentence_no, etype))
        events.append(_event(ctx, hit.start, hit.end, etype, plover))
    return events


def _event(ctx: DocContext, start: int, end: int, etype: str, plover: str) -> Event:
    sentence = ctx.sentence_span(start)
    actors = _names(ctx.mentions_in(sentence.start, start, ("PER", "ORG"))[-_MAX_ARGS:])
    targets = _names(ctx.mentions_in(end, sentence.end, ("PER", "ORG"))[:_MAX_ARGS])
    places = ctx.mentions_in(sentence.start, sentence.end, ("LOC",))
    quote = ctx.quote_at(start)
    return Event(
        start=start, end=end, trigger=ctx.text[start:end], type=etype, actors=actors,
        targets=[t for t in targets if t not in actors], where=ctx.display_name(places[0]) if places else None,
        when=_when(ctx, sentence.start, sentence.end), source=quote.speaker if quote else None,
        modality=_modality_of(ctx, sentence.start, start), plover=plover,
        confidence=0.6 if actors or targets else 0.4,
    )


def _names(mentions: list[Mention]) -> list[str]:
    names: list[str] = []
    for m in mentions:
        name = m.canonical or m.text
        if name not in names:
            names.append(name)
    return names


def _when(ctx: DocContext, start: int, end: int) -> str | None:
    found = ctx.first_date(start, end)
    if found:
        return found
    published = ctx.analysis.doc.published
    if published and any(phrase in match_key(ctx.text[start:end]) for phrase in _TODAY):
        return published.isoformat()
    return None


def _modality_of(ctx: DocContext, sentence_start: int, trigger_start: int) -> str:
    head = ctx.text[sentence_start:trigger_start]
    hits = _modality().find_all(head)
    return str(hits[-1].value) if hits else "asserted"
