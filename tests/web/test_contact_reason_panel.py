"""The agent sees the contact reason predicted from behaviour, with its confidence, in the
conversation's customer panel."""

from __future__ import annotations

import re

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import utcnow
from omnidesk.domains.conversations.models import Conversation
from omnidesk.domains.engagement.actions import do_train_contact_reason_model
from tests.conftest import Persona
from tests.domains.assist.conftest import log_in
from tests.domains.engagement.test_prediction import customer_with, hand_built_history


async def _conversation_after(session: AsyncSession, ws: int, trail: str) -> int:
    customer = await customer_with(session, ws, "김민지", trail, utcnow(), None)
    conv = Conversation(workspace_id=ws, customer_id=customer.id, channel="web", status="open")
    session.add(conv)
    await session.commit()
    return conv.id


async def test_the_panel_shows_the_predicted_reason_with_its_confidence(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    ws = owner.workspace_id
    await hand_built_history(session, ws)
    await do_train_contact_reason_model(session, workspace_id=ws)
    conv_id = await _conversation_after(session, ws, "delivery_delay")
    await log_in(client, owner.agent_email, owner.password)

    panel = await client.get(f"/conversations/{conv_id}/panel/customer360?locale=ko")
    assert panel.status_code == 200
    section = panel.text.split('class="c360-section c360-guess')[1].split("</section>")[0]
    assert 'data-intent="delivery_delay"' in section and "예상 문의 사유" in section
    found = re.search(r"<strong>배송 지연</strong> · 신뢰도 <strong class=\"c360-guess-pct\">"
                      r"(\d+)%</strong>", section)
    assert found and 50 <= int(found[1]) <= 100, section
    assert "확신 낮음" not in section and "다음 후보" in section and "모델 v1" in section

    english = await client.get(f"/conversations/{conv_id}/panel/customer360?locale=en")
    assert re.search(r"<strong>delivery delay</strong> · confidence <strong[^>]*>\d+%",
                     english.text) and "Likely reason" in english.text


async def test_without_a_trained_model_the_panel_shows_no_guess(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    conv_id = await _conversation_after(session, owner.workspace_id, "payment_error")
    await log_in(client, owner.agent_email, owner.password)
    panel = await client.get(f"/conversations/{conv_id}/panel/customer360")
    assert panel.status_code == 200 and "c360-guess" not in panel.text
