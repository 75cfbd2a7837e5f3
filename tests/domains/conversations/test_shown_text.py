"""Message text as staff see it is masked by one rule: the REST API returns what the agent's
thread shows (card, RRN, phone masked, `pii_masked` set), search snippets too; the clear text only
through the logged reveal."""

from __future__ import annotations

import httpx
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.conversations.actions import do_receive_inbound
from omnidesk.domains.conversations.schemas import InboundMessage
from omnidesk.domains.privacy.models import PiiAccess
from omnidesk.domains.search.actions import do_index_new_messages
from tests.conftest import Persona
from tests.domains.assist.conftest import log_in

CARD, RRN, PHONE = "4111 1111 1111 1111", "900101-1234568", "010-2345-6789"
TEXT = f"환불 카드 {CARD} 주민번호 {RRN} 연락처 {PHONE} 입니다"
CLEAR = (CARD, RRN, PHONE, "4111111111111111", "01023456789")


async def _conversation(session: AsyncSession, owner: Persona) -> tuple[int, int]:
    message = await do_receive_inbound(session, workspace_id=owner.workspace_id,
                                       inbound=InboundMessage(
        channel="web", identity_kind="web_visitor", identity_value="v-shown", text=TEXT,
        customer_name="김민수"))
    await session.commit()
    return message.conversation_id, message.id


async def test_the_api_returns_message_text_masked_as_the_thread_shows_it(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    conv_id, message_id = await _conversation(session, owner)
    listed = await client.get(f"/api/v1/conversations/{conv_id}/messages", headers=owner.headers)
    assert listed.status_code == 200, listed.text
    [message] = [m for m in listed.json() if m["id"] == message_id]
    for value in CLEAR:
        assert value not in listed.text, value
    assert "010-****-6789" in message["text"] and message["pii_masked"] is True

    await log_in(client, owner.agent_email, owner.password)
    page = (await client.get(f"/conversations/{conv_id}")).text
    assert str(escape(message["text"])) in page  # the thread shows exactly the API's text
    await client.post(f"/api/v1/conversations/{conv_id}/messages", headers=owner.headers,
                      json={"text": f"번호 {PHONE} 맞으세요?"})
    listing = (await client.get("/inbox/list?view=all")).text  # the row's last-message preview
    assert f'data-conversation-id="{conv_id}"' in listing and "010-****-6789 맞으세요" in listing
    for value in CLEAR:
        assert value not in page and value not in listing, value


async def test_a_posted_reply_comes_back_masked_and_plain_text_unflagged(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    conv_id, _ = await _conversation(session, owner)
    url = f"/api/v1/conversations/{conv_id}/messages"
    reply = await client.post(url, headers=owner.headers,
                              json={"text": f"고객님 번호 {PHONE} 로 연락드릴게요"})
    assert reply.status_code == 201, reply.text
    assert PHONE not in reply.text and reply.json()["pii_masked"] is True
    plain = await client.post(url, headers=owner.headers, json={"text": "확인했습니다"})
    assert plain.json()["text"] == "확인했습니다" and plain.json()["pii_masked"] is False
    listed = (await client.get(url, headers=owner.headers)).json()
    assert [m["pii_masked"] for m in listed][-2:] == [True, False]


async def test_only_a_logged_reveal_shows_the_clear_text(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    conv_id, message_id = await _conversation(session, owner)
    url = f"/api/v1/conversations/{conv_id}/messages/{message_id}/reveal"
    assert (await client.post(url, headers=owner.headers, json={})).status_code == 422
    assert (await session.scalars(select(PiiAccess))).all() == []
    shown = await client.post(url, headers=owner.headers, json={"reason": "환불 본인 확인"})
    assert shown.status_code == 200, shown.text
    assert RRN in shown.json()["text"] and PHONE in shown.json()["text"]
    assert CARD not in shown.json()["text"]  # the card was never stored: nothing to reveal
    rows = (await session.scalars(select(PiiAccess))).all()
    assert [(r.action, r.message_id, r.reason) for r in rows] == [
        ("reveal", message_id, "환불 본인 확인")]


async def test_search_snippets_are_masked_too(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    conv_id, _ = await _conversation(session, owner)
    await do_index_new_messages(session)
    await session.commit()
    found = await client.get("/api/v1/search", headers=owner.headers, params={"q": "환불"})
    assert found.status_code == 200, found.text
    hits = found.json()["conversations"]
    assert [h["conversation_id"] for h in hits] == [conv_id]
    assert "010-****-6789" in hits[0]["snippet"]
    for value in CLEAR:
        assert value not in found.text, value


async def test_a_note_that_mentions_a_colleague_is_masked_on_their_mentions_page(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    conv_id, _ = await _conversation(session, owner)
    note = await client.post(f"/api/v1/conversations/{conv_id}/messages", headers=owner.headers,
                             json={"text": f"@에이전트 이 번호 {PHONE} 확인해 주세요",
                                   "is_private": True})
    assert note.status_code == 201, note.text
    await log_in(client, owner.agent_email, owner.password)
    page = (await client.get("/mentions")).text
    assert "010-****-6789" in page and PHONE not in page


async def test_a_conversation_subject_is_masked_in_the_api(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    customer = await client.post("/api/v1/customers", headers=owner.headers, json={"name": "이수"})
    opened = await client.post("/api/v1/conversations", headers=owner.headers, json={
        "customer_id": customer.json()["id"], "subject": f"회신 번호 {PHONE}"})
    assert opened.status_code == 201, opened.text
    read = await client.get(f"/api/v1/conversations/{opened.json()['id']}", headers=owner.headers)
    listed = await client.get("/api/v1/conversations", headers=owner.headers)
    assert read.json()["subject"] == "회신 번호 010-****-6789"
    for response in (opened, read, listed):
        assert PHONE not in response.text
