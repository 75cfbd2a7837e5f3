"""Committed domain events reach agent screens and only the right visitor, once each."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.core.dispatcher import Dispatcher
from omnidesk.core.events import emit
from omnidesk.domains.conversations.actions import do_add_message, do_receive_inbound
from omnidesk.domains.conversations.events import MessageDeliveryUpdated, MessageUpdated
from omnidesk.domains.conversations.schemas import InboundMessage
from omnidesk.domains.conversations.service import get_conversation
from omnidesk.realtime.broker import LocalBroker
from omnidesk.realtime.hub import Hub
from omnidesk.realtime.topics import agents_topic, visitor_topic
from omnidesk.subscribers import build_registry
from tests.conftest import Persona


async def test_messages_fan_out_to_agents_and_to_the_visitor_but_notes_stay_internal(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona
) -> None:
    hub = Hub(LocalBroker())
    await hub.start()
    agents, _ = hub.attach("user:1", {agents_topic(owner.workspace_id)}, None, 0)
    alice, _ = hub.attach("visitor:a", {visitor_topic(owner.workspace_id, "web_visitor", "a")},
                          None, 0)
    bob, _ = hub.attach("visitor:b", {visitor_topic(owner.workspace_id, "web_visitor", "b")},
                        None, 0)
    msg = await do_receive_inbound(session, workspace_id=owner.workspace_id, inbound=InboundMessage(
        channel="web", identity_kind="web_visitor", identity_value="a", text="배송 문의"))
    conv = await get_conversation(session, workspace_id=owner.workspace_id,
                                  conversation_id=msg.conversation_id)
    await do_add_message(session, conv=conv, text="답변", author_kind="agent",
                         author_id=owner.agent.user_id)
    await do_add_message(session, conv=conv, text="내부 메모", author_kind="agent",
                         author_id=owner.agent.user_id, is_private=True)
    await session.commit()
    session_factory.kw["info"] = {"realtime": hub}
    await Dispatcher(session_factory, build_registry()).drain()

    kinds = [e["type"] for e in agents.events]
    assert kinds.count("message.created") == 3 and "conversation.changed" in kinds
    assert [(e["type"], e["data"]["text"]) for e in alice.events] == [
        ("message.created", "배송 문의"), ("message.created", "답변")]
    assert alice.events[1]["data"]["author_name"] == "에이전트"
    assert set(alice.events[0]["data"]) >= {"id", "conversation_id", "author_kind", "created_at"}
    assert list(bob.events) == []


async def test_changes_to_existing_messages_reach_agent_screens(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona
) -> None:
    hub = Hub(LocalBroker())
    await hub.start()
    agents, _ = hub.attach("user:1", {agents_topic(owner.workspace_id)}, None, 0)
    emit(session, MessageUpdated(message_id=7, conversation_id=3),
         workspace_id=owner.workspace_id)
    emit(session, MessageDeliveryUpdated(message_id=7, conversation_id=3, status="sent"),
         workspace_id=owner.workspace_id)
    await session.commit()
    session_factory.kw["info"] = {"realtime": hub}
    await Dispatcher(session_factory, build_registry()).drain()
    assert [(e["type"], e["data"]["message_id"]) for e in agents.events] == [
        ("message.updated", 7), ("message.delivery_updated", 7)]
