"""Agent pages: the inbox views and filters, the conversation view and CSRF on every post."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.conversations.actions import do_receive_inbound
from omnidesk.domains.conversations.schemas import InboundMessage
from tests.conftest import Persona

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


async def _login(client: httpx.AsyncClient, persona: Persona) -> str:
    page = await client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    await client.post("/login", data={"email": persona.agent_email,
                                      "password": persona.password, "csrf": csrf.group(1)})
    inbox = await client.get("/inbox")
    token = re.search(r'"X-CSRF-Token": "([^"]+)"', inbox.text)
    assert token
    return token.group(1)


async def _conversation(session: AsyncSession, persona: Persona, text: str) -> int:
    msg = await do_receive_inbound(session, workspace_id=persona.workspace_id,
                                   inbound=InboundMessage(channel="web",
                                                          identity_kind="web_visitor",
                                                          identity_value="v-1", text=text))
    await session.commit()
    return msg.conversation_id


async def test_an_agent_replies_notes_and_resolves_with_csrf_and_text_is_escaped(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    conv_id = await _conversation(session, owner, "<script>alert(1)</script> javascript:x")
    token = await _login(client, owner)
    page = await client.get(f"/conversations/{conv_id}")
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text
    refused = await client.post(f"/conversations/{conv_id}/messages", data={"text": "hi"})
    assert refused.status_code == 403
    headers = {"X-CSRF-Token": token}
    reply = await client.post(f"/conversations/{conv_id}/messages", headers=headers,
                              data={"text": "안녕하세요", "mode": "reply", "channel": "web"})
    assert reply.status_code == 200 and "안녕하세요" in reply.text
    note = await client.post(f"/conversations/{conv_id}/messages", headers=headers,
                             data={"text": "VIP 고객", "mode": "note"})
    assert 'class="msg agent note"' in note.text
    resolved = await client.post(f"/conversations/{conv_id}/status", headers=headers,
                                 data={"status": "resolved"})
    assert resolved.status_code == 200 and "st-resolved" in resolved.text
    listing = await client.get("/inbox/list?view=all&status=resolved")
    assert f'data-conversation-id="{conv_id}"' in listing.text


async def test_views_count_and_filter_and_other_workspaces_stay_hidden(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona, outsider: Persona
) -> None:
    await _conversation(session, owner, "우리 고객")
    hidden = await _conversation(session, outsider, "남의 고객")
    await _login(client, owner)
    nav = await client.get("/inbox/nav?view=unassigned")
    assert re.search(r'data-view="unassigned"[^>]*>[^<]*<span class="count">1<', nav.text)
    assert "남의 고객" not in (await client.get("/inbox")).text
    assert (await client.get("/inbox/list?channel=email")).text.count("conv-item") == 0
    assert (await client.get(f"/conversations/{hidden}")).status_code == 404
