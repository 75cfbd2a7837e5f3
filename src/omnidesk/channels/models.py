"""Channel tables: raw inbound events, each stored once and tied to the inbox it came to."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.core.db import Base, IdMixin, IdType, WorkspaceScoped, utcnow

RECEIVED, PROCESSED, IGNORED, FAILED = "received", "processed", "ignored", "failed"


class InboundEvent(Base, IdMixin, WorkspaceScoped):
    """One provider event exactly as received, stored once per (channel, dedupe key)."""

    __tablename__ = "channel_inbound_events"
    __table_args__ = (
        UniqueConstraint("workspace_id", "channel", "dedupe_key"),
        Index("ix_channel_inbound_events_status_id", "status", "id"),
    )

    inbox_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("inboxes.id", ondelete="SET NULL"))
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
