"""Use cases shared by the CLI and the API: ingest files or text into a store, extract
without one.

Sharing (docs/sharing.md): the owner organisation (``options.owner``) must exist; its
``share_with`` targets are checked before anything is read, and applied to the stored
documents at the end of the run (a run cut short leaves documents LESS shared, never more).
Deduplication looks from the owner's side: a text already stored but hidden from the
owner becomes the owner's own copy (id derived from the body and the owner), so an
upload never reveals whether another organisation holds the same report.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from marsad.ids import stable_id
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
    share_with: Sequence[str] = (),
) -> IngestSummary:
    """Read, deduplicate, analyse and store every document under ``paths``.

    Documents are saved in batches, one transaction each, so an error loses at most the batch
    in flight and never touches what was stored before.  Raises ShareError (before reading
    anything) for an unknown owner or share target.
    """
    return ingest_items(_items(paths, options, on_total, on_file), options, store, pipeline=pipeline,
                        on_rejection=on_rejection, share_with=share_with)


def _owner_view(store: Store, options: IngestOptions, share_with: Sequence[str]) -> Any:
    """Check owner and targets; the Viewer whose side deduplication takes (None: no owner)."""
    from marsad.share.orgs import check_targets, viewer_for

    viewer = viewer_for(store, options.owner) if options.owner else None
    if share_with:
        check_targets(store, share_with, options.tlp)
    return viewer


def _dedup_id(store: Store, doc: Document, viewer: Any) -> tuple[Document, bool]:
    """(document, already stored) from the owner's side; a text hidden from the owner is
    stored again as the owner's own copy."""
    status = store.document_status(doc.id, viewer)
    if status == "hidden":
        doc = replace(doc, id=stable_id(doc.id, doc.owner))
        status = store.document_status(doc.id, viewer)
    return doc, status != "absent"


def ingest_items(
    items: Iterable[Document | Rejection],
    options: IngestOptions,
    store: Store,
    *,
    pipeline: Pipeline | None = None,
    on_rejection: Callable[[Rejection], None] | None = None,
    share_with: Sequence[str] = (),
) -> IngestSummary:
    """Store documents (and report rejections) as :func:`ingest_paths` does."""
    from marsad.share.orgs import share_documents

    viewer = _owner_view(store, options, share_with)
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

    for item in items:
        if isinstance(item, Rejection):
            summary.rejected.append(item)
            if on_rejection:
                on_rejection(item)
            continue
        item, stored = _dedup_id(store, item, viewer) if item.id not in seen else (item, True)
        if stored or item.id in seen:
            summary.duplicates.append(item.id)
            continue
        seen.add(item.id)
        batch.append(analyse(pipeline, item, summary.extraction_failures))
        if len(batch) >= BATCH_SIZE:
            flush()
    flush()
    if share_with:
        # duplicates too: re-ingesting one's own report with --share-with widens its sharing
        share_documents(store, summary.new + summary.duplicates, share_with, owner=options.owner)
    if summary.new or store.unfused_count():
        # incremental fusion: only the new (and any not yet fused) reports are compared with
        # the store's picture; nothing else is recomputed
        store.fuse()
    return summary


def ingest_text(
    text: str,
    options: IngestOptions,
    store: Store,
    *,
    title: str | None = None,
    source: str = "api",
    pipeline: Pipeline | None = None,
    share_with: Sequence[str] = (),
) -> IngestSummary:
    """Store one report given as text (the API's JSON ingest); an empty text is rejected."""
    from marsad.ingest.meta import FileMeta, build_document
    from marsad.ingest.options import RejectedInput

    try:
        item: Document | Rejection = build_document(text, source, FileMeta(title=title), options)
    except RejectedInput as exc:
        item = Rejection(source, exc.line, exc.reason)
    return ingest_items([item], options, store, pipeline=pipeline, share_with=share_with)


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
