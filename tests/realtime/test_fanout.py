"""Committed domain events reach agent screens and only the right visitor, once each."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.app.subscribers import build_registry
from omnidesk.core.context import Actor, system_actor
from omnidesk.core.dispatcher import Dispatcher
from omnidesk.core.events import emit
from omnidesk.domains.agents.actions import do_create_user
from omnidesk.domains.agents.schemas import UserCreate
from omnidesk.domains.agents.service import list_users
from omnidesk.domains.conversations.actions import (
    do_add_message,
    do_assign,
    do_receive_inbound,
    do_set_status,
)
from omnidesk.domains.conversations.events import MessageDeliveryUpdated, MessageUpdated
from omnidesk.domains.conversations.schemas import InboundMessage
from omnidesk.domains.conversations.service import get_conversation
from omnidesk.domains.engagement.service import get_read_mark
from omnidesk.realtime.broker import LocalBroker
from omnidesk.realtime.hub import Hub
from omnidesk.realtime.relay import relay_signal
from omnidesk.realtime.topics import agents_topic, conversation_topic, visitor_topic
from omnidesk.web.realtime_ws import agent_topics
from tests.conftest import Persona

INBOUND = InboundMessage(channel="web", identity_kind="web_visitor", identity_value="a",
                         text="배송 문의")


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


async def test_changes_to_existing_messages_reach_the_screens_showing_the_conversation(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona
) -> None:
    hub = Hub(LocalBroker())
    await hub.start()
    agents, _ = hub.attach("user:1", {conversation_topic(owner.workspace_id, 3)}, None, 0)
    others, _ = hub.attach("user:2", {conversation_topic(owner.workspace_id, 4),
                                      agents_topic(owner.workspace_id)}, None, 0)
    emit(session, MessageUpdated(message_id=7, conversation_id=3),
         workspace_id=owner.workspace_id)
    emit(session, MessageDeliveryUpdated(message_id=7, conversation_id=3, status="sent"),
         workspace_id=owner.workspace_id)
    await session.commit()
    session_factory.kw["info"] = {"realtime": hub}
    await Dispatcher(session_factory, build_registry()).drain()
    assert [(e["type"], e["data"]["message_id"]) for e in agents.events] == [
        ("message.updated", 7), ("message.delivery_updated", 7)]
    assert list(others.events) == []


async def test_a_message_reaches_its_viewers_assignee_and_supervisors_but_no_bystander(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona
) -> None:
    system = system_actor(owner.workspace_id)
    viewer, bystander = [await do_create_user(session, actor=system, user_in=UserCreate(
        email=f"{n}@acme.example", name=n, password="correct horse battery", role="agent"))
        for n in ("viewer", "bystander")]
    first = await do_receive_inbound(session, workspace_id=owner.workspace_id, inbound=INBOUND)
    conv = await get_conversation(session, workspace_id=owner.workspace_id,
                                  conversation_id=first.conversation_id)
    await do_assign(session, conv=conv, assignee_id=owner.agent.user_id)
    await session.commit()
    hub = Hub(LocalBroker())
    await hub.start()
    session_factory.kw["info"] = {"realtime": hub}
    await Dispatcher(session_factory, build_registry()).drain()  # the opening, before screens
    users = {u.id: u for u in await list_users(session, workspace_id=owner.workspace_id)}
    screens = {name: hub.attach(f"user:{uid}", agent_topics(
        Actor(owner.workspace_id, uid, users[uid].role), users[uid], shown), None, 0)[0]
               for name, uid, shown in [
                   ("viewer", viewer.id, conv), ("assignee", owner.agent.user_id, None),
                   ("supervisor", owner.admin.user_id, None), ("bystander", bystander.id, None)]}

    second = await do_receive_inbound(session, workspace_id=owner.workspace_id, inbound=INBOUND)
    await session.commit()
    await Dispatcher(session_factory, build_registry()).drain()

    assert second.conversation_id == conv.id
    for name in ("viewer", "assignee", "supervisor"):
        created = [e["data"] for e in screens[name].events if e["type"] == "message.created"]
        assert [d["message_id"] for d in created] == [second.id], name
    assert list(screens["bystander"].events) == []


async def test_typing_and_read_marks_cross_to_the_other_side_only(
    session: AsyncSession, owner: Persona
) -> None:
    first = await do_receive_inbound(session, workspace_id=owner.workspace_id, inbound=INBOUND)
    conv = await get_conversation(session, workspace_id=owner.workspace_id,
                                  conversation_id=first.conversation_id)
    hub = Hub(LocalBroker())
    await hub.start()
    agent, _ = hub.attach("user:1", {conversation_topic(owner.workspace_id, conv.id)}, None, 0)
    widget, _ = hub.attach("visitor:a", {visitor_topic(owner.workspace_id, "web_visitor", "a")},
                           None, 0)
    await relay_signal(session, hub, conv, side="customer", message={"type": "typing"})
    await relay_signal(session, hub, conv, side="agent", name="에이전트",
                       message={"type": "read", "message_id": first.id})
    assert [(e["type"], e["data"]["author"]) for e in agent.events] == [("typing", "customer")]
    assert [(e["type"], e["data"].get("message_id")) for e in widget.events] == [
        ("read", first.id)]
    assert await get_read_mark(session, workspace_id=owner.workspace_id,
                               conversation_id=conv.id, reader="agent") == first.id


async def test_an_sla_warning_reaches_the_assignees_screens_as_their_notification(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona
) -> None:
    from omnidesk.domains.routing.events import SlaWarning
    from omnidesk.realtime.topics import user_topic

    msg = await do_receive_inbound(session, workspace_id=owner.workspace_id, inbound=INBOUND)
    conv = await get_conversation(session, workspace_id=owner.workspace_id,
                                  conversation_id=msg.conversation_id)
    await do_assign(session, conv=conv, assignee_id=owner.agent.user_id)
    await session.commit()
    session_factory.kw["info"] = {}
    await Dispatcher(session_factory, build_registry()).drain()  # what happened so far
    hub = Hub(LocalBroker())
    await hub.start()
    mine, _ = hub.attach("user:a", {user_topic(owner.workspace_id, owner.agent.user_id)}, None, 0)
    someone, _ = hub.attach("user:b", {user_topic(owner.workspace_id, 99999)}, None, 0)
    emit(session, SlaWarning(conversation_id=conv.id, metric="first_response", state="warning",
                             target_seconds=300.0, elapsed_seconds=250.0),
         workspace_id=owner.workspace_id)
    await session.commit()
    session_factory.kw["info"] = {"realtime": hub}
    await Dispatcher(session_factory, build_registry()).drain()
    warnings = [e for e in mine.events if e["type"] == "sla.warning"]
    assert [w["data"] for w in warnings] == [{"conversation_id": conv.id,
                                              "metric": "first_response",
                                              "assignee_id": owner.agent.user_id}]
    assert list(someone.events) == []


async def test_the_visitor_is_told_when_the_chat_ends_and_when_it_goes_on(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona
) -> None:
    hub = Hub(LocalBroker())
    await hub.start()
    alice, _ = hub.attach("visitor:a", {visitor_topic(owner.workspace_id, "web_visitor", "a")},
                          None, 0)
    bob, _ = hub.attach("visitor:b", {visitor_topic(owner.workspace_id, "web_visitor", "b")},
                        None, 0)
    msg = await do_receive_inbound(session, workspace_id=owner.workspace_id, inbound=INBOUND)
    conv = await get_conversation(session, workspace_id=owner.workspace_id,
                                  conversation_id=msg.conversation_id)
    await do_set_status(session, conv=conv, status="resolved")
    await session.commit()
    session_factory.kw["info"] = {"realtime": hub}
    dispatcher = Dispatcher(session_factory, build_registry())
    await dispatcher.drain()
    statuses = [e["data"] for e in alice.events if e["type"] == "conversation.status"]
    assert statuses == [{"conversation_id": conv.id, "ended": True}]
    await do_receive_inbound(session, workspace_id=owner.workspace_id, inbound=INBOUND)
    await session.commit()
    await dispatcher.drain()
    statuses = [e["data"]["ended"] for e in alice.events if e["type"] == "conversation.status"]
    assert statuses == [True, False]  # writing again reopened it
    assert list(bob.events) == []
