"""Search-side visibility columns, and a table of API answers shared by all processes.

* ``owner``, ``tlp``, ``outlet`` and ``published`` copied from ``documents`` onto each
  ``search_text`` row.

  Search totals, facets and the ranking candidates filter every match by the sharing rule;
  on ``documents`` that reads each match's wide row (``tlp`` and ``owner`` come after the
  body), which made a count over a common word cost hundreds of milliseconds at 100,000
  reports.  ``search_text`` is narrow (on SQLite its id is the FTS5 rowid; on PostgreSQL the
  tsvectors live out of line), so the rule applied to these copies touches only small rows.

  Kept in step by the save path (new rows carry the values) and by a row trigger on
  ``documents`` that copies the four columns whenever one of them changes, whoever changes it.
* ``answer_cache``: search answers per (question and viewer) digest and store generation,
  so the uvicorn workers of one server compute each answer once (marsad.store.answers).
* A second counter in ``store_generation`` (row 2, the "access generation"), raised by
  triggers on every change to tokens (except their last use), organisation and group names,
  so the API can remember which Viewer a token stands for until one of them changes.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COLUMNS = ("owner", "tlp", "outlet", "published")
TRIGGER = "sync_search_side_documents_update"
FUNCTION = "marsad_sync_search_side()"
_SET = ", ".join(f"{c} = NEW.{c}" for c in COLUMNS)
#: table -> the changes that alter who a token stands for (group memberships raise row 1)
ACCESS_WATCHED = {
    "api_tokens": ("INSERT", "DELETE", "UPDATE OF org_id, scopes, secret_hash, revoked_at"),
    "organisations": ("DELETE", "UPDATE OF name"),
    "sharing_groups": ("DELETE", "UPDATE OF name"),
}
ACCESS_BUMP = "UPDATE store_generation SET value = value + 1 WHERE id = 2"
ACCESS_FUNCTION = "marsad_bump_access_generation()"


def _access_trigger(table: str, event: str) -> str:
    return f"bump_access_generation_{table}_{event.split()[0].lower()}"


def upgrade() -> None:
    op.create_table(
        "answer_cache",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("stored_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_answer_cache")),
    )
    op.create_index(op.f("ix_answer_cache_stored_at"), "answer_cache", ["stored_at"], unique=False)
    op.execute("INSERT INTO store_generation (id, value) VALUES (2, 0)")
    if op.get_bind().dialect.name == "sqlite":
        for table, events in ACCESS_WATCHED.items():
            for event in events:
                op.execute(f"CREATE TRIGGER {_access_trigger(table, event)} AFTER {event} ON {table} "
                           f"BEGIN {ACCESS_BUMP}; END")
    else:
        op.execute(f"CREATE OR REPLACE FUNCTION {ACCESS_FUNCTION} RETURNS trigger AS $$ "
                   f"BEGIN {ACCESS_BUMP}; RETURN NULL; END $$ LANGUAGE plpgsql")
        for table, events in ACCESS_WATCHED.items():
            for event in events:
                op.execute(f"CREATE TRIGGER {_access_trigger(table, event)} AFTER {event} ON {table} "
                           f"FOR EACH STATEMENT EXECUTE FUNCTION {ACCESS_FUNCTION}")
    with op.batch_alter_table("search_text") as batch:
        batch.add_column(sa.Column("owner", sa.Text(), nullable=True))
        batch.add_column(sa.Column("tlp", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("outlet", sa.Text(), nullable=True))
        batch.add_column(sa.Column("published", sa.Date(), nullable=True))
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("UPDATE search_text SET (" + ", ".join(COLUMNS) + ") = (SELECT "
                   + ", ".join(f"d.{c}" for c in COLUMNS) + " FROM documents d WHERE d.id = search_text.doc_id)")
        op.execute(f"CREATE TRIGGER {TRIGGER} AFTER UPDATE OF {', '.join(COLUMNS)} ON documents "
                   f"BEGIN UPDATE search_text SET {_SET} WHERE doc_id = NEW.id; END")
        return
    op.execute("UPDATE search_text s SET " + ", ".join(f"{c} = d.{c}" for c in COLUMNS)
               + " FROM documents d WHERE d.id = s.doc_id")
    op.execute(f"CREATE OR REPLACE FUNCTION {FUNCTION} RETURNS trigger AS $$ "
               f"BEGIN UPDATE search_text SET {_SET} WHERE doc_id = NEW.id; RETURN NULL; END $$ LANGUAGE plpgsql")
    op.execute(f"CREATE TRIGGER {TRIGGER} AFTER UPDATE OF {', '.join(COLUMNS)} ON documents "
               f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}")
    op.execute("ANALYZE search_text")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, events in ACCESS_WATCHED.items():
        for event in events:
            op.execute(f"DROP TRIGGER IF EXISTS {_access_trigger(table, event)}" + ("" if sqlite else f" ON {table}"))
    if not sqlite:
        op.execute(f"DROP FUNCTION IF EXISTS {ACCESS_FUNCTION}")
    op.execute("DELETE FROM store_generation WHERE id = 2")
    op.drop_index(op.f("ix_answer_cache_stored_at"), table_name="answer_cache")
    op.drop_table("answer_cache")
    op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}" + ("" if sqlite else " ON documents"))
    if not sqlite:
        op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}")
    with op.batch_alter_table("search_text") as batch:
        for column in reversed(COLUMNS):
            batch.drop_column(column)
