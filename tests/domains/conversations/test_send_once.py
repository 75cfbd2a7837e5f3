"""An agent's send carries an idempotency key: a double-click, a retry or a resend after a
reconnect stores (and delivers) one message, on both databases."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.events import OutboxEvent
from omnidesk.domains.conversations.models import Message
from tests.conftest import Persona


async def _conversation(client: httpx.AsyncClient, who: Persona, email: str) -> int:
    customer = (await client.post("/api/v1/customers", headers=who.headers, json={
        "name": "김민지", "email": email})).json()
    conv = await client.post("/api/v1/conversations", headers=who.headers, json={
        "customer_id": customer["id"], "channel": "api", "message": "환불 문의합니다"})
    assert conv.status_code == 201, conv.text
    return int(conv.json()["id"])


async def _stored(session: AsyncSession, text: str) -> tuple[int, int]:
    messages = await session.scalar(select(func.count()).select_from(Message)
                                    .where(Message.text == text))
    events = await session.scalar(select(func.count()).select_from(OutboxEvent).where(
        OutboxEvent.name == "message.created", OutboxEvent.payload["text"].as_string() == text))
    return int(messages or 0), int(events or 0)


async def test_a_reply_sent_again_with_its_key_is_stored_and_announced_once(
    client: httpx.AsyncClient, owner: Persona, session: AsyncSession
) -> None:
    conv_id = await _conversation(client, owner, "a@example.com")
    body = {"text": "환불 접수했습니다", "client_message_id": "k-1"}
    url = f"/api/v1/conversations/{conv_id}/messages"
    first = await client.post(url, headers=owner.headers, json=body)
    again = await client.post(url, headers=owner.headers, json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert await _stored(session, "환불 접수했습니다") == (1, 1)
    other = await client.post(url, headers=owner.headers,
                              json={"text": "환불 접수했습니다", "client_message_id": "k-2"})
    assert other.status_code == 201  # a new key is a new message, even with the same words


async def test_two_copies_of_one_send_racing_each_other_store_one_message(
    client: httpx.AsyncClient, owner: Persona, session: AsyncSession
) -> None:
    conv_id = await _conversation(client, owner, "b@example.com")
    url = f"/api/v1/conversations/{conv_id}/messages"
    body = {"text": "동시에 두 번 눌렀어요", "client_message_id": "race-1"}
    answers = await asyncio.gather(*(client.post(url, headers=owner.headers, json=body)
                                     for _ in range(3)))
    assert sorted(a.status_code for a in answers) == [200, 200, 201], [a.text for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1
    assert await _stored(session, "동시에 두 번 눌렀어요") == (1, 1)


async def test_a_key_reused_in_another_conversation_is_refused(
    client: httpx.AsyncClient, owner: Persona
) -> None:
    first, second = (await _conversation(client, owner, "c@example.com"),
                     await _conversation(client, owner, "d@example.com"))
    body = {"text": "안내드립니다", "client_message_id": "shared"}
    assert (await client.post(f"/api/v1/conversations/{first}/messages", headers=owner.headers,
                              json=body)).status_code == 201
    refused = await client.post(f"/api/v1/conversations/{second}/messages",
                                headers=owner.headers, json=body)
    assert refused.status_code == 409, refused.text
