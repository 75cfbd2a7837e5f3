"""Agents see what the bot understood on each bot turn and can hand a conversation back to it."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.conversations.actions import do_add_message
from omnidesk.domains.conversations.models import Conversation
from tests.conftest import Persona
from tests.web.test_workspace_pages import _conversation, _login

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


async def test_a_bot_turn_shows_its_intent_confidence_and_source(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    conv_id = await _conversation(session, owner, "배송 언제 와요?")
    conv = await session.get(Conversation, conv_id)
    await do_add_message(session, conv=conv, text="주문하신 상품은 내일 도착 예정이에요.",
                         author_kind="bot", meta={"bot": {"intent": "order_status",
                                                          "confidence": 0.87,
                                                          "source": "flow"}})
    await session.commit()
    await _login(client, owner)
    page = await client.get(f"/conversations/{conv_id}")
    assert "order_status" in page.text and "87%" in page.text and 'class="bot-trace"' in page.text


async def test_an_agent_returns_a_conversation_to_the_bot(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    conv_id = await _conversation(session, owner, "상담원 연결해 주세요")
    conv = await session.get(Conversation, conv_id)
    conv.owner, conv.assignee_id = "agent", owner.agent.user_id
    await session.commit()
    token = await _login(client, owner)
    refused = await client.post(f"/conversations/{conv_id}/return-to-bot")
    assert refused.status_code == 403
    back = await client.post(f"/conversations/{conv_id}/return-to-bot",
                             headers={"X-CSRF-Token": token})
    assert back.status_code == 200 and "owner-bot" in back.text
    await session.refresh(conv)
    assert conv.owner == "bot" and conv.assignee_id is None
    again = await client.post(f"/conversations/{conv_id}/return-to-bot",
                              headers={"X-CSRF-Token": token})
    assert again.status_code == 409
