"""Staffing: forecast arrivals and handle time per hour of the week from a workspace's history,
then recommend agents per hour with Erlang C (``routing.planning.erlang``, the one implementation).

Chat concurrency: an agent serves up to ``concurrency`` chats at once, so the queue has
``agents × concurrency`` servers; the recommendation is the fewest agents whose servers meet the
service-level goal (share of conversations answered within the target).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.events import OutboxEvent
from omnidesk.domains.analytics.facts import hour_of_week
from omnidesk.domains.analytics.models import ConversationFact as F
from omnidesk.domains.analytics.reports import ReportFilter
from omnidesk.domains.analytics.tables import hourly
from omnidesk.domains.routing.events import AgentPresenceChanged
from omnidesk.domains.routing.models import AgentStateRow
from omnidesk.domains.routing.service import predict_staffing
from omnidesk.domains.workspaces.service import Calendar

HISTORY_WEEKS = 4
DEFAULT_AHT_SECONDS = 600.0
HANDLING_CAP = dt.timedelta(hours=4)  # longer spans wait on the customer, not on an agent
MAX_AGENTS = 500
PRESENCE_LOOKBACK = dt.timedelta(days=30)  # presence events read before the window


@dataclass(frozen=True)
class StaffingGoal:
    """The service level to meet: ``level`` of conversations answered within ``target``."""

    level: float = 0.8
    target_seconds: float = 60.0
    concurrency: int = 2


@dataclass(frozen=True)
class HourPlan:
    """One hour of the week: forecast, recommendation and what Erlang C predicts for it."""

    hour_of_week: int
    arrivals_per_hour: float
    aht_seconds: float
    agents: int
    service_level: float
    occupancy: float


async def forecast(session: AsyncSession, *, workspace_id: int, calendar: Calendar,
                   now: dt.datetime, weeks: int = HISTORY_WEEKS
                   ) -> tuple[list[float], float]:
    """Return mean conversations needing a person per hour of the week, and the mean handle time.

    Conversations the bot settled alone need no agent; handle time is first agent reply to
    resolution for conversations resolved within four hours of it.
    """
    flt = ReportFilter(since=now - dt.timedelta(weeks=weeks), until=now)
    arrivals = [0.0] * 168
    for hour, counters in (await hourly(session, workspace_id=workspace_id, flt=flt)).items():
        local = hour.astimezone(calendar.tz)
        bot_only = counters["bot_conversations"] - counters["handoffs"]
        arrivals[local.weekday() * 24 + local.hour] += counters["conversations"] - bot_only
    spans: Any = (await session.execute(
        select(F.first_response_at, F.resolved_at).where(
            F.workspace_id == workspace_id, F.created_at >= flt.since, F.created_at < now,
            F.first_response_at.is_not(None), F.resolved_at.is_not(None)).limit(50_000))).all()
    seconds = [(end - start).total_seconds() for start, end in spans
               if dt.timedelta(0) <= end - start <= HANDLING_CAP]
    aht = sum(seconds) / len(seconds) if seconds else DEFAULT_AHT_SECONDS
    return [count / weeks for count in arrivals], max(aht, 30.0)


def recommend(arrivals_per_hour: float, aht_seconds: float, goal: StaffingGoal) -> HourPlan:
    """Return the fewest agents whose chat servers meet the service level (Erlang C)."""
    if arrivals_per_hour <= 0:
        return HourPlan(0, 0.0, aht_seconds, 0, 1.0, 0.0)
    for agents in range(1, MAX_AGENTS + 1):
        result = predict_staffing(agents * goal.concurrency, arrivals_per_hour, aht_seconds,
                         goal.target_seconds)
        if result.service_level >= goal.level:
            return HourPlan(0, arrivals_per_hour, aht_seconds, agents, result.service_level,
                            result.occupancy)
    return HourPlan(0, arrivals_per_hour, aht_seconds, MAX_AGENTS, 0.0, 1.0)


async def staffing_plan(session: AsyncSession, *, workspace_id: int, calendar: Calendar,
                        now: dt.datetime, goal: StaffingGoal) -> list[HourPlan]:
    """Return the recommendation for each of the 168 hours of the week."""
    arrivals, aht = await forecast(session, workspace_id=workspace_id, calendar=calendar,
                                   now=now)
    plans = []
    for index, rate in enumerate(arrivals):
        plan = recommend(rate, aht, goal)
        plans.append(HourPlan(index, round(rate, 2), round(aht, 1), plan.agents,
                              round(plan.service_level, 4), round(plan.occupancy, 4)))
    return plans


async def online_history(session: AsyncSession, *, workspace_id: int, calendar: Calendar,
                         now: dt.datetime, weeks: int = HISTORY_WEEKS) -> list[float]:
    """Return the mean number of agents online in each local hour of the week over the last
    weeks, replayed from the ``agent.presence_changed`` events (an agent with no event before
    the window counts as offline until their first one)."""
    since = now - dt.timedelta(weeks=weeks)
    rows: Any = await session.scalars(
        select(OutboxEvent.payload).where(
            OutboxEvent.workspace_id == workspace_id,
            OutboxEvent.name == AgentPresenceChanged.name,
            OutboxEvent.created_at >= since - PRESENCE_LOOKBACK, OutboxEvent.created_at < now)
        .order_by(OutboxEvent.id))
    changes: dict[int, list[tuple[dt.datetime, bool]]] = {}
    for payload in rows:
        at = dt.datetime.fromisoformat(str(payload["at"]))
        at = at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at
        changes.setdefault(int(payload["user_id"]), []).append(
            (at, payload["presence"] == "online"))
    seconds = [0.0] * 168
    for items in changes.values():
        items.sort(key=lambda item: item[0])
        ends = [at for at, _online in items[1:]] + [now]
        for (start, online), end in zip(items, ends, strict=True):
            if online:
                _add_hours(seconds, max(start, since), min(end, now), calendar)
    return [round(value / (3600.0 * weeks), 2) for value in seconds]


def _add_hours(seconds: list[float], start: dt.datetime, end: dt.datetime,
               calendar: Calendar) -> None:
    """Add the time between two instants to the local hours of the week it covers."""
    at = start
    while at < end:
        next_hour = at.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
        step = min(next_hour, end)
        seconds[hour_of_week(at, calendar)] += (step - at).total_seconds()
        at = step


async def agents_online(session: AsyncSession, *, workspace_id: int) -> tuple[int, int]:
    """Return how many agents are online now and their typical chat capacity."""
    online, capacity = (await session.execute(
        select(func.count(), func.coalesce(func.avg(AgentStateRow.chat_capacity), 0)).where(
            AgentStateRow.workspace_id == workspace_id,
            AgentStateRow.presence == "online"))).one()
    return int(online), max(1, math.floor(float(capacity) or 2))
