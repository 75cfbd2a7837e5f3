"""A workspace with the formal tone gets 합쇼체 in Korean and formal English, in every reply."""

from __future__ import annotations

import re

import pytest

from omnidesk.domains.workspaces.actions import do_create_workspace
from omnidesk.domains.workspaces.schemas import WorkspaceCreate

from .conftest import (
    DELIVERED,
    PENDING,
    PROCESSED,
    Chat,
    add_product,
    make_store,
    order_status,
    window_greeting,
)

HAEYO_ENDING = re.compile(r"[가-힣]요(?:[.?!,]|\s|$)")
CONTRACTION = re.compile(r"[A-Za-z]'(?:s|t|ll|re|ve|m|d)\b")


@pytest.fixture
async def formal(session, session_factory) -> Chat:
    """A signed-in customer of a workspace whose bot speaks formally."""
    ws = await do_create_workspace(session, workspace_in=WorkspaceCreate(slug="formal",
                                                                         name="Formal"))
    await make_store(session, ws.id, bot={"tone": "formal"})
    return Chat(session_factory, ws.id, ("user_id", "u-minji", True))


def _haeyo(reply: str) -> list[str]:
    return HAEYO_ENDING.findall(re.sub(r"'[^']*'", "", reply))


async def test_a_formal_workspace_greets_and_cancels_in_hasipsio_style(formal: Chat) -> None:
    first = await formal.say(f"{PENDING} 주문 취소해 주세요")
    greeting = await window_greeting(formal.session_factory, formal.workspace_id, "ko")
    assert "안녕하십니까, Formal 챗봇입니다" in greeting and "도와드리겠습니다" in greeting
    assert "안녕하십니까" not in first  # the chat window greets; the bot does not greet twice
    assert "취소하시는 사유를 말씀해 주십시오" in first
    confirm = await formal.say("실수로 주문했어요")
    assert "취소하시겠습니까?" in confirm and "답해 주십시오" in confirm
    done = await formal.say("네")
    assert "주문 HB2026111900123을 취소했습니다" in done and "반영됩니다" in done
    for reply in (first, confirm, done):
        assert not _haeyo(reply), reply
    assert await order_status(formal.session_factory, formal.workspace_id, PENDING) == (
        "cancelled")


async def test_a_formal_workspace_answers_english_without_contractions(formal: Chat) -> None:
    first = await formal.say(f"Where is my order {PROCESSED}?")
    greeting = await window_greeting(formal.session_factory, formal.workspace_id, "en")
    assert "Hello, this is the Formal bot" in greeting and "Please type 'agent'" in greeting
    assert "Hello" not in first
    assert "It was placed on" in first
    await add_product(formal.session_factory, formal.workspace_id, "P-VAC", "Vacuum", {
        f"{DELIVERED}-1": {"options": {"color": "gray"}, "price": 390000, "available": True},
        "VAC-NAVY": {"options": {"color": "navy"}, "price": 420000, "available": True}})
    await formal.say(f"I would like to exchange an item from order {DELIVERED}")
    ask = await formal.say("1")
    assert "Please reply with its number or the option" in ask
    confirm = await formal.say("navy")
    assert "Would you like us to open the following exchange" in confirm
    assert "will be charged to your original payment method (credit card)" in confirm
    done = await formal.say("yes")
    assert "We have opened your exchange" in done
    for reply in (first, ask, confirm, done):
        assert not CONTRACTION.search(reply), reply
