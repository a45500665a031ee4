"""Fusion across reports: entity links (reversible merges), analyst splits, title
references resolved to their holders, source reliability grades, claim groups and fused
events beside the extracted records, and the per-document fused flag.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "entity_links",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("a", sa.String(length=64), nullable=False),
        sa.Column("b", sa.String(length=64), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("doc_id", sa.String(length=64), nullable=True),
        sa.Column("origin", sa.String(length=8), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["a"], ["entities.id"], name=op.f("fk_entity_links_a_entities")),
        sa.ForeignKeyConstraint(["b"], ["entities.id"], name=op.f("fk_entity_links_b_entities")),
        sa.ForeignKeyConstraint(["doc_id"], ["documents.id"], name=op.f("fk_entity_links_doc_id_documents"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_links")),
    )
    op.create_index(op.f("ix_entity_links_a"), "entity_links", ["a"], unique=False)
    op.create_index(op.f("ix_entity_links_b"), "entity_links", ["b"], unique=False)
    op.create_index(op.f("ix_entity_links_doc_id"), "entity_links", ["doc_id"], unique=False)
    op.create_table(
        "entity_splits",
        sa.Column("a", sa.String(length=64), nullable=False),
        sa.Column("b", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("a", "b", name=op.f("pk_entity_splits")),
    )
    op.create_table(
        "role_mentions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("doc_id", sa.String(length=64), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("field", sa.String(length=8), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("holder_doc_id", sa.String(length=64), nullable=True),
        sa.Column("tlp", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["doc_id"], ["documents.id"], name=op.f("fk_role_mentions_doc_id_documents"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["entity_id"], ["entities.id"], name=op.f("fk_role_mentions_entity_id_entities")),
        sa.ForeignKeyConstraint(["holder_doc_id"], ["documents.id"],
                                name=op.f("fk_role_mentions_holder_doc_id_documents"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_mentions")),
    )
    op.create_index(op.f("ix_role_mentions_doc_id"), "role_mentions", ["doc_id"], unique=False)
    op.create_index(op.f("ix_role_mentions_entity_id"), "role_mentions", ["entity_id"], unique=False)
    op.create_table(
        "source_reliability",
        sa.Column("source_key", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("grade", sa.String(length=1), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("source_key", name=op.f("pk_source_reliability")),
    )
    op.add_column("documents", sa.Column("fused_at", sa.DateTime(), nullable=True))
    op.add_column("quantities", sa.Column("group_id", sa.String(length=64), nullable=True))
    op.create_index(op.f("ix_quantities_group_id"), "quantities", ["group_id"], unique=False)
    op.add_column("events", sa.Column("fused_id", sa.String(length=64), nullable=True))
    op.add_column("events", sa.Column("fuse_note", sa.Text(), nullable=True))
    op.create_index(op.f("ix_events_fused_id"), "events", ["fused_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_events_fused_id"), table_name="events")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("fuse_note")
        batch.drop_column("fused_id")
    op.drop_index(op.f("ix_quantities_group_id"), table_name="quantities")
    with op.batch_alter_table("quantities") as batch:
        batch.drop_column("group_id")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("fused_at")
    op.drop_table("source_reliability")
    op.drop_index(op.f("ix_role_mentions_entity_id"), table_name="role_mentions")
    op.drop_index(op.f("ix_role_mentions_doc_id"), table_name="role_mentions")
    op.drop_table("role_mentions")
    op.drop_table("entity_splits")
    op.drop_index(op.f("ix_entity_links_doc_id"), table_name="entity_links")
    op.drop_index(op.f("ix_entity_links_b"), table_name="entity_links")
    op.drop_index(op.f("ix_entity_links_a"), table_name="entity_links")
    op.drop_table("entity_links")
