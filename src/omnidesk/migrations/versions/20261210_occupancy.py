"""Agent occupancy: seconds available and at capacity per agent and local day, the fold's
per-agent state and its cursor over the event log

Revision ID: 20261210_occupancy
Revises: 20261209_merged_index
Create Date: 2026-12-10 09:00:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import omnidesk.core.db

revision = "20261210_occupancy"
down_revision = "20261209_merged_index"
branch_labels = None
depends_on = None
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _scoped(table: str) -> list[Any]:
    return [
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"],
                                name=op.f(f"fk_{table}_workspace_id_workspaces"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "analytics_agent_occupancy",
        sa.Column("agent_id", ID, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("available_seconds", sa.Float(), nullable=False),
        sa.Column("at_capacity_seconds", sa.Float(), nullable=False),
        *_scoped("analytics_agent_occupancy"),
        sa.UniqueConstraint("workspace_id", "agent_id", "day",
                            name=op.f("uq_analytics_agent_occupancy_workspace_id_agent_id_day")),
    )
    op.create_table(
        "analytics_agent_timelines",
        sa.Column("agent_id", ID, nullable=False),
        sa.Column("presence", sa.String(length=16), nullable=False),
        sa.Column("capacity", JSON, nullable=False),
        sa.Column("open_conversations", JSON, nullable=False),
        sa.Column("counted_until", omnidesk.core.db.UTCDateTime(timezone=True), nullable=False),
        *_scoped("analytics_agent_timelines"),
        sa.UniqueConstraint("workspace_id", "agent_id",
                            name=op.f("uq_analytics_agent_timelines_workspace_id_agent_id")),
    )
    op.create_table(
        "analytics_cursors",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_cursors")),
        sa.UniqueConstraint("name", name=op.f("uq_analytics_cursors_name")),
    )
    for table in ("analytics_agent_occupancy", "analytics_agent_timelines"):
        with op.batch_alter_table(table) as batch:
            batch.create_index(batch.f(f"ix_{table}_workspace_id"), ["workspace_id"],
                               unique=False)


def downgrade() -> None:
    for table in ("analytics_agent_timelines", "analytics_agent_occupancy"):
        with op.batch_alter_table(table) as batch:
            batch.drop_index(batch.f(f"ix_{table}_workspace_id"))
    op.drop_table("analytics_cursors")
    op.drop_table("analytics_agent_timelines")
    op.drop_table("analytics_agent_occupancy")
