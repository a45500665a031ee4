"""Full-text search on PostgreSQL, and the store generation counter.

* PostgreSQL: two ``tsvector`` columns on ``search_text`` filled from the same normalised
  token stream the SQLite FTS5 index uses (marsad.store.search), each with a GIN index; the
  interim LIKE text columns are emptied.  Existing rows are converted by recomputing each
  document's tokens in Python, exactly as ``Store.reindex_search`` does.  On SQLite the FTS5
  virtual table (0001) already does this job.
* Both back-ends: ``store_generation`` (one row) and triggers that raise it on every change
  to documents (except ``fused_at``), document shares and group memberships, so caches of
  per-viewer results notice writes made by any process.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import TSVECTOR

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BATCH = 2000
#: table -> the changes that alter what callers may see
WATCHED = {
    "documents": ("INSERT", "DELETE", "UPDATE OF tlp, owner, title, body, outlet, published"),
    "document_shares": ("INSERT", "DELETE", "UPDATE"),
    "group_members": ("INSERT", "DELETE", "UPDATE"),
}
BUMP = "UPDATE store_generation SET value = value + 1 WHERE id = 1"


def _trigger_name(table: str, event: str) -> str:
    return f"bump_generation_{table}_{event.split()[0].lower()}"


def upgrade() -> None:
    op.create_table(
        "store_generation",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_store_generation")),
    )
    op.execute("INSERT INTO store_generation (id, value) VALUES (1, 0)")
    if op.get_bind().dialect.name == "sqlite":
        for table, events in WATCHED.items():
            for event in events:
                op.execute(f"CREATE TRIGGER {_trigger_name(table, event)} AFTER {event} ON {table} "
                           f"BEGIN {BUMP}; END")
        return
    op.execute("CREATE OR REPLACE FUNCTION marsad_bump_generation() RETURNS trigger AS $$ "
               f"BEGIN {BUMP}; RETURN NULL; END $$ LANGUAGE plpgsql")
    for table, events in WATCHED.items():
        for event in events:
            op.execute(f"CREATE TRIGGER {_trigger_name(table, event)} AFTER {event} ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION marsad_bump_generation()")

    op.add_column("search_text", sa.Column("variants_tsv", TSVECTOR(), nullable=True))
    op.add_column("search_text", sa.Column("stems_tsv", TSVECTOR(), nullable=True))
    from marsad.store.search import reindex

    reindex(op.get_bind(), batch=BATCH)
    op.execute("UPDATE search_text SET variants = NULL, stems = NULL "
               "WHERE variants IS NOT NULL OR stems IS NOT NULL")
    op.create_index("ix_search_text_variants_tsv", "search_text", ["variants_tsv"], postgresql_using="gin")
    op.create_index("ix_search_text_stems_tsv", "search_text", ["stems_tsv"], postgresql_using="gin")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, events in WATCHED.items():
        for event in events:
            op.execute(f"DROP TRIGGER IF EXISTS {_trigger_name(table, event)}" + ("" if sqlite else f" ON {table}"))
    op.drop_table("store_generation")
    if sqlite:
        return
    op.execute("DROP FUNCTION IF EXISTS marsad_bump_generation()")
    from marsad.store.search import index_text

    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT s.id, d.title, d.body FROM search_text s JOIN documents d ON d.id = s.doc_id")).all()
    update = sa.text("UPDATE search_text SET variants = :v, stems = :s WHERE id = :rid")
    for i in range(0, len(rows), BATCH):
        params = [{"rid": r.id, **dict(zip(("v", "s"), index_text(r.title, r.body), strict=True))}
                  for r in rows[i:i + BATCH]]
        bind.execute(update, params)
    op.drop_index("ix_search_text_stems_tsv", table_name="search_text")
    op.drop_index("ix_search_text_variants_tsv", table_name="search_text")
    op.drop_column("search_text", "stems_tsv")
    op.drop_column("search_text", "variants_tsv")
