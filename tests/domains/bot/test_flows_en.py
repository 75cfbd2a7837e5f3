"""English conversations: order status, returns, exchanges, refusals, switching and handoff."""

from __future__ import annotations

from sqlalchemy import select

from omnidesk.core.events import OutboxEvent

from .conftest import (
    DELIVERED,
    EMAIL,
    PENDING,
    PROCESSED,
    Chat,
    Store,
    order_status,
    window_greeting,
)


async def test_a_signed_in_customer_gets_the_status_without_verifying_again(
        signed_in: Chat, store: Store) -> None:
    reply = await signed_in.say(f"Where is my order {PROCESSED}?")
    greeting = await window_greeting(signed_in.session_factory, store.workspace_id, "en")
    assert "I'm the Acme bot" in greeting and "agent" in greeting
    assert "I'm the Acme bot" not in reply  # one greeting: the chat window's
    assert PROCESSED in reply and "processed (shipping)" in reply


async def test_a_visitor_verifies_with_order_number_and_email(visitor: Chat,
                                                              store: Store) -> None:
    assert "verify" in await visitor.say("Can you check the status of my order?")
    reply = await visitor.say(f"{PENDING} {EMAIL}")
    assert "pending (not shipped yet)" in reply


async def test_a_return_of_chosen_items_of_a_delivered_order(signed_in: Chat,
                                                             store: Store) -> None:
    ask = await signed_in.say(f"I want to return items from order {DELIVERED}")
    assert "1. 무선 청소기" in ask and "2. 필터 세트" in ask
    confirm = await signed_in.say("2")
    assert "필터 세트" in confirm and "original payment method" in confirm
    assert "return for order" in await signed_in.say("yes")
    assert await order_status(signed_in.session_factory, store.workspace_id, DELIVERED) == (
        "return_requested")


async def test_an_exchange_is_only_for_delivered_orders(signed_in: Chat, store: Store) -> None:
    reply = await signed_in.say(f"I want to exchange order {PENDING} for another color")
    assert "only for delivered orders" in reply
    assert await order_status(signed_in.session_factory, store.workspace_id, PENDING) == "pending"


async def test_an_exchange_declined_at_confirmation_changes_nothing(signed_in: Chat,
                                                                    store: Store) -> None:
    await signed_in.say(f"Please exchange the item I received, order {DELIVERED}")
    assert "a new unit of the same item" in await signed_in.say("all")
    assert "haven't changed anything" in await signed_in.say("no")
    assert await order_status(signed_in.session_factory, store.workspace_id, DELIVERED) == (
        "delivered")


async def test_switching_from_a_return_to_order_status(signed_in: Chat, store: Store) -> None:
    await signed_in.say(f"I want to return my order {DELIVERED}")
    reply = await signed_in.say(f"Actually, where is my order {PROCESSED}?")
    assert "processed (shipping)" in reply


async def test_asking_for_a_human_mid_flow_hands_off_with_context(signed_in: Chat,
                                                                  store: Store) -> None:
    await signed_in.say(f"Please cancel order {PENDING}")
    reply = await signed_in.say("I want to talk to a human")
    assert "connecting you with an agent" in reply
    conv = await signed_in.conversation()
    assert conv.owner == "queued"
    async with signed_in.session_factory() as session:
        [event] = (await session.scalars(select(OutboxEvent).where(
            OutboxEvent.name == "conversation.bot_handoff"))).all()
    payload = event.payload
    assert payload["reason"] == "customer_asked" and payload["intent"] == "cancel_order"
    assert payload["language"] == "en" and payload["slots"]["order_number"] == PENDING
    assert any("cancel" in line for line in payload["summary"])
    assert payload["owner"] == "queued"
    [note] = await signed_in.bot_messages(private=True)
    assert note.text.startswith("[챗봇 인계]")  # the workspace's agents work in Korean
    assert "passed your message on" in await signed_in.say("hello?")  # acknowledged once
    assert await signed_in.say("hello??") == ""  # then quiet until an agent answers


async def test_two_misunderstood_messages_hand_off(visitor: Chat, store: Store) -> None:
    assert "didn't quite get that" in await visitor.say("What's the weather tomorrow?")
    assert "connecting you" in await visitor.say("Tell me a joke")
    [handoff] = await visitor.events("bot_handoff")
    assert handoff.data["reason"] == "not_understood"
