"""Report tables beside the KPIs: daily series, hour-of-week heatmap, drill-downs, the bot page.

Whole local days read the daily rollups (the daily series and the heatmap one row a day, the
heatmap's hour columns summed per weekday; the bot page and the survey distributions whole
months from the monthly rows); two slices of the pair dimensions read the pair's rows. Other
spans add up hourly counters (rollups, or the facts when sliced by more than one dimension) and
place each hour in the workspace's local day and hour of the week.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, extract, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import ROLE_RANK, Actor
from omnidesk.core.errors import InvalidInput
from omnidesk.domains.analytics.actions import hour_of
from omnidesk.domains.analytics.counters import EXPRESSIONS, UNHELPFUL, row_counters
from omnidesk.domains.analytics.models import (
    COUNTERS,
    HOUR_COUNTERS,
    SCORE_COUNTERS,
    KpiRollup,
    daily_rollups,
)
from omnidesk.domains.analytics.models import ConversationFact as F
from omnidesk.domains.analytics.reports import (
    ReportFilter,
    RollupCell,
    facts_query,
    kpi_values,
    rollup_query,
)
from omnidesk.domains.feedback.service import scale
from omnidesk.domains.workspaces.service import Calendar

DRILLS: dict[str, ColumnElement[bool]] = {
    "all": F.id.is_not(None),
    "resolved": F.resolved_at.is_not(None),
    "open": F.resolved_at.is_(None),
    "reopened": F.reopened > 0,
    "not_fcr": F.fcr.is_(False),
    "fcr": F.fcr.is_(True),
    "first_response_late": F.first_response_within_target.is_(False),
    "sla_missed": F.sla_met.is_(False),
    "bot": F.bot_handled.is_(True),
    "handoff": F.handed_off.is_(True),
    "self_service_confirmed": F.self_service == "confirmed",
    "self_service_assumed": F.self_service == "assumed",
    "csat_low": F.csat <= 2,
    "nps_detractor": F.nps <= 6,
    "csat": F.csat.is_not(None),
    "nps": F.nps.is_not(None),
    "ces": F.ces.is_not(None),
}
# One survey score ("csat_5", "nps_0", …): the conversations behind a bar of a distribution.
DRILLS.update({f"{kind}_{score}": column == score
               for kind, column in (("csat", F.csat), ("nps", F.nps), ("ces", F.ces))
               for score in range(scale(kind)[0], scale(kind)[1] + 1)})


@dataclass(frozen=True)
class Drill:
    """Which conversations behind a number: a named condition and the cell or row clicked."""

    only: str = "all"
    hour_of_week: int | None = None  # a heatmap cell
    handoff_reason: str | None = None  # a row of the bot page
    bot_article: str | None = None


def scoped_filter(actor: Actor, flt: ReportFilter) -> ReportFilter:
    """Return the filter an actor may report on: supervisors any, an agent only their own."""
    if ROLE_RANK.get(actor.role, 0) >= ROLE_RANK["supervisor"]:
        return flt
    return replace(flt, agent_id=actor.user_id or -1)


async def hourly(session: AsyncSession, *, workspace_id: int,
                 flt: ReportFilter) -> dict[dt.datetime, dict[str, float]]:
    """Return summed counters per UTC hour of creation."""
    slices = flt.slices()
    found: dict[dt.datetime, dict[str, float]] = defaultdict(
        lambda: dict.fromkeys(COUNTERS, 0.0))
    if len(slices) <= 1:
        dimension, value = next(iter(slices.items())) if slices else ("all", "")
        rows = await session.execute(
            select(KpiRollup.hour, *[func.sum(getattr(KpiRollup, n)).label(n) for n in COUNTERS])
            .where(KpiRollup.workspace_id == workspace_id, KpiRollup.dimension == dimension,
                   KpiRollup.key == str(value), KpiRollup.hour >= flt.since,
                   KpiRollup.hour < flt.until).group_by(KpiRollup.hour))
        for row in rows:  # positional: thousands of rows, 27 counters each
            found[hour_of(row[0])] = dict(zip(COUNTERS, (float(v or 0) for v in row[1:]),
                                              strict=True))
        return found
    for row in await session.execute(facts_query(workspace_id, flt, select(
            F.created_at, *row_counters()))):
        cell = found[hour_of(row.created_at)]
        for name in COUNTERS:
            cell[name] += float(row._mapping[name] or 0)
    return found


async def daily_series(session: AsyncSession, *, workspace_id: int, flt: ReportFilter,
                       calendar: Calendar) -> list[dict[str, Any]]:
    """Return the KPIs of each local day of the period (days without conversations too)."""
    days: dict[dt.date, dict[str, float]] = {}
    day = flt.since.astimezone(calendar.tz).date()
    last = (flt.until - dt.timedelta(seconds=1)).astimezone(calendar.tz).date()
    while day <= last:
        days[day] = dict.fromkeys(COUNTERS, 0.0)
        day += dt.timedelta(days=1)
    cell = flt.rollup_cell(None)
    if flt.days is not None and cell is not None:  # one row a day from the daily rollups
        rows = await session.execute(rollup_query(workspace_id, flt, cell, select(
            daily_rollups.c.day, *[daily_rollups.c[n] for n in COUNTERS]), months=False))
        for row in rows:
            if row[0] in days:
                days[row[0]] = dict(zip(COUNTERS, (float(v) for v in row[1:]), strict=True))
        return [{"date": d.isoformat(), **kpi_values(c)} for d, c in days.items()]
    for hour, counters in (await hourly(session, workspace_id=workspace_id, flt=flt)).items():
        local = hour.astimezone(calendar.tz).date()
        if local in days:
            for name, value in counters.items():
                days[local][name] += value
    return [{"date": d.isoformat(), **kpi_values(c)} for d, c in days.items()]


HEAT = ("conversations", "first_responses", "first_response_seconds_sum")


async def heatmap(session: AsyncSession, *, workspace_id: int, flt: ReportFilter,
                  calendar: Calendar) -> list[dict[str, Any]]:
    """Return 168 cells (local Monday 00:00 first): conversations and mean first response.

    Whole local days read the daily rollups' hour columns (one row a day, summed per weekday);
    two slices count the facts by their ``hour_of_week``; other spans of instants add up the
    hourly rollups, each UTC hour placed in its local hour of the week."""
    cells = [dict.fromkeys(HEAT, 0.0) for _ in range(168)]
    cell = flt.rollup_cell(None)
    if flt.days is not None and cell is not None:
        weekday = extract("dow", daily_rollups.c.day)  # Sunday = 0 on both databases
        query: Any = select(weekday, *[func.sum(daily_rollups.c[n]) for n in HOUR_COUNTERS])
        rows: Any = await session.execute(
            rollup_query(workspace_id, flt, cell, query, months=False).group_by(weekday))
        for row in rows:  # positional: HOUR_COUNTERS is hour by hour, HEAT in order
            first = ((int(row[0]) + 6) % 7) * 24  # Monday = 0
            for index, value in enumerate(row[1:]):
                cells[first + index // len(HEAT)][HEAT[index % len(HEAT)]] += float(value or 0)
    elif len(flt.slices()) > 1:
        query = select(F.hour_of_week, *[func.sum(EXPRESSIONS[n]) for n in HEAT])
        rows = await session.execute(
            facts_query(workspace_id, flt, query).group_by(F.hour_of_week))
        for row in rows:
            cells[row[0]] = {name: float(value or 0)
                             for name, value in zip(HEAT, row[1:], strict=True)}
    else:
        for hour, counters in (await hourly(session, workspace_id=workspace_id,
                                            flt=flt)).items():
            local = hour.astimezone(calendar.tz)
            heat = cells[local.weekday() * 24 + local.hour]
            for name in HEAT:
                heat[name] += counters[name]
    return [{"hour_of_week": index, "weekday": index // 24, "hour": index % 24,
             "conversations": int(c["conversations"]),
             "first_response_seconds_average": (
                 round(c["first_response_seconds_sum"] / c["first_responses"], 1)
                 if c["first_responses"] else None)} for index, c in enumerate(cells)]


async def drill_down(session: AsyncSession, *, workspace_id: int, flt: ReportFilter,
                     drill: Drill = Drill(), limit: int = 200) -> list[dict[str, Any]]:
    """Return the conversations behind a number (newest first)."""
    if drill.only not in DRILLS:
        raise InvalidInput(f"only must be one of {', '.join(DRILLS)}", field="only")
    query = facts_query(workspace_id, flt, select(F)).where(DRILLS[drill.only])
    for column, value in ((F.hour_of_week, drill.hour_of_week),
                          (F.handoff_reason, drill.handoff_reason),
                          (F.bot_article, drill.bot_article)):
        if value is not None:
            query = query.where(column == value)
    rows = await session.scalars(query.order_by(F.created_at.desc()).limit(min(limit, 1000)))
    return [{"conversation_id": f.conversation_id, "created_at": f.created_at.isoformat(),
             "channel": f.channel, "inbox_id": f.inbox_id, "team_id": f.team_id,
             "agent_id": f.agent_id, "intent": f.intent, "language": f.language,
             "status": f.status, "first_response_seconds": f.first_response_seconds,
             "resolution_seconds": f.resolution_seconds, "reopened": f.reopened,
             "fcr": f.fcr, "self_service": f.self_service, "handed_off": f.handed_off,
             "csat": f.csat, "nps": f.nps, "ces": f.ces} for f in rows]


async def bot_report(session: AsyncSession, *, workspace_id: int,
                     flt: ReportFilter) -> dict[str, Any]:
    """Return the bot page: containment, the intents and reasons it hands off, failing articles.

    Unsliced whole days read the daily rollups (intent, handoff reason and article dimensions);
    anything else counts the facts by the same rules (``counters.UNHELPFUL``).
    """
    if flt.days is not None and not flt.slices():
        articles = await _top_keys(session, workspace_id, flt, "bot_article", {
            "failed_articles": ("bot_unhelpful",),
            "helpful_articles": ("self_service_confirmed", "self_service_assumed")})
        return {**await _top_keys(session, workspace_id, flt, "intent",
                                  {"handoff_intents": ("handoffs",)}),
                **await _top_keys(session, workspace_id, flt, "handoff_reason",
                                  {"handoff_reasons": ("handoffs",)}),
                **articles}

    async def top(column: Any, condition: ColumnElement[bool]) -> list[dict[str, Any]]:
        rows = await session.execute(
            facts_query(workspace_id, flt, select(column, func.count().label("n")))
            .where(condition, column.is_not(None)).group_by(column)
            .order_by(func.count().desc(), column).limit(10))
        return [{"key": row[0], "conversations": int(row.n)} for row in rows]

    return {"handoff_intents": await top(F.intent, F.handed_off.is_(True)),
            "handoff_reasons": await top(F.handoff_reason, F.handed_off.is_(True)),
            "failed_articles": await top(F.bot_article, UNHELPFUL),
            "helpful_articles": await top(F.bot_article, F.self_service.is_not(None))}


async def _top_keys(session: AsyncSession, workspace_id: int, flt: ReportFilter,
                    dimension: str, tops: dict[str, tuple[str, ...]]
                    ) -> dict[str, list[dict[str, Any]]]:
    """Return, for each named sum of counters, the ten keys of a daily-rollup dimension with the
    largest sum (ties by key), all from one read of the dimension's rows."""
    names = sorted({name for summed in tops.values() for name in summed})
    rows = (await session.execute(
        rollup_query(workspace_id, flt, RollupCell(dimension), select(
            daily_rollups.c.key, *[func.sum(daily_rollups.c[n]).label(n) for n in names]))
        .where(daily_rollups.c.key != "").group_by(daily_rollups.c.key)
        .order_by(daily_rollups.c.key))).all()  # ties in the database's order of keys
    found: dict[str, list[dict[str, Any]]] = {}
    for top, summed in tops.items():
        totals = [(int(sum(row._mapping[n] or 0 for n in summed)), row.key) for row in rows]
        ranked = sorted(((n, key) for n, key in totals if n > 0), key=lambda t: -t[0])
        found[top] = [{"key": key, "conversations": n} for n, key in ranked[:10]]
    return found


async def survey_distribution(session: AsyncSession, *, workspace_id: int,
                              flt: ReportFilter) -> dict[str, dict[str, int]]:
    """Return how many conversations gave each CSAT, NPS and CES score."""
    found: dict[str, dict[str, int]] = {}
    cell = flt.rollup_cell(None)
    if flt.days is not None and cell is not None:  # the daily rollups count every score
        row = (await session.execute(rollup_query(workspace_id, flt, cell, select(*[
            func.coalesce(func.sum(daily_rollups.c[n]), 0).label(n)
            for n in SCORE_COUNTERS])))).one()
        for kind in ("csat", "nps", "ces"):
            low, high = scale(kind)
            found[kind] = {str(score): int(row._mapping[f"{kind}_{score}"])
                           for score in range(low, high + 1)}
        return found
    for kind, column in (("csat", F.csat), ("nps", F.nps), ("ces", F.ces)):
        low, high = scale(kind)
        query: Any = select(column, func.count())
        rows: Any = await session.execute(facts_query(workspace_id, flt, query).where(
            column.is_not(None)).group_by(column))
        counts = {str(score): 0 for score in range(low, high + 1)}
        counts.update({str(score): int(n) for score, n in rows})
        found[kind] = counts
    return found
