"""One way in: every customer message is stored raw first, once, then taken by intake.

The widget (text and files) and the REST API's customer-authored messages store the request
in `channel_inbound_events` before intake, like webhooks and mail; a repeat (the same client
message id) stores nothing new and answers with the message the first copy stored.
"""

from __future__ import annotations

import json

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.events import OutboxEvent
from omnidesk.domains.conversations.models import PROCESSED, Conversation, InboundEvent, Message
from omnidesk.domains.inboxes.models import Inbox
from tests.conftest import Persona
from tests.web.widget_helpers import start_session, widget_headers


async def _raw_events(session: AsyncSession) -> list[InboundEvent]:
    session.expire_all()
    return list((await session.scalars(select(InboundEvent).order_by(InboundEvent.id))).all())


async def _count(session: AsyncSession, model: type, *where: object) -> int:
    return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def test_a_widget_message_is_stored_raw_once_then_taken_by_intake(
    client: httpx.AsyncClient, owner: Persona, session: AsyncSession
) -> None:
    visitor = await start_session(client, owner.slug)
    headers = widget_headers(owner.slug, visitor["token"])
    body = {"text": "배송이 언제 오나요?", "client_message_id": "widget-0001"}
    first = await client.post("/widget/api/messages", headers=headers, json=body)
    again = await client.post("/widget/api/messages", headers=headers, json=body)
    assert first.status_code == again.status_code == 201, again.text
    assert first.json()["id"] == again.json()["id"]

    [raw] = await _raw_events(session)
    web_inbox = await session.scalar(select(Inbox.id).where(
        Inbox.workspace_id == owner.workspace_id, Inbox.kind == "web"))
    assert (raw.workspace_id, raw.inbox_id, raw.channel, raw.kind, raw.status) == (
        owner.workspace_id, web_inbox, "web", "message", PROCESSED)
    assert raw.dedupe_key.endswith(":widget-0001") and raw.processed_at is not None
    assert json.loads(raw.raw_body) == body  # the request exactly as the visitor sent it
    assert "x-widget-token" not in raw.headers  # the visitor's credential is not kept
    assert raw.parsed["inbound"]["text"] == "배송이 언제 오나요?"
    message = await session.get(Message, first.json()["id"])
    assert message is not None and message.inbox_id == web_inbox
    assert await _count(session, Message, Message.text == body["text"]) == 1
    created = (await session.scalars(select(OutboxEvent.payload).where(
        OutboxEvent.name == "message.created"))).all()
    assert [p["message_id"] for p in created].count(message.id) == 1


async def test_a_widget_file_is_stored_raw_as_its_description_not_its_bytes(
    client: httpx.AsyncClient, owner: Persona, session: AsyncSession
) -> None:
    visitor = await start_session(client, owner.slug)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    sent = await client.post("/widget/api/attachments",
                             headers=widget_headers(owner.slug, visitor["token"]),
                             data={"client_message_id": "file-00001"},
                             files={"file": ("영수증.png", png, "image/png")})
    assert sent.status_code == 201, sent.text
    [raw] = await _raw_events(session)
    described = json.loads(raw.raw_body)
    assert described["client_message_id"] == "file-00001"
    assert described["attachment"]["name"] == "영수증.png" and png not in raw.raw_body
    assert raw.parsed["inbound"]["attachments"][0]["content_type"] == "image/png"


async def test_a_rest_api_customer_message_is_stored_raw_and_resolved_to_its_customer(
    client: httpx.AsyncClient, owner: Persona, session: AsyncSession
) -> None:
    customer = (await client.post("/api/v1/customers", headers=owner.headers, json={
        "name": "김민지", "email": "minji@example.com"})).json()
    other = (await client.post("/api/v1/customers", headers=owner.headers, json={
        "name": "박서준", "email": "sj@example.com"})).json()
    opened = await client.post("/api/v1/conversations", headers=owner.headers, json={
        "customer_id": customer["id"], "channel": "api", "message": "환불 문의드려요",
        "client_message_id": "open-1"})
    assert opened.status_code == 201, opened.text
    await client.post("/api/v1/conversations", headers=owner.headers, json={
        "customer_id": other["id"], "channel": "api", "message": "저도요"})
    url = f"/api/v1/conversations/{opened.json()['id']}/messages"
    body = {"text": "주문 취소해 주세요", "author_kind": "customer", "client_message_id": "c-1"}
    first = await client.post(url, headers=owner.headers, json=body)
    again = await client.post(url, headers=owner.headers, json=body)
    assert (first.status_code, again.status_code) == (201, 200), again.text
    assert first.json()["id"] == again.json()["id"]

    raws = await _raw_events(session)
    keys = [r.dedupe_key for r in raws]
    assert keys.count(f"api:{customer['id']}:open-1") == 1
    assert keys.count(f"api:{customer['id']}:c-1") == 1 and len(raws) == 3
    posted = next(r for r in raws if r.dedupe_key == f"api:{customer['id']}:c-1")
    assert json.loads(posted.raw_body) == body and posted.status == PROCESSED
    assert "authorization" not in posted.headers  # the API token is not kept
    message = await session.get(Message, first.json()["id"])
    assert message is not None and message.direction == "inbound"
    conv = await session.get(Conversation, message.conversation_id)
    assert conv is not None and conv.customer_id == customer["id"]  # not the other customer
    assert await _count(session, Message, Message.text == body["text"]) == 1


async def test_a_rest_api_customer_message_without_a_client_id_is_new_each_time(
    client: httpx.AsyncClient, owner: Persona, session: AsyncSession
) -> None:
    customer = (await client.post("/api/v1/customers", headers=owner.headers, json={
        "name": "이서연", "phone": "010-5555-1234"})).json()
    conv = (await client.post("/api/v1/conversations", headers=owner.headers, json={
        "customer_id": customer["id"], "channel": "api"})).json()
    url = f"/api/v1/conversations/{conv['id']}/messages"
    for _ in range(2):
        answer = await client.post(url, headers=owner.headers,
                                   json={"text": "네", "author_kind": "customer"})
        assert answer.status_code == 201, answer.text
    assert await _count(session, Message, Message.conversation_id == conv["id"]) == 2
    assert len(await _raw_events(session)) == 2


async def test_a_repeat_on_a_resolved_conversation_does_not_reopen_it(
    client: httpx.AsyncClient, owner: Persona, session: AsyncSession
) -> None:
    customer = (await client.post("/api/v1/customers", headers=owner.headers, json={
        "name": "최유나", "email": "yuna@example.com"})).json()
    conv = (await client.post("/api/v1/conversations", headers=owner.headers, json={
        "customer_id": customer["id"], "channel": "api"})).json()
    url = f"/api/v1/conversations/{conv['id']}/messages"
    body = {"text": "감사합니다", "author_kind": "customer", "client_message_id": "thanks-1"}
    assert (await client.post(url, headers=owner.headers, json=body)).status_code == 201
    resolved = await client.patch(f"/api/v1/conversations/{conv['id']}", headers=owner.headers,
                                  json={"status": "resolved"})
    assert resolved.json()["status"] == "resolved"
    repeat = await client.post(url, headers=owner.headers, json=body)
    assert repeat.status_code == 200
    now = (await client.get(f"/api/v1/conversations/{conv['id']}", headers=owner.headers)).json()
    assert now["status"] == "resolved"
    fresh = await client.post(url, headers=owner.headers,
                              json={**body, "client_message_id": "thanks-2"})
    assert fresh.status_code == 201
    reopened = (await client.get(f"/api/v1/conversations/{conv['id']}",
                                 headers=owner.headers)).json()
    assert reopened["status"] == "open"
