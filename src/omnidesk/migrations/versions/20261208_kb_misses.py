"""Searches that found nothing (help center and bot), masked, for the knowledge base authors

Revision ID: 20261208_kb_misses
Revises: 20261208_kb_schedule
Create Date: 2026-12-08 09:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import omnidesk.core.db

revision = "20261208_kb_misses"
down_revision = "20261208_kb_schedule"
branch_labels = None
depends_on = None
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "kb_search_misses",
        sa.Column("query", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("created_at", omnidesk.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"],
                                name=op.f("fk_kb_search_misses_workspace_id_workspaces"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_search_misses")),
    )
    with op.batch_alter_table("kb_search_misses") as batch:
        batch.create_index(batch.f("ix_kb_search_misses_workspace_id"), ["workspace_id"],
                           unique=False)
        batch.create_index("ix_kb_search_misses_workspace_created",
                           ["workspace_id", "created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("kb_search_misses") as batch:
        batch.drop_index("ix_kb_search_misses_workspace_created")
        batch.drop_index(batch.f("ix_kb_search_misses_workspace_id"))
    op.drop_table("kb_search_misses")
