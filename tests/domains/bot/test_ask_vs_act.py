"""Ask vs act: questions about a rule get the help-center article; status answers give dates.

The demo help center's refund, return, exchange and cancel articles are imported; a question
about them must not start a task flow (no order number asked), while a request to act still does.
"""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from omnidesk.core.context import system_actor
from omnidesk.demo import knowledge as kb_demo
from omnidesk.domains.commerce.models import Order, OrderItem
from omnidesk.domains.knowledge.io.importing import import_markdown_folder
from omnidesk.domains.workspaces.models import Workspace

from .conftest import DELIVERED, Chat, Store

ARTICLES = ("refund-timeline.md", "returns-policy.md", "exchange-how-to.md", "order-cancel.md",
            "returns-how-to.md", "delivery-fee.md")
INSTALL = "HB2026112800555"


@pytest.fixture
async def kb(session, store: Store, tmp_path: Path) -> Store:
    """Import the demo store's policy articles (ko + en) and a fridge order awaiting install."""
    for locale in ("ko", "en"):
        (tmp_path / locale).mkdir()
        for name in ARTICLES:
            if (kb_demo.DEMO_FOLDER / locale / name).exists():
                shutil.copy(kb_demo.DEMO_FOLDER / locale / name, tmp_path / locale / name)
    await import_markdown_folder(session, actor=system_actor(store.workspace_id), folder=tmp_path)
    ws = await session.get(Workspace, store.workspace_id)
    # A handful of articles make BM25 scores small; the default bar is tuned on the full KB.
    ws.settings = {**ws.settings, "bot": {**ws.settings["bot"], "answer_min_score": 0.1}}
    slot_day = dt.date.today() + dt.timedelta(days=4)
    session.add(Order(
        workspace_id=store.workspace_id, external_id=INSTALL, customer_id=store.customer_id,
        status="processed", total=Decimal(2390000), currency="KRW",
        items=[OrderItem(workspace_id=store.workspace_id, name="양문형 냉장고 832L",
                         price=Decimal(2390000), needs_installation=True)],
        payments=[{"method": "card", "transaction_type": "payment"}],
        placed_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=2),
        fulfillments=[{"type": "shipment", "shipped_at": dt.date.today().isoformat()},
                      {"type": "installation", "installation": {
                          "date": slot_day.isoformat(), "time_slot": "오후 1시~5시",
                          "status": "scheduled", "crew": "수도권1팀"}}]))
    await session.commit()
    return store


async def _asked_nothing_of_the_order(chat: Chat) -> None:
    conv = await chat.conversation()
    assert (conv.attributes or {}).get("bot", {}).get("flow") is None
    assert not await chat.events("bot_action")


@pytest.mark.parametrize("question", ["환불 규정이 어떻게 되나요?", "반품 기준이 뭐예요?"])
async def test_a_korean_question_about_refunds_gets_the_policy_article(
        visitor: Chat, kb: Store, question: str) -> None:
    reply = await visitor.say(question)
    assert "/articles/" in reply and "주문번호와 주문하실 때" not in reply
    [message] = await visitor.bot_messages()
    assert message.meta["bot"]["source"].startswith("kb_")
    assert set(message.meta["bot"]["citations"]) & {"refund-timeline", "returns-policy"}
    await _asked_nothing_of_the_order(visitor)


async def test_how_to_exchange_is_answered_not_started(visitor: Chat, kb: Store) -> None:
    reply = await visitor.say("교환은 어떻게 해요?")
    assert "/articles/exchange-how-to" in reply and "주문번호와 함께" in reply  # offers to act
    await _asked_nothing_of_the_order(visitor)


async def test_an_english_policy_question_is_answered_from_the_help_center(
        visitor: Chat, kb: Store) -> None:
    reply = await visitor.say("What's your refund policy?")
    assert "/articles/" in reply and "order number and the phone" not in reply
    await _asked_nothing_of_the_order(visitor)


async def test_a_request_to_act_still_starts_the_flow(visitor: Chat, kb: Store) -> None:
    reply = await visitor.say("반품하고 싶어요")
    assert "주문번호" in reply and "휴대폰" in reply
    assert (await visitor.conversation()).attributes["bot"]["flow"] == "return_request"


async def test_when_the_installer_comes_is_answered_with_the_slot(signed_in: Chat,
                                                                  kb: Store) -> None:
    asked = await signed_in.say("설치 기사님은 언제 오시나요?")
    assert "주문번호" in asked and "죄송" not in asked
    reply = await signed_in.say(INSTALL)
    slot_day = dt.date.today() + dt.timedelta(days=4)
    assert f"설치 예정: {slot_day.month}월 {slot_day.day}일 오후 1시~5시" in reply
    assert "발송일" in reply


async def test_an_english_status_answer_gives_delivery_and_installation_dates(
        signed_in: Chat, kb: Store) -> None:
    reply = await signed_in.say(f"When is the technician coming to install order {INSTALL}?")
    assert "Installation:" in reply and "1시~5시" in reply
    delivered = await signed_in.say(f"Where is my order {DELIVERED}?")
    assert "Delivered:" in delivered and "Shipped:" in delivered
