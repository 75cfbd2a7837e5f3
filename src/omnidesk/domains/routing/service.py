"""Routing reads, and the translation of stored rows into the pure engine's types.

Agent and entry rows are always read with ``populate_existing`` because their load and status
columns are changed by conditional UPDATE statements that bypass the identity map.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import get_in_workspace
from omnidesk.domains.agents.models import Skill, TeamMember, User, UserSkill
from omnidesk.domains.routing.engine import (
    AgentState,
    Presence,
    QueuePolicy,
    Strategy,
    WorkItem,
)
from omnidesk.domains.routing.models import (
    ACTIVE_ENTRY_STATUSES,
    CAPACITY_CLASSES,
    AgentStateRow,
    QueueEntry,
    RoutingQueue,
    RoutingRuleRow,
    SlaPolicyRow,
)
from omnidesk.domains.routing.rules import RoutingRule, parse_rule

FRESH = {"populate_existing": True}
POLICY_WEIGHTS = (
    "aging_rate", "priority_weight", "vip_boost", "sentiment_weight", "sla_weight",
    "default_target_seconds",
)  # fmt: skip


def to_seconds(moment: dt.datetime | None) -> float | None:
    """Convert an aware datetime to epoch seconds, the engine's time unit."""
    return None if moment is None else moment.timestamp()


async def get_queue(session: AsyncSession, *, workspace_id: int, queue_id: int) -> RoutingQueue:
    """Return a queue of the workspace or raise NotFound."""
    return await get_in_workspace(session, RoutingQueue, workspace_id=workspace_id,
                                  object_id=queue_id, what="routing queue")


async def get_default_queue(session: AsyncSession, *, workspace_id: int) -> RoutingQueue | None:
    """Return the workspace's default queue, if one is configured."""
    return await session.scalar(
        select(RoutingQueue)
        .where(RoutingQueue.workspace_id == workspace_id, RoutingQueue.is_default.is_(True))
        .order_by(RoutingQueue.id)
        .limit(1)
    )


async def list_queues(session: AsyncSession, *, workspace_id: int) -> list[RoutingQueue]:
    """List the workspace's queues by name."""
    rows = await session.scalars(
        select(RoutingQueue)
        .where(RoutingQueue.workspace_id == workspace_id)
        .order_by(RoutingQueue.name)
    )
    return list(rows.all())


async def list_rules(session: AsyncSession, *, workspace_id: int) -> list[RoutingRule]:
    """Return the workspace's active routing rules, parsed, in evaluation order."""
    rows = await session.scalars(
        select(RoutingRuleRow)
        .where(RoutingRuleRow.workspace_id == workspace_id, RoutingRuleRow.is_active.is_(True))
        .order_by(RoutingRuleRow.position, RoutingRuleRow.id)
    )
    return [
        parse_rule(
            {"queue_id": row.queue_id, "conditions": row.conditions, "priority": row.priority,
             "position": row.position, "name": row.name}
        )
        for row in rows.all()
    ]  # fmt: skip


async def get_agent_state(
    session: AsyncSession, *, workspace_id: int, user_id: int
) -> AgentStateRow | None:
    """Return an agent's presence and load row, freshly read."""
    return await session.scalar(
        select(AgentStateRow)
        .where(AgentStateRow.workspace_id == workspace_id, AgentStateRow.user_id == user_id)
        .execution_options(**FRESH)
    )


async def get_entry(
    session: AsyncSession, *, workspace_id: int, conversation_id: int
) -> QueueEntry | None:
    """Return a conversation's queue entry, freshly read."""
    return await session.scalar(
        select(QueueEntry)
        .where(
            QueueEntry.workspace_id == workspace_id,
            QueueEntry.conversation_id == conversation_id,
        )
        .execution_options(**FRESH)
    )


async def list_entries(
    session: AsyncSession,
    *,
    workspace_id: int,
    statuses: tuple[str, ...] = ("waiting",),
    queue_id: int | None = None,
    agent_id: int | None = None,
    limit: int = 500,
) -> list[QueueEntry]:
    """List queue entries in some statuses, oldest first."""
    query = select(QueueEntry).where(
        QueueEntry.workspace_id == workspace_id, QueueEntry.status.in_(statuses)
    )
    if queue_id is not None:
        query = query.where(QueueEntry.queue_id == queue_id)
    if agent_id is not None:
        query = query.where(QueueEntry.agent_id == agent_id)
    query = query.order_by(QueueEntry.enqueued_at, QueueEntry.id).limit(limit)
    return list((await session.scalars(query.execution_options(**FRESH))).all())


async def last_agent_for_customer(
    session: AsyncSession, *, workspace_id: int, customer_id: int, conversation_id: int
) -> tuple[int, dt.datetime] | None:
    """Return who last handled this customer's other conversations, and when (for sticky)."""
    row = await session.execute(
        select(QueueEntry.agent_id, QueueEntry.last_agent_id, QueueEntry.assigned_at,
               QueueEntry.finished_at)
        .where(QueueEntry.workspace_id == workspace_id, QueueEntry.customer_id == customer_id,
               QueueEntry.conversation_id != conversation_id,
               QueueEntry.status.in_(("assigned", "done")))
        .order_by(QueueEntry.assigned_at.desc())
        .limit(1)
    )  # fmt: skip
    found = row.first()
    if found is None or found.agent_id is None:
        return None
    return found.agent_id, found.finished_at or found.assigned_at


async def list_candidate_agents(
    session: AsyncSession, *, workspace_id: int, queue: RoutingQueue, lock: bool = False
) -> list[AgentState]:
    """Return the online agents who may serve a queue (its team, if any), as engine states.

    Two statements whatever the number of agents. With ``lock`` the agent rows are locked in id
    order (PostgreSQL) until the transaction ends, which serialises concurrent matching for the
    same agents instead of letting it deadlock.
    """
    query = (
        select(AgentStateRow, User.languages)
        .join(User, User.id == AgentStateRow.user_id)
        .where(AgentStateRow.workspace_id == workspace_id, AgentStateRow.presence == "online",
               User.is_active.is_(True))
        .order_by(AgentStateRow.user_id)
        .execution_options(**FRESH)
    )  # fmt: skip
    if queue.team_id is not None:
        members = select(TeamMember.user_id).where(TeamMember.team_id == queue.team_id)
        query = query.where(AgentStateRow.user_id.in_(members))
    rows = (await session.execute(query.with_for_update(of=AgentStateRow) if lock else query)).all()
    if not rows:
        return []
    skills: dict[int, dict[str, int]] = {row.user_id: {} for row, _ in rows}
    levels = await session.execute(
        select(UserSkill.user_id, Skill.name, UserSkill.level)
        .join(Skill, Skill.id == UserSkill.skill_id)
        .where(UserSkill.user_id.in_(list(skills)))
    )
    for user_id, name, level in levels.all():
        skills[user_id][name] = level
    return [agent_state(row, languages, skills[row.user_id]) for row, languages in rows]


def agent_state(
    row: AgentStateRow, languages: list[Any] | None, skills: dict[str, int]
) -> AgentState:
    """Build the engine's view of an agent from its state row, languages and skill levels."""
    return AgentState(
        id=row.user_id,
        presence=Presence(row.presence),
        languages=frozenset(languages or ()),
        skills=skills,
        capacity={ch: getattr(row, f"{ch}_capacity") for ch in CAPACITY_CLASSES},
        load={ch: getattr(row, f"{ch}_load") for ch in CAPACITY_CLASSES},
        idle_since=to_seconds(row.idle_since) or 0.0,
        last_assignment_at=to_seconds(row.last_assignment_at) or float("-inf"),
    )


def work_item(entry: QueueEntry) -> WorkItem:
    """Build the engine's view of a waiting entry."""
    return WorkItem(
        id=entry.id,
        channel=entry.channel,
        language=entry.language,
        skills={name: int(level) for name, level in (entry.required_skills or {}).items()},
        priority=entry.priority,
        vip=entry.vip,
        sentiment=entry.sentiment,
        enqueued_at=to_seconds(entry.enqueued_at) or 0.0,
        sla_due_at=to_seconds(entry.sla_due_at),
        last_agent_id=entry.last_agent_id,
        last_agent_at=to_seconds(entry.last_agent_at),
    )


def queue_policy(queue: RoutingQueue) -> QueuePolicy:
    """Build the engine's policy from a queue row."""
    weights = {k: float(v) for k, v in (queue.weights or {}).items() if k in POLICY_WEIGHTS}
    return QueuePolicy(
        strategy=Strategy(queue.strategy),
        sticky_window_seconds=queue.sticky_window_seconds,
        overflow_queue_id=queue.overflow_queue_id,
        overflow_after_seconds=queue.overflow_after_seconds,
        offer_timeout_seconds=queue.offer_timeout_seconds,
        **weights,
    )


async def get_default_sla_policy(
    session: AsyncSession, *, workspace_id: int
) -> SlaPolicyRow | None:
    """Return the workspace's default SLA policy, if any."""
    return await session.scalar(
        select(SlaPolicyRow)
        .where(SlaPolicyRow.workspace_id == workspace_id, SlaPolicyRow.is_default.is_(True))
        .order_by(SlaPolicyRow.id)
        .limit(1)
    )


def is_active(entry: QueueEntry | None) -> bool:
    """Tell whether an entry is still waiting, offered or assigned."""
    return entry is not None and entry.status in ACTIVE_ENTRY_STATUSES
