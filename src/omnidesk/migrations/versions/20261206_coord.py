"""Canned responses get a position: their order within their scope in the composer's picker

Existing rows start at 0 and keep their shortcut order until someone moves one.

Revision ID: 20261206_coord
Revises: 20261206_intake
Create Date: 2026-12-06 11:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20261206_coord"
down_revision = "20261206_intake"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("canned_responses") as batch:
        batch.add_column(sa.Column("position", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("canned_responses") as batch:
        batch.drop_column("position")
