"""Knowledge base articles can be scheduled to publish themselves (publish_at, and who asked)

Revision ID: 20261208_kb_schedule
Revises: 20261207_workspace
Create Date: 2026-12-08 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import omnidesk.core.db

revision = "20261208_kb_schedule"
down_revision = "20261207_workspace"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("kb_articles") as batch:
        batch.add_column(sa.Column("publish_at", omnidesk.core.db.UTCDateTime(timezone=True),
                                   nullable=True))
        batch.add_column(sa.Column(
            "publish_scheduled_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True))
        batch.create_index(batch.f("ix_kb_articles_publish_at"), ["publish_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("kb_articles") as batch:
        batch.drop_index(batch.f("ix_kb_articles_publish_at"))
        batch.drop_column("publish_scheduled_by")
        batch.drop_column("publish_at")
