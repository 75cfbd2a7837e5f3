"""KPI reports: totals, breakdowns, daily series, the hour-of-week heatmap and drill-downs.

Counts and sums come from the rollups when one cell answers (``ReportFilter.rollup_cell``):
unsliced, one slice, or over whole local days two slices among channel, inbox, team and language
(or one grouped by another) from the pair rows; whole months of a long range come from the
monthly rows. Otherwise (three slices, agent or intent beside another slice) an index range of
the facts answers, and medians and p90s come from the facts up to ``EXACT_LIMIT`` conversations
and from the daily histograms beyond. Every key is defined in ``docs/metrics.md``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Date, Select, and_, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.errors import InvalidInput
from omnidesk.domains.analytics.counters import bucket_bounds, summed_counters
from omnidesk.domains.analytics.models import (
    COUNTERS,
    HISTOGRAM_BUCKETS,
    HISTOGRAM_COUNTERS,
    HISTOGRAMS,
    MONTHLY_PREFIX,
    PAIR_DIMENSIONS,
    PAIR_SEPARATOR,
    KpiRollup,
    daily_rollups,
    pair_component,
    pair_key,
    pair_name,
    pair_part,
)
from omnidesk.domains.analytics.models import ConversationFact as F
from omnidesk.domains.analytics.occupancy import KEYS as OCCUPANCY_KEYS
from omnidesk.domains.analytics.occupancy import occupancy
from omnidesk.domains.workspaces.service import Calendar

BY_COLUMNS = {"channel": F.channel, "inbox": F.inbox_id, "team": F.team_id,
              "agent": F.agent_id, "intent": F.intent, "language": F.language}
BREAKDOWNS = tuple(BY_COLUMNS)
PERCENTILE_COLUMNS = {
    "first_response_seconds": F.first_response_seconds,
    "first_response_business_seconds": F.first_response_business_seconds,
    "resolution_seconds": F.resolution_seconds,
    "resolution_business_seconds": F.resolution_business_seconds,
}
MAX_DAYS = 400
EXACT_LIMIT = 20_000  # up to this many conversations, medians and p90s are exact (facts)


@dataclass(frozen=True)
class ReportFilter:
    """The conversations a report covers: created in [since, until), sliced by facts."""

    since: dt.datetime
    until: dt.datetime
    channel: str | None = None
    inbox_id: int | None = None
    team_id: int | None = None
    agent_id: int | None = None
    intent: str | None = None
    language: str | None = None
    # The local days [first, last] the period covers when it is whole days (then the daily
    # rollups can answer); None for any other span of instants.
    days: tuple[dt.date, dt.date] | None = None

    def slices(self) -> dict[str, Any]:
        """Return the slicing filters that are set, by dimension name."""
        found = {"channel": self.channel, "inbox": self.inbox_id, "team": self.team_id,
                 "agent": self.agent_id, "intent": self.intent, "language": self.language}
        return {name: value for name, value in found.items() if value is not None}

    def previous(self) -> ReportFilter:
        """Return the same filter over the period of equal length just before."""
        length = self.until - self.since
        days = None
        if self.days is not None:
            span = self.days[1] - self.days[0] + dt.timedelta(days=1)
            days = (self.days[0] - span, self.days[0] - dt.timedelta(days=1))
        return replace(self, since=self.since - length, until=self.since, days=days)

    def rollup_cell(self, by: str | None) -> RollupCell | None:
        """Return the rollup rows that answer this filter grouped by ``by``, or None when only
        the facts can: no slice, one slice (its dimension's rows) or, over whole days, two
        slices of ``PAIR_DIMENSIONS`` or one grouped by another (the pair's rows)."""
        slices = {name: str(value) for name, value in self.slices().items()}
        if not slices:
            return RollupCell(by) if by else RollupCell("all", "")
        if len(slices) == 1 and by in (None, *slices):
            dimension, value = next(iter(slices.items()))
            return RollupCell(dimension, value)
        names = set(slices) | ({by} if by else set())
        if (self.days is None or len(names) != 2 or not names <= set(PAIR_DIMENSIONS)
                or (by is not None and len(slices) == 2 and by not in slices)):
            return None
        pair = tuple(name for name in PAIR_DIMENSIONS if name in names)
        dimension = pair_name(*pair)
        part = None if by is None else pair.index(by)
        if len(slices) == 2:
            return RollupCell(dimension, pair_key(*(slices[name] for name in pair)), part=part)
        [(sliced, value)] = slices.items()
        return RollupCell(dimension, fixed=(pair.index(sliced), value), part=part)


@dataclass(frozen=True)
class RollupCell:
    """The rollup rows a report reads: a dimension and its key (None: every key, or those whose
    pair component ``fixed[0]`` is ``fixed[1]``); ``part`` names the pair component that is the
    report's group (None: the key itself)."""

    dimension: str
    key: str | None = None
    fixed: tuple[int, str] | None = None
    part: int | None = None

    def group(self, key: str) -> str:
        """Return the report's group of a row's key (a pair's key maps to its component)."""
        return key if self.part is None else pair_part(key, self.part)


def day_filter(calendar: Calendar, first: dt.date, last: dt.date,
               **slices: Any) -> ReportFilter:
    """Return the filter of whole local days ``first``..``last`` (inclusive)."""
    since, until = period(calendar, first, last)
    return ReportFilter(since=since, until=until, days=(first, last), **slices)


def period(calendar: Calendar, start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Return the UTC instants of local midnight on ``start`` and after ``end`` (inclusive)."""
    if end < start:
        raise InvalidInput("the period ends before it starts", field="to")
    if (end - start).days > MAX_DAYS:
        raise InvalidInput(f"a report covers at most {MAX_DAYS} days", field="to")
    tz = calendar.tz
    since = dt.datetime.combine(start, dt.time(0), tz).astimezone(dt.UTC)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tz).astimezone(dt.UTC)
    return since, until


def kpi_values(c: dict[str, float]) -> dict[str, Any]:
    """Turn summed counters into the KPIs (rates 0–1, seconds; None when undefined)."""
    def ratio(num: float, den: float, digits: int = 4) -> float | None:
        return round(num / den, digits) if den else None

    nps = (round(100 * (c["nps_promoters"] - c["nps_detractors"]) / c["nps_count"], 1)
           if c["nps_count"] else None)
    return {
        "conversations": int(c["conversations"]),
        "first_responses": int(c["first_responses"]),
        "first_response_seconds_average": ratio(c["first_response_seconds_sum"],
                                                c["first_responses"], 1),
        "first_response_business_seconds_average": ratio(
            c["first_response_business_seconds_sum"], c["first_responses"], 1),
        "first_response_within_target_rate": ratio(c["first_responses_within_target"],
                                                   c["first_responses"]),
        "resolved": int(c["resolved"]),
        "resolution_seconds_average": ratio(c["resolution_seconds_sum"], c["resolved"], 1),
        "resolution_business_seconds_average": ratio(c["resolution_business_seconds_sum"],
                                                     c["resolved"], 1),
        "replies_per_resolution": ratio(c["agent_replies"], c["resolved"], 2),
        "reopen_rate": ratio(c["reopened"],
                             c["resolved"] + c["reopened"] - c["reopened_resolved"]),
        "fcr_rate": ratio(c["fcr_yes"], c["fcr_settled"]),
        "sla_attainment": ratio(c["sla_met"], c["sla_settled"]),
        "bot_conversations": int(c["bot_conversations"]),
        "handoff_rate": ratio(c["handoffs"], c["bot_conversations"]),
        "self_service_confirmed_rate": ratio(c["self_service_confirmed"], c["bot_conversations"]),
        "self_service_assumed_rate": ratio(c["self_service_assumed"], c["bot_conversations"]),
        "csat_average": ratio(c["csat_sum"], c["csat_count"], 2),
        "csat_satisfied_rate": ratio(c["csat_satisfied"], c["csat_count"]),
        "csat_responses": int(c["csat_count"]),
        "nps": nps,
        "nps_responses": int(c["nps_count"]),
        "ces_average": ratio(c["ces_sum"], c["ces_count"], 2),
        "ces_responses": int(c["ces_count"]),
    }


async def kpis(session: AsyncSession, *, workspace_id: int, flt: ReportFilter,
               by: str | None = None) -> dict[str, dict[str, Any]]:
    """Return the KPIs per group ("" alone when ``by`` is None), medians and p90s included."""
    if by is not None and by not in BY_COLUMNS:
        raise InvalidInput(f"--by must be one of {', '.join(BREAKDOWNS)}", field="by")
    postgres = session.get_bind().dialect.name == "postgresql"
    cell = flt.rollup_cell(by)
    if cell is None and postgres:  # the facts answer: sums and spreads at once
        counters, spreads = await facts_summary(session, workspace_id=workspace_id, flt=flt,
                                                by=by)
    elif cell is not None and flt.days is not None:  # one read of the daily rows: sums and
        counters, spreads = await daily_summary(  # histograms (used past EXACT_LIMIT)
            session, workspace_id=workspace_id, flt=flt, by=by)
        if sum(values["conversations"] for values in counters.values()) <= EXACT_LIMIT:
            spreads = await percentiles(session, workspace_id=workspace_id, flt=flt, by=by)
    else:
        counters = await summed(session, workspace_id=workspace_id, flt=flt, by=by)
        spreads = await percentiles(session, workspace_id=workspace_id, flt=flt, by=by)
    busy = await occupancy(session, workspace_id=workspace_id, flt=flt, by=by)
    for key in busy.keys() - counters.keys():  # agents who were online but got nothing
        counters[key] = dict.fromkeys(COUNTERS, 0.0)
    return {key: {**kpi_values(values), **spreads.get(key, _no_spread()),
                  **busy.get(key, dict.fromkeys(OCCUPANCY_KEYS))}
            for key, values in sorted(counters.items())}


def _no_spread() -> dict[str, float | None]:
    return {f"{name}_{q}": None for name in PERCENTILE_COLUMNS for q in ("median", "p90")}


async def summed(session: AsyncSession, *, workspace_id: int, flt: ReportFilter,
                 by: str | None = None) -> dict[str, dict[str, float]]:
    """Return the summed counters per group, from the rollups when they can answer."""
    cell = flt.rollup_cell(by)
    if cell is not None:
        table, _time = rollup_table(flt)
        query: Any = rollup_query(workspace_id, flt, cell, select(table.c.key, *[
            func.coalesce(func.sum(table.c[n]), 0).label(n) for n in COUNTERS]))
        rows = await session.execute(query.group_by(table.c.key))
        found = {("" if by is None else cell.group(row.key)): _floats(row) for row in rows}
    else:
        group = BY_COLUMNS[by] if by else None
        query = facts_query(workspace_id, flt, select(*summed_counters(), *(
            [group.label("key")] if group is not None else [])))
        if group is not None:
            query = query.group_by(group)
        found = {("" if by is None or row.key is None else str(row.key)): _floats(row)
                 for row in await session.execute(query)}
    if by is None and "" not in found:
        found[""] = dict.fromkeys(COUNTERS, 0.0)
    return found


def rollup_table(flt: ReportFilter) -> tuple[Any, str]:
    """Return the rollup table that covers a filter: daily for whole local days, else hourly."""
    return (daily_rollups, "day") if flt.days is not None else (KpiRollup.__table__, "hour")


def rollup_query(workspace_id: int, flt: ReportFilter, cell: RollupCell,
                 query: Select[Any], months: bool = True) -> Select[Any]:
    """Restrict a select over the rollups to a workspace, the period and a cell's rows. Whole
    days read the whole months inside the range from monthly rows (unless ``months`` is False:
    a reader that needs each day) and the days before and after them from daily rows; summed
    per key, both give the same counters."""
    table, _time = rollup_table(flt)
    query = query.where(table.c.workspace_id == workspace_id)
    if flt.days is None:
        query = query.where(table.c.dimension == cell.dimension, table.c.hour >= flt.since,
                            table.c.hour < flt.until)
    else:
        day = table.c.day
        days, whole = split_months(*flt.days) if months else ([flt.days], None)
        periods = [and_(table.c.dimension == cell.dimension, or_(*[
            day.between(_date(first), _date(last)) for first, last in days]))] if days else []
        if whole is not None:
            periods.append(and_(table.c.dimension == MONTHLY_PREFIX + cell.dimension,
                                day >= _date(whole[0]), day < _date(whole[1])))
        query = query.where(or_(*periods))
    if cell.key is not None:
        return query.where(table.c.key == cell.key)
    if cell.fixed is not None:
        index, value = cell.fixed
        value = pair_component(value)
        return query.where(table.c.key.startswith(value + PAIR_SEPARATOR, autoescape=True)
                           if index == 0 else
                           table.c.key.endswith(PAIR_SEPARATOR + value, autoescape=True))
    return query


def _date(day: dt.date) -> Any:
    """Return a day written into the SQL: a prepared statement's generic plan (PostgreSQL's
    choice after five runs) cannot see the dates, so it misjudges the daily and monthly ranges
    (the bot page over a year: ~25 ms with the dates, 100+ ms without)."""
    return literal(day, Date, literal_execute=True)


def split_months(first: dt.date, last: dt.date
                 ) -> tuple[list[tuple[dt.date, dt.date]], tuple[dt.date, dt.date] | None]:
    """Split the days ``first``..``last`` into the whole local months inside them ([start,
    end) of their first days; None when there is none) and the partial days before and after
    (inclusive ranges)."""
    start = first if first.day == 1 else _next_month(first)
    after = last + dt.timedelta(days=1)
    end = after if after.day == 1 else last.replace(day=1)
    if start >= end:
        return [(first, last)], None
    days = [(first, start - dt.timedelta(days=1))] if first < start else []
    if end <= last:
        days.append((end, last))
    return days, (start, end)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _floats(row: Any) -> dict[str, float]:
    mapping = row._mapping
    return {name: float(mapping[name] or 0) for name in COUNTERS}


def facts_query(workspace_id: int, flt: ReportFilter, query: Select[Any]) -> Select[Any]:
    """Restrict a select over the facts to a workspace, the period and the slices."""
    query = query.where(F.workspace_id == workspace_id, F.created_at >= flt.since,
                        F.created_at < flt.until)
    for name, value in flt.slices().items():
        query = query.where(BY_COLUMNS[name] == value)
    return query


def _percentile_aggregates() -> list[Any]:
    """Return PostgreSQL's median and p90 of each duration (percentile_cont skips NULLs; each
    aggregate sorts its own column), labelled ``<duration>_median`` / ``<duration>_p90``."""
    return [func.percentile_cont(q).within_group(column).label(f"{name}_{label}")
            for name, column in PERCENTILE_COLUMNS.items()
            for q, label in ((0.5, "median"), (0.9, "p90"))]


async def facts_summary(session: AsyncSession, *, workspace_id: int, flt: ReportFilter,
                        by: str | None = None
                        ) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float | None]]]:
    """Return the summed counters and the medians and p90s per group from one scan of the facts
    (PostgreSQL; what ``summed`` and ``percentiles`` return when no rollup answers)."""
    group = BY_COLUMNS[by] if by else None
    query: Any = facts_query(workspace_id, flt, select(
        *summed_counters(), *_percentile_aggregates(),
        *([group.label("key")] if group is not None else [])))
    if group is not None:
        query = query.group_by(group)
    counters: dict[str, dict[str, float]] = {}
    spreads: dict[str, dict[str, float | None]] = defaultdict(_no_spread)
    for row in await session.execute(query):
        key = "" if group is None or row.key is None else str(row.key)
        counters[key] = _floats(row)
        spreads[key] = {name: _round(row._mapping[name]) for name in _no_spread()}
    if by is None and "" not in counters:
        counters[""] = dict.fromkeys(COUNTERS, 0.0)
    return counters, spreads


async def percentiles(session: AsyncSession, *, workspace_id: int, flt: ReportFilter,
                      by: str | None = None) -> dict[str, dict[str, float | None]]:
    """Return the median and p90 of each duration, per group (from the facts' index range)."""
    group = BY_COLUMNS[by] if by else None
    found: dict[str, dict[str, float | None]] = defaultdict(_no_spread)
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:  # one scan
        query = facts_query(workspace_id, flt, select(
            *_percentile_aggregates(), *([group.label("key")] if group is not None else [])))
        if group is not None:
            query = query.group_by(group)
        for row in await session.execute(query):
            key = "" if group is None or row.key is None else str(row.key)
            found[key] = {name: _round(row._mapping[name]) for name in _no_spread()}
        return found
    for name, column in PERCENTILE_COLUMNS.items():
        await _python_percentiles(session, workspace_id, flt, name, column, group, found)
    return found


async def _python_percentiles(session: AsyncSession, workspace_id: int, flt: ReportFilter,
                              name: str, column: Any, group: Any,
                              found: dict[str, dict[str, float | None]]) -> None:
    """SQLite has no percentile function: read the values (the embedded database is small)."""
    query = facts_query(workspace_id, flt, select(column, *([group] if group is not None
                                                             else [])))
    values: dict[str, list[float]] = defaultdict(list)
    for row in await session.execute(query.where(column.is_not(None))):
        values["" if group is None or row[1] is None else str(row[1])].append(row[0])
    for key, items in values.items():
        found[key][f"{name}_median"] = _round(quantile(items, 0.5))
        found[key][f"{name}_p90"] = _round(quantile(items, 0.9))


# The sums ``daily_summary`` reads (built once: ~315 expressions cost ~15 ms to build a call).
_SUMMARY_SUMS = [func.coalesce(func.sum(daily_rollups.c[n]), 0).label(n)
                 for n in (*COUNTERS, *HISTOGRAM_COUNTERS)]


async def daily_summary(session: AsyncSession, *, workspace_id: int, flt: ReportFilter,
                        by: str | None = None
                        ) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float | None]]]:
    """Return the summed counters per group and the median and p90 of each duration from the
    daily histograms, in one read of the daily rollup rows (whole local days)."""
    cell = flt.rollup_cell(by)
    assert cell is not None and flt.days is not None
    query = rollup_query(workspace_id, flt, cell, select(daily_rollups.c.key, *_SUMMARY_SUMS))
    counters: dict[str, dict[str, float]] = {}
    spreads: dict[str, dict[str, float | None]] = defaultdict(_no_spread)
    for row in await session.execute(query.group_by(daily_rollups.c.key)):
        key = "" if by is None else cell.group(row.key)
        counters[key] = _floats(row)
        mapping = row._mapping  # a new view at each access: ~300 reads a row
        for prefix, name in HISTOGRAMS.items():
            counts = [int(mapping[f"{prefix}_h{i}"]) for i in range(HISTOGRAM_BUCKETS)]
            spreads[key][f"{name}_median"] = _round(histogram_quantile(counts, 0.5))
            spreads[key][f"{name}_p90"] = _round(histogram_quantile(counts, 0.9))
    if by is None and "" not in counters:
        counters[""] = dict.fromkeys(COUNTERS, 0.0)
    return counters, spreads


def histogram_quantile(counts: list[int], q: float) -> float | None:
    """Return the q-quantile of a histogram as percentile_cont would on its values, each value
    estimated by its place in its bucket (log scale; linear in the first bucket)."""
    total = sum(counts)
    if not total:
        return None
    rank = q * (total - 1)  # the 0-based rank percentile_cont interpolates at
    low, high = int(rank), min(int(rank) + 1, total - 1)
    below, above = _nth_value(counts, low), _nth_value(counts, high)
    return below + (above - below) * (rank - low)


def _nth_value(counts: list[int], nth: int) -> float:
    """Estimate the nth smallest value (0-based) of a histogram."""
    seen = 0
    for index, count in enumerate(counts):
        if nth < seen + count:
            low, high = bucket_bounds(index)
            share = (nth - seen + 0.5) / count
            if index == 0:
                return low + (high - low) * share
            return low if high == float("inf") else low * (high / low) ** share
        seen += count
    return bucket_bounds(len(counts) - 1)[0]


def quantile(values: list[float], q: float) -> float | None:
    """Return the q-quantile with linear interpolation (as PostgreSQL's percentile_cont)."""
    if not values:
        return None
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 1)


async def backlog(session: AsyncSession, *, workspace_id: int,
                  now: dt.datetime) -> dict[str, Any]:
    """Return the conversations not resolved now and their ages (median and oldest)."""
    created = (await session.scalars(
        select(F.created_at).where(F.workspace_id == workspace_id, F.resolved_at.is_(None))
        .order_by(F.created_at).limit(100_000))).all()
    ages = [(now - at).total_seconds() for at in created]
    return {"backlog_open": len(ages),
            "backlog_age_seconds_median": _round(quantile(ages, 0.5)),
            "backlog_age_seconds_max": _round(max(ages)) if ages else None}
