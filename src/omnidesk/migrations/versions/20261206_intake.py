"""Raw inbound events and messages are deduplicated per inbox; raw events go with their inbox

Two inboxes of one kind (two SMS numbers, two Telegram bots) may receive the same provider id;
the unique key was (workspace, channel, dedupe key), so the second inbox's event was dropped as
a repeat. Upgrade: unique (workspace, inbox, dedupe key) for events with an inbox and
(workspace, channel, dedupe key) for inbox-less ones (REST API messages on an inbox-less
conversation); the inbox foreign key cascades. Existing rows are unique under the old key, so
they are unique under the new ones and move unchanged. Downgrade: events that share a
(workspace, channel, dedupe key) across inboxes keep the first (lowest id) key as it is and the
others get `#<id>` appended, so the old unique key holds and no event is lost.

Messages: the provider id was unique per (workspace, channel); it is now unique per inbox too
(workspace, channel, provider id, inbox), so the second inbox's message is stored instead of
being taken for a repeat. Downgrade appends `#<id>` to the later copies' provider ids likewise.

Revision ID: 20261206_intake
Revises: 20261206_engage
Create Date: 2026-12-06 10:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20261206_intake"
down_revision = "20261206_engage"
branch_labels = None
depends_on = None

TABLE = "channel_inbound_events"
FK = "fk_channel_inbound_events_inbox_id_inboxes"
OLD_UNIQUE = "uq_channel_inbound_events_workspace_id_channel_dedupe_key"
MESSAGES_OLD = "uq_messages_workspace_id_channel_provider_message_id"
MESSAGES_NEW = "uq_messages_workspace_id_channel_provider_message_id_inbox_id"


def upgrade() -> None:
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_constraint(OLD_UNIQUE, type_="unique")
        batch_op.drop_constraint(FK, type_="foreignkey")
        batch_op.create_foreign_key(FK, "inboxes", ["inbox_id"], ["id"], ondelete="CASCADE")
        batch_op.create_index(
            "uq_channel_inbound_events_inbox_key", ["workspace_id", "inbox_id", "dedupe_key"],
            unique=True, sqlite_where=sa.text("inbox_id IS NOT NULL"),
            postgresql_where=sa.text("inbox_id IS NOT NULL"))
        batch_op.create_index(
            "uq_channel_inbound_events_channel_key", ["workspace_id", "channel", "dedupe_key"],
            unique=True, sqlite_where=sa.text("inbox_id IS NULL"),
            postgresql_where=sa.text("inbox_id IS NULL"))
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_constraint(MESSAGES_OLD, type_="unique")
        batch_op.create_unique_constraint(
            MESSAGES_NEW, ["workspace_id", "channel", "provider_message_id", "inbox_id"])


def downgrade() -> None:
    op.execute(
        "UPDATE messages SET provider_message_id = "
        "substr(provider_message_id, 1, 178) || '#' || CAST(id AS VARCHAR(20)) "
        "WHERE provider_message_id IS NOT NULL AND id NOT IN (SELECT min(m.id) FROM messages m "
        "WHERE m.provider_message_id IS NOT NULL "
        "GROUP BY m.workspace_id, m.channel, m.provider_message_id)")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_constraint(MESSAGES_NEW, type_="unique")
        batch_op.create_unique_constraint(
            MESSAGES_OLD, ["workspace_id", "channel", "provider_message_id"])
    # Later copies of a key that several inboxes share get their id appended (kept, not lost).
    op.execute(
        "UPDATE channel_inbound_events SET dedupe_key = "
        "substr(dedupe_key, 1, 230) || '#' || CAST(id AS VARCHAR(20)) "
        "WHERE id NOT IN (SELECT min(e.id) FROM channel_inbound_events e "
        "GROUP BY e.workspace_id, e.channel, e.dedupe_key)")
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_index("uq_channel_inbound_events_channel_key",
                            sqlite_where=sa.text("inbox_id IS NULL"),
                            postgresql_where=sa.text("inbox_id IS NULL"))
        batch_op.drop_index("uq_channel_inbound_events_inbox_key",
                            sqlite_where=sa.text("inbox_id IS NOT NULL"),
                            postgresql_where=sa.text("inbox_id IS NOT NULL"))
        batch_op.drop_constraint(FK, type_="foreignkey")
        batch_op.create_foreign_key(FK, "inboxes", ["inbox_id"], ["id"], ondelete="SET NULL")
        batch_op.create_unique_constraint(OLD_UNIQUE, ["workspace_id", "channel", "dedupe_key"])
