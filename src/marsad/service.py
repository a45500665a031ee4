"""Use cases shared by the CLI and the API: ingest files into a store, extract without one."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from marsad.ingest import IngestOptions, Rejection, discover, iter_documents
from marsad.pipeline import Pipeline
from marsad.records import Analysis, Document
from marsad.store import Store

log = logging.getLogger(__name__)

BATCH_SIZE = 200


@dataclass
class IngestSummary:
    new: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    extraction_failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected


def analyse(pipeline: Pipeline, doc: Document, failures: list[str]) -> Analysis:
    """Run the pipeline; a failure keeps the document (with no facts) and is reported."""
    try:
        return pipeline(doc)
    except Exception as exc:  # noqa: BLE001 — one bad report must not stop an archive run
        log.exception("extraction failed for %s", doc.source)
        failures.append(f"{doc.source}: extraction failed ({type(exc).__name__}: {exc}); stored without facts")
        return Analysis(doc=doc)


def ingest_paths(
    paths: Sequence[str | Path],
    options: IngestOptions,
    store: Store,
    *,
    pipeline: Pipeline | None = None,
    on_total: Callable[[int], None] | None = None,
    on_file: Callable[[Path], None] | None = None,
    on_rejection: Callable[[Rejection], None] | None = None,
) -> IngestSummary:
    """Read, deduplicate, analyse and store every document under ``paths``.

    Documents are saved in batches, one transaction each, so an error loses at most the batch
    in flight and never touches what was stored before.
    """
    pipeline = pipeline or Pipeline()
    summary = IngestSummary()
    seen: set[str] = set()
    batch: list[Analysis] = []

    def flush() -> None:
        if batch:
            result = store.save(batch)
            summary.new.extend(result.new)
            summary.duplicates.extend(result.duplicates)
            batch.clear()

    for item in _items(paths, options, on_total, on_file):
        if isinstance(item, Rejection):
            summary.rejected.append(item)
            if on_rejection:
                on_rejection(item)
            continue
        if item.id in seen or store.has_document(item.id):
            summary.duplicates.append(item.id)
            continue
        seen.add(item.id)
        batch.append(analyse(pipeline, item, summary.extraction_failures))
        if len(batch) >= BATCH_SIZE:
            flush()
    flush()
    return summary


def _items(
    paths: Sequence[str | Path],
    options: IngestOptions,
    on_total: Callable[[int], None] | None,
    on_file: Callable[[Path], None] | None,
) -> Iterator[Document | Rejection]:
    files = discover(paths)
    if on_total:
        on_total(sum(isinstance(entry, Path) for entry in files))
    for entry in files:
        if isinstance(entry, Rejection):
            yield entry
            continue
        yield from iter_documents([entry], options)
        if on_file:
            on_file(entry)


def extract_documents(docs: Iterable[Document], pipeline: Pipeline | None = None) -> Iterator[Analysis]:
    pipeline = pipeline or Pipeline()
    for doc in docs:
        yield pipeline(doc)
