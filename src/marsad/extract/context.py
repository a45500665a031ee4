"""Shared read-only views over an Analysis that the extractors need (sentences, words, names)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from marsad.document_words import document_words
from marsad.extract.phrases import Word
from marsad.records import Analysis, Mention, Quote, Span


@lru_cache(maxsize=4)
def _document_words(text: str) -> tuple[list[Word], list[int]]:
    """The words of a document (:func:`marsad.extract.phrases.words`) and their starts, shared
    by the extractors that run on it; read off the tokens the NER stage read already."""
    ws = document_words(text).extract
    return ws, [w.start for w in ws]


@dataclass
class DocContext:
    analysis: Analysis
    _starts: list[int] = field(init=False, repr=False)
    memo: dict[str, Any] = field(default_factory=dict, repr=False)  # per-document results extractors share

    def __post_init__(self) -> None:
        spans = self.analysis.sentences or [Span(0, len(self.text))]
        self._starts = [s.start for s in spans]

    @property
    def text(self) -> str:
        return self.analysis.doc.body

    @property
    def sentences(self) -> list[Span]:
        return self.analysis.sentences or [Span(0, len(self.text))]

    @cached_property
    def words(self) -> list[Word]:
        return _document_words(self.text)[0]

    @cached_property
    def _word_starts(self) -> list[int]:
        return _document_words(self.text)[1]

    def sentence_index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    def sentence_span(self, offset: int) -> Span:
        return self.sentences[self.sentence_index(offset)]

    def words_between(self, start: int, end: int) -> tuple[int, int]:
        """Indices [first, last) of the words lying within [start, end)."""
        lo = bisect.bisect_left(self._word_starts, start)
        hi = bisect.bisect_left(self._word_starts, end)
        return lo, hi

    def word_index_at(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._word_starts, offset) - 1)

    def mentions_in(self, start: int, end: int, types: tuple[str, ...] = ("PER", "ORG", "LOC")) -> list[Mention]:
        entities = self.analysis.entities
        starts = self._entity_starts
        if starts is None:  # not in text order: look at every one
            return [m for m in entities if m.type in types and m.start >= start and m.end <= end]
        # in text order: from the first starting at ``start``; one starting after ``end``
        # cannot end by ``end``
        out = []
        for k in range(bisect.bisect_left(starts, start), bisect.bisect_right(starts, end)):
            m = entities[k]
            if m.type in types and m.end <= end:
                out.append(m)
        return out

    @cached_property
    def _entity_starts(self) -> list[int] | None:
        """The entities' starts when the entities come in text order (as the NER stage gives
        them), else None."""
        starts = [m.start for m in self.analysis.entities]
        return starts if all(a <= b for a, b in zip(starts, starts[1:])) else None

    def first_date(self, start: int, end: int) -> str | None:
        """The first resolved date that starts within [start, end)."""
        for date in self.analysis.dates:
            if start <= date.start < end and date.normalized:
                return date.normalized
        return None

    def quote_at(self, offset: int) -> Quote | None:
        """The innermost quote that contains ``offset``, if any (reported speech may nest:
        "أوضح أن الإدارة أعلنت أنها أطلقت سراح 180" is the administration's figure)."""
        inside = [q for q in self.analysis.quotes if q.start <= offset < q.end]
        return max(inside, key=lambda q: (q.start, -q.end)) if inside else None

    def display_name(self, mention: Mention) -> str:
        return mention.canonical or mention.text
