"""inboxes: any number of channel accounts per workspace; conversations, messages and
identities carry their inbox

One inbox per existing channel connection (same id, so stored inbound events keep pointing at
it), one web-chat inbox per workspace, and every conversation, message and identity gets the
workspace's inbox of its channel. Downgrade keeps the first inbox of each provider kind as the
workspace's connection and drops the rest.

Revision ID: 20261204_channels
Revises: 20261204_identity_users
Create Date: 2026-12-04 17:09:28
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import omnidesk.core.db

revision = "20261204_channels"
down_revision = "20261204_identity_users"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = omnidesk.core.db.UTCDateTime(timezone=True)
WEB, WEB_NAMES = "web", {"ko": "웹 채팅", "en": "Web chat"}
# The channel whose inbox an identity kind was first seen on (as of this revision).
IDENTITY_CHANNEL = {"web_visitor": WEB, "user_id": WEB, "phone": "sms"}
CONNECTIONS = sa.table(
    "channel_connections", sa.column("id", ID), sa.column("workspace_id", ID),
    sa.column("kind", sa.String), sa.column("name", sa.String),
    sa.column("sealed_settings", sa.Text), sa.column("is_active", sa.Boolean),
    sa.column("state", JSON), sa.column("created_at", WHEN), sa.column("updated_at", WHEN))
INBOXES = sa.table(
    "inboxes", sa.column("id", ID), sa.column("workspace_id", ID), sa.column("kind", sa.String),
    sa.column("name", sa.String), sa.column("public_key", sa.String),
    sa.column("sealed_settings", sa.Text), sa.column("is_active", sa.Boolean),
    sa.column("state", JSON), sa.column("greeting", JSON), sa.column("hours", JSON),
    sa.column("created_at", WHEN), sa.column("updated_at", WHEN))
WORKSPACES = sa.table("workspaces", sa.column("id", ID), sa.column("default_locale", sa.String))


def _key() -> str:
    return secrets.token_urlsafe(16)[:22]


def _sync_sequence(table: str) -> None:
    """After inserting explicit ids on PostgreSQL, move the id sequence past them."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                   f"GREATEST((SELECT MAX(id) FROM {table}), 1))")


def _copy_connections_to_inboxes() -> None:
    bind = op.get_bind()
    now = omnidesk.core.db.utcnow()
    rows = bind.execute(sa.select(CONNECTIONS)).mappings().all()
    for row in rows:
        bind.execute(INBOXES.insert().values(**row, public_key=_key(), greeting={}, hours={}))
    _sync_sequence("inboxes")
    for ws in bind.execute(sa.select(WORKSPACES)).mappings().all():
        bind.execute(INBOXES.insert().values(
            workspace_id=ws["id"], kind=WEB, name=WEB_NAMES.get(ws["default_locale"], WEB_NAMES["en"]),
            public_key=_key(), sealed_settings="", is_active=True, state={}, greeting={},
            hours={}, created_at=now, updated_at=now))


def _inbox_of(table: str, kind_sql: str) -> str:
    return (f"UPDATE {table} SET inbox_id = (SELECT MIN(i.id) FROM inboxes i "
            f"WHERE i.workspace_id = {table}.workspace_id AND i.kind = {kind_sql})")


def _fill_inbox_ids() -> None:
    op.execute(_inbox_of("conversations", "conversations.channel"))
    op.execute(_inbox_of("messages", "messages.channel"))
    cases = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in IDENTITY_CHANNEL.items())
    op.execute(_inbox_of("customer_identities",
                         f"CASE customer_identities.kind {cases} ELSE customer_identities.kind END"))


def upgrade() -> None:
    op.create_table(
        "inboxes",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("public_key", sa.String(length=32), nullable=False),
        sa.Column("sealed_settings", sa.Text(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("state", JSON, nullable=False),
        sa.Column("greeting", JSON, nullable=False),
        sa.Column("hours", JSON, nullable=False),
        sa.Column("default_queue_id", ID, nullable=True),
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.ForeignKeyConstraint(["default_queue_id"], ["routing_queues.id"],
                                name=op.f("fk_inboxes_default_queue_id_routing_queues"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"],
                                name=op.f("fk_inboxes_workspace_id_workspaces"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inboxes")),
        sa.UniqueConstraint("public_key", name=op.f("uq_inboxes_public_key")),
    )
    with op.batch_alter_table("inboxes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inboxes_workspace_id"), ["workspace_id"], unique=False)
        batch_op.create_index("ix_inboxes_ws_kind", ["workspace_id", "kind"], unique=False)
    _copy_connections_to_inboxes()

    with op.batch_alter_table("channel_inbound_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("inbox_id", ID, nullable=True))
    op.execute("UPDATE channel_inbound_events SET inbox_id = connection_id")
    with op.batch_alter_table("channel_inbound_events", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_channel_inbound_events_connection_id_channel_connections"),
            type_="foreignkey")
        batch_op.create_foreign_key(batch_op.f("fk_channel_inbound_events_inbox_id_inboxes"),
                                    "inboxes", ["inbox_id"], ["id"], ondelete="SET NULL")
        batch_op.drop_column("connection_id")
    with op.batch_alter_table("channel_connections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_channel_connections_workspace_id"))
    op.drop_table("channel_connections")

    for table in ("conversations", "customer_identities", "messages"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("inbox_id", ID, nullable=True))
            batch_op.create_foreign_key(batch_op.f(f"fk_{table}_inbox_id_inboxes"), "inboxes",
                                        ["inbox_id"], ["id"], ondelete="SET NULL")
    _fill_inbox_ids()


def downgrade() -> None:
    for table in ("messages", "customer_identities", "conversations"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"fk_{table}_inbox_id_inboxes"),
                                     type_="foreignkey")
            batch_op.drop_column("inbox_id")

    op.create_table(
        "channel_connections",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("sealed_settings", sa.Text(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("state", JSON, nullable=False),
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("workspace_id", ID, nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"],
                                name=op.f("fk_channel_connections_workspace_id_workspaces"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_connections")),
        sa.UniqueConstraint("workspace_id", "kind",
                            name=op.f("uq_channel_connections_workspace_id_kind")),
    )
    with op.batch_alter_table("channel_connections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_channel_connections_workspace_id"), ["workspace_id"],
                              unique=False)
    firsts = sa.select(sa.func.min(INBOXES.c.id)).where(INBOXES.c.kind != WEB).group_by(
        INBOXES.c.workspace_id, INBOXES.c.kind)
    kept = sa.select(INBOXES.c.id, INBOXES.c.workspace_id, INBOXES.c.kind, INBOXES.c.name,
                     INBOXES.c.sealed_settings, INBOXES.c.is_active, INBOXES.c.state,
                     INBOXES.c.created_at, INBOXES.c.updated_at).where(INBOXES.c.id.in_(firsts))
    op.execute(CONNECTIONS.insert().from_select(
        ["id", "workspace_id", "kind", "name", "sealed_settings", "is_active", "state",
         "created_at", "updated_at"], kept))
    _sync_sequence("channel_connections")

    with op.batch_alter_table("channel_inbound_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("connection_id", ID, nullable=True))
    op.execute("UPDATE channel_inbound_events SET connection_id = inbox_id "
               "WHERE inbox_id IN (SELECT id FROM channel_connections)")
    with op.batch_alter_table("channel_inbound_events", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_channel_inbound_events_inbox_id_inboxes"),
                                 type_="foreignkey")
        batch_op.create_foreign_key(
            batch_op.f("fk_channel_inbound_events_connection_id_channel_connections"),
            "channel_connections", ["connection_id"], ["id"], ondelete="SET NULL")
        batch_op.drop_column("inbox_id")

    with op.batch_alter_table("inboxes", schema=None) as batch_op:
        batch_op.drop_index("ix_inboxes_ws_kind")
        batch_op.drop_index(batch_op.f("ix_inboxes_workspace_id"))
    op.drop_table("inboxes")
