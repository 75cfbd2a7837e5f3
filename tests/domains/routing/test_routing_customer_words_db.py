"""Routing rules see the customer's words: keywords and sentiment of the message that arrived.

Before the typed event catalogue the routing subscriber read `text` and `sentiment` from
events that carried neither, so these rules never matched.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.core.dispatcher import Dispatcher, DispatcherConfig
from omnidesk.core.events import SubscriberRegistry
from omnidesk.domains.conversations.actions import do_receive_inbound
from omnidesk.domains.conversations.schemas import InboundMessage
from omnidesk.domains.routing.service import get_entry, get_queue
from omnidesk.domains.routing.subscribers import register
from tests.conftest import Persona

from .routing_setup import make_queue, make_rule


async def _route(session: AsyncSession, factory: async_sessionmaker[AsyncSession], ws: int,
                 phone: str, text: str) -> tuple[str, float]:
    """Receive an SMS through intake, run routing's subscribers; return (queue, sentiment)."""
    msg = await do_receive_inbound(session, workspace_id=ws, inbound=InboundMessage(
        channel="sms", provider_message_id=f"SM-{phone}", identity_kind="phone",
        identity_value=phone, customer_phone=phone, text=text))
    await session.commit()
    registry = SubscriberRegistry()
    register(registry)
    await Dispatcher(factory, registry, DispatcherConfig(backoff_base_seconds=0)).drain()
    entry = await get_entry(session, workspace_id=ws, conversation_id=msg.conversation_id)
    assert entry is not None
    queue = await get_queue(session, workspace_id=ws, queue_id=entry.queue_id)
    return queue.name, entry.sentiment


async def test_an_sms_asking_for_a_refund_goes_to_the_refund_queue_by_keyword(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona
) -> None:
    ws = owner.workspace_id
    await make_queue(session, ws, "general", is_default=True)
    refunds = await make_queue(session, ws, "refunds")
    await make_rule(session, ws, refunds, {"keywords": ["환불"]}, name="환불")
    await session.commit()
    assert (await _route(session, session_factory, ws, "+821055550101",
                         "환불하고 싶어요"))[0] == "refunds"
    assert (await _route(session, session_factory, ws, "+821055550102",
                         "배송 언제 와요?"))[0] == "general"


async def test_a_negative_sentiment_rule_catches_an_angry_customer(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona
) -> None:
    ws = owner.workspace_id
    await make_queue(session, ws, "general", is_default=True)
    care = await make_queue(session, ws, "care")
    await make_rule(session, ws, care, {"sentiment": ["negative"]}, name="angry")
    await session.commit()
    queue, sentiment = await _route(session, session_factory, ws, "+821055550103",
                                    "정말 화가 나네요. 최악의 서비스예요!")
    assert queue == "care" and sentiment < 0  # the entry is also weighted by it
    queue, sentiment = await _route(session, session_factory, ws, "+821055550104",
                                    "주문 상태 알려주세요")
    assert queue == "general" and sentiment == 0
