"""Stored intent models: one row per trained version of a workspace's model, one active."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.core.db import Base, IdMixin, WorkspaceScoped, utcnow


class NluModel(Base, IdMixin, WorkspaceScoped):
    """A trained intent model's bytes with its metrics and labels."""

    __tablename__ = "nlu_models"
    __table_args__ = (
        UniqueConstraint("workspace_id", "version"),
        Index("ix_nlu_models_ws_active", "workspace_id", "is_active"),
    )

    version: Mapped[int]
    model_bytes: Mapped[bytes] = mapped_column(LargeBinary)
    metrics: Mapped[dict[str, Any]] = mapped_column(default=dict)
    labels: Mapped[list[Any]] = mapped_column(default=list)
    source: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    is_active: Mapped[bool] = mapped_column(default=False)
