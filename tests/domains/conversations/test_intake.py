"""Intake: any channel lands on one customer and one conversation, once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import utcnow
from omnidesk.core.events import OutboxEvent
from omnidesk.domains.conversations.actions import do_add_message, do_receive_inbound, do_set_status
from omnidesk.domains.conversations.delivery_actions import do_apply_delivery_update
from omnidesk.domains.conversations.models import Conversation, Message
from omnidesk.domains.conversations.schemas import DeliveryUpdate, InboundMessage
from omnidesk.domains.customers.models import Customer
from tests.conftest import Persona


def sms(text: str, sid: str, phone: str = "+821055550000") -> InboundMessage:
    return InboundMessage(channel="sms", provider_message_id=sid, identity_kind="phone",
                          identity_value=phone, customer_phone=phone, text=text)


async def test_a_redelivered_message_is_stored_once(session: AsyncSession,
                                                    owner: Persona) -> None:
    first = await do_receive_inbound(session, workspace_id=owner.workspace_id,
                                     inbound=sms("배송 언제 와요?", "SM1"))
    again = await do_receive_inbound(session, workspace_id=owner.workspace_id,
                                     inbound=sms("배송 언제 와요?", "SM1"))
    await session.commit()
    assert first.id == again.id
    assert await session.scalar(select(func.count(Message.id))) == 1
    names = (await session.scalars(select(OutboxEvent.name))).all()
    assert names.count("message.created") == 1


async def test_messages_from_two_channels_continue_one_conversation(
    session: AsyncSession, owner: Persona
) -> None:
    await do_receive_inbound(session, workspace_id=owner.workspace_id,
                             inbound=sms("주문 취소하고 싶어요", "SM2"))
    customer = await session.scalar(select(Customer))
    email = InboundMessage(channel="email", provider_message_id="<m1@example.com>",
                           identity_kind="phone", identity_value="+821055550000",
                           text="메일로도 보냅니다")
    await do_receive_inbound(session, workspace_id=owner.workspace_id, inbound=email)
    await session.commit()
    convs = (await session.scalars(select(Conversation))).all()
    assert len(convs) == 1 and convs[0].customer_id == customer.id
    assert convs[0].channel == "email"  # replies default to the channel last used
    channels = (await session.scalars(select(Message.channel).order_by(Message.id))).all()
    assert channels == ["sms", "email"]


async def test_a_recently_resolved_conversation_reopens_an_old_one_does_not(
    session: AsyncSession, owner: Persona
) -> None:
    msg = await do_receive_inbound(session, workspace_id=owner.workspace_id,
                                   inbound=sms("환불 문의", "SM3"))
    conv = await session.get(Conversation, msg.conversation_id)
    await do_set_status(session, conv=conv, status="resolved")
    again = await do_receive_inbound(session, workspace_id=owner.workspace_id,
                                     inbound=sms("아직 환불이 안 됐어요", "SM4"))
    assert again.conversation_id == conv.id and conv.status == "open"
    assert conv.reopened_count == 1

    await do_set_status(session, conv=conv, status="resolved")
    conv.resolved_at = utcnow() - dt.timedelta(days=30)
    later = await do_receive_inbound(session, workspace_id=owner.workspace_id,
                                     inbound=sms("새 주문 문의", "SM5"))
    await session.commit()
    assert later.conversation_id != conv.id


async def test_delivery_status_keeps_the_furthest_state_when_callbacks_race(
    session: AsyncSession, owner: Persona
) -> None:
    inbound = await do_receive_inbound(session, workspace_id=owner.workspace_id,
                                       inbound=sms("hi", "SM6"))
    conv = await session.get(Conversation, inbound.conversation_id)
    reply = await do_add_message(session, conv=conv, text="안녕하세요", author_kind="agent",
                                 author_id=owner.agent.user_id, provider_message_id="SMout1")
    assert reply.delivery_status == "pending"
    for status in ("delivered", "sent", "read", "delivered", "failed"):
        await do_apply_delivery_update(session, workspace_id=owner.workspace_id, update=(
            DeliveryUpdate(channel="sms", provider_message_id="SMout1", status=status)))
    assert reply.delivery_status == "read"
    assert conv.first_response_at is not None and conv.waiting_since is None
