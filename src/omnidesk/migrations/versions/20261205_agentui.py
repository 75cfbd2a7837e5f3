"""messages carry the sender's idempotency key, unique per workspace

Revision ID: 20261205_agentui
Revises: 20261205_automation
Create Date: 2026-12-05 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20261205_agentui"
down_revision = "20261205_automation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_message_id", sa.String(length=100), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_messages_workspace_id_client_message_id"),
            ["workspace_id", "client_message_id"])


def downgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_messages_workspace_id_client_message_id"),
                                 type_="unique")
        batch_op.drop_column("client_message_id")
