"""Goals: where each stands in its current period, its trend, and whether it is on track.

A goal names a KPI key of ``docs/metrics.md``; whether higher or lower is better is decided here
(one owner), as are the period bounds (local calendar weeks from Monday, months, quarters) and
which scopes a metric has (occupancy is time: the workspace's or one agent's).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.analytics.models import Goal
from omnidesk.domains.analytics.occupancy import KEYS as OCCUPANCY_KEYS
from omnidesk.domains.analytics.occupancy import SLICES as OCCUPANCY_SLICES
from omnidesk.domains.analytics.reports import ReportFilter, day_filter, kpis
from omnidesk.domains.analytics.schemas import GoalRead
from omnidesk.domains.workspaces.service import Calendar

HIGHER_IS_BETTER = frozenset({
    "first_response_within_target_rate", "fcr_rate", "sla_attainment", "csat_average",
    "csat_satisfied_rate", "nps", "ces_average", "self_service_confirmed_rate",
    "self_service_assumed_rate", "resolved", "agent_occupancy"})
LOWER_IS_BETTER = frozenset({
    "first_response_seconds_median", "first_response_seconds_p90",
    "first_response_business_seconds_median", "first_response_business_seconds_p90",
    "resolution_seconds_median", "resolution_seconds_p90", "resolution_business_seconds_median",
    "reopen_rate", "handoff_rate", "replies_per_resolution"})
GOAL_METRICS = tuple(sorted(HIGHER_IS_BETTER | LOWER_IS_BETTER))
SCOPE_FIELDS = {"team": "team_id", "inbox": "inbox_id", "agent": "agent_id"}
TREND_PERIODS = 6


def scope_has(metric: str, scope: str) -> bool:
    """Tell whether a metric is defined for a goal's scope (occupancy: the workspace or one
    agent, not a team's or an inbox's, which would always read null)."""
    return metric not in OCCUPANCY_KEYS or scope == "workspace" or scope in OCCUPANCY_SLICES


def period_of(kind: str, day: dt.date, back: int = 0) -> tuple[dt.date, dt.date]:
    """Return the first and last local day of the period holding ``day`` (``back`` earlier)."""
    if kind == "week":
        first = day - dt.timedelta(days=day.weekday()) - dt.timedelta(weeks=back)
        return first, first + dt.timedelta(days=6)
    months = 3 if kind == "quarter" else 1
    index = day.year * 12 + (day.month - 1) // months * months - back * months
    first = dt.date(index // 12, index % 12 + 1, 1)
    after = index + months
    return first, dt.date(after // 12, after % 12 + 1, 1) - dt.timedelta(days=1)


def on_track(metric: str, value: float | None, target: float) -> bool | None:
    """Tell whether a value meets a target (None when there is nothing to measure yet)."""
    if value is None:
        return None
    return value >= target if metric in HIGHER_IS_BETTER else value <= target


def goal_filter(goal: Goal, calendar: Calendar, first: dt.date,
                last: dt.date) -> ReportFilter:
    """Return the report filter of a goal's scope over the local days of a period."""
    field = SCOPE_FIELDS.get(goal.scope)
    extra: dict[str, Any] = {field: goal.scope_id} if field else {}
    return day_filter(calendar, first, last, **extra)


async def goal_progress(session: AsyncSession, *, goal: Goal, calendar: Calendar,
                        today: dt.date) -> GoalRead:
    """Return a goal with its value this period, its trend and whether it is on track."""
    values: list[float | None] = []
    for back in range(TREND_PERIODS - 1, -1, -1):
        first, last = period_of(goal.period, today, back)
        result = await kpis(session, workspace_id=goal.workspace_id,
                            flt=goal_filter(goal, calendar, first, min(last, today)))
        value = result[""].get(goal.metric)
        values.append(None if value is None else float(value))
    return GoalRead(id=goal.id, name=goal.name, metric=goal.metric, target=goal.target,
                    period=goal.period, scope=goal.scope, scope_id=goal.scope_id,
                    owner_id=goal.owner_id, value=values[-1],
                    on_track=on_track(goal.metric, values[-1], goal.target), trend=values)


async def list_goals(session: AsyncSession, *, workspace_id: int) -> list[Goal]:
    """Return a workspace's goals, oldest first."""
    rows = await session.scalars(select(Goal).where(Goal.workspace_id == workspace_id)
                                 .order_by(Goal.id))
    return list(rows.all())


async def list_all_goals(session: AsyncSession) -> list[Goal]:
    """Return every workspace's goals (for the off-track check)."""
    return list((await session.scalars(select(Goal).order_by(Goal.id))).all())
