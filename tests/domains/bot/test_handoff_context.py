"""The bot's work is the agent's context: who the visitor proved to be, and what the bot did.

A visitor who verifies with an order number and phone becomes the known customer (the agent's
panel shows their tier and orders); the handoff note lists every action in the agent's language;
a VIP is recognised when they verify, not only when they arrive signed in.
"""

from __future__ import annotations

from sqlalchemy import select

from omnidesk.domains.customers.models import Customer
from omnidesk.domains.workspaces.models import Workspace

from .conftest import PENDING, PHONE, Chat, Store, order_status


async def _bot_setting(session, store: Store, **changes: object) -> None:
    ws = await session.get(Workspace, store.workspace_id)
    ws.settings = {**ws.settings, "bot": {**ws.settings["bot"], **changes}}
    await session.commit()


async def test_a_verified_visitor_becomes_the_known_customer(visitor: Chat, store: Store,
                                                             session) -> None:
    await visitor.say("주문 취소하고 싶어요")
    anonymous = (await visitor.conversation()).customer_id
    assert anonymous != store.customer_id
    await visitor.say(f"{PENDING} {PHONE}")
    conv = await visitor.conversation()
    assert conv.customer_id == store.customer_id  # the agent's panel shows her tier and orders
    [verified] = [e.data for e in await visitor.events("bot_action")]
    assert verified["action"] == "customer_verified" and verified["by"] == "phone"
    folded = await session.scalar(select(Customer).where(Customer.id == anonymous))
    assert folded.merged_into_id == store.customer_id
    # The visitor's next message still lands in the same conversation, with the same customer.
    assert "'네'" in await visitor.say("실수로 주문했어요")  # the cancel goes on
    assert (await visitor.conversation()).id == conv.id


async def test_the_handoff_note_lists_what_the_bot_did_in_korean(visitor: Chat,
                                                                 store: Store) -> None:
    await visitor.say("주문 취소하고 싶어요")
    await visitor.say(f"{PENDING} {PHONE}")
    await visitor.say("실수로 주문했어요")
    assert "취소했어요" in await visitor.say("네")
    assert await order_status(visitor.session_factory, store.workspace_id, PENDING) == (
        "cancelled")
    await visitor.say("상담원 연결해 주세요")
    [note] = await visitor.bot_messages(private=True)
    assert f"주문 {PENDING} 취소, 환불 ₩390,000 요청" in note.text
    assert "본인 확인 완료" in note.text
    conv = await visitor.conversation()
    assert conv.owner == "queued" and conv.customer_id == store.customer_id


async def test_an_english_team_reads_the_bot_actions_in_english(visitor: Chat, store: Store,
                                                                session) -> None:
    ws = await session.get(Workspace, store.workspace_id)
    ws.default_locale = "en"
    await session.commit()
    await visitor.say("I want to cancel my order")
    await visitor.say(f"{PENDING} {PHONE}")
    await visitor.say("I ordered it by mistake")
    await visitor.say("yes")
    await visitor.say("I want to talk to a human agent")
    [note] = await visitor.bot_messages(private=True)
    assert f"Cancelled order {PENDING}, refund of ₩390,000 requested" in note.text


async def test_a_vip_who_verifies_by_phone_is_served_by_a_person(visitor: Chat, store: Store,
                                                                 session) -> None:
    await _bot_setting(session, store, handoff_vip=True)
    first = await visitor.say("주문 취소하고 싶어요")
    assert "주문번호" in first  # an anonymous visitor is not known as a VIP yet
    await visitor.say(f"{PENDING} {PHONE}")
    conv = await visitor.conversation()
    assert conv.owner == "queued" and conv.customer_id == store.customer_id
    [handoff] = await visitor.events("bot_handoff")
    assert handoff.data["reason"] == "vip_customer"
    assert await order_status(visitor.session_factory, store.workspace_id, PENDING) == "pending"
