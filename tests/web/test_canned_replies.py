"""Canned replies: the composer's / picker fills a conversation's variables and names the ones it
cannot; /settings/canned creates, shares, orders and deletes them with the domain's rules."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.assist.actions import do_create_canned_response
from omnidesk.domains.assist.schemas import CannedResponseCreate
from omnidesk.domains.conversations.actions import do_receive_inbound
from omnidesk.domains.conversations.schemas import InboundMessage
from tests.conftest import Persona


async def _login(client: httpx.AsyncClient, email: str, password: str) -> str:
    page = await client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    await client.post("/login", data={"email": email, "password": password,
                                      "csrf": csrf.group(1)})
    found = re.search(r'"X-CSRF-Token": "([^"]+)"', (await client.get("/settings/canned")).text)
    assert found
    return found.group(1)


async def _conversation(session: AsyncSession, persona: Persona, text: str) -> int:
    msg = await do_receive_inbound(session, workspace_id=persona.workspace_id,
                                   inbound=InboundMessage(channel="web",
                                                          identity_kind="web_visitor",
                                                          identity_value="v-1", text=text))
    await session.commit()
    return msg.conversation_id


async def test_the_picker_fills_what_the_conversation_knows_and_names_what_it_cannot(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    conv_id = await _conversation(session, owner, "배송 언제 와요? 주문번호 HB-1001")
    for shortcut, body, locale in (("인사", "{workspace}입니다. 무엇을 도와드릴까요?", "ko"),
                                   ("주문", "주문 {order_number} 건을 확인했습니다.", "ko"),
                                   ("hello", "Hello from {workspace}", "en")):
        await do_create_canned_response(session, actor=owner.admin, canned_in=CannedResponseCreate(
            shortcut=shortcut, title=shortcut, body=body, locale=locale))
    await session.commit()
    await _login(client, owner.agent_email, owner.password)
    picker = (await client.get(f"/conversations/{conv_id}/picker")).json()
    by_shortcut = {c["shortcut"]: c for c in picker["canned"]}
    assert set(by_shortcut) == {"인사", "주문"}  # the customer writes Korean: no English reply
    assert by_shortcut["인사"]["text"].startswith(owner.slug) and by_shortcut["인사"]["missing"] == []
    assert by_shortcut["주문"]["missing"] == ["order_number"]  # no order known: refused, not guessed
    assert "{order_number}" in by_shortcut["주문"]["text"]
    assert (await client.get("/conversations/999999/picker")).status_code == 404


async def test_an_agent_keeps_personal_replies_orders_them_and_cannot_share(
    client: httpx.AsyncClient, owner: Persona
) -> None:
    csrf = await _login(client, owner.agent_email, owner.password)
    for shortcut in ("a1", "a2", "a3"):
        saved = await client.post("/settings/canned", data={
            "csrf": csrf, "shortcut": shortcut, "title": f"제목 {shortcut}", "body": f"본문 {shortcut}",
            "locale": "", "scope": "personal"})
        assert saved.status_code == 303
    page = (await client.get("/settings/canned")).text
    ids = re.findall(r'data-canned-id="(\d+)"', page)
    assert len(ids) == 3 and page.index("/a1") < page.index("/a2") < page.index("/a3")
    moved = await client.post(f"/settings/canned/{ids[2]}/move",
                              data={"csrf": csrf, "direction": "up"})
    assert moved.status_code == 303
    page = (await client.get("/settings/canned")).text
    assert page.index("/a1") < page.index("/a3") < page.index("/a2")
    sideways = await client.post(f"/settings/canned/{ids[2]}/move",
                                 data={"csrf": csrf, "direction": "sideways"})
    assert sideways.status_code == 422
    shared = await client.post("/settings/canned", data={
        "csrf": csrf, "shortcut": "s1", "title": "공유", "body": "본문", "scope": "workspace"})
    assert shared.status_code == 403 and "/s1" not in (await client.get("/settings/canned")).text
    blank = await client.post("/settings/canned", data={
        "csrf": csrf, "shortcut": "bad shortcut", "title": "t", "body": "b", "scope": "personal"})
    assert blank.status_code == 422 and 'value="bad shortcut"' in blank.text
    no_csrf = await client.post(f"/settings/canned/{ids[0]}/delete", data={})
    assert no_csrf.status_code == 403
    deleted = await client.post(f"/settings/canned/{ids[0]}/delete", data={"csrf": csrf})
    assert deleted.status_code == 303
    assert "/a1" not in (await client.get("/settings/canned")).text


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_a_supervisor_shares_a_reply_with_the_workspace_and_the_agent_sees_it(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    csrf = await _login(client, f"admin@{owner.slug}.example", owner.password)
    saved = await client.post("/settings/canned", data={
        "csrf": csrf, "shortcut": "공지", "title": "공지", "body": "모두에게", "scope": "workspace"})
    assert saved.status_code == 303
    client.cookies.clear()
    await _login(client, owner.agent_email, owner.password)
    page = (await client.get("/settings/canned")).text
    assert "/공지" in page
    row = page[page.index("/공지"):]
    assert "/move" not in row.split("</tr>")[0]  # shared: the agent may use it, not change it


async def test_the_api_orders_replies_and_fills_them_for_a_conversation(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    conv_id = await _conversation(session, owner, "안녕하세요")
    ids = []
    for shortcut in ("x1", "x2"):
        made = await client.post("/api/v1/canned-responses", headers=owner.headers, json={
            "shortcut": shortcut, "title": shortcut, "body": "{workspace} " + shortcut})
        assert made.status_code == 201
        ids.append(made.json()["id"])
    moved = await client.post(f"/api/v1/canned-responses/{ids[1]}/move", headers=owner.headers,
                              json={"direction": "up"})
    assert moved.status_code == 200 and moved.json()["position"] == 1
    bad = await client.post(f"/api/v1/canned-responses/{ids[1]}/move", headers=owner.headers,
                            json={"direction": "sideways"})
    assert bad.status_code == 422
    listed = await client.get(f"/api/v1/conversations/{conv_id}/canned-responses",
                              headers=owner.headers)
    assert [c["shortcut"] for c in listed.json()] == ["x2", "x1"]
    assert listed.json()[0]["text"] == f"{owner.slug} x2"
