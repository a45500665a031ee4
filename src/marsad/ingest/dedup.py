"""Dropping repeats within one run (the store dedups across runs)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from marsad.ingest.options import Rejection
from marsad.records import Document


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A document whose id (normalised-body hash) was already seen earlier in this run."""

    source: str
    id: str
    first_source: str

    def __str__(self) -> str:
        return f"{self.source}: duplicate of {self.first_source} (id {self.id}); skipped"


def dedup_stream(items: Iterable[Document | Rejection]) -> Iterator[Document | Rejection | Duplicate]:
    """Pass documents through once per id; later repeats come out as `Duplicate` records.

    Rejections (and anything else) pass through untouched, in order, so a CLI can count
    documents, duplicates and rejections from one stream.
    """
    first_seen: dict[str, str] = {}
    for item in items:
        if isinstance(item, Document):
            if item.id in first_seen:
                yield Duplicate(item.source, item.id, first_seen[item.id])
                continue
            first_seen[item.id] = item.source
        yield item
