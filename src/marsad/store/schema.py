"""The store's schema (SQLAlchemy Core, one MetaData) for SQLite and PostgreSQL.

Spans (``start``, ``end``) are character offsets into ``documents.body``.  Every derived
row carries ``doc_id`` (provenance) and the TLP of its document.  ``*_key`` columns hold
``match_key`` forms used by the listing filters, so filtering is portable SQL (no
Python functions inside the database).

``search_text`` maps each document to its search row.  On SQLite ``search_text.id`` is the
rowid of the contentless FTS5 table ``search_fts`` (created by the migration) and the
normalised text is only in the index; on PostgreSQL the same token stream is stored as two
``tsvector`` columns with GIN indexes (:data:`search_vectors`, migration 0004).
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
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR

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
    Column("fused_at", DateTime),  # when marsad.fuse last took this document in
    Index(None, "fused_at"),  # the documents not fused yet, without a scan (migration 0005)
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
    Column("group_id", String(64)),  # claim group (marsad.fuse.claims)
    Index(None, "doc_id"),
    Index(None, "category"),
    Index(None, "group_id"),
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
    Column("fused_id", String(64)),  # fused event (marsad.fuse.events)
    Column("fuse_note", Text),  # why it joined that fused event
    Index(None, "doc_id"),
    Index(None, "type"),
    Index(None, "fused_id"),
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

def _search_side_columns() -> list[Column]:
    """The document columns that searches filter and count on, copied beside the search row
    (migration 0006; written by the save path, kept in step by a trigger on ``documents``):
    totals, facets and the ranking candidates of a search then never read the wide
    ``documents`` rows, whose ``tlp`` and ``owner`` sit behind the body."""
    return [
        Column("owner", Text),
        Column("tlp", String(16)),
        Column("outlet", Text),
        Column("published", Date),
    ]


search_text = Table(
    "search_text",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),  # = search_fts rowid
    Column("doc_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"),
           nullable=False, unique=True),
    # Unused since 0004 (NULL): on SQLite the text lives only in the contentless FTS5
    # index, on PostgreSQL in the tsvector columns of ``search_vectors``.
    Column("variants", Text),  # every token's key and clitic-stripped forms
    Column("stems", Text),  # one stem per token, for phrase queries
    *_search_side_columns(),
)

#: PostgreSQL only (migration 0004): the search columns of ``search_text`` as ``tsvector``,
#: filled from the token stream of marsad.store.search (never PostgreSQL's own parser), each
#: with a GIN index.  In a MetaData of its own because SQLite has no such columns, so the
#: main ``metadata`` keeps describing both back-ends.
pg_search_metadata = MetaData(naming_convention=NAMING)
search_vectors = Table(
    "search_text",
    pg_search_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(64), nullable=False, unique=True),
    Column("variants_tsv", TSVECTOR),  # every form of every token, at the token's position
    Column("stems_tsv", TSVECTOR),  # one stem per token at its position, for phrases (<->)
    *_search_side_columns(),
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

# ---------------------------------------------------------------------------- fusion
# Written by marsad.fuse.  Fusion never rewrites the extracted records: entity merges are
# evidence edges between the per-document entities (reversible: an analyst's split
# deactivates them and records a cannot-link), claim groups and fused events are a group id
# beside each record.  Cross-document statuses (corroborated, contradicted) are computed at
# read time from the members the caller may see.

entity_links = Table(
    "entity_links",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("a", String(64), ForeignKey("entities.id"), nullable=False),
    Column("b", String(64), ForeignKey("entities.id"), nullable=False),
    Column("rule", String(32), nullable=False),  # alias|surname|title|spelling|english|geonames|manual
    Column("evidence", Text, nullable=False),  # one readable sentence: why a and b are one
    Column("score", Float, nullable=False, default=1.0),
    # the document whose text supports the link (None: curated data or an analyst)
    Column("doc_id", String(64), ForeignKey("documents.id", ondelete="CASCADE")),
    Column("origin", String(8), nullable=False, default="auto"),  # auto | manual
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime, nullable=False),
    Index(None, "a"),
    Index(None, "b"),
    Index(None, "doc_id"),
)

entity_splits = Table(  # cannot-link pairs an analyst set; automatic fusion respects them
    "entity_splits",
    metadata,
    Column("a", String(64), primary_key=True),
    Column("b", String(64), primary_key=True),
    Column("created_at", DateTime, nullable=False),
    Column("note", Text),
)

role_mentions = Table(  # a title without a name ("رئيس جهاز المخابرات") resolved to its holder
    "role_mentions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _doc_fk(),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("field", String(8), nullable=False, default="body"),  # body | title (spans into that field)
    Column("role", Text, nullable=False),  # English role, as persons' roles
    Column("entity_id", String(64), ForeignKey("entities.id"), nullable=False),
    Column("evidence", Text, nullable=False),
    # the document that named the holder with this role (visibility of the inference)
    Column("holder_doc_id", String(64), ForeignKey("documents.id", ondelete="CASCADE")),
    Column("tlp", String(16), nullable=False, default="CLEAR"),
    Index(None, "doc_id"),
    Index(None, "entity_id"),
)

source_reliability = Table(  # admiralty-style grade per outlet or speaker, set by the user
    "source_reliability",
    metadata,
    Column("source_key", Text, primary_key=True),  # match_key of the outlet or source name
    Column("name", Text, nullable=False),
    Column("grade", String(1), nullable=False),  # A (reliable) .. F (cannot be judged)
    Column("note", Text),
    Column("updated_at", DateTime, nullable=False),
)


# ---------------------------------------------------------------------------- fusion at scale
# Migration 0005: what incremental fusion looks up instead of reading whole tables. All of it
# is derived (marsad.store.fusion writes it when a document is first fused, and a rebuild
# rewrites it), so none of it is ever edited by hand.

entity_keys = Table(  # the blocking keys of marsad.fuse.entities, one row per entity
    "entity_keys",
    metadata,
    Column("entity_id", String(64), ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
    Column("type", String(16), nullable=False),
    Column("skeleton", Text, nullable=False),  # marsad.fuse.names.skeleton(name)
    Column("prefix", String(8), nullable=False),  # its first two letters (fuzzy blocking)
    Column("length", Integer, nullable=False),  # its length (fuzzy: ratio >= 92 bounds it)
    Column("english", Text),  # english_key(canonical)
    Column("surname", Text),  # surname(name), two words or more
    Column("single_word", Boolean, nullable=False),
    Column("geonames_id", Integer),
    Index(None, "type", "skeleton"),
    Index(None, "type", "english"),
    Index(None, "type", "prefix", "length"),
    Index(None, "surname"),
    Index(None, "geonames_id"),
)

fusion_documents = Table(  # per document: what fusion derived from it once
    "fusion_documents",
    metadata,
    Column("doc_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    # the places it is about, most mentioned first: [[English name, lat, lon, kind], ...]
    Column("places", JSON, nullable=False),
    Column("titles_scanned", Boolean, nullable=False, default=False),  # title_references are complete
)

title_references = Table(  # every bare title of a document, resolved or not (role_references)
    "title_references",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _doc_fk(),
    Column("field", String(8), nullable=False),  # body | title
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("role_key", Text, nullable=False),  # marsad.fuse.roles.role_key(role)
    Index(None, "doc_id"),
    Index(None, "role_key"),
)

role_assertions = Table(  # a person named with a post in a document: who held it on its date
    "role_assertions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _doc_fk(),
    Column("role_key", Text, nullable=False),
    Column("entity_id", String(64), ForeignKey("entities.id", ondelete="CASCADE"), nullable=False),
    Column("name", Text, nullable=False),
    Column("day", Date, nullable=False),
    Index(None, "doc_id"),
    Index(None, "role_key"),
    Index(None, "role_key", "day"),  # the holder of a post on a day, by index (migration 0008)
)

claim_spots = Table(  # a grouped claim's places and time buckets (marsad.fuse.claims.GroupIndex keys)
    "claim_spots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("quantity_id", Integer, ForeignKey("quantities.id", ondelete="CASCADE"), nullable=False),
    _doc_fk(),
    Column("category", Text, nullable=False),
    Column("bucket_lo", Integer, nullable=False),
    Column("bucket_hi", Integer, nullable=False),
    Column("name", Text),  # the place's English name; NULL: the claim has no place at all
    Column("cell_y", Integer),  # one-degree cell of the place, where it has coordinates
    Column("cell_x", Integer),
    Column("lat", Float),
    Column("lon", Float),
    Column("reach_km", Float),  # marsad.fuse.claims.reach_km of the place's kind
    # what the lookups filter on beyond place and time (migration 0008): a figure's kind, and its
    # interval (marsad.fuse.claims.interval; an unbounded end as fusion.UNBOUNDED), which decides
    # for figures further apart than their category's window of one state
    Column("kind", String(8)),
    Column("value_lo", Float),
    Column("value_hi", Float),
    Column("day_lo", Integer),  # the figure's period in day ordinals (the buckets are half months)
    Column("day_hi", Integer),
    Column("stated", Boolean),  # the figure's clause names the place (else: a place of its report)
    Column("year", String(4)),  # a figure dated by its year alone: the year (else "")
    Column("group_id", String(64)),  # its claim group (as quantities.group_id)
    Index(None, "quantity_id"),
    Index(None, "group_id", "bucket_lo"),  # a group's figures near a time, figure by figure
    Index(None, "doc_id"),
    Index(None, "category", "cell_y", "cell_x"),
    Index(None, "category", "name"),
    # the probes of fusion._candidates: a place (or each cell of a box), then a time range
    Index(None, "category", "name", "bucket_lo"),
    Index(None, "category", "cell_y", "cell_x", "bucket_lo"),
)

group_spots = Table(  # claim_spots by group, place and first time bucket (migration 0008)
    # a new figure's first lookups read these, one row per group and place and half month,
    # instead of every figure there; only a group none of whose rows' sample decides is read
    # figure by figure (fusion._candidates)
    "group_spots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("group_id", String(64), nullable=False),
    Column("category", Text, nullable=False),
    Column("kind", String(8), nullable=False),
    Column("bucket_lo", Integer, nullable=False),
    Column("bucket_hi", Integer, nullable=False),  # the latest last bucket of its figures
    Column("name", Text),
    Column("cell_y", Integer),
    Column("cell_x", Integer),
    Column("lat", Float),
    Column("lon", Float),
    Column("reach_km", Float),
    Column("value_lo", Float, nullable=False),  # the hull of its figures' intervals
    Column("value_hi", Float, nullable=False),
    Column("day_lo", Integer, nullable=False),  # the hull of its figures' periods (day ordinals)
    Column("day_hi", Integer, nullable=False),
    Column("stated", Boolean, nullable=False),
    Column("year", String(4), nullable=False),
    Column("quantity_id", Integer, nullable=False),  # one of its figures (the sample)
    Column("doc_id", String(64), nullable=False),  # the sample's document
    Column("members", Integer, nullable=False),  # how many figures it stands for
    Index(None, "group_id"),
    Index(None, "category", "name", "bucket_lo"),
    Index(None, "category", "cell_y", "cell_x", "bucket_lo"),
)

fused_summaries = Table(  # each fused event as new events are judged against it (migration 0008)
    "fused_summaries",
    metadata,
    Column("fused_id", String(64), primary_key=True),
    Column("type", String(32), nullable=False),
    Column("first_day", Integer, nullable=False),  # day ordinals over its members
    Column("last_day", Integer, nullable=False),
    Column("summary", JSON, nullable=False),  # marsad.fuse.events.FusedEvent.to_json
    Index(None, "type", "first_day"),
)

claim_group_status = Table(  # each claim group's verdict over all its members, kept by fusion (migration 0007)
    "claim_group_status",
    metadata,
    Column("group_id", String(64), primary_key=True),
    Column("status", String(16), nullable=False),  # corroborated | contradicted | single
    Column("members", Integer, nullable=False),
    # "FIRST/LAST" days over all members, "" when none is dated, NULL: not computed yet (0008)
    Column("span", String(21)),
    # independent sources (outlet and speaker) behind it: exact when judged from its members, at
    # most this many when a contradicted group grew (0008); the order contradictions are read in
    Column("sources", Integer),
    Index(None, "status"),
)

fusion_state = Table(  # one row per flag; "rebuild": the next `marsad fuse` rebuilds first
    "fusion_state",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", Text, nullable=False),
)


RECORD_TABLES = {
    "mentions": mentions,
    "quantities": quantities,
    "dates": dates,
    "events": events,
    "quotes": quotes,
}

# ---------------------------------------------------------------------------- sharing
# Written by marsad.share.  Organisations and groups are referred to by NAME everywhere
# (documents.owner, document_shares.target, audit_log.org) so that the visibility rule in
# queries.visible_documents is plain column comparisons, with no join per statement.

organisations = Table(
    "organisations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False, unique=True),
    Column("note", Text),
    Column("created_at", DateTime, nullable=False),
)

sharing_groups = Table(  # MISP "sharing groups": named sets of organisations
    "sharing_groups",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False, unique=True),
    Column("note", Text),
    Column("created_at", DateTime, nullable=False),
)

group_members = Table(
    "group_members",
    metadata,
    Column("group_id", Integer, ForeignKey("sharing_groups.id", ondelete="CASCADE"), primary_key=True),
    Column("org_id", Integer, ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
    Index(None, "org_id"),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("org_id", Integer, ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False),
    Column("user", Text),  # who holds the token (a label; the token is the credential)
    Column("scopes", Text, nullable=False),  # space-separated, cumulative: read [write [admin]]
    Column("secret_hash", String(64), nullable=False, unique=True),  # SHA-256 hex; never the token
    Column("prefix", String(16), nullable=False),  # first characters, to recognise a token in lists
    Column("created_at", DateTime, nullable=False),
    Column("last_used_at", DateTime),
    Column("revoked_at", DateTime),
    Index(None, "org_id"),
)

document_shares = Table(  # explicit sharing of one document with an organisation or a group
    "document_shares",
    metadata,
    Column("doc_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(8), primary_key=True),  # org | group
    Column("target", Text, primary_key=True),  # organisation or group name
    Column("created_at", DateTime, nullable=False),
    Index(None, "kind", "target"),
)

audit_log = Table(  # append-only: nothing in Marsad updates or deletes these rows
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("org", Text),  # None: the unrestricted local caller
    Column("token_id", Integer),  # no foreign key: the log outlives revoked/deleted tokens
    Column("action", String(16), nullable=False),  # read|search|export|ingest|change|login
    Column("target", Text),
    Column("detail", JSON),
    Index(None, "at"),
    Index(None, "org"),
)


#: One row (id 1): a counter that database triggers (migration 0004) raise on every change
#: to what a caller may see in search results: documents (added, removed, re-marked),
#: their shares and group memberships.  Readers compare it to keep per-viewer caches
#: (search totals and facets in the API) without being told about writes by other processes.
#: Row 2 (migration 0006), the access generation: raised on every change to tokens (not
#: their last use), organisation and group names, so the API may remember who a token is.
store_generation = Table(
    "store_generation",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("value", Integer, nullable=False),
)


#: Answers computed for API callers (search pages), shared by every process serving the
#: store (uvicorn workers) so each answer is computed once per store generation, not once
#: per worker (migration 0006; marsad.store.answers).  ``key`` is a digest of what was asked
#: and by whom (the viewer's organisation and groups); an entry counts only while
#: ``generation`` is the current store generation.
answer_cache = Table(
    "answer_cache",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("generation", Integer, nullable=False),
    Column("total", Integer),
    Column("body", LargeBinary, nullable=False),
    Column("stored_at", Float, nullable=False),
    Index(None, "stored_at"),
)
