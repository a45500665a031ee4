"""The extraction pipeline: named stages composed over an :class:`Analysis`.

A stage is a pure function ``Analysis -> Analysis`` that returns a copy with the fields it
fills; stages are looked up by name in :data:`marsad.registry.stages`, so a later issue can
swap one (say a better NER back-end) without touching the others.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from marsad.records import Analysis, Document
from marsad.registry import stages

Stage = Callable[[Analysis], Analysis]

DEFAULT_STAGES: tuple[str, ...] = (
    "sentences", "numbers", "dates", "ner", "quotes", "quantities", "events",
)


@stages.register("sentences")
def _sentences_stage() -> Stage:
    from marsad.arabic.segment import sentences

    return lambda a: replace(a, sentences=sentences(a.doc.body))


@stages.register("numbers")
def _numbers_stage() -> Stage:
    from marsad.arabic.numbers import find_numbers

    return lambda a: replace(a, numbers=find_numbers(a.doc.body))


@stages.register("dates")
def _dates_stage() -> Stage:
    from marsad.arabic.dates import find_dates

    return lambda a: replace(a, dates=find_dates(a.doc.body, a.doc.published))


@stages.register("ner")
def _ner_stage() -> Stage:
    from marsad.ner import recognise

    return lambda a: replace(a, entities=recognise(a))


@stages.register("quotes")
def _quotes_stage() -> Stage:
    from marsad.extract.quotes import find_quotes

    return lambda a: replace(a, quotes=find_quotes(a))


@stages.register("quantities")
def _quantities_stage() -> Stage:
    from marsad.extract.quantities import find_quantities

    return lambda a: replace(a, quantities=find_quantities(a))


@stages.register("events")
def _events_stage() -> Stage:
    from marsad.extract.events import find_events

    return lambda a: replace(a, events=find_events(a))


_settled = False
_YOUNG_THRESHOLD = 10_000


def _settle_loaded_models() -> None:
    """Once per process, after the first document has loaded the lexicons, gazetteer and CRF
    weights (about 150,000 objects that live as long as the process): move them out of the
    garbage collector's generations, so its full collections stop rescanning them (about 3 %
    of extraction time on 500-word reports, benchmarks/bench_extract.py).

    Also lets the youngest generation grow to ``_YOUNG_THRESHOLD`` objects before a collection
    (Python's default is 700): a report's extraction allocates tens of thousands of short-lived
    objects, nearly all freed by reference counting, and at 700 the collector runs once or more
    per report over objects that are about to go anyway (0.3 to 0.4 ms of CPU per report, about
    3 %, measured with gc.callbacks). Cyclic
    garbage is still collected, only in larger batches. A threshold already set higher is kept."""
    global _settled
    if not _settled:
        _settled = True
        gc.freeze()
        young, *older = gc.get_threshold()
        if 0 < young < _YOUNG_THRESHOLD:  # 0 means collection is off: leave it off
            gc.set_threshold(_YOUNG_THRESHOLD, *older)


class Pipeline:
    """Runs the named stages in order over each document."""

    def __init__(self, stage_names: Sequence[str] = DEFAULT_STAGES) -> None:
        self.stage_names = tuple(stage_names)
        self._stages: list[Stage] = [stages.get(name) for name in self.stage_names]

    def __call__(self, doc: Document) -> Analysis:
        analysis = Analysis(doc=doc)
        for stage in self._stages:
            analysis = stage(analysis)
        _settle_loaded_models()
        return analysis

    def run(self, docs: Iterable[Document]) -> Iterable[Analysis]:
        for doc in docs:
            yield self(doc)
