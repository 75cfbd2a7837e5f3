"""Audit log: who did what to which object, and who read unmasked personal data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.core.db import Base, IdMixin, IdType, utcnow


class AuditEntry(Base, IdMixin):
    """One audited action; append-only."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_ws_created", "workspace_id", "created_at"),)

    workspace_id: Mapped[int] = mapped_column(IdType, ForeignKey("workspaces.id", ondelete="CASCADE"))
    actor_kind: Mapped[str] = mapped_column(String(16), default="user")
    actor_id: Mapped[int | None] = mapped_column(IdType)
    action: Mapped[str] = mapped_column(String(80))
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


def audit(
    session: AsyncSession,
    *,
    workspace_id: int,
    action: str,
    actor_kind: str = "user",
    actor_id: int | None = None,
    object_type: str | None = None,
    object_id: object | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an audit row to the current transaction."""
    entry = AuditEntry(
        workspace_id=workspace_id,
        actor_kind=actor_kind,
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        data=data or {},
    )
    session.add(entry)
    return entry
