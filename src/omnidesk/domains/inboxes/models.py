"""The inbox table: one connected channel account of a workspace, its secrets sealed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.core.db import Base, IdMixin, IdType, TimestampMixin, WorkspaceScoped

PUBLIC_KEY_LENGTH = 22


class Inbox(Base, IdMixin, TimestampMixin, WorkspaceScoped):
    """One channel account (kind + settings); a workspace may have several of one kind."""

    __tablename__ = "inboxes"
    __table_args__ = (Index("ix_inboxes_ws_kind", "workspace_id", "kind"),)

    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(120))
    public_key: Mapped[str] = mapped_column(String(32), unique=True)  # names it in webhook URLs
    sealed_settings: Mapped[str] = mapped_column(Text, default="")  # encrypted by the edge
    is_active: Mapped[bool] = mapped_column(default=True)
    state: Mapped[dict[str, Any]] = mapped_column(default=dict)  # e.g. the IMAP UID cursor
    greeting: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"ko": …, "en": …}
    hours: Mapped[dict[str, Any]] = mapped_column(default=dict)  # business-calendar override
    default_queue_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("routing_queues.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"Inbox(id={self.id}, kind={self.kind!r}, active={self.is_active})"
