"""Writes that keep routing consistent with people's decisions: manual assignment, moves, presence.

A person may assign, transfer or unassign a conversation outside routing. ``do_sync_assignment``
makes the conversation's queue entry and the agents' loads match its current assignee (read from
the database, so a late or repeated event converges). Lock order as in ``claims``: agents first.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import audit
from omnidesk.core.context import Actor
from omnidesk.core.db import utcnow
from omnidesk.core.errors import Conflict, InvalidInput, NotFound
from omnidesk.core.events import emit
from omnidesk.domains.agents.service import get_user
from omnidesk.domains.conversations.actions import do_assign
from omnidesk.domains.conversations.service import access_conversation, get_conversation
from omnidesk.domains.routing import events as ev
from omnidesk.domains.routing.actions import do_enqueue, do_set_presence
from omnidesk.domains.routing.assignment.claims import (
    claim_entry,
    insert_unless_exists,
    load_column,
    lock_agents,
    mirror,
    release_capacity,
    waiting_values,
)
from omnidesk.domains.routing.models import AgentStateRow, QueueEntry
from omnidesk.domains.routing.service import (
    capacity_columns,
    get_agent_state,
    get_entry,
    get_queue,
    is_active,
)

# conversation.assigned reasons written by routing itself: its entries already agree
ROUTING_REASONS = frozenset({"routing", "offer_accepted", "agent_offline", "moved_to_queue"})
HELD = ("offered", "assigned")


async def do_sync_assignment(
    session: AsyncSession, *, workspace_id: int, conversation_id: int, now: dt.datetime | None = None
) -> QueueEntry | None:
    """Make the queue entry and agents' loads match who the conversation is assigned to now."""
    now = now or utcnow()
    conv = await get_conversation(
        session, workspace_id=workspace_id, conversation_id=conversation_id
    )
    entry = await get_entry(session, workspace_id=workspace_id, conversation_id=conversation_id)
    if conv.status == "resolved":
        return entry  # routing.release finishes the entry
    if conv.assignee_id is None:
        if entry is not None and entry.status == "assigned":
            await _back_to_waiting(session, entry, now, reason="unassigned")
        return entry
    if entry is not None and entry.status == "assigned" and entry.agent_id == conv.assignee_id:
        return entry
    if not is_active(entry):
        entry = await do_enqueue(
            session, workspace_id=workspace_id, conversation_id=conversation_id, now=now
        )
        if entry is None:
            return None  # the workspace routes nothing: no loads to keep
    assert entry is not None
    await _hand_to(session, entry, conv.assignee_id, now)
    return entry


async def _move_entry(session: AsyncSession, entry: QueueEntry, values: dict[str, object]) -> None:
    """Write values onto the entry if no one moved it meanwhile (else 409), then mirror them."""
    if not await claim_entry(session, entry_id=entry.id, values=values, from_status=entry.status):
        raise Conflict("the conversation's queue entry changed meanwhile; try again")
    mirror(entry, values)


async def _hand_to(session: AsyncSession, entry: QueueEntry, agent_id: int, now: dt.datetime) -> None:
    """Mark the entry assigned to an agent and move one unit of load from its holder to them."""
    holder = entry.agent_id if entry.status in HELD else None
    await ensure_agent_state(session, workspace_id=entry.workspace_id, user_id=agent_id, now=now)
    await lock_agents(session, workspace_id=entry.workspace_id,
                      user_ids=[agent_id] + ([holder] if holder is not None else []))  # fmt: skip
    values = {"status": "assigned", "agent_id": agent_id, "assigned_at": now,
              "offer_expires_at": None, "finished_at": None}  # fmt: skip
    await _move_entry(session, entry, values)
    if holder is not None:
        await release_capacity(session, workspace_id=entry.workspace_id, user_id=holder,
                               channel=entry.channel, now=now)  # fmt: skip
    load = load_column(entry.channel)
    await session.execute(
        update(AgentStateRow)
        .where(AgentStateRow.workspace_id == entry.workspace_id, AgentStateRow.user_id == agent_id)
        .values({load: load + 1, AgentStateRow.last_assignment_at: now})
        .execution_options(synchronize_session=False)
    )  # a person decided: the load may exceed capacity, routing then gives them nothing new
    emit(session, ev.RoutingSynced.of(entry, previous_agent_id=holder),
         workspace_id=entry.workspace_id)


async def _back_to_waiting(
    session: AsyncSession, entry: QueueEntry, now: dt.datetime, *, reason: str, **values: object
) -> None:
    """Return a held entry to waiting (keeping its place) and free its holder's capacity."""
    holder = entry.agent_id if entry.status in HELD else None
    if holder is not None:
        await lock_agents(session, workspace_id=entry.workspace_id, user_ids=[holder])
    new = waiting_values(**values)
    previous_queue = entry.queue_id
    await _move_entry(session, entry, new)
    if holder is not None:
        await release_capacity(session, workspace_id=entry.workspace_id, user_id=holder,
                               channel=entry.channel, now=now)  # fmt: skip
    emit(session, ev.RoutingRequeued.of(entry, previous_agent_id=holder,
                                        from_queue_id=previous_queue, reason=reason),
         workspace_id=entry.workspace_id)


async def ensure_agent_state(
    session: AsyncSession, *, workspace_id: int, user_id: int, now: dt.datetime
) -> None:
    """Create an offline state row (capacity from the user) for someone who never had one."""
    if await get_agent_state(session, workspace_id=workspace_id, user_id=user_id) is not None:
        return
    user = await get_user(session, workspace_id=workspace_id, user_id=user_id)
    capacity = capacity_columns(user.capacity)
    await insert_unless_exists(session, AgentStateRow, {
        "workspace_id": workspace_id, "user_id": user_id, "presence": "offline",
        "idle_since": now, "presence_changed_at": now, **capacity}, "user_id")  # fmt: skip


async def do_move_to_queue(
    session: AsyncSession, *, actor: Actor, conversation_id: int, queue_id: int,
    now: dt.datetime | None = None,
) -> QueueEntry:  # fmt: skip
    """Put a conversation back to waiting in another queue (supervisors), keeping its place."""
    actor.require("supervisor")
    now, ws = now or utcnow(), actor.workspace_id
    queue = await get_queue(session, workspace_id=ws, queue_id=queue_id)
    conv = await access_conversation(session, actor=actor, conversation_id=conversation_id)
    if conv.status == "resolved":
        raise Conflict("a resolved conversation is not routed; reopen it first")
    entry = await get_entry(session, workspace_id=ws, conversation_id=conversation_id)
    if not is_active(entry):
        entry = await do_enqueue(session, workspace_id=ws, conversation_id=conv.id, now=now)
    if entry is None:
        raise Conflict("routing has no queue for this conversation")
    await _back_to_waiting(session, entry, now, reason="moved", queue_id=queue.id)
    if conv.assignee_id is not None or (queue.team_id and queue.team_id != conv.team_id):
        await do_assign(session, conv=conv, assignee_id=None, team_id=queue.team_id,
                        actor_kind=actor.audit_kind, actor_id=actor.user_id,
                        reason="moved_to_queue")  # fmt: skip
    _audit(session, actor, "routing.conversation_moved", conv.id, {"queue_id": queue.id})
    return entry


async def do_move_to_agent(
    session: AsyncSession, *, actor: Actor, conversation_id: int, agent_id: int,
    now: dt.datetime | None = None,
) -> QueueEntry | None:  # fmt: skip
    """Assign a conversation to an agent (supervisors) and update its entry and the loads."""
    actor.require("supervisor")
    ws = actor.workspace_id
    conv = await access_conversation(session, actor=actor, conversation_id=conversation_id)
    if conv.status == "resolved":
        raise Conflict("a resolved conversation is not routed; reopen it first")
    try:
        await get_user(session, workspace_id=ws, user_id=agent_id)
    except NotFound as exc:
        raise InvalidInput("agent not found in this workspace", field="agent_id") from exc
    if conv.assignee_id != agent_id:
        await do_assign(session, conv=conv, assignee_id=agent_id, actor_kind=actor.audit_kind,
                        actor_id=actor.user_id, reason="supervisor")  # fmt: skip
    _audit(session, actor, "routing.conversation_moved", conv.id, {"agent_id": agent_id})
    return await do_sync_assignment(session, workspace_id=ws, conversation_id=conv.id, now=now)


async def check_set_presence(
    session: AsyncSession, *, actor: Actor, user_id: int | None, presence: str
) -> AgentStateRow:
    """Set one's own presence, or (supervisors) another agent's."""
    if user_id is None:
        raise InvalidInput("this API token belongs to no user; name the agent", field="user_id")
    if user_id != actor.user_id:
        actor.require("supervisor")
    user = await get_user(session, workspace_id=actor.workspace_id, user_id=user_id)
    if not user.is_active and presence != "offline":
        raise Conflict(f"user {user_id} is deactivated; only 'offline' is possible",
                       field="presence")
    row = await do_set_presence(
        session, workspace_id=actor.workspace_id, user_id=user_id, presence=presence
    )
    _audit(session, actor, "routing.presence_set", user_id, {"presence": presence}, "user")
    return row


def _audit(session: AsyncSession, actor: Actor, action: str, obj_id: int, data: dict[str, object],
           obj: str = "conversation") -> None:  # fmt: skip
    audit(session, workspace_id=actor.workspace_id, action=action, actor_kind=actor.audit_kind,
          actor_id=actor.user_id, object_type=obj, object_id=obj_id, data=data)  # fmt: skip


async def do_apply_user_changes(
    session: AsyncSession, *, workspace_id: int, user_id: int, now: dt.datetime | None = None
) -> AgentStateRow | None:
    """Copy a user's capacity to their agent state; a deactivated user goes offline."""
    user = await get_user(session, workspace_id=workspace_id, user_id=user_id)
    row = await get_agent_state(session, workspace_id=workspace_id, user_id=user_id)
    if row is None:
        return None
    if not user.is_active and row.presence != "offline":
        return await do_set_presence(
            session, workspace_id=workspace_id, user_id=user_id, presence="offline", now=now
        )
    capacity = capacity_columns(user.capacity)
    await lock_agents(session, workspace_id=workspace_id, user_ids=[user_id])
    await session.execute(
        update(AgentStateRow)
        .where(AgentStateRow.id == row.id)
        .values(**capacity)
        .execution_options(synchronize_session=False)
    )
    return await get_agent_state(session, workspace_id=workspace_id, user_id=user_id)
