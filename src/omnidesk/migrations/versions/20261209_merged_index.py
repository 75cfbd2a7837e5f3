"""Customers are found by the record they were merged into (a profile lists their history)

Revision ID: 20261209_merged_index
Revises: 20261208_kb_misses
Create Date: 2026-12-09 09:00:00
"""

from __future__ import annotations

from alembic import op

revision = "20261209_merged_index"
down_revision = "20261208_kb_misses"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("customers") as batch:
        batch.create_index(batch.f("ix_customers_merged_into_id"), ["merged_into_id"],
                           unique=False)


def downgrade() -> None:
    with op.batch_alter_table("customers") as batch:
        batch.drop_index(batch.f("ix_customers_merged_into_id"))
