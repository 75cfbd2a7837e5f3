"""Widget visitor sessions and per-conversation read marks."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.core.db import Base, IdMixin, IdType, WorkspaceScoped, utcnow

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
