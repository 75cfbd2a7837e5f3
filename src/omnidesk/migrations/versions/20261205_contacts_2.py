"""message mentions: a colleague @named in a private note, with when they saw it

Revision ID: 20261205_contacts_2
Revises: 20261205_kpis
Create Date: 2026-12-05 08:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import omnidesk.core.db

revision = "20261205_contacts_2"
down_revision = "20261205_kpis"
branch_labels = None
depends_on = None
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "message_mentions",
        sa.Column("message_id", ID, nullable=False),
        sa.Column("conversation_id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("author_id", ID, nullable=True),
        sa.Column("created_at", omnidesk.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("seen_at", omnidesk.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"],
                                name=op.f("fk_message_mentions_author_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"],
                                name=op.f("fk_message_mentions_conversation_id_conversations"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"],
                                name=op.f("fk_message_mentions_message_id_messages"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_message_mentions_user_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"],
                                name=op.f("fk_message_mentions_workspace_id_workspaces"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_mentions")),
        sa.UniqueConstraint("message_id", "user_id",
                            name=op.f("uq_message_mentions_message_id_user_id")),
    )
    with op.batch_alter_table("message_mentions", schema=None) as batch_op:
        batch_op.create_index("ix_message_mentions_ws_user_id",
                              ["workspace_id", "user_id", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_message_mentions_workspace_id"), ["workspace_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("message_mentions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_mentions_workspace_id"))
        batch_op.drop_index("ix_message_mentions_ws_user_id")
    op.drop_table("message_mentions")
