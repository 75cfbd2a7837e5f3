"""The bot follows the store policy: windows by reason from delivery, statuses, who may act.

Each conversation runs through intake and the real dispatcher; the policy articles are the demo
help center's own (imported), so a refusal links the article a customer can read.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from omnidesk.core.context import system_actor
from omnidesk.demo import knowledge as kb_demo
from omnidesk.domains.knowledge.io.importing import import_markdown_folder
from omnidesk.domains.workspaces.models import Workspace

from .conftest import DELIVERED, PENDING, Chat, Store, get_order, order_status

POLICY_ARTICLES = ("returns-policy.md", "order-cancel.md", "refund-timeline.md")


async def delivered_days_ago(chat: Chat, days: int) -> None:
    """Move the delivered order's delivery date ``days`` back from today."""
    async with chat.session_factory() as session:
        order = await get_order(chat.session_factory, chat.workspace_id, DELIVERED)
        order = await session.merge(order)
        when = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
        order.fulfillments = [{"type": "delivery", "delivered_at": when.isoformat()}]
        await session.commit()


@pytest.fixture
async def articles(session, store: Store, tmp_path: Path) -> Store:
    """Import the demo store's policy articles (ko + en) into the store's workspace."""
    for locale in ("ko", "en"):
        (tmp_path / locale).mkdir()
        for name in POLICY_ARTICLES:
            if (kb_demo.DEMO_FOLDER / locale / name).exists():
                shutil.copy(kb_demo.DEMO_FOLDER / locale / name, tmp_path / locale / name)
    await import_markdown_folder(session, actor=system_actor(store.workspace_id), folder=tmp_path)
    await session.commit()
    return store


async def test_a_change_of_mind_return_after_the_window_is_refused_with_the_reason(
        signed_in: Chat, articles: Store) -> None:
    await delivered_days_ago(signed_in, 100)
    reply = await signed_in.say(f"{DELIVERED} 반품하고 싶어요. 마음이 바뀌었어요")
    assert "단순 변심 반품·교환 기간(7일" in reply and "지났어요" in reply
    assert "반품·교환 기준" in reply and "/articles/returns-policy" in reply  # the policy article
    assert "상담원" in reply  # a person, since a defect return is closed too (30 days)
    assert await order_status(signed_in.session_factory, articles.workspace_id, DELIVERED) == (
        "delivered")
    [refused] = [e.data for e in await signed_in.events("bot_action")]
    assert refused["action"] == "return_refused" and refused["rule"] == "window"
    [message] = await signed_in.bot_messages(after_id=0)
    assert message.meta["bot"]["citations"] == ["returns-policy"]


async def test_past_seven_days_a_defect_return_is_offered_and_taken_without_a_fee(
        signed_in: Chat, articles: Store) -> None:
    await delivered_days_ago(signed_in, 12)
    offer = await signed_in.say(f"{DELIVERED} 주문 반품하고 싶어요")
    assert "7일" in offer and "불량이나 파손이 있다면" in offer
    items = await signed_in.say("사실 전원이 안 켜지는 불량이에요")
    assert "1. 무선 청소기" in items
    confirm = await signed_in.say("1")
    assert "반품 접수할까요" in confirm and "배송비" not in confirm
    assert "반품을 접수했어요" in await signed_in.say("네")
    order = await get_order(signed_in.session_factory, articles.workspace_id, DELIVERED)
    assert order.status == "return_requested"
    assert [f["reason"] for f in order.fulfillments if f.get("type") == "return"] == ["defect"]


async def test_a_change_of_mind_return_inside_the_window_states_the_fee(
        signed_in: Chat, store: Store) -> None:
    await signed_in.say(f"I want to return items from order {DELIVERED}")
    confirm = await signed_in.say("2")
    assert "₩6,000 return shipping is deducted" in confirm
    assert "return for order" in await signed_in.say("yes")
    actions = [e.data for e in await signed_in.events("bot_action")]
    assert actions[-1]["action"] == "return_requested"
    assert actions[-1]["reason"] == "change_of_mind" and actions[-1]["amount"] == "30000.00"


async def test_an_english_return_outside_the_window_cites_the_policy(signed_in: Chat,
                                                                   articles: Store) -> None:
    await delivered_days_ago(signed_in, 45)
    reply = await signed_in.say(f"I changed my mind, I want to return order {DELIVERED}")
    assert "7-day window for change-of-mind returns" in reply
    assert "Returns and exchanges policy" in reply or "/articles/returns-policy" in reply
    assert "type 'agent'" in reply


async def test_a_cancel_refused_by_status_offers_a_return_and_cites_the_article(
        signed_in: Chat, articles: Store) -> None:
    reply = await signed_in.say(f"{DELIVERED} 주문 취소해 주세요")
    assert "취소할 수 없어요" in reply and "반품으로 진행할 수 있어요" in reply
    assert "/articles/order-cancel" in reply


async def test_a_policy_that_keeps_the_bot_from_cancelling_hands_off(
        signed_in: Chat, store: Store, session) -> None:
    ws = await session.get(Workspace, store.workspace_id)
    ws.settings = {**ws.settings, "store_policy": {"allowed": {"cancel": ["agent"]}}}
    await session.commit()
    reply = await signed_in.say(f"{PENDING} 주문 취소해 주세요")
    assert "챗봇이 처리할 수 없는" in reply and "상담원" in reply
    assert (await signed_in.conversation()).owner == "queued"
    assert await order_status(signed_in.session_factory, store.workspace_id, PENDING) == (
        "pending")


async def test_an_unknown_delivery_date_hands_off_instead_of_guessing(
        signed_in: Chat, store: Store) -> None:
    async with signed_in.session_factory() as session:
        order = await session.merge(await get_order(signed_in.session_factory,
                                                    store.workspace_id, DELIVERED))
        order.fulfillments = []
        await session.commit()
    reply = await signed_in.say(f"{DELIVERED} 교환하고 싶어요")
    assert "배송 완료일을 확인할 수 없어" in reply
    [note] = await signed_in.bot_messages(private=True)
    assert "배송 완료일 없음" in note.text
