"""The conversation timeline: activity lines among the messages (a transfer with its note and
summary, resolve, reopen), live lines after an event id, and resolve with a closing message
that warns when the customer's last message is unanswered."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.agents.actions import do_create_user
from omnidesk.domains.agents.schemas import UserCreate
from omnidesk.domains.conversations.models import Message
from tests.conftest import Persona
from tests.web.test_workspace_pages import _conversation, _login

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


async def test_a_transfer_with_a_note_and_a_resolve_show_as_lines_in_the_thread(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    colleague = await do_create_user(session, actor=owner.admin, user_in=UserCreate(
        email="jiwoo@acme.example", name="지우", password="correct horse battery", role="agent"))
    await session.commit()
    conv_id = await _conversation(session, owner, "주문한 냉장고 설치 날짜를 바꾸고 싶어요")
    token = await _login(client, owner)
    headers = {"X-CSRF-Token": token}
    await client.post(f"/conversations/{conv_id}/assign", headers=headers,
                      data={"assignee_id": str(owner.agent.user_id)})
    page = (await client.get(f"/conversations/{conv_id}")).text
    last = int(re.search(r'data-last-event-id="(\d+)"', page).group(1))  # type: ignore[union-attr]
    moved = await client.post(f"/conversations/{conv_id}/assign", headers=headers, data={
        "assignee_id": str(colleague.id), "note": "설치 기사님 일정은 내일 확인돼요"})
    assert moved.status_code == 200
    live = (await client.get(f"/conversations/{conv_id}/activity?after={last}")).text
    assert live.count('class="activity ') == 1
    assert "에이전트 님에게서 지우 님에게 넘겼습니다" in live
    assert "설치 기사님 일정은 내일 확인돼요" in live
    assert "냉장고 설치 날짜" in live  # the summary of what the conversation is about
    page = (await client.get(f"/conversations/{conv_id}")).text
    customer_line = page.index("냉장고 설치 날짜를")
    assert customer_line < page.index("activity-assigned") < page.index("activity-transferred")


async def test_a_note_typed_after_picking_the_colleague_follows_the_transfer(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    # The assignee select submits as soon as it changes: an agent who picks the colleague first
    # transfers without the note, then types it and presses Enter (the same assignee again).
    colleague = await do_create_user(session, actor=owner.admin, user_in=UserCreate(
        email="jiwoo@acme.example", name="지우", password="correct horse battery", role="agent"))
    await session.commit()
    conv_id = await _conversation(session, owner, "소파 배송일을 당겨 주실 수 있나요?")
    token = await _login(client, owner)
    headers = {"X-CSRF-Token": token}
    await client.post(f"/conversations/{conv_id}/assign", headers=headers,
                      data={"assignee_id": str(owner.agent.user_id)})
    await client.post(f"/conversations/{conv_id}/assign", headers=headers,
                      data={"assignee_id": str(colleague.id)})
    page = (await client.get(f"/conversations/{conv_id}")).text
    last = int(re.search(r'data-last-event-id="(\d+)"', page).group(1))  # type: ignore[union-attr]
    noted = await client.post(f"/conversations/{conv_id}/assign", headers=headers, data={
        "assignee_id": str(colleague.id), "note": "물류팀에 당일 배송 가능 여부 문의해 두었어요"})
    assert noted.status_code == 200
    live = (await client.get(f"/conversations/{conv_id}/activity?after={last}")).text
    assert live.count('class="activity ') == 1  # the note, not a transfer to the same person
    assert "지우 님에게 메모를 남겼습니다" in live and "넘겼습니다" not in live
    assert "물류팀에 당일 배송 가능 여부 문의해 두었어요" in live
    again = await client.post(f"/conversations/{conv_id}/assign", headers=headers,
                              data={"assignee_id": str(colleague.id)})
    assert again.status_code == 200
    after = (await client.get(f"/conversations/{conv_id}/activity?after={last}")).text
    assert after.count('class="activity ') == 1  # the same hands without a note: nothing


async def test_resolve_warns_about_an_unanswered_customer_and_can_send_the_closing_message(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    conv_id = await _conversation(session, owner, "환불은 언제 되나요?")
    token = await _login(client, owner)
    headers = {"X-CSRF-Token": token}
    page = (await client.get(f"/conversations/{conv_id}")).text
    assert "고객의 마지막 메시지에 아직 답하지 않았습니다" in page
    closing = re.search(r'<textarea name="closing"[^>]*>([^<]+)</textarea>', page)
    assert closing and closing.group(1).strip()  # the 알아주기 closing line, ready to send
    done = await client.post(f"/conversations/{conv_id}/resolve", headers=headers, data={
        "closing": "문의 주셔서 감사합니다. 좋은 하루 보내세요!", "send_closing": "1"})
    assert done.status_code == 200 and "st-resolved" in done.text
    sent = await session.scalar(select(func.count()).select_from(Message).where(
        Message.conversation_id == conv_id, Message.author_kind == "agent",
        Message.text == "문의 주셔서 감사합니다. 좋은 하루 보내세요!"))
    assert sent == 1
    page = (await client.get(f"/conversations/{conv_id}?status=resolved")).text
    assert "대화를 해결했습니다" in page

    answered = await _conversation(session, owner, "감사합니다")
    await client.post(f"/conversations/{answered}/messages", headers=headers,
                      data={"text": "네, 도와드릴게요", "mode": "reply"})
    page = (await client.get(f"/conversations/{answered}")).text
    assert "아직 답하지 않았습니다" not in page and 'id="resolve-button" hx-post' in page
    quiet = await client.post(f"/conversations/{answered}/resolve", headers=headers,
                              data={"closing": "안녕히 계세요", "send_closing": ""})
    assert quiet.status_code == 200 and "st-resolved" in quiet.text
    assert await session.scalar(select(func.count()).select_from(Message).where(
        Message.text == "안녕히 계세요")) == 0
