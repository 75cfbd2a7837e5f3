"""Users get their notification settings (sound, desktop, tab title; on what), kept server-side

Existing users start with an empty object: the schema (NotifySettings) reads it as the defaults.

Revision ID: 20261207_workspace
Revises: 20261207_reports
Create Date: 2026-12-07 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision = "20261207_workspace"
down_revision = "20261207_reports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column(
            "notify", sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("notify")
