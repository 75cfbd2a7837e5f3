"""Widget sessions, read marks, message templates, campaigns, their sends, consents, and the
contact-reason models."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.core.db import Base, IdMixin, IdType, TimestampMixin, WorkspaceScoped, utcnow

READERS = ("customer", "agent")
AGENT_READER_PREFIX = "user:"  # one agent's own read mark: "user:<id>" (unread counts per agent)


def agent_reader(user_id: int) -> str:
    """Name one agent's own read mark."""
    return f"{AGENT_READER_PREFIX}{user_id}"


class WidgetSession(Base, IdMixin, WorkspaceScoped):
    """A browser's chat widget session: an unguessable token bound to one visitor identity.

    Only the SHA-256 of the token is stored. Anonymous visitors get a server-made
    `web_visitor` id; identified visitors (HMAC-verified) use the site's `user_id`.
    `email_verified` says whether the signature covered the email too (else it is only
    contact info the visitor typed; see `customers.service.signed_attributes`).
    """

    __tablename__ = "widget_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    identity_kind: Mapped[str] = mapped_column(String(24))
    identity_value: Mapped[str] = mapped_column(String(254))
    verified: Mapped[bool] = mapped_column(default=False)
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    email_verified: Mapped[bool] = mapped_column(default=False, server_default=false())
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ReadMark(Base, IdMixin, WorkspaceScoped):
    """How far the customer or the agents have read a conversation (read receipts)."""

    __tablename__ = "conversation_read_marks"
    __table_args__ = (UniqueConstraint("conversation_id", "reader"),)

    conversation_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("conversations.id", ondelete="CASCADE")
    )
    reader: Mapped[str] = mapped_column(String(16))
    message_id: Mapped[int] = mapped_column(IdType, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


TEMPLATE_STATUSES = ("approved", "pending", "rejected")
PURPOSES = ("service", "marketing")


class MessageTemplate(Base, IdMixin, TimestampMixin, WorkspaceScoped):
    """A provider-approved template of one inbox (알림톡 template code, WhatsApp template name).

    `body` is the approved text with `#{variable}` (알림톡) or `{{n}}` (WhatsApp, n counting
    `variables` from 1) placeholders; it is also the text of an SMS/LMS fallback.
    """

    __tablename__ = "message_templates"
    __table_args__ = (UniqueConstraint("inbox_id", "code", "language"),)

    inbox_id: Mapped[int] = mapped_column(IdType, ForeignKey("inboxes.id", ondelete="CASCADE"),
                                          index=True)
    code: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8), default="ko")
    name: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    variables: Mapped[list[Any]] = mapped_column(default=list)
    purpose: Mapped[str] = mapped_column(String(16), default="service")
    status: Mapped[str] = mapped_column(String(16), default="approved")


class Campaign(Base, IdMixin, TimestampMixin, WorkspaceScoped):
    """A proactive trigger: when `trigger` holds for a customer in `audience`, run `action`."""

    __tablename__ = "engagement_campaigns"

    name: Mapped[str] = mapped_column(String(120))
    enabled: Mapped[bool] = mapped_column(default=True)
    purpose: Mapped[str] = mapped_column(String(16), default="service")
    trigger: Mapped[dict[str, Any]] = mapped_column(default=dict)
    audience: Mapped[dict[str, Any]] = mapped_column(default=dict)
    action: Mapped[dict[str, Any]] = mapped_column(default=dict)
    conversion_hours: Mapped[int] = mapped_column(default=24)


SEND_STATUSES = ("sent", "suppressed", "failed")


class CampaignSend(Base, IdMixin, WorkspaceScoped):
    """One campaign decision for one customer and one occasion: sent, or suppressed and why.

    `occasion` names what fired it (a cart's event id, a business event id, a day); the unique
    key makes a trigger that fires twice (two processes, a redelivered event) act once.
    """

    __tablename__ = "campaign_sends"
    __table_args__ = (UniqueConstraint("campaign_id", "customer_id", "occasion"),
                      Index("ix_campaign_sends_customer_created", "customer_id", "created_at"))

    campaign_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("engagement_campaigns.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("customers.id", ondelete="CASCADE"))
    occasion: Mapped[str] = mapped_column(String(80))
    purpose: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(40))
    conversation_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("conversations.id", ondelete="SET NULL"))
    message_id: Mapped[int | None] = mapped_column(IdType)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


ANY_CHANNEL = "any"  # a consent given for every channel (e.g. at sign-up)


class Consent(Base, IdMixin, WorkspaceScoped):
    """A customer's marketing consent on one channel (or `any`), night consent and opt-out.

    Service messages need none; marketing needs `marketing` on the channel (or on `any`) and
    no later opt-out there; between 21:00 and 08:00 it also needs `night`.
    """

    __tablename__ = "engagement_consents"
    __table_args__ = (UniqueConstraint("customer_id", "channel"),)

    customer_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("customers.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(16))
    marketing: Mapped[bool] = mapped_column(default=False)
    night: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(String(40), default="staff")
    opted_out_at: Mapped[dt.datetime | None]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ContactReasonModelRow(Base, IdMixin, WorkspaceScoped):
    """One trained version of a workspace's contact-reason model (behaviour → likely intent)."""

    __tablename__ = "contact_reason_models"
    __table_args__ = (UniqueConstraint("workspace_id", "version"),
                      Index("ix_contact_reason_models_ws_active", "workspace_id", "is_active"))

    version: Mapped[int]
    model_bytes: Mapped[bytes] = mapped_column(LargeBinary)
    metrics: Mapped[dict[str, Any]] = mapped_column(default=dict)
    labels: Mapped[list[Any]] = mapped_column(default=list)
    source: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    is_active: Mapped[bool] = mapped_column(default=False)
