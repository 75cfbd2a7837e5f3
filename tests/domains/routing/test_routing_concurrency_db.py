"""Concurrent workers never assign a conversation twice nor exceed an agent's capacity."""

from __future__ import annotations

import asyncio
from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.core.context import system_actor
from omnidesk.core.db import utcnow
from omnidesk.domains.conversations.models import Conversation, ConversationEvent
from omnidesk.domains.routing.actions import do_assign_next, do_enqueue, do_release
from omnidesk.domains.routing.assignment.claims import (
    claim_capacity,
    claim_entry,
    claim_waiting_entry_and_capacity,
)
from omnidesk.domains.routing.models import AgentStateRow, QueueEntry
from tests.conftest import Persona

from .routing_setup import make_agent, make_conversation, make_queue

WORKERS, ROUNDS = 6, 3


async def seed(
    session: AsyncSession, owner: Persona, *, agents: int, capacity: int, conversations: int
) -> tuple[int, list[int]]:
    """Create a queue, online agents and waiting conversations; commit."""
    ws = owner.workspace_id
    queue = await make_queue(session, ws, "general", is_default=True)
    actor = system_actor(ws)
    for i in range(agents):
        await make_agent(session, actor, f"agent{i}", capacity={"chat": capacity})
    convs = []
    for _ in range(conversations):
        conv, _ = await make_conversation(session, actor)
        await do_enqueue(session, workspace_id=ws, conversation_id=conv)
        convs.append(conv)
    await session.commit()
    return queue, convs


async def assign_in_parallel(
    factory: async_sessionmaker[AsyncSession], workspace_id: int, queue: int
) -> list[int]:
    """Run several workers at once, each in its own transaction; return what each claimed."""

    async def worker() -> list[int]:
        async with factory() as session:
            claimed = await do_assign_next(session, workspace_id=workspace_id, queue_id=queue)
            await session.commit()
            return [entry.conversation_id for entry in claimed]

    results = await asyncio.gather(*(worker() for _ in range(WORKERS)))
    return [conv for claimed in results for conv in claimed]


async def check_invariants(
    session: AsyncSession, workspace_id: int, capacity: int, *, conversations: bool = True
) -> int:
    """Assert loads match assignments and stay within capacity; return the assigned count."""
    session.expire_all()
    entries = (
        await session.scalars(
            select(QueueEntry).where(
                QueueEntry.workspace_id == workspace_id, QueueEntry.status == "assigned"
            )
        )
    ).all()
    per_agent = Counter(entry.agent_id for entry in entries)
    states = (
        await session.scalars(
            select(AgentStateRow).where(AgentStateRow.workspace_id == workspace_id)
        )
    ).all()
    for state in states:
        assert state.chat_load == per_agent.get(state.user_id, 0)
        assert state.chat_load <= capacity
    for entry in entries if conversations else []:
        conv = await session.get(Conversation, entry.conversation_id)
        assert conv is not None and conv.assignee_id == entry.agent_id
    return len(entries)


async def test_parallel_workers_fill_capacity_exactly_once(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona
) -> None:
    ws, capacity = owner.workspace_id, 2
    queue, _ = await seed(session, owner, agents=4, capacity=capacity, conversations=20)
    claimed = []
    for _ in range(ROUNDS):
        claimed += await assign_in_parallel(session_factory, ws, queue)
    assert len(claimed) == len(set(claimed)) == 4 * capacity
    assert await check_invariants(session, ws, capacity) == 4 * capacity
    events = await session.scalar(
        select(func.count())
        .select_from(ConversationEvent)
        .where(ConversationEvent.workspace_id == ws, ConversationEvent.kind == "assigned")
    )
    assert events == 4 * capacity


async def test_releases_and_assignments_interleave_safely(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona
) -> None:
    ws, capacity = owner.workspace_id, 1
    queue, convs = await seed(session, owner, agents=3, capacity=capacity, conversations=12)
    done: list[int] = []
    for _ in range(4):
        claimed = await assign_in_parallel(session_factory, ws, queue)
        assert len(claimed) == len(set(claimed))
        assert not set(claimed) & set(done)
        await check_invariants(session, ws, capacity)

        async def release(conv: int) -> None:
            async with session_factory() as worker:
                await do_release(worker, workspace_id=ws, conversation_id=conv)
                await worker.commit()

        await asyncio.gather(*(release(conv) for conv in claimed))
        done += claimed
    assert sorted(done) == sorted(convs)


async def test_concurrent_enqueues_of_one_conversation_make_one_entry(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona
) -> None:
    ws = owner.workspace_id
    await make_queue(session, ws, "general", is_default=True)
    conv, _ = await make_conversation(session, system_actor(ws))
    await session.commit()

    async def enqueue() -> int | None:
        async with session_factory() as worker:
            entry = await do_enqueue(worker, workspace_id=ws, conversation_id=conv)
            await worker.commit()
            return None if entry is None else entry.id

    ids = await asyncio.gather(*(enqueue() for _ in range(WORKERS)))
    assert len(set(ids)) == 1
    count = await session.scalar(select(func.count()).select_from(QueueEntry))
    assert count == 1


async def test_racing_claims_on_one_entry_and_one_agent_have_one_winner(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona
) -> None:
    ws = owner.workspace_id
    _, [conv, _other] = await seed(session, owner, agents=1, capacity=1, conversations=2)
    entry = await session.scalar(select(QueueEntry).where(QueueEntry.conversation_id == conv))
    agent = await session.scalar(
        select(AgentStateRow.user_id).where(AgentStateRow.workspace_id == ws)
    )
    assert entry is not None and agent is not None
    values = {"status": "assigned", "agent_id": agent}
    async with session_factory() as first, session_factory() as second:
        assert await claim_entry(first, entry_id=entry.id, values=values)
        assert await claim_capacity(
            first, workspace_id=ws, user_id=agent, channel="chat", now=utcnow()
        )
        racing = asyncio.create_task(claim_entry(second, entry_id=entry.id, values=values))
        await asyncio.sleep(0.2)  # the second UPDATE now waits for the first transaction
        await first.commit()
        assert not await racing
        assert not await claim_capacity(
            second, workspace_id=ws, user_id=agent, channel="chat", now=utcnow()
        )
        await second.commit()
    assert await check_invariants(session, ws, capacity=1, conversations=False) == 1


async def test_the_combined_claim_takes_capacity_only_with_the_entry(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona
) -> None:
    """One statement on PostgreSQL, two elsewhere: the same outcomes, and a racing second claim
    of the same entry waits, then wins neither the entry nor a unit of capacity."""
    ws = owner.workspace_id
    _, [conv, other] = await seed(session, owner, agents=1, capacity=1, conversations=2)
    rows = await session.execute(
        select(QueueEntry.conversation_id, QueueEntry.id).where(QueueEntry.workspace_id == ws))
    entries: dict[int, int] = {conversation: entry for conversation, entry in rows.all()}
    agent = await session.scalar(
        select(AgentStateRow.user_id).where(AgentStateRow.workspace_id == ws)
    )
    assert agent is not None
    values = {"status": "assigned", "agent_id": agent}

    async def claim(db: AsyncSession, conversation: int) -> tuple[QueueEntry | None, bool]:
        return await claim_waiting_entry_and_capacity(
            db, workspace_id=ws, entry_id=entries[conversation], values=values, user_id=agent,
            channel="chat", now=utcnow())

    async with session_factory() as first, session_factory() as second:
        entry, taken = await claim(first, conv)
        assert entry is not None and taken
        assert (entry.conversation_id, entry.status, entry.agent_id) == (conv, "assigned", agent)
        racing = asyncio.create_task(claim(second, conv))
        await asyncio.sleep(0.2)  # on PostgreSQL the second claim now waits for the first
        await first.commit()
        assert await racing == (None, False)  # neither the entry nor capacity
        full_entry, full_taken = await claim(second, other)  # the agent is full now
        assert full_entry is not None and full_entry.conversation_id == other and not full_taken
        await second.rollback()
    assert await check_invariants(session, ws, capacity=1, conversations=False) == 1
