"""Queue maintenance writes: accept and expire voice offers, overflow long waits.

Meant for a periodic job (every few seconds) and for the agent's accept button; each works in the
caller's transaction and claims rows with conditional UPDATEs like ``actions``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import utcnow
from omnidesk.core.errors import Conflict
from omnidesk.core.events import emit
from omnidesk.domains.conversations.actions import do_assign
from omnidesk.domains.conversations.service import get_conversation
from omnidesk.domains.routing import events as ev
from omnidesk.domains.routing.assignment.claims import (
    claim_entry,
    lock_agents,
    mirror,
    release_capacity,
    waiting_values,
)
from omnidesk.domains.routing.models import QueueEntry, RoutingQueue
from omnidesk.domains.routing.service import get_entry, list_entries


async def do_accept_offer(
    session: AsyncSession,
    *,
    workspace_id: int,
    user_id: int,
    conversation_id: int,
    now: dt.datetime | None = None,
) -> QueueEntry:
    """Accept a voice offer made to this agent before it expires, and assign the conversation."""
    now = now or utcnow()
    entry = await get_entry(session, workspace_id=workspace_id, conversation_id=conversation_id)
    if entry is None or entry.status != "offered" or entry.agent_id != user_id:
        raise Conflict("there is no pending offer of this conversation to you")
    if entry.offer_expires_at is not None and entry.offer_expires_at <= now:
        raise Conflict("the offer has expired")
    values = {"status": "assigned", "offer_expires_at": None, "assigned_at": now}
    if not await claim_entry(
        session, entry_id=entry.id, values=values, from_status="offered", agent_id=user_id
    ):
        raise Conflict("the offer was withdrawn")
    mirror(entry, values)
    conv = await get_conversation(
        session, workspace_id=workspace_id, conversation_id=conversation_id
    )
    await do_assign(session, conv=conv, assignee_id=user_id, reason="offer_accepted")
    return entry


async def do_expire_offers(
    session: AsyncSession,
    *,
    workspace_id: int,
    now: dt.datetime | None = None,
    declined_conversation_id: int | None = None,
) -> list[QueueEntry]:
    """Return unanswered (or declined) offers to the queue and free the agents' capacity."""
    now = now or utcnow()
    offered = await list_entries(session, workspace_id=workspace_id, statuses=("offered",))
    due = [
        e for e in offered
        if e.conversation_id == declined_conversation_id
        or (e.offer_expires_at is not None and e.offer_expires_at <= now)
    ]  # fmt: skip
    await lock_agents(
        session,
        workspace_id=workspace_id,
        user_ids=[e.agent_id for e in due if e.agent_id is not None],
    )
    expired = []
    for entry in due:
        agent_id = entry.agent_id
        values = waiting_values(last_agent_id=agent_id, last_agent_at=now)
        if agent_id is None or not await claim_entry(
            session, entry_id=entry.id, values=values, from_status="offered", agent_id=agent_id
        ):
            continue
        mirror(entry, values)
        await release_capacity(
            session, workspace_id=workspace_id, user_id=agent_id, channel=entry.channel, now=now
        )
        emit(session, ev.RoutingOfferExpired.of(entry, previous_agent_id=agent_id),
             workspace_id=workspace_id)
        expired.append(entry)
    return expired


async def do_overflow(
    session: AsyncSession, *, workspace_id: int, now: dt.datetime | None = None
) -> list[QueueEntry]:
    """Move entries that waited past their queue's overflow time to the overflow queue."""
    now = now or utcnow()
    queues = (
        await session.scalars(
            select(RoutingQueue).where(
                RoutingQueue.workspace_id == workspace_id,
                RoutingQueue.overflow_queue_id.is_not(None),
                RoutingQueue.overflow_after_seconds.is_not(None),
            )
        )
    ).all()
    moved = []
    for queue in queues:
        assert queue.overflow_after_seconds is not None
        cutoff = now - dt.timedelta(seconds=queue.overflow_after_seconds)
        for entry in await list_entries(session, workspace_id=workspace_id, queue_id=queue.id):
            if entry.enqueued_at > cutoff:
                break  # oldest first: the rest waited less
            values = {"queue_id": queue.overflow_queue_id}
            if await claim_entry(session, entry_id=entry.id, queue_id=queue.id, values=values):
                mirror(entry, values)
                emit(session, ev.RoutingOverflowed.of(entry, from_queue_id=queue.id),
                     workspace_id=workspace_id)
                moved.append(entry)
    return moved
