"""Survey settings per workspace, surveys sent, answers, opt-outs and low-score follow-ups."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.core.db import (
    STATISTICS,
    Base,
    IdMixin,
    IdType,
    TimestampMixin,
    WorkspaceScoped,
    utcnow,
)

KINDS = ("csat", "nps", "ces")
SCALES: dict[str, tuple[int, int]] = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}
TIMINGS = ("on_resolve", "after_hours")
AUDIENCES = ("human", "bot", "both")  # which resolved conversations are surveyed
SURVEY_STATUSES = ("scheduled", "sent", "answered", "skipped")
DELIVERIES = ("buttons", "quick_replies", "link")  # how the question reached the customer
ANSWER_VIAS = ("widget", "quick_reply", "digit", "link", "staff")
FOLLOWUP_STATUSES = ("open", "done")


class SurveySettings(Base, IdMixin, TimestampMixin, WorkspaceScoped):
    """What a workspace asks its customers, when, of which conversations, and how often."""

    __tablename__ = "survey_settings"
    __table_args__ = (UniqueConstraint("workspace_id"),)

    enabled: Mapped[bool] = mapped_column(default=False)
    kind: Mapped[str] = mapped_column(String(8), default="csat")
    timing: Mapped[str] = mapped_column(String(16), default="on_resolve")
    delay_hours: Mapped[int] = mapped_column(default=0)
    audience: Mapped[str] = mapped_column(String(8), default="both")
    inbox_ids: Mapped[list[Any]] = mapped_column(default=list)  # empty: every inbox
    cap_days: Mapped[int] = mapped_column(default=14)  # at most one survey per customer per N days
    comment: Mapped[bool] = mapped_column(default=True)  # ask for an optional comment
    low_csat: Mapped[int] = mapped_column(default=2)  # a score at or under it is low
    low_nps: Mapped[int] = mapped_column(default=6)
    low_ces: Mapped[int] = mapped_column(default=3)
    reopen_on_low: Mapped[bool] = mapped_column(default=False)
    link_ttl_hours: Mapped[int] = mapped_column(default=168)


SLICES = ("language", "channel", "inbox_id", "agent_id", "team_id", "intent", "handled_by")


class Slices:
    """What reports slice a survey and its answer by, taken from the conversation when sent."""

    language: Mapped[str] = mapped_column(String(8), default="ko")
    channel: Mapped[str] = mapped_column(String(16))
    inbox_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("inboxes.id",
                                                                     ondelete="SET NULL"))
    agent_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id",
                                                                    ondelete="SET NULL"))
    team_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("teams.id",
                                                                   ondelete="SET NULL"))
    intent: Mapped[str | None] = mapped_column(String(80))
    handled_by: Mapped[str] = mapped_column(String(8), default="human")  # human | bot


class Survey(Base, IdMixin, WorkspaceScoped, Slices):
    """One question put (or to be put) to a customer about one resolved conversation."""

    __tablename__ = "surveys"
    __table_args__ = (
        UniqueConstraint("workspace_id", "conversation_id", "resolution"),
        Index("ix_surveys_ws_customer_created", "workspace_id", "customer_id", "created_at"),
        Index("ix_surveys_status_due", "status", "due_at"),
        STATISTICS,
    )

    conversation_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[int] = mapped_column(IdType, ForeignKey("customers.id",
                                                                ondelete="CASCADE"))
    resolution: Mapped[int] = mapped_column(default=0)  # the conversation's reopen count
    kind: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    delivery: Mapped[str | None] = mapped_column(String(16))
    message_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("messages.id",
                                                                      ondelete="SET NULL"))
    due_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None]
    expires_at: Mapped[dt.datetime | None]
    answered_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SurveyAnswer(Base, IdMixin, WorkspaceScoped, Slices):
    """A customer's one answer to a survey, with what reports slice it by."""

    __tablename__ = "survey_answers"
    __table_args__ = (
        UniqueConstraint("survey_id"),
        Index("ix_survey_answers_ws_created", "workspace_id", "created_at"),
        STATISTICS,
    )

    survey_id: Mapped[int] = mapped_column(IdType, ForeignKey("surveys.id", ondelete="CASCADE"))
    conversation_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[int] = mapped_column(IdType, ForeignKey("customers.id",
                                                                ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    score: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)
    is_low: Mapped[bool] = mapped_column(default=False)
    via: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SurveyOptOut(Base, IdMixin, WorkspaceScoped):
    """A customer who asked not to be surveyed again."""

    __tablename__ = "survey_opt_outs"
    __table_args__ = (UniqueConstraint("workspace_id", "customer_id"),)

    customer_id: Mapped[int] = mapped_column(IdType, ForeignKey("customers.id",
                                                                ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class FollowUp(Base, IdMixin, WorkspaceScoped):
    """A task for the team lead after a low score: call back, make it right, close it."""

    __tablename__ = "feedback_followups"
    __table_args__ = (
        UniqueConstraint("answer_id"),
        Index("ix_feedback_followups_ws_status", "workspace_id", "status"),
    )

    answer_id: Mapped[int] = mapped_column(IdType, ForeignKey("survey_answers.id",
                                                              ondelete="CASCADE"))
    conversation_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("teams.id",
                                                                   ondelete="SET NULL"))
    owner_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id",
                                                                    ondelete="SET NULL"))
    agent_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id",
                                                                    ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(8), default="open")
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[dt.datetime | None]
    closed_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id",
                                                                     ondelete="SET NULL"))
