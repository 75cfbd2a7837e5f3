"""Agent occupancy: the share of an agent's available time they spent at capacity.

A fold over the event log (schedule ``analytics.occupancy``, every 5 minutes) keeps, per agent,
where it left them (``AgentTimeline``: presence, capacity per class and the open conversations
assigned to them, as of ``counted_until``) and adds the time since to ``AgentOccupancy`` (per
agent and local day of the workspace): seconds available, and of those, seconds at capacity.
It reads the outbox events after its cursor (``AnalyticsCursor``) in id order, only those older
than a minute (a transaction still committing cannot be skipped), so each report reads a few
rows per agent and day, never the history.

The rules belong to routing: who is available (``routing.service.is_available``: online), when
an agent is at capacity (``routing.service.at_capacity``: a capacity class is full),
an agent's capacity per class (``routing.service.agent_capacity``) and which capacity class a
conversation uses (``routing.service.capacity_class_of``). Definitions: ``docs/metrics.md``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, exists, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.channel_manifest import CAPACITY_CLASSES
from omnidesk.core.db import utcnow
from omnidesk.core.events import OutboxEvent
from omnidesk.domains.agents.models import User
from omnidesk.domains.analytics.models import AgentOccupancy, AgentTimeline, AnalyticsCursor
from omnidesk.domains.conversations.models import Conversation
from omnidesk.domains.routing.models import AgentStateRow
from omnidesk.domains.routing.service import (
    agent_capacity,
    at_capacity,
    capacity_class_of,
    is_available,
)
from omnidesk.domains.workspaces.service import get_workspace, workspace_calendar

if TYPE_CHECKING:
    from omnidesk.domains.analytics.reports import ReportFilter

CURSOR = "occupancy"
FOLD_EVERY_SECONDS = 300.0
SETTLE_LAG = dt.timedelta(minutes=1)  # younger events may belong to uncommitted transactions
BATCH = 5000
PRESENCE, USER_UPDATED = "agent.presence_changed", "user.updated"
CREATED, ASSIGNED, RESOLVED = "conversation.created", "conversation.assigned", \
    "conversation.resolved"
REOPENED, RETURNED = "conversation.reopened", "conversation.returned_to_bot"
NAMES = (PRESENCE, USER_UPDATED, CREATED, ASSIGNED, RESOLVED, REOPENED, RETURNED)
KEYS = ("agent_occupancy", "agent_available_seconds", "agent_at_capacity_seconds")
SLICES = frozenset({"agent"})  # occupancy is time: of the whole workspace or of one agent

Cells = dict[tuple[int, int, dt.date], list[float]]  # (workspace, agent, day) -> [avail, full]


def _aware(at: dt.datetime) -> dt.datetime:
    return at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at


class _Fold:
    """The agents' timelines touched by one run and the seconds they add, per local day."""

    def __init__(self, session: AsyncSession, *, persist: bool = True,
                 stored: bool = True) -> None:
        self.session, self.persist, self.stored = session, persist, stored
        self.timelines: dict[tuple[int, int], AgentTimeline] = {}
        self.started: dict[tuple[int, int], dt.datetime] = {}  # timelines begun by this run
        self.zones: dict[int, Any] = {}
        self.cells: Cells = defaultdict(lambda: [0.0, 0.0])

    async def timeline(self, workspace_id: int, agent_id: int,
                       at: dt.datetime) -> AgentTimeline | None:
        """Return the agent's timeline, starting one (offline, empty) at their first event."""
        key = (workspace_id, agent_id)
        if key not in self.timelines:
            row = await self.session.scalar(select(AgentTimeline).where(
                AgentTimeline.workspace_id == workspace_id, AgentTimeline.agent_id == agent_id)
            ) if self.stored else None
            if row is None:
                user = await self.session.scalar(select(User).where(
                    User.workspace_id == workspace_id, User.id == agent_id))
                if user is None:
                    return None  # not a person of this workspace (deleted since)
                row = AgentTimeline(workspace_id=workspace_id, agent_id=agent_id,
                                    presence="offline", capacity=agent_capacity(user.capacity),
                                    open_conversations={}, counted_until=at)
                self.started[key] = at
                if self.persist:
                    self.session.add(row)
            self.timelines[key] = row
        return self.timelines[key]

    async def zone(self, workspace_id: int) -> Any:
        if workspace_id not in self.zones:
            workspace = await get_workspace(self.session, workspace_id=workspace_id)
            self.zones[workspace_id] = workspace_calendar(workspace).tz
        return self.zones[workspace_id]

    async def advance(self, row: AgentTimeline, until: dt.datetime) -> dt.datetime:
        """Count the time from where the timeline stands to ``until`` in its present state;
        return the instant the next change applies at (never before what is counted)."""
        start = _aware(row.counted_until)
        if until <= start:
            return start
        if is_available(row.presence):
            load = Counter(str(cls) for cls in row.open_conversations.values())
            full = at_capacity({k: int(v) for k, v in row.capacity.items()}, load)
            tz = await self.zone(row.workspace_id)
            at = start
            while at < until:
                local = at.astimezone(tz)
                midnight = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(0),
                                               tz).astimezone(dt.UTC)
                step = min(until, midnight)
                cell = self.cells[(row.workspace_id, row.agent_id, local.date())]
                seconds = (step - at).total_seconds()
                cell[0] += seconds
                if full:
                    cell[1] += seconds
                at = step
        row.counted_until = until
        return until

    async def apply(self, event: OutboxEvent) -> None:
        """Fold one event into the timelines it changes."""
        if event.workspace_id is None:
            return
        data, ws = event.payload, event.workspace_id
        at = _aware(event.created_at)
        if event.name == PRESENCE:
            at = _aware(dt.datetime.fromisoformat(str(data["at"])))
            row = await self.timeline(ws, int(data["user_id"]), at)
            if row is not None:
                await self.advance(row, at)
                row.presence = str(data["presence"])
                if data.get("capacity"):
                    row.capacity = {str(k): int(v) for k, v in data["capacity"].items()}
            return
        if event.name == USER_UPDATED:
            if "capacity" in (data.get("fields") or ()):
                await self._capacity_changed(ws, int(data["user_id"]), at)
            return
        conversation, kind = str(data["conversation_id"]), capacity_class_of(str(data["channel"]))
        open_now = data.get("status") != "resolved"
        if event.name == CREATED and data.get("assignee_id") and open_now:
            await self._hold(ws, int(data["assignee_id"]), at, conversation, kind)
        elif event.name == ASSIGNED:
            if data.get("from_assignee_id"):
                await self._hold(ws, int(data["from_assignee_id"]), at, conversation, None)
            if data.get("to_assignee_id") and open_now:
                await self._hold(ws, int(data["to_assignee_id"]), at, conversation, kind)
        elif event.name == RESOLVED and data.get("assignee_id"):
            await self._hold(ws, int(data["assignee_id"]), at, conversation, None)
        elif event.name == REOPENED and data.get("assignee_id"):
            await self._hold(ws, int(data["assignee_id"]), at, conversation, kind)
        elif event.name == RETURNED:
            for agent in {data.get("from_assignee_id"), data.get("assignee_id")}:
                if agent:
                    await self._hold(ws, int(agent), at, conversation, None)

    async def _hold(self, workspace_id: int, agent_id: int, at: dt.datetime,
                    conversation: str, kind: str | None) -> None:
        """An agent holds a conversation of a capacity class from ``at`` (kind None: no more)."""
        row = await self.timeline(workspace_id, agent_id, at)
        if row is None:
            return
        await self.advance(row, at)
        held = dict(row.open_conversations)
        if kind is None:
            held.pop(conversation, None)
        else:
            held[conversation] = kind
        row.open_conversations = held

    async def _capacity_changed(self, workspace_id: int, agent_id: int, at: dt.datetime) -> None:
        """The user's capacity changed: it applies from the event (the user's value now)."""
        row = await self.timeline(workspace_id, agent_id, at)
        user = await self.session.scalar(select(User).where(
            User.workspace_id == workspace_id, User.id == agent_id))
        if row is not None and user is not None:
            await self.advance(row, at)
            row.capacity = agent_capacity(user.capacity)

    async def seed(self, at: dt.datetime) -> int:
        """Start a timeline at ``at`` for each agent routing knows who has none yet (agents
        from before occupancy existed, or written without events, like the demo's), from
        routing's presence and capacity and the open conversations assigned to them."""
        rows: Any = (await self.session.execute(
            select(AgentStateRow.workspace_id, AgentStateRow.user_id, AgentStateRow.presence,
                   *[getattr(AgentStateRow, f"{ch}_capacity") for ch in CAPACITY_CLASSES])
            .where(~exists().where(AgentTimeline.workspace_id == AgentStateRow.workspace_id,
                                   AgentTimeline.agent_id == AgentStateRow.user_id))
            .limit(BATCH))).all()
        for ws, user_id, presence, *capacity in rows:
            held = await self.session.execute(select(Conversation.id, Conversation.channel).where(
                Conversation.workspace_id == ws, Conversation.assignee_id == user_id,
                Conversation.status != "resolved"))
            row = AgentTimeline(
                workspace_id=ws, agent_id=user_id, presence=presence,
                capacity=dict(zip(CAPACITY_CLASSES, (int(n) for n in capacity), strict=True)),
                open_conversations={str(cid): capacity_class_of(kind) for cid, kind in held},
                counted_until=at)
            self.session.add(row)
            self.timelines[(ws, user_id)] = row
        return len(rows)

    async def advance_all(self, until: dt.datetime) -> None:
        """Count every available agent's time up to ``until`` (an unavailable agent's time
        counts nothing, so their timeline waits for their next event)."""
        for row in await self.session.scalars(select(AgentTimeline).where(
                AgentTimeline.counted_until < until)):
            self.timelines.setdefault((row.workspace_id, row.agent_id), row)
        for row in self.timelines.values():
            if is_available(row.presence):
                await self.advance(row, until)

    async def flush(self) -> None:
        """Add the counted seconds to the daily rows."""
        rows = [{"workspace_id": ws, "agent_id": agent, "day": day,
                 "available_seconds": avail, "at_capacity_seconds": full}
                for (ws, agent, day), (avail, full) in self.cells.items() if avail or full]
        if not rows:
            return
        table: Any = AgentOccupancy.__table__
        upsert = pg_insert if self.session.get_bind().dialect.name == "postgresql" \
            else sqlite_insert
        stmt = upsert(table)
        stmt = stmt.on_conflict_do_update(
            index_elements=["workspace_id", "agent_id", "day"],
            set_={name: table.c[name] + stmt.excluded[name]
                  for name in ("available_seconds", "at_capacity_seconds")})
        for start in range(0, len(rows), 1000):
            await self.session.execute(stmt, rows[start:start + 1000])
        self.cells.clear()


async def do_fold_occupancy(session: AsyncSession, *, now: dt.datetime | None = None,
                            batch: int = BATCH) -> int:
    """Fold the presence, capacity and assignment events after the cursor into the agents'
    timelines and daily occupancy rows; once caught up, count everyone up to a minute ago.
    Return how many events were folded."""
    cutoff = (now or utcnow()) - SETTLE_LAG
    cursor = await session.scalar(
        select(AnalyticsCursor).where(AnalyticsCursor.name == CURSOR).with_for_update())
    if cursor is None:
        cursor = AnalyticsCursor(name=CURSOR, position=0)
        session.add(cursor)
    events = (await session.scalars(
        select(OutboxEvent).where(OutboxEvent.id > cursor.position, OutboxEvent.name.in_(NAMES))
        .order_by(OutboxEvent.id).limit(batch))).all()
    fold, folded = _Fold(session), 0
    for event in events:
        if _aware(event.created_at) >= cutoff:  # too young: this and what follows wait
            break
        await fold.apply(event)
        cursor.position, folded = event.id, folded + 1
    if folded < batch:  # caught up: nothing older is left to fold
        await session.flush()
        await fold.seed(cutoff)
        await fold.advance_all(cutoff)
    await fold.flush()
    await session.flush()
    return folded


async def do_fold_history(session: AsyncSession, events: list[OutboxEvent], *,
                          until: dt.datetime) -> None:
    """Add the occupancy of a history that was written without events (the demo's) from
    events built for it and not stored, in time order, up to ``until``. No timeline is kept:
    the agents start from routing's state at the next scheduled fold."""
    fold = _Fold(session, persist=False)

    def moment(event: OutboxEvent) -> dt.datetime:
        at = event.payload.get("at") if event.name == PRESENCE else None
        return _aware(dt.datetime.fromisoformat(str(at)) if at else event.created_at)

    for event in sorted(events, key=moment):
        await fold.apply(event)
    for row in fold.timelines.values():
        await fold.advance(row, until)
    await fold.flush()


async def do_refold_occupancy(session: AsyncSession, *, workspace_id: int,
                              batch: int = BATCH) -> int:
    """Recompute a workspace's occupancy from its stored events up to where the scheduled fold
    has read; return how many events were folded.

    The cursor is shared by every workspace and does not move (later events are still the
    scheduled fold's), and no other workspace's row is touched. Each agent the events name
    starts again, offline, at their first stored event: their timeline is replaced and their
    daily rows from that local day on are counted again, up to where their old timeline had
    counted. Agents no stored event names keep their rows and timeline."""
    cursor = await session.scalar(
        select(AnalyticsCursor).where(AnalyticsCursor.name == CURSOR).with_for_update())
    if cursor is None or not cursor.position:
        return 0  # never folded: the scheduled fold reads everything
    reached = {row.agent_id: _aware(row.counted_until) for row in await session.scalars(
        select(AgentTimeline).where(AgentTimeline.workspace_id == workspace_id))}
    fold, last, folded = _Fold(session, persist=False, stored=False), 0, 0
    while True:  # keyset pages of the workspace's events the scheduled fold has read
        events = (await session.scalars(select(OutboxEvent).where(
            OutboxEvent.workspace_id == workspace_id, OutboxEvent.name.in_(NAMES),
            OutboxEvent.id > last, OutboxEvent.id <= cursor.position)
            .order_by(OutboxEvent.id).limit(batch))).all()
        if not events:
            break
        for event in events:
            await fold.apply(event)
            session.expunge(event)
        last, folded = events[-1].id, folded + len(events)
    for (_ws, agent), row in fold.timelines.items():  # available: as far as counted before
        if agent in reached and is_available(row.presence):
            await fold.advance(row, reached[agent])
    tz = await fold.zone(workspace_id)
    for (_ws, agent), started in fold.started.items():
        await session.execute(delete(AgentOccupancy).where(
            AgentOccupancy.workspace_id == workspace_id, AgentOccupancy.agent_id == agent,
            AgentOccupancy.day >= started.astimezone(tz).date()))
    await session.execute(delete(AgentTimeline).where(
        AgentTimeline.workspace_id == workspace_id,
        AgentTimeline.agent_id.in_([agent for _ws, agent in fold.timelines])))
    session.add_all(fold.timelines.values())
    await fold.flush()
    await session.flush()
    return folded


async def occupancy(session: AsyncSession, *, workspace_id: int, flt: ReportFilter,
                    by: str | None = None) -> dict[str, dict[str, Any]]:
    """Return ``agent_occupancy``, ``agent_available_seconds`` and ``agent_at_capacity_seconds``
    for the local days of a report, per agent (``by`` agent) or for the whole workspace.

    Occupancy is time, not conversations: only whole-day reports of the workspace or one agent
    have it (any other slice or breakdown gets an empty dict: the keys are null)."""
    other = set(flt.slices()) - SLICES
    if flt.days is None or other or (by is not None and by not in SLICES):
        return {}
    table = AgentOccupancy
    query: Any = select(func.coalesce(func.sum(table.available_seconds), 0.0),
                        func.coalesce(func.sum(table.at_capacity_seconds), 0.0)).where(
        table.workspace_id == workspace_id, table.day >= flt.days[0], table.day <= flt.days[1])
    if flt.agent_id is not None:
        query = query.where(table.agent_id == flt.agent_id)
    if by == "agent":
        query = query.add_columns(table.agent_id).group_by(table.agent_id)
        return {str(row[2]): occupancy_values(row[0], row[1])
                for row in await session.execute(query)}
    row = (await session.execute(query)).one()
    return {"": occupancy_values(row[0], row[1])}


def occupancy_values(available: float, full: float) -> dict[str, Any]:
    """Return the occupancy keys of summed seconds (occupancy null without available time)."""
    available, full = float(available or 0), float(full or 0)
    return {"agent_occupancy": round(full / available, 4) if available else None,
            "agent_available_seconds": round(available, 1),
            "agent_at_capacity_seconds": round(full, 1)}
