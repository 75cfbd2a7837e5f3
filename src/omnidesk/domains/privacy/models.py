"""The personal-data access log: who read which unmasked data, when and why. Append-only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.core.db import Base, IdMixin, IdType, WorkspaceScoped, utcnow

API_READ = "api"  # a read through the REST API
CUSTOMER_PAGE = "customer_page"  # a staff member opened the customer's page
ACCESS_ACTIONS = ("reveal", "export", CUSTOMER_PAGE, API_READ)


class PiiAccess(Base, IdMixin, WorkspaceScoped):
    """One read of unmasked personal data."""

    __tablename__ = "pii_access_log"
    __table_args__ = (Index("ix_pii_access_ws_at", "workspace_id", "at"),
                      Index("ix_pii_access_ws_customer", "workspace_id", "customer_id"))

    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor_kind: Mapped[str] = mapped_column(String(16), default="user")
    actor_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id", ondelete="SET NULL"))
    actor_name: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(24))
    customer_id: Mapped[int | None] = mapped_column(IdType)
    conversation_id: Mapped[int | None] = mapped_column(IdType)
    message_id: Mapped[int | None] = mapped_column(IdType)
    fields: Mapped[list[Any]] = mapped_column(default=list)
    reason: Mapped[str] = mapped_column(String(300), default="")
    ip: Mapped[str | None] = mapped_column(String(64))
