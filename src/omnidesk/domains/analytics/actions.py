"""Analytics writes: refresh a conversation's fact and move the rollups by the difference.

A refresh recomputes the fact from the stored history (idempotent: a redelivered event finds
nothing to change), reads the fact's counters before and after with the one set of counter
expressions (``counters.py``), and adds the difference to the hourly rollup of each dimension
and to the daily rollups: each daily dimension, each pair (``models.PAIRS``) and the monthly
row of each of those. A fact that moves to another team or channel takes its counters out of
the old cells and into the new ones; every cell is one row of one upsert per table (an
executemany), so the statements a change costs do not grow with the cells (a change writes 15
daily and 15 monthly rows, up from 9 daily rows; more when the fact moves between cells).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import lru_cache
from typing import Any

from sqlalchemy import delete, insert, literal_column, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import audit
from omnidesk.core.context import Actor
from omnidesk.core.db import get_in_workspace, utcnow
from omnidesk.core.errors import InvalidInput
from omnidesk.core.events import emit
from omnidesk.domains.analytics import service
from omnidesk.domains.analytics.counters import one_fact_counters, row_counters
from omnidesk.domains.analytics.events import GoalOffTrack
from omnidesk.domains.analytics.facts import RECONTACT_WINDOW, derive
from omnidesk.domains.analytics.goals import (
    GOAL_METRICS,
    goal_progress,
    list_all_goals,
    period_of,
    scope_has,
)
from omnidesk.domains.analytics.models import (
    COUNTERS,
    DAILY_COUNTERS,
    DAILY_DIMENSIONS,
    DIMENSIONS,
    MONTHLY_PREFIX,
    PAIRS,
    ConversationFact,
    Goal,
    KpiRollup,
    daily_rollups,
    pair_key,
    pair_name,
)
from omnidesk.domains.analytics.occupancy import do_refold_occupancy
from omnidesk.domains.analytics.schemas import GoalCreate
from omnidesk.domains.workspaces.service import Calendar, get_workspace, workspace_calendar

Cell = tuple[str, str, Any]  # dimension, key, UTC hour (hourly) or local day (daily)
Cells = dict[Cell, dict[str, float]]
DIMENSION_COLUMNS = {"channel": "channel", "inbox": "inbox_id", "team": "team_id",
                     "agent": "agent_id", "intent": "intent", "language": "language",
                     "handoff_reason": "handoff_reason", "bot_article": "bot_article"}
KEY_LENGTH = {"hourly": 80, "daily": 300}
HOURLY = frozenset(COUNTERS)
OCCUPANCY_SCOPE_REFUSED = ("Occupancy is measured for the whole workspace or one agent, "
                           "not for a team or an inbox.")


def dimension_keys(values: Any, dimensions: tuple[str, ...] = DIMENSIONS,
                   length: int = 80) -> list[tuple[str, str]]:
    """Return the (dimension, key) cells a fact counts in ("" when the value is unknown)."""
    keys = [("all", "")]
    for dimension in dimensions[1:]:
        value = getattr(values, DIMENSION_COLUMNS[dimension])
        keys.append((dimension, "" if value is None else str(value)[:length]))
    return keys


def daily_keys(values: Any) -> list[tuple[str, str]]:
    """Return the (dimension, key) cells of the daily rollups a fact counts in: each daily
    dimension and each pair (``models.PAIRS``: key = ``models.pair_key`` of the two keys)."""
    keys = dimension_keys(values, DAILY_DIMENSIONS, KEY_LENGTH["daily"])
    single = dict(keys)
    return keys + [(pair_name(first, second), pair_key(single[first], single[second]))
                   for first, second in PAIRS]


def hour_of(at: dt.datetime) -> dt.datetime:
    """Return the UTC hour an instant falls in."""
    return at.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


async def do_refresh_fact(session: AsyncSession, *, workspace_id: int, conversation_id: int,
                          now: dt.datetime | None = None) -> ConversationFact | None:
    """Recompute one conversation's fact and move the rollups by what changed."""
    now = now or utcnow()
    snap = await service.load_snapshot(session, workspace_id=workspace_id,
                                       conversation_id=conversation_id)
    fact = await service.get_fact(session, conversation_id=conversation_id, lock=True)
    if snap is None:
        if fact is not None:
            gone = await _cells(session, fact, await _zone(session, workspace_id))
            await session.delete(fact)
            await _apply(session, workspace_id, gone, ({}, {}))
        return None
    tz = snap.calendar.tz
    values = derive(snap, now)
    before: tuple[Cells, Cells] = ({}, {})
    if fact is None:
        fact = ConversationFact(workspace_id=workspace_id, conversation_id=conversation_id,
                                **values)
        session.add(fact)
    elif all(getattr(fact, name) == value for name, value in values.items()):
        return fact  # nothing changed: no counters to read (most redeliveries end here)
    else:
        before = await _cells(session, fact, tz)  # the stored row's, before it changes
        for name, value in values.items():
            setattr(fact, name, value)
    await session.flush()
    await _apply(session, workspace_id, before, await _cells(session, fact, tz))
    return fact


async def _zone(session: AsyncSession, workspace_id: int) -> dt.tzinfo:
    """Return the workspace's time zone (its local days are the daily rollups' days)."""
    return workspace_calendar(await get_workspace(session, workspace_id=workspace_id)).tz


async def _cells(session: AsyncSession, fact: ConversationFact,
                 tz: dt.tzinfo) -> tuple[Cells, Cells]:
    """Return the counters a fact adds to each hourly and each daily rollup cell."""
    row = (await session.execute(one_fact_counters(session.get_bind().dialect),
                                 {"fact_id": fact.id})).one()
    hourly: Cells = defaultdict(dict)
    daily: Cells = defaultdict(dict)
    _add_row(hourly, daily, fact, row._mapping, tz)
    return hourly, daily


def _add_row(hourly: Cells, daily: Cells, fact: Any, counters: Any, tz: dt.tzinfo) -> None:
    """Add one fact's non-zero counters to the hourly and daily cells it belongs to."""
    values = [(name, float(counters[name])) for name in DAILY_COUNTERS if counters[name]]
    hourly_values = [(name, value) for name, value in values if name in HOURLY]
    hour, day = hour_of(fact.created_at), fact.created_at.astimezone(tz).date()
    for dimension, key in dimension_keys(fact):
        cell = hourly[(dimension, key, hour)]
        for name, value in hourly_values:
            cell[name] = cell.get(name, 0.0) + value
    month = day.replace(day=1)
    for dimension, key in daily_keys(fact):
        for cell in (daily[(dimension, key, day)], daily[(MONTHLY_PREFIX + dimension, key, month)]):
            for name, value in values:
                cell[name] = cell.get(name, 0.0) + value




async def _apply(session: AsyncSession, workspace_id: int, before: tuple[Cells, Cells],
                 after: tuple[Cells, Cells]) -> None:
    """Add (after − before) to the hourly and daily rollup rows."""
    for index, (table, time) in enumerate(((KpiRollup.__table__, "hour"),
                                           (daily_rollups, "day"))):
        deltas: Cells = defaultdict(dict)
        for sign, cells in ((-1.0, before[index]), (1.0, after[index])):
            for cell, counters in cells.items():
                for name, value in counters.items():
                    deltas[cell][name] = deltas[cell].get(name, 0.0) + sign * value
        await add_to_rollups(session, workspace_id, deltas, table=table, time=time)


async def add_to_rollups(session: AsyncSession, workspace_id: int, cells: Cells, *,
                         table: Any, time: str) -> None:
    """Upsert rollup rows, adding their counters to the stored ones.

    A row carries only the counters some cell moves (a fact change moves a few of the daily
    rows' ~335): the statement names those columns, inserts the others as 0 and leaves them
    alone on conflict, so a change binds and sends tens of values instead of thousands.
    """
    names = {name for counters in cells.values() for name, value in counters.items() if value}
    if not names:
        return
    columns = tuple(name for name in (DAILY_COUNTERS if table is daily_rollups else COUNTERS)
                    if name in names)
    rows = [{"workspace_id": workspace_id, "dimension": d, "key": k, time: at,
             **{name: counters.get(name, 0.0) for name in columns}}
            for (d, k, at), counters in cells.items() if any(counters.values())]
    stmt = _upsert(session.get_bind().dialect.name, table, columns)
    for start in range(0, len(rows), 500):  # bind-parameter limits: ~335 columns a row
        await session.execute(stmt, rows[start:start + 500])


@lru_cache(maxsize=256)
def _upsert(dialect: str, table: Any, columns: tuple[str, ...]) -> Any:
    """Return the upsert of a rollup table adding these counters, built once per set of them:
    building it (``excluded`` proxies, ~335 literal zeros) and its cache key cost more than
    the rows it writes on every fact change. The few sets a message moves repeat."""
    time, names = (("day", DAILY_COUNTERS) if table is daily_rollups else ("hour", COUNTERS))
    stmt = (pg_insert if dialect == "postgresql" else sqlite_insert)(table).values(
        {name: literal_column("0") for name in names if name not in columns})
    return stmt.on_conflict_do_update(
        index_elements=["workspace_id", "dimension", "key", time],
        set_={name: table.c[name] + stmt.excluded[name] for name in columns})


async def do_refresh_customer_recontacts(session: AsyncSession, *, workspace_id: int,
                                         customer_id: int, at: dt.datetime,
                                         except_conversation_id: int) -> int:
    """Refresh the customer's earlier conversations whose recontact window a new one falls in."""
    since = at - RECONTACT_WINDOW - dt.timedelta(days=30)  # resolution may follow creation
    ids = await service.list_recent_facts_of_customer(
        session, workspace_id=workspace_id, customer_id=customer_id, since=since)
    refreshed = 0
    for conversation_id in ids:
        if conversation_id != except_conversation_id:
            await do_refresh_fact(session, workspace_id=workspace_id,
                                  conversation_id=conversation_id)
            refreshed += 1
    return refreshed


async def do_settle_due_facts(session: AsyncSession, *, now: dt.datetime | None = None,
                              limit: int = 500) -> int:
    """Refresh facts whose FCR or self-service window has closed; return how many."""
    now = now or utcnow()
    due = await service.list_due_facts(session, now=now, limit=limit)
    for workspace_id, conversation_id in due:
        await do_refresh_fact(session, workspace_id=workspace_id,
                              conversation_id=conversation_id, now=now)
    return len(due)


async def do_rebuild(session: AsyncSession, *, workspace_id: int,
                     now: dt.datetime | None = None, chunk: int = 5000) -> int:
    """Recompute a workspace's facts, rollups and agent occupancy from its stored history;
    return how many conversations."""
    await session.execute(delete(KpiRollup).where(KpiRollup.workspace_id == workspace_id))
    await session.execute(delete(ConversationFact).where(
        ConversationFact.workspace_id == workspace_id))
    await session.execute(delete(daily_rollups).where(
        daily_rollups.c.workspace_id == workspace_id))
    ids = await service.list_conversation_ids(session, workspace_id=workspace_id)
    now = now or utcnow()
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        snaps = await service.load_snapshots(session, workspace_id=workspace_id,
                                             conversation_ids=part)
        await session.execute(insert(ConversationFact), [
            {"workspace_id": workspace_id, "conversation_id": snap.conversation.id,
             **derive(snap, now)} for snap in snaps])
    await do_rebuild_rollups(session, workspace_id=workspace_id, chunk=chunk)
    await do_refold_occupancy(session, workspace_id=workspace_id)  # last: it locks the cursor
    return len(ids)


async def do_rebuild_rollups(session: AsyncSession, *, workspace_id: int,
                             chunk: int = 5000) -> int:
    """Recompute a workspace's hourly and daily rollups from its stored facts."""
    await session.execute(delete(KpiRollup).where(KpiRollup.workspace_id == workspace_id))
    await session.execute(delete(daily_rollups).where(
        daily_rollups.c.workspace_id == workspace_id))
    tz = await _zone(session, workspace_id)
    hourly: Cells = defaultdict(dict)
    daily: Cells = defaultdict(dict)
    dims = [getattr(ConversationFact, column) for column in DIMENSION_COLUMNS.values()]
    last, count = 0, 0
    while True:  # keyset pages of facts, each row's counters computed by the database
        rows = (await session.execute(
            select(ConversationFact.id, ConversationFact.created_at, *dims,
                   *row_counters(daily=True))
            .where(ConversationFact.workspace_id == workspace_id, ConversationFact.id > last)
            .order_by(ConversationFact.id).limit(chunk))).all()
        if not rows:
            break
        for row in rows:
            _add_row(hourly, daily, row, row._mapping, tz)
        last, count = rows[-1].id, count + len(rows)
    for table, time, cells in ((KpiRollup.__table__, "hour", hourly),
                               (daily_rollups, "day", daily)):
        await add_to_rollups(session, workspace_id, cells, table=table, time=time)
    return count


async def check_create_goal(session: AsyncSession, *, actor: Actor,
                            goal_in: GoalCreate) -> Goal:
    """Validate and store a goal (supervisors and admins)."""
    actor.require("supervisor")
    if goal_in.metric not in GOAL_METRICS:
        raise InvalidInput(f"metric must be one of {', '.join(GOAL_METRICS)}", field="metric")
    if not scope_has(goal_in.metric, goal_in.scope):
        raise InvalidInput(OCCUPANCY_SCOPE_REFUSED, field="scope")
    if (goal_in.scope == "workspace") != (goal_in.scope_id is None):
        raise InvalidInput("a team, inbox or agent goal names its scope_id; a workspace goal "
                           "does not", field="scope_id")
    goal = Goal(workspace_id=actor.workspace_id, **goal_in.model_dump())
    session.add(goal)
    await session.flush()
    audit(session, workspace_id=actor.workspace_id, action="goal.created",
          actor_kind=actor.audit_kind, actor_id=actor.user_id, object_type="goal",
          object_id=goal.id, data={"metric": goal.metric, "target": goal.target})
    return goal


async def check_delete_goal(session: AsyncSession, *, actor: Actor, goal_id: int) -> None:
    """Delete a goal of the actor's workspace (supervisors and admins)."""
    actor.require("supervisor")
    goal = await get_in_workspace(session, Goal, workspace_id=actor.workspace_id,
                                  object_id=goal_id, what="goal")
    await session.delete(goal)
    audit(session, workspace_id=actor.workspace_id, action="goal.deleted",
          actor_kind=actor.audit_kind, actor_id=actor.user_id, object_type="goal",
          object_id=goal_id, data={})


async def do_check_goals(session: AsyncSession, *, now: dt.datetime | None = None) -> int:
    """Tell each off-track goal's owner once per period; return how many were told."""
    now = now or utcnow()
    told = 0
    calendars: dict[int, Calendar] = {}
    for goal in await list_all_goals(session):
        if goal.owner_id is None:
            continue
        if goal.workspace_id not in calendars:
            workspace = await get_workspace(session, workspace_id=goal.workspace_id)
            calendars[goal.workspace_id] = workspace_calendar(workspace)
        calendar = calendars[goal.workspace_id]
        today = now.astimezone(calendar.tz).date()
        first, _last = period_of(goal.period, today)
        notified = goal.off_track_notified_at
        if notified is not None and notified.astimezone(calendar.tz).date() >= first:
            continue
        progress = await goal_progress(session, goal=goal, calendar=calendar, today=today)
        if progress.on_track is False:
            goal.off_track_notified_at = now
            emit(session, GoalOffTrack(
                goal_id=goal.id, user_id=goal.owner_id, metric=goal.metric, target=goal.target,
                value=progress.value, text=f"{goal.name}: {progress.value} / {goal.target}"),
                workspace_id=goal.workspace_id)
            told += 1
    return told
