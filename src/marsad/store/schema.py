"""The store's schema (SQLAlchemy Core, one MetaData) for SQLite and PostgreSQL.

Spans (``start``, ``end``) are character offsets into ``documents.body``.  Every derived
row carries ``doc_id`` (provenance) and the TLP of its document.  ``*_key`` columns hold
``match_key`` forms used by the listing filters, so filtering is portable SQL (no
Python functions inside the database).

``search_text`` maps each document to its search row.  On SQLite ``search_text.id`` is the
rowid of the contentless FTS5 table ``search_fts`` (created by the migration) and the
normalised text is only in the index; on PostgreSQL the normalised text is stored in
``search_text`` and searched with LIKE for now (interim, see search.py).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

FTS_TABLE = "search_fts"


def _doc_fk() -> Column:
    return Column("doc_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)


documents = Table(
    "documents",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("title", Text, nullable=False, default=""),
    Column("body", Text, nullable=False),
    Column("source", Text, nullable=False, default=""),
    Column("outlet", Text),
    Column("published", Date),
    Column("url", Text),
    Column("language", String(16), nullable=False, default="ar"),
    Column("tlp", String(16), nullable=False, default="CLEAR"),
    Column("owner", Text),
    Column("ingested_at", DateTime),
    Index(None, "published"),
    Index(None, "outlet"),
    Index(None, "ingested_at"),
)

entities = Table(
    "entities",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("type", String(16), nullable=False),
    Column("name", Text, nullable=False),  # Arabic canonical surface
    Column("name_key", Text, nullable=False),  # match_key(name)
    Column("canonical", Text),  # English
    Column("lat", Float),
    Column("lon", Float),
    Column("geo_kind", String(32)),
    Column("geonames_id", Integer),
    Column("first_seen", Date),
    Index(None, "type"),
    Index(None, "name_key"),
)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _doc_fk(),
    Column("entity_id", String(64), ForeignKey("entities.id"), nullable=False),
    Column("idx", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("type", String(16), nullable=False),
    Column("role", Text),
    Column("confidence", Float, nullable=False, default=1.0),
    Column("tlp", String(16), nullable=False, default="CLEAR"),
    Index(None, "doc_id"),
    Index(None, "entity_id"),
    Index(None, "type"),
)

quantities = Table(
    "quantities",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _doc_fk(),
    Column("idx", Integer, nullable=False),  # position in the document's list
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("value", Float, nullable=False),
    Column("low", Float),
    Column("high", Float),
    Column("qualifier", String(16), nullable=False, default="exact"),
    Column("what", Text),
    Column("category", Text),
    Column("where_text", Text),
    Column("where_key", Text),
    Column("when_text", String(32)),
    Column("source", Text),
    Column("source_key", Text),
    Column("parent_idx", Integer),
    Column("kind", String(16), nullable=False, default="stock"),
    Column("confidence", Float, nullable=False, default=0.5),
    Column("tlp", String(16), nullable=False, default="CLEAR"),
    Index(None, "doc_id"),
    Index(None, "category"),
    Index(None, "when_text"),
)

dates = Table(
    "dates",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _doc_fk(),
    Column("idx", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("normalized", String(32)),
    Column("calendar", String(16), nullable=False, default="gregorian"),
    Column("relative", Boolean, nullable=False, default=False),
    Column("note", Text),
    Column("tlp", String(16), nullable=False, default="CLEAR"),
    Index(None, "doc_id"),
    Index(None, "normalized"),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _doc_fk(),
    Column("idx", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("trigger", Text, nullable=False),
    Column("type", String(32), nullable=False),
    Column("actors", JSON, nullable=False),
    Column("targets", JSON, nullable=False),
    Column("actors_key", Text),  # match_key of actors and targets, one per line
    Column("where_text", Text),
    Column("where_key", Text),
    Column("when_text", String(32)),
    Column("source", Text),
    Column("modality", String(16), nullable=False, default="asserted"),
    Column("plover", String(32)),
    Column("confidence", Float, nullable=False, default=0.5),
    Column("tlp", String(16), nullable=False, default="CLEAR"),
    Index(None, "doc_id"),
    Index(None, "type"),
    Index(None, "when_text"),
)

quotes = Table(
    "quotes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _doc_fk(),
    Column("idx", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("speaker", Text),
    Column("speaker_key", Text),
    Column("cue", Text),
    Column("speaker_kind", String(16)),
    Column("channel", Text),
    Column("direct", Boolean, nullable=False, default=True),
    Column("confidence", Float, nullable=False, default=0.5),
    Column("tlp", String(16), nullable=False, default="CLEAR"),
    Index(None, "doc_id"),
    Index(None, "speaker_key"),
)

search_text = Table(
    "search_text",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),  # = search_fts rowid
    Column("doc_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"),
           nullable=False, unique=True),
    # PostgreSQL only (interim LIKE search); on SQLite the text lives only in the
    # contentless FTS5 index, keeping the database about half the size.
    Column("variants", Text),  # every token's key and clitic-stripped forms
    Column("stems", Text),  # one stem per token, for phrase queries
)

ingest_log = Table(
    "ingest_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("new", Integer, nullable=False),
    Column("duplicates", Integer, nullable=False),
    Column("note", Text),
)

RECORD_TABLES = {
    "mentions": mentions,
    "quantities": quantities,
    "dates": dates,
    "events": events,
    "quotes": quotes,
}
