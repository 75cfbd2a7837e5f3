"""Routing reads for admins and supervisors: configuration rows, agents' state, queue statistics.

Every list is a constant number of statements whatever the number of rows (no N+1): the
supervisor page refreshes these on every routing event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.channel_manifest import CAPACITY_CLASSES
from omnidesk.core.db import get_in_workspace, utcnow
from omnidesk.core.errors import NotFound
from omnidesk.domains.agents.models import User
from omnidesk.domains.routing.models import (
    ACTIVE_ENTRY_STATUSES,
    AgentStateRow,
    QueueEntry,
    RoutingQueue,
    RoutingRuleRow,
    SlaClockRow,
    SlaPolicyRow,
)
from omnidesk.domains.routing.schemas import AgentStateRead, ChannelLoad, QueueStats
from omnidesk.domains.routing.service import (
    FRESH,
    agent_capacity,
    get_default_sla_policy,
    list_queues,
)

ACTIVE_LIMIT = 2000


async def list_rule_rows(session: AsyncSession, *, workspace_id: int) -> list[RoutingRuleRow]:
    """List every routing rule of the workspace (active or not) in evaluation order."""
    rows = await session.scalars(
        select(RoutingRuleRow)
        .where(RoutingRuleRow.workspace_id == workspace_id)
        .order_by(RoutingRuleRow.position, RoutingRuleRow.id)
    )
    return list(rows.all())


async def get_rule_row(session: AsyncSession, *, workspace_id: int, rule_id: int) -> RoutingRuleRow:
    """Return a routing rule of the workspace or raise NotFound."""
    return await get_in_workspace(session, RoutingRuleRow, workspace_id=workspace_id,
                                  object_id=rule_id, what="routing rule")


async def list_sla_policies(session: AsyncSession, *, workspace_id: int) -> list[SlaPolicyRow]:
    """List the workspace's SLA policies by name."""
    rows = await session.scalars(
        select(SlaPolicyRow)
        .where(SlaPolicyRow.workspace_id == workspace_id)
        .order_by(SlaPolicyRow.name)
    )
    return list(rows.all())


async def get_sla_policy(session: AsyncSession, *, workspace_id: int, policy_id: int) -> SlaPolicyRow:
    """Return an SLA policy of the workspace or raise NotFound."""
    return await get_in_workspace(session, SlaPolicyRow, workspace_id=workspace_id,
                                  object_id=policy_id, what="SLA policy")


async def list_agent_states(session: AsyncSession, *, workspace_id: int) -> list[AgentStateRead]:
    """Return every active user's presence, load and capacity (offline when never set)."""
    rows = (
        await session.execute(
            _agent_states(workspace_id).where(User.is_active.is_(True)).order_by(User.name, User.id)
        )
    ).all()
    return [agent_state_read(user, state) for user, state in rows]


async def get_agent_state_read(
    session: AsyncSession, *, workspace_id: int, user_id: int
) -> AgentStateRead:
    """Return one user's presence, load and capacity (active or not) or raise NotFound."""
    row = (await session.execute(_agent_states(workspace_id).where(User.id == user_id))).first()
    if row is None:
        raise NotFound("user not found")
    return agent_state_read(*row)


def _agent_states(workspace_id: int) -> Select[User, AgentStateRow | None]:
    return (
        select(User, AgentStateRow)
        .outerjoin(AgentStateRow, AgentStateRow.user_id == User.id)
        .where(User.workspace_id == workspace_id)
        .execution_options(**FRESH)
    )


def agent_state_read(user: User, state: AgentStateRow | None) -> AgentStateRead:
    """Describe one agent's state; capacity comes from the user when no state row exists."""
    channels = {}
    own = agent_capacity(user.capacity)
    for ch in CAPACITY_CLASSES:
        capacity = own[ch]
        if state is None:
            channels[ch] = ChannelLoad(load=0, capacity=capacity)
        else:
            channels[ch] = ChannelLoad(
                load=getattr(state, f"{ch}_load"), capacity=getattr(state, f"{ch}_capacity")
            )
    return AgentStateRead(
        user_id=user.id, name=user.display_name or user.name, role=user.role,
        languages=[str(lang) for lang in user.languages or []],
        team_ids=[m.team_id for m in user.memberships],
        presence=state.presence if state else "offline",
        presence_changed_at=state.presence_changed_at if state else None, channels=channels,
    )  # fmt: skip


@dataclass(frozen=True)
class ActiveEntry:
    """A waiting, offered or assigned queue entry with its SLA standing."""

    entry: QueueEntry
    sla_state: str  # ok | warning | breached


async def list_active_entries(
    session: AsyncSession, *, workspace_id: int, now: dt.datetime | None = None
) -> list[ActiveEntry]:
    """List active entries, oldest first, each with the worst state of its SLA clocks."""
    now = now or utcnow()
    entries = list(
        (
            await session.scalars(
                select(QueueEntry)
                .where(QueueEntry.workspace_id == workspace_id,
                       QueueEntry.status.in_(ACTIVE_ENTRY_STATUSES))
                .order_by(QueueEntry.enqueued_at, QueueEntry.id)
                .limit(ACTIVE_LIMIT)
                .execution_options(**FRESH)
            )
        ).all()
    )  # fmt: skip
    clocks = await _clock_states(session, workspace_id, {e.conversation_id for e in entries})
    policy = await get_default_sla_policy(session, workspace_id=workspace_id)
    warn = dt.timedelta(seconds=policy.warn_before_seconds if policy else 300.0)
    return [ActiveEntry(e, _sla_state(e, clocks.get(e.conversation_id), now, warn))
            for e in entries]  # fmt: skip


async def _clock_states(
    session: AsyncSession, workspace_id: int, conversation_ids: set[int]
) -> dict[int, set[str]]:
    """Return the states of the stored SLA clocks of these conversations."""
    if not conversation_ids:
        return {}
    rows = await session.execute(
        select(SlaClockRow.conversation_id, SlaClockRow.state).where(
            SlaClockRow.workspace_id == workspace_id,
            SlaClockRow.conversation_id.in_(conversation_ids),
        )
    )
    states: dict[int, set[str]] = {}
    for conversation_id, state in rows.all():
        states.setdefault(conversation_id, set()).add(state)
    return states


def _sla_state(
    entry: QueueEntry, clocks: set[str] | None, now: dt.datetime, warn: dt.timedelta
) -> str:
    """Combine the periodic clock states with the entry's own first-response due time."""
    states = set(clocks or ())
    due = entry.sla_due_at
    if entry.status == "waiting" and due is not None:
        states.add("breached" if due <= now else "warning" if due - warn <= now else "ok")
    return "breached" if "breached" in states else "warning" if "warning" in states else "ok"


def queue_stats(
    queues: list[RoutingQueue], active: list[ActiveEntry], now: dt.datetime
) -> list[QueueStats]:
    """Count each queue's entries by status, its longest wait and its SLA risks."""
    stats: dict[int, dict[str, Any]] = {
        q.id: {"queue_id": q.id, "name": q.name, "waiting": 0, "offered": 0, "assigned": 0,
               "longest_wait_seconds": 0.0, "sla_at_risk": 0, "sla_breached": 0}
        for q in queues
    }  # fmt: skip
    for item in active:
        row = stats.get(item.entry.queue_id)
        if row is None:
            continue
        row[item.entry.status] += 1
        if item.entry.status == "waiting":
            waited = (now - item.entry.enqueued_at).total_seconds()
            row["longest_wait_seconds"] = max(row["longest_wait_seconds"], waited)
        if item.sla_state == "breached":
            row["sla_breached"] += 1
        elif item.sla_state == "warning":
            row["sla_at_risk"] += 1
    return [QueueStats(**row) for row in stats.values()]


async def get_queue_stats(
    session: AsyncSession, *, workspace_id: int, now: dt.datetime | None = None
) -> list[QueueStats]:
    """Return every queue's live statistics."""
    now = now or utcnow()
    queues = await list_queues(session, workspace_id=workspace_id)
    active = await list_active_entries(session, workspace_id=workspace_id, now=now)
    return queue_stats(queues, active, now)
