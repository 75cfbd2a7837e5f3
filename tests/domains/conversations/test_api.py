"""The HTTP API: customers, conversations and messages, pagination, errors and isolation."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.events import OutboxEvent
from omnidesk.domains.conversations.models import Conversation, Message
from tests.conftest import Persona


async def _customer(client: httpx.AsyncClient, who: Persona, **fields: object) -> dict:
    body = {"name": "김민지", "email": "minji@example.com", "phone": "010-1234-5678", **fields}
    response = await client.post("/api/v1/customers", json=body, headers=who.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_customer_is_found_by_name_email_or_phone(
    client: httpx.AsyncClient, owner: Persona
) -> None:
    created = await _customer(client, owner)
    assert created["phone"] == "+821*****5678" and created["pii_masked"] is True  # shown masked
    clear = await client.post(f"/api/v1/customers/{created['id']}/reveal", headers=owner.headers,
                              json={"fields": ["phone", "identities"], "reason": "test"})
    assert clear.json()["phone"] == "+821012345678"  # stored normalised (E.164)
    assert {(i["kind"], i["value"]) for i in clear.json()["identities"]} == {
        ("email", "minji@example.com"), ("phone", "+821012345678")}
    for q in ("민지", "MINJI@example", "1234-5678", "+8210 1234 5678"):
        found = await client.get("/api/v1/customers", params={"q": q}, headers=owner.headers)
        assert [c["id"] for c in found.json()["items"]] == [created["id"]], q
    none = await client.get("/api/v1/customers", params={"q": "nobody"}, headers=owner.headers)
    assert none.json()["items"] == []


async def test_a_conversation_records_first_response_and_resolution(
    client: httpx.AsyncClient, owner: Persona
) -> None:
    customer = await _customer(client, owner)
    conv = (await client.post("/api/v1/conversations", headers=owner.headers, json={
        "customer_id": customer["id"], "channel": "api", "message": "배송이 언제 오나요?",
        "labels": ["배송"]})).json()
    assert conv["status"] == "open" and conv["labels"] == ["배송"]
    assert conv["first_customer_message_at"] and conv["first_response_at"] is None

    note = await client.post(f"/api/v1/conversations/{conv['id']}/messages",
                             headers=owner.headers, json={"text": "VIP 고객", "is_private": True})
    assert note.json()["direction"] == "internal"
    reply = await client.post(f"/api/v1/conversations/{conv['id']}/messages",
                              headers=owner.headers, json={"text": "내일 도착 예정입니다."})
    assert reply.status_code == 201
    resolved = await client.patch(f"/api/v1/conversations/{conv['id']}", headers=owner.headers,
                                  json={"status": "resolved"})
    body = resolved.json()
    assert body["first_response_at"] and body["resolved_at"] and body["status"] == "resolved"

    events = (await client.get(f"/api/v1/conversations/{conv['id']}/events",
                               headers=owner.headers)).json()
    assert [e["kind"] for e in events] == ["created", "first_response", "resolved"]
    messages = (await client.get(f"/api/v1/conversations/{conv['id']}/messages",
                                 headers=owner.headers)).json()
    assert [m["author_kind"] for m in messages] == ["customer", "agent", "agent"]
    assert [m["is_private"] for m in messages] == [False, True, False]


async def test_conversations_filter_and_paginate_with_a_cursor(
    client: httpx.AsyncClient, owner: Persona
) -> None:
    customer = await _customer(client, owner)
    ids = []
    for n in range(5):
        conv = await client.post("/api/v1/conversations", headers=owner.headers, json={
            "customer_id": customer["id"], "channel": "email" if n % 2 else "sms",
            "labels": ["vip"] if n == 3 else [], "priority": "high" if n == 4 else "normal"})
        ids.append(conv.json()["id"])
    await client.patch(f"/api/v1/conversations/{ids[0]}", headers=owner.headers,
                       json={"assignee_id": owner.agent.user_id})

    seen, cursor = [], None
    while True:
        page = (await client.get("/api/v1/conversations", headers=owner.headers,
                                 params={"limit": 2, **({"cursor": cursor} if cursor else {})}
                                 )).json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == sorted(ids, reverse=True)

    async def ids_for(**params: object) -> list[int]:
        page = await client.get("/api/v1/conversations", headers=owner.headers, params=params)
        assert page.status_code == 200, page.text
        return sorted(c["id"] for c in page.json()["items"])

    assert await ids_for(channel="email") == [ids[1], ids[3]]
    assert await ids_for(label="vip") == [ids[3]]
    assert await ids_for(priority="high") == [ids[4]]
    assert await ids_for(assignee=str(owner.agent.user_id)) == [ids[0]]
    assert await ids_for(assignee="none") == ids[1:]


async def test_bad_input_gets_a_clear_4xx(client: httpx.AsyncClient, owner: Persona) -> None:
    cases = [
        ("post", "/api/v1/customers", {"email": "not-an-email"}, 422),
        ("post", "/api/v1/customers", {"phone": "12"}, 422),
        ("post", "/api/v1/conversations", {"customer_id": 999999}, 404),
        ("get", "/api/v1/conversations?status=closed", None, 422),
        ("get", "/api/v1/conversations?cursor=%%%", None, 422),
        ("patch", "/api/v1/conversations/999999", {"status": "resolved"}, 404),
        ("post", "/api/v1/users", {"email": "x@example.com", "name": "X", "role": "god"}, 422),
    ]
    for method, url, body, status in cases:
        response = await client.request(method, url, json=body, headers=owner.headers)
        assert response.status_code == status, (url, response.text)
        assert response.json()["message"], url
    unauth = await client.get("/api/v1/conversations")
    assert unauth.status_code == 401
    wrong = await client.get("/api/v1/conversations", headers={"Authorization": "Bearer od_x"})
    assert wrong.status_code == 401


async def test_an_agent_token_cannot_manage_users(
    client: httpx.AsyncClient, owner: Persona
) -> None:
    created = await client.post("/api/v1/api-tokens", headers=owner.headers,
                                json={"name": "agent bot", "role": "agent"})
    token = created.json()["token"]
    response = await client.post(
        "/api/v1/users", headers={"Authorization": f"Bearer {token}"},
        json={"email": "new@acme.example", "name": "New"})
    assert response.status_code == 403


async def test_a_token_of_one_workspace_gets_404_for_every_object_of_another(
    client: httpx.AsyncClient, owner: Persona, outsider: Persona
) -> None:
    customer = await _customer(client, outsider)
    conv = (await client.post("/api/v1/conversations", headers=outsider.headers, json={
        "customer_id": customer["id"], "message": "hello"})).json()
    team = (await client.post("/api/v1/teams", headers=outsider.headers,
                              json={"name": "Globex team"})).json()
    token_id = (await client.get("/api/v1/api-tokens", headers=outsider.headers)).json()[0]["id"]
    urls = [
        ("get", f"/api/v1/customers/{customer['id']}", None),
        ("patch", f"/api/v1/customers/{customer['id']}", {"name": "x"}),
        ("post", f"/api/v1/customers/{customer['id']}/identities",
         {"kind": "kakao", "value": "k1"}),
        ("get", f"/api/v1/conversations/{conv['id']}", None),
        ("patch", f"/api/v1/conversations/{conv['id']}", {"status": "resolved"}),
        ("get", f"/api/v1/conversations/{conv['id']}/messages", None),
        ("post", f"/api/v1/conversations/{conv['id']}/messages", {"text": "hi"}),
        ("get", f"/api/v1/conversations/{conv['id']}/events", None),
        ("get", f"/api/v1/users/{outsider.agent.user_id}", None),
        ("patch", f"/api/v1/users/{outsider.agent.user_id}", {"name": "x"}),
        ("get", f"/api/v1/teams/{team['id']}", None),
        ("patch", f"/api/v1/teams/{team['id']}", {"name": "x"}),
        ("delete", f"/api/v1/api-tokens/{token_id}", None),
        ("post", "/api/v1/conversations", {"customer_id": customer["id"]}),
    ]
    for method, url, body in urls:
        response = await client.request(method, url, json=body, headers=owner.headers)
        assert response.status_code == 404, (method, url, response.text)
    lists = ["/api/v1/customers", "/api/v1/conversations"]
    for url in lists:
        assert (await client.get(url, headers=owner.headers)).json()["items"] == []
    assert (await client.get(f"/api/v1/conversations/{conv['id']}",
                             headers=outsider.headers)).status_code == 200


async def test_a_customer_message_repeated_with_its_client_id_is_stored_once(
    client: httpx.AsyncClient, owner: Persona, session: AsyncSession
) -> None:
    customer = await _customer(client, owner)
    other = await _customer(client, owner, name="박서준", email="sj@example.com", phone=None)
    conv = (await client.post("/api/v1/conversations", headers=owner.headers, json={
        "customer_id": customer["id"], "channel": "api", "message": "안녕하세요"})).json()
    await client.post("/api/v1/conversations", headers=owner.headers,
                      json={"customer_id": other["id"], "channel": "api", "message": "저도요"})
    body = {"text": "주문 취소해 주세요", "author_kind": "customer", "client_message_id": "c-1"}
    url = f"/api/v1/conversations/{conv['id']}/messages"
    first = await client.post(url, headers=owner.headers, json=body)
    again = await client.post(url, headers=owner.headers, json=body)
    assert (first.status_code, again.status_code) == (201, 200), again.text
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["conversation_id"] == conv["id"]
    assert first.json()["direction"] == "inbound"
    stored = (await session.scalars(select(Message).where(
        Message.text == "주문 취소해 주세요"))).all()
    assert [(m.id, m.conversation_id) for m in stored] == [(first.json()["id"], conv["id"])]
    owner_of = await session.scalar(select(Conversation.customer_id).where(
        Conversation.id == conv["id"]))
    assert owner_of == customer["id"]
    created = (await session.scalars(select(OutboxEvent.payload).where(
        OutboxEvent.name == "message.created"))).all()
    assert [p["message_id"] for p in created].count(first.json()["id"]) == 1


async def test_opening_a_conversation_retried_with_its_client_id_opens_it_once(
    client: httpx.AsyncClient, owner: Persona, outsider: Persona, session: AsyncSession
) -> None:
    customer = await _customer(client, owner)
    body = {"customer_id": customer["id"], "channel": "api", "message": "환불 문의드려요",
            "client_message_id": "open-1"}
    first = await client.post("/api/v1/conversations", headers=owner.headers, json=body)
    again = await client.post("/api/v1/conversations", headers=owner.headers, json=body)
    assert (first.status_code, again.status_code) == (201, 200), again.text
    assert first.json()["id"] == again.json()["id"]
    opened = (await session.scalars(select(Conversation.id).where(
        Conversation.customer_id == customer["id"]))).all()
    stored = (await session.scalars(select(Message.id).where(
        Message.text == "환불 문의드려요"))).all()
    assert (len(opened), len(stored)) == (1, 1)
    no_text = await client.post("/api/v1/conversations", headers=owner.headers,
                                json={"customer_id": customer["id"], "client_message_id": "x"})
    assert no_text.status_code == 422 and "message" in no_text.text
    elsewhere = await client.post("/api/v1/conversations", headers=outsider.headers, json=body)
    assert elsewhere.status_code == 404  # the outsider cannot see (or reuse) owner's customer
