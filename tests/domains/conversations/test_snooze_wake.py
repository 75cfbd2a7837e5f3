"""Snoozed conversations wake at their time (once, whoever runs the schedule) and when the customer writes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.core.db import utcnow
from omnidesk.core.events import OutboxEvent
from omnidesk.domains.conversations.actions import do_add_message, do_set_status
from omnidesk.domains.conversations.models import Conversation, ConversationEvent
from omnidesk.domains.conversations.tasks import do_wake_snoozed
from tests.conftest import Persona
from tests.domains.routing.routing_setup import make_conversation


async def test_snoozed_conversations_wake_once_at_their_time_and_when_the_customer_writes(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona,
) -> None:
    ids = [(await make_conversation(session, owner.admin))[0] for _ in range(3)]
    convs = [await session.get_one(Conversation, i) for i in ids]
    for conv in convs:
        await do_set_status(session, conv=conv, status="snoozed",
                            snoozed_until=utcnow() + dt.timedelta(hours=1))
    convs[0].snoozed_until = utcnow() - dt.timedelta(minutes=1)  # its time has come
    await session.commit()

    async with session_factory() as one:
        first = await do_wake_snoozed(one)
        await one.commit()
    async with session_factory() as two:
        second = await do_wake_snoozed(two)  # another process in the same period
        await two.commit()
    assert (first, second) == ([ids[0]], [])

    await do_add_message(session, conv=convs[1], text="아직인가요?", author_kind="customer")
    await session.commit()
    session.expire_all()
    statuses = [(await session.get_one(Conversation, i)).status for i in ids]
    assert statuses == ["open", "open", "snoozed"]
    woke = (await session.scalars(select(OutboxEvent).where(
        OutboxEvent.name == "conversation.status_changed"))).all()
    assert [e.payload["conversation_id"] for e in woke
            if e.payload["previous_status"] == "snoozed"] == [ids[0]]


async def test_the_timeline_says_a_snooze_ended_because_the_customer_wrote(
    session: AsyncSession, owner: Persona,
) -> None:
    conv_id = (await make_conversation(session, owner.admin))[0]
    conv = await session.get_one(Conversation, conv_id)
    await do_set_status(session, conv=conv, status="snoozed",
                        snoozed_until=utcnow() + dt.timedelta(days=1))
    await do_add_message(session, conv=conv, text="답이 없네요", author_kind="customer")
    await session.commit()
    rows = await session.scalars(select(ConversationEvent).where(
        ConversationEvent.conversation_id == conv_id, ConversationEvent.kind == "status_changed"))
    assert [(r.actor_kind, r.data["reason"]) for r in rows] == [("customer", "customer_wrote")]
