"""Exchanging a delivered item for another variant: choose, hear the price difference, confirm.

The delivered order's vacuum (gray, M, ₩390,000) has four other variants in stock and one sold
out; the catalogue names options in English, as the tau-bench store does.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from .conftest import DELIVERED, Chat, Store, add_product, get_order, order_status

VACUUM = f"{DELIVERED}-1"
VARIANTS = {
    VACUUM: {"options": {"color": "gray", "size": "M"}, "price": 390000, "available": True},
    "VAC-WHITE-M": {"options": {"color": "white", "size": "M"}, "price": 390000,
                    "available": True},
    "VAC-NAVY-M": {"options": {"color": "navy", "size": "M"}, "price": 420000,
                   "available": True},
    "VAC-NAVY-L": {"options": {"color": "navy", "size": "L"}, "price": 430000,
                   "available": True},
    "VAC-RED-S": {"options": {"color": "red", "size": "S"}, "price": 370000, "available": True},
    "VAC-BLACK-M": {"options": {"color": "black", "size": "M"}, "price": 390000,
                    "available": False},
}


@pytest.fixture
async def variants(session_factory, store: Store) -> None:
    """List the vacuum's variants in the store's catalogue."""
    await add_product(session_factory, store.workspace_id, "P-VAC", "무선 청소기", VARIANTS)


async def _exchange(chat: Chat) -> dict:
    order = await get_order(chat.session_factory, chat.workspace_id, DELIVERED)
    return next(f for f in order.fulfillments if f["type"] == "exchange")


async def test_a_korean_customer_narrows_down_by_option_words_and_pays_the_difference(
        signed_in: Chat, store: Store, variants: None) -> None:
    assert "1. 무선 청소기" in await signed_in.say(f"{DELIVERED} 주문 교환하고 싶어요")
    listing = await signed_in.say("1")
    assert "1. 색상: red, 사이즈: S (-₩20,000)" in listing  # cheapest first
    assert "2. 색상: white, 사이즈: M (가격 동일)" in listing
    assert "3. 색상: navy, 사이즈: M (+₩30,000)" in listing
    assert "black" not in listing  # sold out
    narrowed = await signed_in.say("네이비로 주세요")
    assert "번호로 골라" in narrowed and "3. 색상: navy, 사이즈: M" in narrowed
    assert "4. 색상: navy, 사이즈: L" in narrowed and "white" not in narrowed
    confirm = await signed_in.say("4번이요")
    assert "무선 청소기 (색상: gray, 사이즈: M) → 색상: navy, 사이즈: L (+₩40,000)" in confirm
    assert "차액 ₩40,000은 원래 결제수단(신용카드)으로 추가 결제돼요" in confirm
    assert await order_status(signed_in.session_factory, store.workspace_id, DELIVERED) == (
        "delivered")
    done = await signed_in.say("네")
    assert "교환을 접수했어요" in done and "추가 결제돼요" in done
    assert await order_status(signed_in.session_factory, store.workspace_id, DELIVERED) == (
        "exchange_requested")
    exchange = await _exchange(signed_in)
    assert exchange["item_ids"] == [VACUUM] and exchange["new_item_ids"] == ["VAC-NAVY-L"]
    assert Decimal(exchange["price_difference"]) == 40000
    assert exchange["payment_method"] == "card"
    [action] = [e.data for e in await signed_in.events("bot_action")
                if e.data["action"] == "exchange_requested"]
    assert action["new_item_ids"] == ["VAC-NAVY-L"] and Decimal(action["price_difference"]) == 40000
    print("\n".join(signed_in.transcript))


async def test_an_english_customer_names_the_option_and_gets_the_difference_back(
        signed_in: Chat, store: Store, variants: None) -> None:
    await signed_in.say(f"I want to exchange an item from order {DELIVERED}")
    assert "Which option would you like instead of 무선 청소기 (color: gray, size: M)" in (
        await signed_in.say("1"))
    confirm = await signed_in.say("the red one please")
    assert "→ color: red, size: S (-₩20,000)" in confirm
    assert ("You'll get the difference of ₩20,000 back on your original payment method "
            "(credit card)") in confirm
    done = await signed_in.say("yes")
    assert "exchange for order" in done and "₩20,000 back" in done
    exchange = await _exchange(signed_in)
    assert exchange["new_item_ids"] == ["VAC-RED-S"]
    assert Decimal(exchange["price_difference"]) == -20000


async def test_refusing_at_the_confirmation_changes_nothing(signed_in: Chat, store: Store,
                                                            variants: None) -> None:
    await signed_in.say(f"Please exchange the item I received, order {DELIVERED}")
    await signed_in.say("1")
    confirm = await signed_in.say("2")
    assert "→ color: white, size: M (same price)" in confirm
    assert "nothing to pay or refund" in confirm
    assert "haven't changed anything" in await signed_in.say("no")
    order = await get_order(signed_in.session_factory, store.workspace_id, DELIVERED)
    assert order.status == "delivered"
    assert not [f for f in order.fulfillments if f["type"] == "exchange"]
    actions = [e.data["action"] for e in await signed_in.events("bot_action")]
    assert actions == ["exchange_declined"]
    assert (await signed_in.conversation()).owner == "bot"


async def test_with_no_variant_in_stock_an_agent_takes_over(signed_in: Chat, store: Store,
                                                            session_factory) -> None:
    await add_product(session_factory, store.workspace_id, "P-VAC", "무선 청소기", {
        VACUUM: VARIANTS[VACUUM], "VAC-BLACK-M": VARIANTS["VAC-BLACK-M"]})
    await signed_in.say(f"{DELIVERED} 주문 교환하고 싶어요")
    reply = await signed_in.say("1")
    assert "교환할 수 있는 다른 옵션이 없어요" in reply and "상담원에게 연결" in reply
    assert (await signed_in.conversation()).owner == "queued"
    [handoff] = await signed_in.events("bot_handoff")
    assert handoff.data["reason"] == "exchange_no_variant_available"
    assert await order_status(signed_in.session_factory, store.workspace_id, DELIVERED) == (
        "delivered")


async def test_giving_up_on_the_choice_hands_off(signed_in: Chat, store: Store,
                                                 variants: None) -> None:
    await signed_in.say(f"{DELIVERED} 주문 교환하고 싶어요")
    await signed_in.say("1")
    assert "상담원에게 연결" in await signed_in.say("아니요, 그냥 됐어요")
    [handoff] = await signed_in.events("bot_handoff")
    assert handoff.data["reason"] == "exchange_needs_variant_choice"


async def test_two_unclear_answers_hand_off(signed_in: Chat, store: Store,
                                            variants: None) -> None:
    await signed_in.say(f"I want to exchange an item from order {DELIVERED}")
    await signed_in.say("1")
    assert "Pick one by its number" in await signed_in.say("hmm, something nicer")
    assert "connecting you with an agent" in await signed_in.say("whatever looks good")
    [handoff] = await signed_in.events("bot_handoff")
    assert handoff.data["reason"] == "exchange_needs_variant_choice"
    assert await order_status(signed_in.session_factory, store.workspace_id, DELIVERED) == (
        "delivered")
