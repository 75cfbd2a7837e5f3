"""Canned responses: reusable replies with a shortcut, variables and a scope."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.core.db import Base, IdMixin, IdType, TimestampMixin, WorkspaceScoped

SCOPES = ("workspace", "team", "personal")


class CannedResponse(Base, IdMixin, TimestampMixin, WorkspaceScoped):
    """A saved reply an agent inserts by shortcut; its body may use {{ variables }}."""

    __tablename__ = "canned_responses"
    __table_args__ = (Index("ix_canned_responses_ws_shortcut", "workspace_id", "shortcut"),)

    shortcut: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    locale: Mapped[str | None] = mapped_column(String(8))
    scope: Mapped[str] = mapped_column(String(16), default="workspace")
    owner_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("teams.id", ondelete="CASCADE"), index=True
    )
    created_by: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("users.id", ondelete="SET NULL")
    )
    # Order within its scope (personal, a team's, the workspace's) in the composer's picker
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
