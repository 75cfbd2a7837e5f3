"""widget sessions remember whether the signature covered the visitor's email

Revision ID: 20261204_identity
Revises: 20261123_0007
Create Date: 2026-12-04 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20261204_identity"
down_revision = "20261123_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("widget_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email_verified", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("widget_sessions", schema=None) as batch_op:
        batch_op.drop_column("email_verified")
