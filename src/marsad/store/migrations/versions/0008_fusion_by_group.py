"""Fusion by group: candidate lookups for incremental claim grouping and event fusion.

``claim_group_status.span`` keeps each group's time span beside its status: "FIRST/LAST" (ISO
days) over all its members, "" when none of them is dated. Fusing a new report then reads the
size and span of the groups within reach from one row each instead of reading every member;
``claim_group_status.sources`` keeps the independent sources behind it (at most that many for a
contradicted group that grew), so that the contradictions are listed page by page in that order.

``claim_spots`` gains each figure's ``kind``, interval (``value_lo``, ``value_hi``), period in
days (``day_lo``, ``day_hi``), its year when it is dated by a year alone (``year``) and whether
its clause states its place (``stated``) and its group (``group_id``, indexed with the first
bucket: a group's figures near a time), so that a new figure's lookups leave out, in SQL,
figures outside the time window of their kind or of another year alone, figures
beyond the category's window of one state that cannot agree with it, and places out of reach
for the way each side's place is known.

``group_spots`` holds the same by group, place and first time bucket, with one figure there as
a sample: a new figure's first lookups read one row per group there instead of every figure
(a busy place holds thousands of figures of a few groups).

``fused_summaries`` keeps each fused event as new events are judged against it
(:class:`marsad.fuse.events.FusedEvent`: its first member, reports, days, places and actors),
so that fusing a new report reads one row per fused event of its type and days instead of
every member of every fused event near it.

An index of ``role_assertions`` by post and day finds the holder of a post on a report's day
without reading every report that named the post.

A store fused before this revision gets the ``rebuild`` flag: the next fusion fills the new
columns.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claim_group_status") as batch:
        batch.add_column(sa.Column("span", sa.String(length=21), nullable=True))
        batch.add_column(sa.Column("sources", sa.Integer(), nullable=True))
    with op.batch_alter_table("claim_spots") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("value_lo", sa.Float(), nullable=True))
        batch.add_column(sa.Column("value_hi", sa.Float(), nullable=True))
        batch.add_column(sa.Column("day_lo", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("day_hi", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("stated", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("year", sa.String(length=4), nullable=True))
        batch.add_column(sa.Column("group_id", sa.String(length=64), nullable=True))
    op.create_table(
        "group_spots",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("group_id", sa.String(length=64), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("bucket_lo", sa.Integer(), nullable=False),
        sa.Column("bucket_hi", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("cell_y", sa.Integer(), nullable=True),
        sa.Column("cell_x", sa.Integer(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("reach_km", sa.Float(), nullable=True),
        sa.Column("value_lo", sa.Float(), nullable=False),
        sa.Column("value_hi", sa.Float(), nullable=False),
        sa.Column("day_lo", sa.Integer(), nullable=False),
        sa.Column("day_hi", sa.Integer(), nullable=False),
        sa.Column("stated", sa.Boolean(), nullable=False),
        sa.Column("year", sa.String(length=4), nullable=False),
        sa.Column("quantity_id", sa.Integer(), nullable=False),
        sa.Column("doc_id", sa.String(length=64), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_spots")),
    )
    op.create_index(op.f("ix_group_spots_group_id"), "group_spots", ["group_id"], unique=False)
    op.create_index(op.f("ix_group_spots_category_name_bucket_lo"), "group_spots",
                    ["category", "name", "bucket_lo"], unique=False)
    op.create_index(op.f("ix_group_spots_category_cell_y_cell_x_bucket_lo"), "group_spots",
                    ["category", "cell_y", "cell_x", "bucket_lo"], unique=False)
    op.create_table(
        "fused_summaries",
        sa.Column("fused_id", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("first_day", sa.Integer(), nullable=False),
        sa.Column("last_day", sa.Integer(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("fused_id", name=op.f("pk_fused_summaries")),
    )
    op.create_index(op.f("ix_fused_summaries_type_first_day"), "fused_summaries", ["type", "first_day"], unique=False)
    op.create_index(op.f("ix_claim_spots_group_id_bucket_lo"), "claim_spots", ["group_id", "bucket_lo"], unique=False)
    op.create_index(op.f("ix_role_assertions_role_key_day"), "role_assertions", ["role_key", "day"], unique=False)
    conn = op.get_bind()
    spotted = (conn.execute(sa.text("SELECT 1 FROM claim_spots LIMIT 1")).first()
               or conn.execute(sa.text("SELECT 1 FROM events WHERE fused_id IS NOT NULL LIMIT 1")).first())
    flagged = conn.execute(sa.text("SELECT 1 FROM fusion_state WHERE name = 'rebuild'")).first()
    if spotted is not None and flagged is None:
        conn.execute(sa.text("INSERT INTO fusion_state (name, value) VALUES ('rebuild', '0008')"))


def downgrade() -> None:
    op.drop_index(op.f("ix_role_assertions_role_key_day"), table_name="role_assertions")
    op.drop_index(op.f("ix_fused_summaries_type_first_day"), table_name="fused_summaries")
    op.drop_table("fused_summaries")
    op.drop_index(op.f("ix_group_spots_category_cell_y_cell_x_bucket_lo"), table_name="group_spots")
    op.drop_index(op.f("ix_group_spots_category_name_bucket_lo"), table_name="group_spots")
    op.drop_index(op.f("ix_group_spots_group_id"), table_name="group_spots")
    op.drop_table("group_spots")
    op.drop_index(op.f("ix_claim_spots_group_id_bucket_lo"), table_name="claim_spots")
    with op.batch_alter_table("claim_spots") as batch:
        batch.drop_column("group_id")
        batch.drop_column("year")
        batch.drop_column("stated")
        batch.drop_column("day_hi")
        batch.drop_column("day_lo")
        batch.drop_column("value_hi")
        batch.drop_column("value_lo")
        batch.drop_column("kind")
    with op.batch_alter_table("claim_group_status") as batch:
        batch.drop_column("sources")
        batch.drop_column("span")
