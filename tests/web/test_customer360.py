"""The customer 360 and assist panels as the agent workspace loads them (HTMX fragments)."""

from __future__ import annotations

import datetime as dt
import re

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.demo.loader import DEMO_PASSWORD
from omnidesk.domains.agents.models import User
from omnidesk.domains.assist.recognition import RECENT_ISSUE_DAYS
from omnidesk.domains.conversations.models import Conversation, ConversationLabel
from omnidesk.domains.privacy.models import PiiAccess
from tests.conftest import Persona
from tests.demo_cache import loaded_demo
from tests.domains.assist.conftest import Returning, log_in, seed_returning

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
async def returning(session: AsyncSession, owner: Persona) -> Returning:
    """The seeded returning customer of the owner's workspace."""
    return await seed_returning(session, owner)


async def test_the_panel_recognizes_the_customer_with_data_masked(
        client: httpx.AsyncClient, owner: Persona, returning: Returning) -> None:
    url = f"/conversations/{returning.current_id}/panel/customer360"
    assert (await client.get(url)).status_code == 401
    await log_in(client, owner.agent_email, owner.password)
    panel = await client.get(url)
    assert panel.status_code == 200
    html = panel.text
    for expected in ("김민지", "골드", "지난 문의", "배송 지연", "C 설치 상품", "HB2", "결제완료",
                     "카카오톡", "재방문 고객", 'hx-post="/customers/', 'name="csrf"'):
        assert expected in html, expected
    assert "010-1234-5678" not in html and "minji@example.com" not in html
    assert "style=" not in html  # the CSP forbids inline styles: the tier bar is a <progress>
    assert re.search(r'<progress class="c360-progress" max="100" value="\d+">', html)


async def test_reveal_needs_the_csrf_token_and_is_logged(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        returning: Returning) -> None:
    csrf = await log_in(client, owner.agent_email, owner.password)
    url = f"/customers/{returning.customer_id}/reveal"
    assert (await client.post(url, data={"reason": "배송 문의"})).status_code == 400
    shown = await client.post(url, data={"reason": "배송 문의", "csrf": csrf},
                              headers={"HX-Request": "true"})
    assert shown.status_code == 200
    assert "010-1234-5678" in shown.text and "열람 기록이 남았습니다" in shown.text
    entry = await session.scalar(select(PiiAccess).where(PiiAccess.action == "reveal"))
    assert entry.actor_id == owner.agent.user_id and entry.reason == "배송 문의"


async def test_the_assist_panel_in_the_agents_language(
        client: httpx.AsyncClient, owner: Persona, returning: Returning) -> None:
    await log_in(client, owner.agent_email, owner.password)
    url = f"/conversations/{returning.current_id}/panel/assist"
    korean = (await client.get(url, params={"draft": "고객님 탓이에요"})).text
    assert "맞춤 인사말" in korean and "안녕하세요, 한빛리빙입니다" in korean
    assert "주문 HB2이(가) 아직 결제완료 상태입니다" in korean and "고객을 탓하는 표현" in korean
    english = (await client.get(url, params={"locale": "en"})).text
    assert "Personal greeting" in english and "Next best action" in english
    assert "안녕하세요, 한빛리빙입니다" in english  # the customer speaks Korean
    # While the agent types, the reply box arrives as `text` and the warnings follow it.
    typing = (await client.get(url, params={"text": "고객님 탓이에요"})).text
    assert "고객을 탓하는 표현" in typing


async def test_another_workspaces_conversation_is_not_found(
        client: httpx.AsyncClient, owner: Persona, outsider: Persona,
        returning: Returning) -> None:
    csrf = await log_in(client, outsider.agent_email, outsider.password)
    for path in ("customer360", "assist"):
        answer = await client.get(f"/conversations/{returning.current_id}/panel/{path}")
        assert answer.status_code == 404 and "c360-error" in answer.text
    reveal = await client.post(f"/customers/{returning.customer_id}/reveal",
                               data={"csrf": csrf})
    assert reveal.status_code == 404


async def _repeat_contacts(session: AsyncSession, workspace_id: int) -> list[Conversation]:
    """Return the latest two repeat-contact conversations in each language (any status) whose
    customer's previous contact is recent enough to mention. The demo is generated relative to
    today over four months, so which ones qualify depends on the day the tests run."""
    rows = await session.scalars(
        select(Conversation).join(ConversationLabel)
        .where(Conversation.workspace_id == workspace_id,
               ConversationLabel.label == "repeat-contact")
        .order_by(Conversation.id.desc()))
    now = dt.datetime.now(dt.UTC)
    recent = []
    for conv in rows.all():
        previous = await session.scalar(
            select(func.max(Conversation.created_at))
            .where(Conversation.customer_id == conv.customer_id, Conversation.id != conv.id))
        if previous is not None and (now - _aware(previous)).days <= RECENT_ISSUE_DAYS:
            recent.append(conv)
    return [c for lang in ("ko", "en") for c in [c for c in recent if c.language == lang][:2]]


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


async def test_demo_returning_customers_are_recognized_in_korean_and_english(
        client: httpx.AsyncClient, session: AsyncSession) -> None:
    demo = await loaded_demo(session, "extras")  # no reports
    report = demo.report
    assert "16 canned responses" in demo.summary
    agent = await session.scalar(select(User).where(User.workspace_id == report.workspace_id,
                                                    User.role == "agent"))
    convs = await _repeat_contacts(session, report.workspace_id)
    assert {c.language for c in convs} == {"ko", "en"}, "the demo has recent repeat contacts"
    await log_in(client, agent.email, DEMO_PASSWORD)
    for conv in convs:
        panel = (await client.get(f"/conversations/{conv.id}/panel/customer360")).text
        assert "지난 문의" in panel and "누적 구매" in panel and "주문 (" in panel
        assist = (await client.get(f"/conversations/{conv.id}/panel/assist",
                                   params={"locale": "en"})).text
        greeting = re.search(r'c360-greeting.*?data-insert="[^"]*"[^>]*lang="(ko|en)">([^<]+)<', assist,
                             re.DOTALL)
        assert greeting and greeting.group(1) == conv.language
        text = greeting.group(2)
        assert ("지난번" in text) if conv.language == "ko" else ("last time" in text), text
        assert "Hanbit Living" in text or "한빛리빙" in text
        assert "Suggested replies" in assist and "c360-suggest" in assist
