"""Claim group verdicts kept by fusion: ``claim_group_status`` holds each claim group's status
over all its members (corroborated, contradicted, single), written whenever fusion changes the
group, so that listing contradictions reads only the groups stored as contradicted instead of
computing every group's verdict per request. What a caller sees is still computed per request
from the members it may see (a subset of a group is contradicted only if the whole group is).
A store fused before this revision gets the ``rebuild`` flag: the next fusion fills the table.
Two indexes on ``claim_spots`` (category, place or cell, first time bucket) let the candidate
lookups of a new claim read only the spots of its time window.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claim_group_status",
        sa.Column("group_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", name=op.f("pk_claim_group_status")),
    )
    op.create_index(op.f("ix_claim_group_status_status"), "claim_group_status", ["status"], unique=False)
    op.create_index(op.f("ix_claim_spots_category_name_bucket_lo"), "claim_spots",
                    ["category", "name", "bucket_lo"], unique=False)
    op.create_index(op.f("ix_claim_spots_category_cell_y_cell_x_bucket_lo"), "claim_spots",
                    ["category", "cell_y", "cell_x", "bucket_lo"], unique=False)
    conn = op.get_bind()
    grouped = conn.execute(sa.text("SELECT 1 FROM quantities WHERE group_id IS NOT NULL LIMIT 1")).first()
    flagged = conn.execute(sa.text("SELECT 1 FROM fusion_state WHERE name = 'rebuild'")).first()
    if grouped is not None and flagged is None:
        conn.execute(sa.text("INSERT INTO fusion_state (name, value) VALUES ('rebuild', '0007')"))


def downgrade() -> None:
    op.drop_index(op.f("ix_claim_spots_category_cell_y_cell_x_bucket_lo"), table_name="claim_spots")
    op.drop_index(op.f("ix_claim_spots_category_name_bucket_lo"), table_name="claim_spots")
    op.drop_index(op.f("ix_claim_group_status_status"), table_name="claim_group_status")
    op.drop_table("claim_group_status")
