"""A queue's own business calendar (overrides the workspace's hours)

Revision ID: 20261204_calendar
Revises: 20261204_identity_sessions
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "20261204_calendar"
down_revision = "20261204_identity_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("routing_queues") as batch:
        batch.add_column(sa.Column(
            "business_hours",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("routing_queues") as batch:
        batch.drop_column("business_hours")
