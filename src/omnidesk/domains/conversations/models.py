"""Conversations, their messages, the append-only conversation event log and the raw
inbound events intake stores before anything else."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from omnidesk.channels.manifests import BOT_DEFAULT_KINDS, KINDS
from omnidesk.core.db import Base, IdMixin, IdType, WorkspaceScoped, utcnow

STATUSES = ("open", "pending", "snoozed", "resolved")
PRIORITIES = ("low", "normal", "high", "urgent")
CHANNELS = KINDS  # derived from the channel manifests
AUTHOR_KINDS = ("customer", "agent", "bot", "system")
DELIVERY_STATUSES = ("pending", "sent", "delivered", "read", "failed")
EVENT_KINDS = (
    "created", "message", "assigned", "unassigned", "transferred", "first_response",
    "resolved", "reopened", "snoozed", "status_changed", "priority_changed", "labels_changed",
    "bot_handoff", "channel_switched", "returned_to_bot", "bot_action", "handover_note",
)
OWNERS = ("bot", "queued", "agent", "resolved")  # who answers the customer now
HUMAN_OWNERS = ("queued", "agent")
# Channels the bot serves when a workspace turns it on without listing channels.
DEFAULT_BOT_CHANNELS = BOT_DEFAULT_KINDS


class Conversation(Base, IdMixin, WorkspaceScoped):
    """One customer issue; messages on any channel belong to it."""

    __tablename__ = "conversations"
    __table_args__ = (
        Index("ix_conversations_ws_status_last", "workspace_id", "status", "last_message_at"),
        Index("ix_conversations_ws_assignee", "workspace_id", "assignee_id"),
    )

    customer_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(String(16))
    inbox_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("inboxes.id", ondelete="SET NULL"))  # the customer's last inbox: replies go out from it
    status: Mapped[str] = mapped_column(String(16), default="open")
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    assignee_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("users.id", ondelete="SET NULL")
    )
    team_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("teams.id", ondelete="SET NULL"), index=True
    )
    subject: Mapped[str | None] = mapped_column(String(300))
    language: Mapped[str | None] = mapped_column(String(8))
    intent: Mapped[str | None] = mapped_column(String(80))
    owner: Mapped[str] = mapped_column(String(16), default="queued", server_default="queued")
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    first_customer_message_at: Mapped[dt.datetime | None]
    first_response_at: Mapped[dt.datetime | None]
    last_message_at: Mapped[dt.datetime | None]
    last_customer_message_at: Mapped[dt.datetime | None]
    last_agent_message_at: Mapped[dt.datetime | None]
    waiting_since: Mapped[dt.datetime | None]
    assigned_at: Mapped[dt.datetime | None]
    resolved_at: Mapped[dt.datetime | None]
    snoozed_until: Mapped[dt.datetime | None]
    reopened_count: Mapped[int] = mapped_column(default=0)
    message_count: Mapped[int] = mapped_column(default=0)

    label_rows: Mapped[list[ConversationLabel]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ConversationLabel.label"
    )

    @property
    def labels(self) -> list[str]:
        """Return the conversation's labels, sorted."""
        return [row.label for row in self.label_rows]


class ConversationLabel(Base, IdMixin, WorkspaceScoped):
    """A label on a conversation (a table, so filtering by label is an indexed join)."""

    __tablename__ = "conversation_labels"
    __table_args__ = (
        UniqueConstraint("conversation_id", "label"),
        Index("ix_conversation_labels_ws_label", "workspace_id", "label"),
    )

    conversation_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("conversations.id", ondelete="CASCADE")
    )
    label: Mapped[str] = mapped_column(String(64))


SENT_MARKER = "sent"  # Message.meta key: the provider accepted the send (its id, when)


class Message(Base, IdMixin, WorkspaceScoped):
    """One message or private note in a conversation, on one channel."""

    __tablename__ = "messages"
    __table_args__ = (
        # A provider id is unique within its inbox (two Telegram bots number their chats alike).
        UniqueConstraint("workspace_id", "channel", "provider_message_id", "inbox_id"),
        # The sender's idempotency key: a retried agent or bot send is stored once.
        UniqueConstraint("workspace_id", "client_message_id"),
        Index("ix_messages_conversation_id_id", "conversation_id", "id"),
    )

    conversation_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("conversations.id", ondelete="CASCADE")
    )
    channel: Mapped[str] = mapped_column(String(16))
    inbox_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("inboxes.id", ondelete="SET NULL"))
    direction: Mapped[str] = mapped_column(String(8))  # inbound | outbound | internal
    author_kind: Mapped[str] = mapped_column(String(16))
    author_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text, default="")
    content_type: Mapped[str] = mapped_column(String(24), default="text")
    attachments: Mapped[list[Any]] = mapped_column(default=list)
    is_private: Mapped[bool] = mapped_column(default=False)
    provider_message_id: Mapped[str | None] = mapped_column(String(200))
    client_message_id: Mapped[str | None] = mapped_column(String(100))
    delivery_status: Mapped[str | None] = mapped_column(String(16))
    delivery_error: Mapped[str | None] = mapped_column(Text)
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ConversationEvent(Base, IdMixin, WorkspaceScoped):
    """An append-only fact about a conversation (assigned, resolved, bot_handoff, …)."""

    __tablename__ = "conversation_events"
    __table_args__ = (Index("ix_conversation_events_conv_id", "conversation_id", "id"),)

    conversation_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("conversations.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(32))
    actor_kind: Mapped[str] = mapped_column(String(16), default="system")
    actor_id: Mapped[int | None] = mapped_column(IdType)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)




class MessageSecret(Base, IdMixin, WorkspaceScoped):
    """A value a message held that the privacy policy keeps encrypted (RRN, account, passport …).

    The message text holds the masked form at [start, end); the clear value exists only as
    `ciphertext` (core/pii/crypto) and is read back only through a logged reveal.
    """

    __tablename__ = "message_secrets"

    message_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("messages.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    start: Mapped[int]
    end: Mapped[int]
    masked: Mapped[str] = mapped_column(String(200))
    ciphertext: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class MessageMention(Base, IdMixin, WorkspaceScoped):
    """A colleague named with @ in a private note: their notification and "mentions" view."""

    __tablename__ = "message_mentions"
    __table_args__ = (
        UniqueConstraint("message_id", "user_id"),
        Index("ix_message_mentions_ws_user_id", "workspace_id", "user_id", "id"),
    )

    message_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("messages.id", ondelete="CASCADE"))
    conversation_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("conversations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(IdType, ForeignKey("users.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[dt.datetime | None]


# Raw inbound event statuses: stored, handed to intake, nothing to do, failed.
RECEIVED, PROCESSED, IGNORED, FAILED = "received", "processed", "ignored", "failed"


class InboundEvent(Base, IdMixin, WorkspaceScoped):
    """One inbound event exactly as received (webhook, mail, widget, REST API), stored once.

    Deduplicated per inbox by its dedupe key (a provider's event id, a widget or API client's
    message id); an event without an inbox (a REST API message on an inbox-less conversation)
    is deduplicated per channel. Removing an inbox removes its raw events.
    """

    __tablename__ = "channel_inbound_events"
    __table_args__ = (
        # Two inboxes of a kind (two SMS numbers, two Telegram bots) may see the same provider
        # id: a key is unique within its inbox; inbox-less events are unique per channel.
        Index("uq_channel_inbound_events_inbox_key", "workspace_id", "inbox_id", "dedupe_key",
              unique=True, sqlite_where=text("inbox_id IS NOT NULL"),
              postgresql_where=text("inbox_id IS NOT NULL")),
        Index("uq_channel_inbound_events_channel_key", "workspace_id", "channel", "dedupe_key",
              unique=True, sqlite_where=text("inbox_id IS NULL"),
              postgresql_where=text("inbox_id IS NULL")),
        Index("ix_channel_inbound_events_status_id", "status", "id"),
    )

    # The inbox's provider log goes with the inbox (its messages stay): were its rows kept
    # without an inbox, two removed inboxes' equal keys would collide.
    inbox_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("inboxes.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(16))
    dedupe_key: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(32))
    sequence: Mapped[int | None] = mapped_column(IdType)
    raw_body: Mapped[bytes] = mapped_column(LargeBinary)
    headers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    parsed: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16), default=RECEIVED)
    error: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[dt.datetime | None]
