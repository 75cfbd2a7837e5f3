"""Feedback schemas: survey settings, answers as customers give them and as reports read them."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from omnidesk.core.schemas import Id

Kind = Literal["csat", "nps", "ces"]


class SurveySettingsUpdate(BaseModel):
    """Change what a workspace asks, when, of which conversations and how often (all optional)."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool | None = None
    kind: Kind | None = None
    timing: Literal["on_resolve", "after_hours"] | None = None
    delay_hours: int | None = Field(None, ge=0, le=720, description="With timing after_hours.")
    audience: Literal["human", "bot", "both"] | None = Field(
        None, description="Survey conversations people handled, the bot resolved, or both.")
    inbox_ids: list[Id] | None = Field(None, max_length=200,
                                       description="Only these inboxes; empty: every inbox.")
    cap_days: int | None = Field(None, ge=0, le=365,
                                 description="At most one survey per customer in this many days.")
    comment: bool | None = Field(None, description="Ask for an optional comment.")
    low_csat: int | None = Field(None, ge=1, le=5, description="CSAT at or under this is low.")
    low_nps: int | None = Field(None, ge=0, le=10, description="NPS at or under this is low.")
    low_ces: int | None = Field(None, ge=1, le=7, description="CES at or under this is low.")
    reopen_on_low: bool | None = Field(None, description="A low score reopens the conversation.")
    link_ttl_hours: int | None = Field(None, ge=1, le=24 * 60,
                                       description="How long a survey link stays valid.")


class SurveySettingsRead(BaseModel):
    """A workspace's survey settings (defaults when never saved)."""

    model_config = ConfigDict(from_attributes=True)

    enabled: bool
    kind: str
    timing: str
    delay_hours: int
    audience: str
    inbox_ids: list[int]
    cap_days: int
    comment: bool
    low_csat: int
    low_nps: int
    low_ces: int
    reopen_on_low: bool
    link_ttl_hours: int


class AnswerCreate(BaseModel):
    """A customer's answer: a score on the survey's scale and an optional comment."""

    model_config = ConfigDict(extra="forbid")

    score: int = Field(ge=0, le=10)
    comment: str | None = Field(None, max_length=2000)


class LinkAnswerCreate(AnswerCreate):
    """An answer given on the survey page a signed link opens, maybe with an opt-out."""

    opt_out: bool = Field(False, description="Do not ask this customer again.")


class AnswerRead(BaseModel):
    """A stored answer with what it is sliced by (conversation, agent, team, inbox, channel)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    survey_id: int
    conversation_id: int
    customer_id: int
    kind: str
    score: int
    comment: str | None
    language: str
    channel: str
    inbox_id: int | None
    agent_id: int | None
    team_id: int | None
    intent: str | None
    handled_by: str
    is_low: bool
    via: str
    created_at: dt.datetime


class AnswerPage(BaseModel):
    """A page of answers, newest first, and the cursor of the next page."""

    items: list[AnswerRead]
    next_cursor: str | None = None


class FollowUpRead(BaseModel):
    """A follow-up task after a low score."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    answer_id: int
    conversation_id: int
    team_id: int | None
    owner_id: int | None
    agent_id: int | None
    status: str
    note: str | None
    created_at: dt.datetime
    closed_at: dt.datetime | None


class FollowUpClose(BaseModel):
    """Close a follow-up, with an optional note of what was done."""

    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(None, max_length=2000)
