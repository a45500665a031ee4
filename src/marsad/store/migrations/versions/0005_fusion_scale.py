"""Fusion at scale: the keys and derived rows incremental fusion looks up instead of reading
whole tables (see marsad.store.fusion and docs/fusion.md).

* ``entity_keys``: each entity's blocking keys (Arabic skeleton, its prefix and length, English
  key, family name, GeoNames id), indexed, so link proposals are SQL lookups;
* ``fusion_documents``: per document the places it is about and whether its bare titles were
  looked for; ``title_references``: every bare title found (resolved or not), so a rebuild or a
  holder named later only re-resolves stored references; ``role_assertions``: who was named
  with which post, by post key;
* ``claim_spots``: each grouped claim's places, one-degree cells and time buckets, so the
  candidates of a new claim are filtered by category, time and place in SQL;
* an index on ``documents.fused_at`` (the documents not fused yet);
* ``fusion_state``: flags; a store already fused before this revision gets ``rebuild``, so the
  next ``marsad fuse`` (or ``Store.fuse``) rebuilds once and fills the new tables from the
  existing rows (analysts' merges and splits are kept, as by every rebuild).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _doc_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["doc_id"], ["documents.id"], name=op.f(f"fk_{table}_doc_id_documents"),
                                   ondelete="CASCADE")


def upgrade() -> None:
    op.create_index(op.f("ix_documents_fused_at"), "documents", ["fused_at"], unique=False)
    op.create_table(
        "entity_keys",
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("skeleton", sa.Text(), nullable=False),
        sa.Column("prefix", sa.String(length=8), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("english", sa.Text(), nullable=True),
        sa.Column("surname", sa.Text(), nullable=True),
        sa.Column("single_word", sa.Boolean(), nullable=False),
        sa.Column("geonames_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["entity_id"], ["entities.id"], name=op.f("fk_entity_keys_entity_id_entities"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("entity_id", name=op.f("pk_entity_keys")),
    )
    op.create_index(op.f("ix_entity_keys_type_skeleton"), "entity_keys", ["type", "skeleton"], unique=False)
    op.create_index(op.f("ix_entity_keys_type_english"), "entity_keys", ["type", "english"], unique=False)
    op.create_index(op.f("ix_entity_keys_type_prefix_length"), "entity_keys", ["type", "prefix", "length"],
                    unique=False)
    op.create_index(op.f("ix_entity_keys_surname"), "entity_keys", ["surname"], unique=False)
    op.create_index(op.f("ix_entity_keys_geonames_id"), "entity_keys", ["geonames_id"], unique=False)
    op.create_table(
        "fusion_documents",
        sa.Column("doc_id", sa.String(length=64), nullable=False),
        sa.Column("places", sa.JSON(), nullable=False),
        sa.Column("titles_scanned", sa.Boolean(), nullable=False),
        _doc_fk("fusion_documents"),
        sa.PrimaryKeyConstraint("doc_id", name=op.f("pk_fusion_documents")),
    )
    op.create_table(
        "title_references",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("doc_id", sa.String(length=64), nullable=False),
        sa.Column("field", sa.String(length=8), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("role_key", sa.Text(), nullable=False),
        _doc_fk("title_references"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_title_references")),
    )
    op.create_index(op.f("ix_title_references_doc_id"), "title_references", ["doc_id"], unique=False)
    op.create_index(op.f("ix_title_references_role_key"), "title_references", ["role_key"], unique=False)
    op.create_table(
        "role_assertions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("doc_id", sa.String(length=64), nullable=False),
        sa.Column("role_key", sa.Text(), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        _doc_fk("role_assertions"),
        sa.ForeignKeyConstraint(["entity_id"], ["entities.id"], name=op.f("fk_role_assertions_entity_id_entities"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_assertions")),
    )
    op.create_index(op.f("ix_role_assertions_doc_id"), "role_assertions", ["doc_id"], unique=False)
    op.create_index(op.f("ix_role_assertions_role_key"), "role_assertions", ["role_key"], unique=False)
    op.create_table(
        "claim_spots",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("quantity_id", sa.Integer(), nullable=False),
        sa.Column("doc_id", sa.String(length=64), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("bucket_lo", sa.Integer(), nullable=False),
        sa.Column("bucket_hi", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("cell_y", sa.Integer(), nullable=True),
        sa.Column("cell_x", sa.Integer(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("reach_km", sa.Float(), nullable=True),
        _doc_fk("claim_spots"),
        sa.ForeignKeyConstraint(["quantity_id"], ["quantities.id"],
                                name=op.f("fk_claim_spots_quantity_id_quantities"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_spots")),
    )
    op.create_index(op.f("ix_claim_spots_quantity_id"), "claim_spots", ["quantity_id"], unique=False)
    op.create_index(op.f("ix_claim_spots_doc_id"), "claim_spots", ["doc_id"], unique=False)
    op.create_index(op.f("ix_claim_spots_category_cell_y_cell_x"), "claim_spots",
                    ["category", "cell_y", "cell_x"], unique=False)
    op.create_index(op.f("ix_claim_spots_category_name"), "claim_spots", ["category", "name"], unique=False)
    op.create_table(
        "fusion_state",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_fusion_state")),
    )
    # a store fused before this revision: the new tables are filled by one rebuild, which the
    # next fusion runs by itself (computing keys and title references needs the language
    # resources, which belong in the fusion code, not in a migration)
    op.execute("INSERT INTO fusion_state (name, value) SELECT 'rebuild', '0005' "
               "WHERE EXISTS (SELECT 1 FROM documents WHERE fused_at IS NOT NULL)")


def downgrade() -> None:
    for table in ("fusion_state", "claim_spots", "role_assertions", "title_references", "fusion_documents",
                  "entity_keys"):
        op.drop_table(table)
    op.drop_index(op.f("ix_documents_fused_at"), table_name="documents")
