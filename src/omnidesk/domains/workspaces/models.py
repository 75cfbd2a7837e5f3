"""Workspaces (tenants): settings, business hours and the widget secret."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.core.db import Base, IdMixin, TimestampMixin

# A new workspace's hours, in the workspace's own time zone (no "timezone" key: the calendar
# follows Workspace.timezone). Hours set to {} mean none configured: open around the clock.
DEFAULT_BUSINESS_HOURS: dict[str, Any] = {
    "weekly": {
        day: [["09:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri")
    },
    "holidays": [],
}


def new_secret() -> str:
    """Return a fresh random workspace secret (HMAC key for identified visitors, webhooks)."""
    return secrets.token_urlsafe(32)


class Workspace(Base, IdMixin, TimestampMixin):
    """One business using omnidesk; every other row belongs to exactly one."""

    __tablename__ = "workspaces"

    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    default_locale: Mapped[str] = mapped_column(String(8), default="ko")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Seoul")
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    business_hours: Mapped[dict[str, Any]] = mapped_column(default=lambda: dict(DEFAULT_BUSINESS_HOURS))
    secret: Mapped[str] = mapped_column(String(128), default=new_secret)
    created_by: Mapped[str | None] = mapped_column(String(200))
    archived_at: Mapped[dt.datetime | None]
