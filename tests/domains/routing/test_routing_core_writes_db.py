"""The routing decision writes with Core statements (SQLite and PostgreSQL): what it writes, the
order of the transaction's events, and the rows it keeps for the rest of a transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import inspect, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.core.db import utcnow
from omnidesk.core.events import OutboxEvent, emit
from omnidesk.domains.agents.actions import do_create_team
from omnidesk.domains.agents.schemas import TeamCreate
from omnidesk.domains.conversations.actions import assign_row_params, assignment_change
from omnidesk.domains.conversations.events import ConversationUpdated
from omnidesk.domains.conversations.models import Conversation, ConversationEvent
from omnidesk.domains.conversations.service import get_conversation
from omnidesk.domains.routing.actions import do_assign_next, do_enqueue
from omnidesk.domains.routing.assignment.claims import claim_waiting_entry_and_capacity
from omnidesk.domains.routing.models import AgentStateRow, QueueEntry
from omnidesk.domains.routing.service import (
    get_conversation_row,
    get_queue_row,
    list_candidate_agents,
    list_decision_inputs,
    list_waiting_items,
)
from tests.conftest import Persona

from .routing_setup import make_agent, make_conversation, make_queue


async def events(session: AsyncSession, conversation_id: int) -> list[tuple[str, dict[str, Any]]]:
    rows = await session.execute(
        select(OutboxEvent.name, OutboxEvent.payload)
        .where(OutboxEvent.payload["conversation_id"].as_integer() == conversation_id)
        .order_by(OutboxEvent.id)
    )
    return [(name, payload) for name, payload in rows.all()]


async def test_a_decision_writes_the_entry_the_assignment_its_log_row_and_events_in_order(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona
) -> None:
    ws = owner.workspace_id
    queue = await make_queue(session, ws, "general", is_default=True)
    agent = await make_agent(session, owner.admin, "kim")
    conv, customer = await make_conversation(session, owner.admin)
    await session.commit()

    async with session_factory() as fresh:  # as the event dispatcher runs it
        entry = await do_enqueue(fresh, workspace_id=ws, conversation_id=conv)
        assert entry is not None
        (assigned,) = await do_assign_next(fresh, workspace_id=ws, queue_id=queue)
        await fresh.commit()

    assert (assigned.id, assigned.status, assigned.agent_id) == (entry.id, "assigned", agent)
    row = await session.get(Conversation, conv, populate_existing=True)
    assert row is not None
    assert (row.assignee_id, row.owner, row.assigned_at is not None) == (agent, "agent", True)
    logged = (await session.scalars(select(ConversationEvent).where(
        ConversationEvent.conversation_id == conv, ConversationEvent.kind == "assigned"))).all()
    assert [(log.actor_kind, log.data) for log in logged] == [("system", {
        "from_assignee_id": None, "to_assignee_id": agent, "from_team_id": None,
        "to_team_id": None, "reason": "routing"})]
    written = await events(session, conv)
    assert [name for name, _ in written] == [
        "conversation.created", "routing.enqueued", "conversation.assigned"]
    enqueued, assignment = written[1][1], written[2][1]
    assert {key: enqueued[key] for key in ("entry_id", "customer_id", "queue_id", "status")} == {
        "entry_id": entry.id, "customer_id": customer, "queue_id": queue, "status": "waiting"}
    assert {key: assignment[key] for key in (
        "assignee_id", "owner", "change", "from_assignee_id", "to_assignee_id", "reason",
        "status", "customer_id")} == {
        "assignee_id": agent, "owner": "agent", "change": "assigned", "from_assignee_id": None,
        "to_assignee_id": agent, "reason": "routing", "status": "open", "customer_id": customer}


async def test_a_conversation_the_caller_holds_is_assigned_through_that_object(
    session: AsyncSession, owner: Persona
) -> None:
    """A caller that loaded the conversation sees the assignment on its object (no stale copy
    that a later flush would write back over the assignment)."""
    ws = owner.workspace_id
    queue = await make_queue(session, ws, "general", is_default=True)
    agent = await make_agent(session, owner.admin, "kim")
    conv_id, _ = await make_conversation(session, owner.admin)
    conv = await get_conversation(session, workspace_id=ws, conversation_id=conv_id)
    await do_enqueue(session, workspace_id=ws, conversation_id=conv_id)
    await do_assign_next(session, workspace_id=ws, queue_id=queue)
    assert (conv.assignee_id, conv.owner) == (agent, "agent")
    conv.subject = "changed afterwards"
    await session.commit()
    stored = await session.scalar(select(Conversation.assignee_id).where(
        Conversation.id == conv_id))
    assert stored == agent
    assert [name for name, _ in await events(session, conv_id)].count("conversation.assigned") == 1


async def test_enqueue_sees_the_callers_unflushed_changes_and_events_keep_their_place(
    session: AsyncSession, owner: Persona
) -> None:
    """Routing reads and writes with Core statements: what the caller changed earlier in the
    transaction (still unflushed) is what it reads, and what the caller emitted is written
    before routing's own events, so events of a conversation keep their order."""
    ws = owner.workspace_id
    await make_queue(session, ws, "general", is_default=True)
    conv_id, _ = await make_conversation(session, owner.admin, language="ko")
    conv = await get_conversation(session, workspace_id=ws, conversation_id=conv_id)
    conv.language = "en"  # neither the change nor its event is flushed
    emit(session, ConversationUpdated.of(conv, fields=["language"]), workspace_id=ws)
    entry = await do_enqueue(session, workspace_id=ws, conversation_id=conv_id)
    await session.commit()
    assert entry is not None and entry.language == "en"
    assert [name for name, _ in await events(session, conv_id)] == [
        "conversation.created", "conversation.updated", "routing.enqueued"]


async def test_rows_kept_for_the_transaction_are_not_reused_by_the_next(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona
) -> None:
    """Enqueue keeps the conversation's row for an assignment in the same transaction only: an
    assignment in a later transaction reads it again, with what changed meanwhile."""
    ws = owner.workspace_id
    queue = await make_queue(session, ws, "general", is_default=True)
    agent = await make_agent(session, owner.admin, "kim", online=False)
    conv, _ = await make_conversation(session, owner.admin)
    await session.commit()
    async with session_factory() as worker:
        await do_enqueue(worker, workspace_id=ws, conversation_id=conv)
        assert await do_assign_next(worker, workspace_id=ws, queue_id=queue) == []  # no one online
        await worker.commit()
        async with session_factory() as other:  # meanwhile, another process changes it
            await other.execute(update(Conversation).where(Conversation.id == conv)
                                .values(priority="urgent"))
            await make_agent(other, owner.admin, "lee")
            await other.commit()
        (assigned,) = await do_assign_next(worker, workspace_id=ws, queue_id=queue)
        await worker.commit()
    assert assigned.agent_id != agent
    (_, payload), = [event for event in await events(session, conv)
                     if event[0] == "conversation.assigned"]
    assert payload["priority"] == "urgent"


async def test_one_read_gives_the_engine_the_same_agents_and_items_as_two(
    session: AsyncSession, owner: Persona
) -> None:
    """On PostgreSQL the decision reads the locked candidates and the waiting items in one
    statement (items as JSON, times as epoch seconds); the engine gets exactly what the two
    separate reads give it: the team's agents with skills and languages, the items oldest first
    with their skills, SLA due time and sticky agent."""
    ws = owner.workspace_id
    member = await make_agent(session, owner.admin, "kim", skills={"billing": 3, "tv": 1},
                              languages=("ko",))
    other = await make_agent(session, owner.admin, "lee", skills={"billing": 5})
    await make_agent(session, owner.admin, "park")  # not in the team
    team = await do_create_team(session, actor=owner.admin,
                                team_in=TeamCreate(name="billing", member_ids=[member, other]))
    queue_id = await make_queue(session, ws, "billing", is_default=True, team_id=team.id,
                                required_skills={"billing": 2})
    now = utcnow()
    for n in range(3):
        conv, _ = await make_conversation(session, owner.admin, language=("ko", "en", None)[n])
        entry = await do_enqueue(session, workspace_id=ws, conversation_id=conv,
                                 now=now - dt.timedelta(seconds=10 * n), sentiment=-0.5 * n)
        assert entry is not None
        if n == 1:
            await session.execute(update(QueueEntry).where(QueueEntry.id == entry.id).values(
                sla_due_at=now + dt.timedelta(minutes=5, microseconds=123457),
                last_agent_id=other, last_agent_at=now - dt.timedelta(hours=1)))
    queue = await get_queue_row(session, workspace_id=ws, queue_id=queue_id)

    agents, items = await list_decision_inputs(session, workspace_id=ws, queue=queue)

    assert [agent.id for agent in agents] == sorted([member, other])
    assert agents == await list_candidate_agents(session, workspace_id=ws, queue=queue)
    assert items == await list_waiting_items(session, workspace_id=ws, queue_id=queue_id)
    assert [item.sentiment for item in items] == [-1.0, -0.5, 0.0]  # oldest first
    assert items[1].last_agent_id == other and items[1].sla_due_at is not None


async def test_a_claim_that_gets_no_capacity_assigns_nothing(
    session: AsyncSession, owner: Persona
) -> None:
    """On PostgreSQL the claim of the entry and the agent's capacity also assigns the
    conversation, in one statement: when the capacity is gone meanwhile, the conversation is not
    assigned, logged or announced (the caller puts the entry back)."""
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite claims and assigns by separate statements")
    ws = owner.workspace_id
    await make_queue(session, ws, "general", is_default=True)
    agent = await make_agent(session, owner.admin, "kim", capacity={"chat": 1})
    conv_id, _ = await make_conversation(session, owner.admin)
    entry = await do_enqueue(session, workspace_id=ws, conversation_id=conv_id)
    assert entry is not None
    await session.execute(update(AgentStateRow).where(AgentStateRow.user_id == agent)
                          .values(chat_load=1))  # another decision took the last chat
    now = utcnow()
    conv = await get_conversation_row(session, workspace_id=ws, conversation_id=conv_id)
    change = assignment_change(conv, assignee_id=agent, reason="routing", now=now)
    claimed, taken = await claim_waiting_entry_and_capacity(
        session, workspace_id=ws, entry_id=entry.id, user_id=agent, channel="chat", now=now,
        values={"status": "assigned", "agent_id": agent, "assigned_at": now,
                "offer_expires_at": None},
        assignment=assign_row_params(session, conv=conv, change=change, now=now))
    assert claimed is not None and not taken
    assert await session.scalar(select(Conversation.assignee_id).where(
        Conversation.id == conv_id)) is None
    assert await session.scalar(select(ConversationEvent.id).where(
        ConversationEvent.conversation_id == conv_id,
        ConversationEvent.kind == "assigned")) is None
    assert "conversation.assigned" not in [name for name, _ in await events(session, conv_id)]


async def test_the_entries_a_decision_returns_are_the_sessions_loaded_objects(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona
) -> None:
    """Entries come back as a read with populate_existing loads them (PostgreSQL builds them
    from the Core statement's row): persistent, unchanged, one object per entry, columns as
    stored, and changing one through the ORM is written by the next flush."""
    ws = owner.workspace_id
    queue = await make_queue(session, ws, "general", is_default=True)
    agent = await make_agent(session, owner.admin, "kim")
    conv, _ = await make_conversation(session, owner.admin)
    await session.commit()

    async with session_factory() as fresh:
        entry = await do_enqueue(fresh, workspace_id=ws, conversation_id=conv)
        assert entry is not None
        assert inspect(entry).persistent and not fresh.is_modified(entry)
        (assigned,) = await do_assign_next(fresh, workspace_id=ws, queue_id=queue)
        assert assigned is entry and not fresh.is_modified(entry)
        stored = (await fresh.execute(select(*QueueEntry.__table__.c).where(
            QueueEntry.id == entry.id))).one()
        assert {key: getattr(entry, key) for key in stored._fields} == stored._asdict()
        assert (entry.status, entry.agent_id) == ("assigned", agent)
        entry.rule_name = "changed by the ORM"
        await fresh.commit()

    reread = await session.scalar(select(QueueEntry.rule_name).where(QueueEntry.id == entry.id))
    assert reread == "changed by the ORM"
