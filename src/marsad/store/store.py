"""The Store: composes the engine, migrations, query and search functions."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from marsad.records import Analysis, Document

from . import migrate, queries, search as _search
from .engine import WRITE_OPTION, make_engine, resolve_url
from .queries import SaveResult, StoreError
from .search import SearchHit


class Store:
    """Marsad's database: SQLite by default (WAL), PostgreSQL through a URL."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.url: str = engine.url.render_as_string(hide_password=True)

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
    def has_document(self, doc_id: str) -> bool:
        return bool(self.existing_ids([doc_id]))

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        with self._read() as conn:
            return queries.existing_ids(conn, ids)

    def get_document(self, doc_id: str) -> Document | None:
        with self._read() as conn:
            return queries.get_document(conn, doc_id)

    def get_analysis(self, doc_id: str) -> Analysis | None:
        with self._read() as conn, conn.begin():  # one snapshot for all record kinds
            return queries.get_analysis(conn, doc_id)

    def search(self, query: str, *, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        with self._read() as conn:
            return _search.search(conn, query, limit=limit, offset=offset)

    def count_search(self, query: str) -> int:
        with self._read() as conn:
            return _search.count(conn, query)

    def stats(self) -> dict[str, int]:
        with self._read() as conn, conn.begin():
            return queries.stats(conn)

    def list_documents(self, *, limit: int = 50, offset: int = 0) -> list[Document]:
        with self._read() as conn:
            return queries.list_documents(conn, limit=limit, offset=offset)

    def list_quantities(self, *, category: str | None = None, place: str | None = None,
                        since: Any = None, until: Any = None, speaker: str | None = None,
                        limit: int = 100, offset: int = 0) -> list[dict]:
        with self._read() as conn:
            return queries.list_quantities(conn, category=category, place=place, since=since,
                                           until=until, speaker=speaker, limit=limit,
                                           offset=offset)

    def list_events(self, *, type: str | None = None, place: str | None = None,  # noqa: A002
                    since: Any = None, until: Any = None, actor: str | None = None,
                    limit: int = 100, offset: int = 0) -> list[dict]:
        with self._read() as conn:
            return queries.list_events(conn, type=type, place=place, since=since, until=until,
                                       actor=actor, limit=limit, offset=offset)

    def list_quotes(self, *, speaker: str | None = None, since: Any = None, until: Any = None,
                    limit: int = 100, offset: int = 0) -> list[dict]:
        with self._read() as conn:
            return queries.list_quotes(conn, speaker=speaker, since=since, until=until,
                                       limit=limit, offset=offset)

    def list_entities(self, *, type: str | None = None, limit: int = 100,  # noqa: A002
                      offset: int = 0) -> list[dict]:
        with self._read() as conn:
            return queries.list_entities(conn, type=type, limit=limit, offset=offset)
