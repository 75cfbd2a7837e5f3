"""search index over messages: analysed terms per message (FTS5 / tsvector) and the indexer mark

Revision ID: 20261205_contacts
Revises: 20261205_automation_2
Create Date: 2026-12-05 07:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import omnidesk.core.db
from omnidesk.domains.search.ddl import drop_search_index, ensure_search_index

revision = "20261205_contacts"
down_revision = "20261205_automation_2"
branch_labels = None
depends_on = None
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "search_index_state",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("last_id", ID, nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_search_index_state")),
    )
    op.create_table(
        "search_messages",
        sa.Column("id", ID, autoincrement=False, nullable=False),
        sa.Column("conversation_id", ID, nullable=False),
        sa.Column("created_at", omnidesk.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"],
                                name=op.f("fk_search_messages_conversation_id_conversations"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["id"], ["messages.id"],
                                name=op.f("fk_search_messages_id_messages"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"],
                                name=op.f("fk_search_messages_workspace_id_workspaces"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_messages")),
    )
    with op.batch_alter_table("search_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_messages_conversation_id"),
                              ["conversation_id"], unique=False)
        batch_op.create_index("ix_search_messages_ws_id", ["workspace_id", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_messages_workspace_id"), ["workspace_id"],
                              unique=False)
    ensure_search_index(op.get_bind())  # FTS5 table + triggers, or tsvector column + GIN


def downgrade() -> None:
    drop_search_index(op.get_bind())
    with op.batch_alter_table("search_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_messages_workspace_id"))
        batch_op.drop_index("ix_search_messages_ws_id")
        batch_op.drop_index(batch_op.f("ix_search_messages_conversation_id"))
    op.drop_table("search_messages")
    op.drop_table("search_index_state")
