"""The widget API: visitor sessions, HMAC-identified visitors, isolation and headers."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.security import hmac_sha256_hex
from omnidesk.domains.workspaces.service import get_workspace
from tests.conftest import Persona
from tests.web.widget_helpers import start_session as _session
from tests.web.widget_helpers import widget_headers as _headers

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


async def test_a_visitor_keeps_their_history_and_another_visitor_cannot_read_it(
    client: httpx.AsyncClient, owner: Persona
) -> None:
    alice = await _session(client, owner.slug)
    sent = await client.post("/widget/api/messages", headers=_headers(owner.slug, alice["token"]),
                             json={"text": "<b>배송</b> 문의", "client_message_id": "abcdefgh1"})
    assert sent.status_code == 201
    retry = await client.post("/widget/api/messages", headers=_headers(owner.slug, alice["token"]),
                              json={"text": "<b>배송</b> 문의", "client_message_id": "abcdefgh1"})
    assert retry.json()["id"] == sent.json()["id"]

    restored = await _session(client, owner.slug, token=alice["token"])
    assert restored["token"] == alice["token"]
    history = await client.get("/widget/api/messages", headers=_headers(owner.slug,
                                                                        alice["token"]))
    assert [m["text"] for m in history.json()["messages"]] == ["<b>배송</b> 문의"]

    bob = await _session(client, owner.slug)
    assert bob["token"] != alice["token"]
    other = await client.get("/widget/api/messages", headers=_headers(owner.slug, bob["token"]))
    assert other.json()["messages"] == []
    forged = await client.get("/widget/api/messages", headers=_headers(owner.slug, "guess"))
    assert forged.status_code == 401


async def test_the_history_says_when_the_chat_ended_until_the_visitor_writes_again(
    client: httpx.AsyncClient, owner: Persona
) -> None:
    alice = await _session(client, owner.slug)
    headers = _headers(owner.slug, alice["token"])
    sent = await client.post("/widget/api/messages", headers=headers,
                             json={"text": "환불 문의", "client_message_id": "endedmsg1"})
    assert (await client.get("/widget/api/messages", headers=headers)).json()["ended"] is False
    resolved = await client.patch(f"/api/v1/conversations/{sent.json()['conversation_id']}",
                                  headers=owner.headers, json={"status": "resolved"})
    assert resolved.status_code == 200, resolved.text
    assert (await client.get("/widget/api/messages", headers=headers)).json()["ended"] is True
    bob = await _session(client, owner.slug)  # another visitor's chat has not ended
    assert (await client.get("/widget/api/messages", headers=_headers(
        owner.slug, bob["token"]))).json()["ended"] is False
    await client.post("/widget/api/messages", headers=headers,
                      json={"text": "하나 더 여쭤볼게요", "client_message_id": "endedmsg2"})
    assert (await client.get("/widget/api/messages", headers=headers)).json()["ended"] is False


async def test_a_token_of_one_workspace_is_useless_in_another(
    client: httpx.AsyncClient, owner: Persona, outsider: Persona
) -> None:
    visitor = await _session(client, owner.slug)
    response = await client.get("/widget/api/messages",
                                headers=_headers(outsider.slug, visitor["token"]))
    assert response.status_code == 401


async def test_only_a_correct_signature_identifies_a_visitor(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    workspace = await get_workspace(session, workspace_id=owner.workspace_id)
    good = hmac_sha256_hex(workspace.secret, "member-42")
    identified = await _session(client, owner.slug, user_id="member-42", signature=good)
    assert identified["verified"] is True
    forged = await _session(client, owner.slug, user_id="member-42", signature="0" * 64)
    assert forged["verified"] is False
    await client.post("/widget/api/messages", headers=_headers(owner.slug, identified["token"]),
                      json={"text": "회원 문의", "client_message_id": "member0001"})
    seen = await client.get("/widget/api/messages",
                            headers=_headers(owner.slug, forged["token"]))
    assert seen.json()["messages"] == []
    again = await _session(client, owner.slug, user_id="member-42", signature=good)
    mine = await client.get("/widget/api/messages", headers=_headers(owner.slug, again["token"]))
    assert [m["text"] for m in mine.json()["messages"]] == ["회원 문의"]


async def test_attachments_are_type_checked_and_size_limited(
    client: httpx.AsyncClient, owner: Persona
) -> None:
    visitor = await _session(client, owner.slug)
    headers = _headers(owner.slug, visitor["token"])
    fake_png = await client.post("/widget/api/attachments", headers=headers,
                                 data={"client_message_id": "file00001"},
                                 files={"file": ("x.png", b"MZ\x90\x00evil", "image/png")})
    assert fake_png.status_code == 422
    html = await client.post("/widget/api/attachments", headers=headers,
                             data={"client_message_id": "file00002"},
                             files={"file": ("x.html", b"<script>", "text/html")})
    assert html.status_code == 422
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    ok = await client.post("/widget/api/attachments", headers=headers,
                           data={"client_message_id": "file00003"},
                           files={"file": ("사진.png", png, "image/png")})
    assert ok.status_code == 201
    url = ok.json()["attachments"][0]["url"]
    served = await client.get(url)
    assert served.status_code == 200 and served.content == png


async def test_the_frame_is_embeddable_as_configured_and_agent_pages_are_not(
    client: httpx.AsyncClient, owner: Persona
) -> None:
    frame = await client.get(f"/widget/frame?workspace={owner.slug}",
                             headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "frame-ancestors *" in frame.headers["content-security-policy"]
    assert "Write a message" in frame.text
    korean = await client.get(f"/widget/frame?workspace={owner.slug}",
                              headers={"Accept-Language": "ko-KR"})
    assert "메시지를 입력하세요" in korean.text
    login = await client.get("/login")
    assert "frame-ancestors 'none'" in login.headers["content-security-policy"]
    loader = await client.get("/widget.js")
    assert loader.headers["content-type"].startswith("text/javascript")


async def test_a_visitor_hammering_the_widget_is_slowed_down_with_429(
    client: httpx.AsyncClient, owner: Persona
) -> None:
    client.app.state.widget_limiter.limit = 5  # type: ignore[attr-defined]
    visitor = await _session(client, owner.slug)
    statuses = []
    for n in range(6):
        sent = await client.post("/widget/api/messages",
                                 headers=_headers(owner.slug, visitor["token"]),
                                 json={"text": f"스팸 {n}", "client_message_id": f"spam-{n:05d}"})
        statuses.append(sent.status_code)
    assert statuses == [201, 201, 201, 201, 429, 429]
    assert "wait" in sent.json()["message"]
    assert sent.headers["retry-after"] == "60"  # when to come back (the limit's window)
    history = await client.get("/widget/api/messages", headers=_headers(owner.slug,
                                                                        visitor["token"]))
    assert len(history.json()["messages"]) == 4
