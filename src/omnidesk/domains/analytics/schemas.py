"""Analytics API shapes: the report query (period + slices) and goals."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Breakdown = Literal["channel", "inbox", "team", "agent", "intent", "language"]
GoalPeriod = Literal["week", "month", "quarter"]
GoalScope = Literal["workspace", "team", "inbox", "agent"]


class ReportQuery(BaseModel):
    """Which conversations a report covers: a local date range and optional slices."""

    model_config = ConfigDict(populate_by_name=True)

    date_from: dt.date | None = Field(None, alias="from",
                                      description="first local day (default: 30 days back)")
    date_to: dt.date | None = Field(None, alias="to", description="last local day, inclusive")
    by: Breakdown | None = None
    channel: str | None = Field(None, max_length=16)
    inbox_id: int | None = Field(None, ge=1, le=2**63 - 1)
    team_id: int | None = Field(None, ge=1, le=2**63 - 1)
    agent_id: int | None = Field(None, ge=1, le=2**63 - 1)
    intent: str | None = Field(None, max_length=80)
    language: str | None = Field(None, max_length=8)


class DrillQuery(BaseModel):
    """Which conversations behind a number: a named condition, a heatmap cell, a bot-page row."""

    only: str = Field("all", max_length=32)
    hour_of_week: int | None = Field(None, ge=0, le=167)
    handoff_reason: str | None = Field(None, max_length=64)
    bot_article: str | None = Field(None, max_length=300)


class GoalCreate(BaseModel):
    """A SMART goal: which metric, what target, over which period, for whom, owned by whom."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    metric: str = Field(max_length=64)
    target: float = Field(allow_inf_nan=False)
    period: GoalPeriod = "month"
    scope: GoalScope = "workspace"
    scope_id: int | None = Field(None, ge=1, le=2**63 - 1)
    owner_id: int | None = Field(None, ge=1, le=2**63 - 1)


class GoalRead(BaseModel):
    """A goal with where it stands in its current period."""

    id: int
    name: str
    metric: str
    target: float
    period: GoalPeriod
    scope: GoalScope
    scope_id: int | None
    owner_id: int | None
    value: float | None = None  # the metric so far this period
    expected: float | None = None  # where a straight line would be by now (counts only)
    on_track: bool | None = None
    trend: list[float | None] = Field(default_factory=list)  # the last periods' values
