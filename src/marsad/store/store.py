"""The Store: composes the engine, migrations, query and search functions."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from marsad.records import Analysis, Document

from . import answers, migrate, queries, search as _search
from .engine import WRITE_OPTION, make_engine, resolve_url
from .queries import SaveResult, StoreError
from .fusion import FusionMethods
from .search import SearchHit


class Store(FusionMethods):
    """Marsad's database: SQLite by default (WAL), PostgreSQL through a URL."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.url: str = engine.url.render_as_string(hide_password=True)
        #: called by close() before the engine goes: writers that buffer (the API's audit
        #: log) register their flush here so nothing pending is lost
        self.before_close: list[Callable[[], None]] = []

    # -------------------------------------------------------------- lifecycle
    @classmethod
    def open(cls, target: str | os.PathLike[str] | None = None) -> Store:
        """Open (creating if needed) the store at a path or URL; runs pending migrations."""
        engine = make_engine(resolve_url(target))
        try:
            migrate.upgrade(engine)
        except Exception as exc:
            engine.dispose()
            raise StoreError(f"cannot open store {engine.url!r}: {exc}") from exc
        return cls(engine)

    def close(self) -> None:
        hooks, self.before_close = self.before_close, []
        for hook in hooks:
            hook()
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.connect().execution_options(**{WRITE_OPTION: True}) as conn:
            with conn.begin():
                yield conn

    # -------------------------------------------------------------- writes
    def save(self, analyses: Sequence[Analysis]) -> SaveResult:
        """Save a batch in ONE transaction; known documents are counted as duplicates.

        On any error nothing of the batch is kept and StoreError names the document.
        """
        analyses = list(analyses)
        try:
            with self._write() as conn:
                return queries.save(conn, analyses)
        except StoreError:
            raise
        except SQLAlchemyError as exc:
            culprit = self._find_culprit(analyses)
            detail = getattr(exc, "orig", None) or exc
            raise StoreError(f"cannot save document {culprit}: {detail}", culprit) from exc

    def reindex_search(self) -> int:
        """Rebuild the search index from the stored documents; returns how many."""
        with self._write() as conn:
            return _search.reindex(conn)

    def _find_culprit(self, analyses: list[Analysis]) -> str | None:
        """After a failed batch: replay it document by document (rolled back) to name one."""
        try:
            with self.engine.connect().execution_options(**{WRITE_OPTION: True}) as conn:
                trans = conn.begin()
                try:
                    for analysis in analyses:
                        nested = conn.begin_nested()
                        try:
                            queries.save(conn, [analysis])
                        except Exception:  # noqa: BLE001
                            nested.rollback()
                            return analysis.doc.id
                        nested.commit()
                finally:
                    trans.rollback()
        except SQLAlchemyError:
            pass
        return analyses[0].doc.id if len(analyses) == 1 else None

    # -------------------------------------------------------------- reads
    # Every read takes ``viewer`` (None: unrestricted local caller; a
    # marsad.share.viewer.Viewer: an organisation's caller) and sees only what the sharing
    # rule in queries.visible_documents lets through.  existing_ids/has_document are the
    # exception: deduplication must know every stored document (see document_status).

    def has_document(self, doc_id: str) -> bool:
        return bool(self.existing_ids([doc_id]))

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        with self._read() as conn:
            return queries.existing_ids(conn, ids)

    def document_status(self, doc_id: str, viewer: Any = None) -> str:
        """'absent', 'visible' or 'hidden' (stored, but not for this viewer): for ingest only."""
        with self._read() as conn:
            if not queries.existing_ids(conn, [doc_id]):
                return "absent"
            return "visible" if queries.get_document(conn, doc_id, viewer) else "hidden"

    def get_document(self, doc_id: str, *, viewer: Any = None) -> Document | None:
        with self._read() as conn:
            return queries.get_document(conn, doc_id, viewer)

    def get_analysis(self, doc_id: str, *, viewer: Any = None) -> Analysis | None:
        with self._read() as conn, conn.begin():  # one snapshot for all record kinds
            return queries.get_analysis(conn, doc_id, viewer)

    def search(self, query: str, *, limit: int = 20, offset: int = 0, viewer: Any = None,
               filters: queries.DocumentFilter | None = None, candidates: int | None = None) -> list[SearchHit]:
        """A page of hits, best first; ``candidates``: rank only the newest that many
        visible matches (bounded work for very common words; pages end there)."""
        with self._read() as conn:
            return _search.search(conn, query, limit=limit, offset=offset, viewer=viewer, filters=filters,
                                  candidates=candidates)

    def search_page(self, query: str, *, limit: int = 20, offset: int = 0, viewer: Any = None,
                    filters: queries.DocumentFilter | None = None,
                    candidates: int = 1000) -> tuple[list[SearchHit], int | None]:
        """A page of hits ranked among the newest ``candidates`` visible matches, and those
        matches counted in the same scan up to ``candidates + 1`` (None when the page is
        empty): search._ranked."""
        with self._read() as conn:
            return _search.search_page(conn, query, limit=limit, offset=offset, viewer=viewer, filters=filters,
                                       candidates=candidates)

    def count_search(self, query: str, *, viewer: Any = None,
                     filters: queries.DocumentFilter | None = None, cap: int | None = None) -> int:
        """Visible matches; with ``cap`` at most ``cap + 1`` (more than ``cap``)."""
        with self._read() as conn:
            return _search.count(conn, query, viewer=viewer, filters=filters, cap=cap)

    def facets(self, query: str | None = None, *, viewer: Any = None,
               filters: queries.DocumentFilter | None = None) -> dict[str, dict[str, int]]:
        with self._read() as conn:
            return _search.facets(conn, query, viewer=viewer, filters=filters)

    def generation(self) -> int:
        """The store generation (queries.generation): changes with anything a caller may see."""
        with self._read() as conn:
            return queries.generation(conn)

    def generations(self) -> tuple[int, int]:
        """(store generation, access generation): queries.generations."""
        with self._read() as conn:
            return queries.generations(conn)

    def cached_answer(self, key: str, generation: int) -> tuple[int | None, bytes] | None:
        """(total, body) kept by :meth:`keep_answer` for ``key`` at ``generation`` (marsad.store.answers)."""
        with self._read() as conn:
            return answers.get(conn, key, generation)

    def keep_answer(self, key: str, generation: int, total: int | None, body: bytes, *, prune: bool = False) -> None:
        with self._write() as conn:
            answers.put(conn, key, generation, total, body, prune=prune)

    def stats(self, *, viewer: Any = None) -> dict[str, int]:
        with self._read() as conn, conn.begin():
            return queries.stats(conn, viewer)

    def list_documents(self, *, limit: int = 50, offset: int = 0, viewer: Any = None,
                       filters: queries.DocumentFilter | None = None) -> list[Document]:
        with self._read() as conn:
            return queries.list_documents(conn, limit=limit, offset=offset, viewer=viewer, filters=filters)

    def count_documents(self, *, viewer: Any = None, filters: queries.DocumentFilter | None = None) -> int:
        with self._read() as conn:
            return queries.count_documents(conn, viewer=viewer, filters=filters)

    def list_quantities(self, *, category: str | None = None, place: str | None = None,
                        since: Any = None, until: Any = None, speaker: str | None = None,
                        tlp: Sequence[str] | None = None, limit: int = 100, offset: int = 0,
                        viewer: Any = None) -> list[dict]:
        with self._read() as conn:
            return queries.list_quantities(conn, category=category, place=place, since=since,
                                           until=until, speaker=speaker, tlp=tlp, limit=limit,
                                           offset=offset, viewer=viewer)

    def list_events(self, *, type: str | None = None, place: str | None = None,  # noqa: A002
                    since: Any = None, until: Any = None, actor: str | None = None,
                    tlp: Sequence[str] | None = None, limit: int = 100, offset: int = 0,
                    viewer: Any = None) -> list[dict]:
        with self._read() as conn:
            return queries.list_events(conn, type=type, place=place, since=since, until=until,
                                       actor=actor, tlp=tlp, limit=limit, offset=offset, viewer=viewer)

    def list_quotes(self, *, speaker: str | None = None, since: Any = None, until: Any = None,
                    tlp: Sequence[str] | None = None, limit: int = 100, offset: int = 0,
                    viewer: Any = None) -> list[dict]:
        with self._read() as conn:
            return queries.list_quotes(conn, speaker=speaker, since=since, until=until, tlp=tlp,
                                       limit=limit, offset=offset, viewer=viewer)

    def count_records(self, kind: str, **filters: Any) -> int:
        """Total of ``list_quantities``/``list_events``/``list_quotes`` (kind = quantities,
        events, quotes) for the same filters and ``viewer``, over all pages."""
        with self._read() as conn:
            return queries.count_records(conn, kind, **filters)

    def list_entities(self, *, type: str | None = None, limit: int = 100,  # noqa: A002
                      offset: int = 0, viewer: Any = None, query: str | None = None) -> list[dict]:
        with self._read() as conn:
            return queries.list_entities(conn, type=type, limit=limit, offset=offset, viewer=viewer,
                                         query=query)

    def count_entities(self, *, type: str | None = None, viewer: Any = None,  # noqa: A002
                       query: str | None = None) -> int:
        with self._read() as conn:
            return queries.count_entities(conn, type=type, viewer=viewer, query=query)

    def get_entity(self, entity_id: str, *, viewer: Any = None) -> dict | None:
        with self._read() as conn, conn.begin():
            return queries.get_entity(conn, entity_id, viewer)
