"""End to end through the outbox: a new conversation is queued and assigned, resolve refills."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.core.context import system_actor
from omnidesk.core.dispatcher import Dispatcher, DispatcherConfig
from omnidesk.core.events import EventDelivery, SubscriberRegistry
from omnidesk.domains.conversations.actions import do_set_status
from omnidesk.domains.conversations.service import get_conversation
from omnidesk.domains.routing.actions import do_set_presence
from omnidesk.domains.routing.subscribers import register
from tests.conftest import Persona

from .routing_setup import make_agent, make_conversation, make_queue

FAST = DispatcherConfig(backoff_base_seconds=0, backoff_cap_seconds=0, max_attempts=3)


async def test_events_drive_enqueue_assignment_release_and_refill(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona
) -> None:
    ws, actor = owner.workspace_id, system_actor(owner.workspace_id)
    registry = SubscriberRegistry()
    register(registry)
    dispatcher = Dispatcher(session_factory, registry, FAST)
    await make_queue(session, ws, "general", is_default=True)
    agent = await make_agent(session, actor, "solo", capacity={"chat": 1}, online=False)
    first, _ = await make_conversation(session, actor)
    second, _ = await make_conversation(session, actor)
    await session.commit()
    await dispatcher.drain()
    await do_set_presence(session, workspace_id=ws, user_id=agent, presence="online")
    await session.commit()
    await dispatcher.drain()

    async def assignee(conv_id: int) -> int | None:
        session.expire_all()
        conv = await get_conversation(session, workspace_id=ws, conversation_id=conv_id)
        return conv.assignee_id

    assert (await assignee(first), await assignee(second)) == (agent, None)
    conv = await get_conversation(session, workspace_id=ws, conversation_id=first)
    await do_set_status(session, conv=conv, status="resolved")
    await session.commit()
    await dispatcher.drain()
    assert await assignee(second) == agent
    dead = await session.scalars(select(EventDelivery).where(EventDelivery.status == "dead"))
    assert dead.all() == []
