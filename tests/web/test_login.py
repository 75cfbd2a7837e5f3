"""Agents log in with email and password and see their workspace's conversations."""

from __future__ import annotations

import base64
import json
import re

import httpx
import pytest
from itsdangerous import TimestampSigner
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.config import Settings
from omnidesk.domains.conversations.actions import do_receive_inbound
from omnidesk.domains.conversations.schemas import InboundMessage
from tests.conftest import Persona

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


async def _csrf(client: httpx.AsyncClient) -> str:
    page = await client.get("/login")
    assert page.status_code == 200 and "omnidesk" in page.text
    match = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert match
    return match.group(1)


async def _login(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    csrf = await _csrf(client)
    return await client.post("/login", data={"email": email, "password": password,
                                             "csrf": csrf})


async def test_an_agent_logs_in_and_sees_only_their_workspace(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona, outsider: Persona
) -> None:
    for who, name in ((owner, "김하늘"), (outsider, "Globex Customer")):
        await do_receive_inbound(session, workspace_id=who.workspace_id, inbound=InboundMessage(
            channel="web", identity_kind="web_visitor", identity_value=f"v-{who.slug}",
            customer_name=name, text="안녕하세요"))
    await session.commit()

    assert (await client.get("/inbox")).headers["location"] == "/login"
    response = await _login(client, owner.agent_email, owner.password)
    assert response.status_code == 303 and response.headers["location"] == "/inbox"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    inbox = await client.get("/inbox?view=all")
    assert "김하늘" in inbox.text and "Globex Customer" not in inbox.text


async def test_a_wrong_password_is_refused_and_repeated_failures_are_rate_limited(
    client: httpx.AsyncClient, owner: Persona
) -> None:
    response = await _login(client, owner.agent_email, "wrong password")
    assert response.status_code == 401 and "올바르지" in response.text
    for _ in range(10):
        response = await _login(client, owner.agent_email, "wrong password")
    assert response.status_code == 429
    blocked = await _login(client, owner.agent_email, owner.password)
    assert blocked.status_code == 429


async def test_a_login_without_the_csrf_token_is_refused(
    client: httpx.AsyncClient, owner: Persona
) -> None:
    await client.get("/login")
    response = await client.post("/login", data={"email": owner.agent_email,
                                                 "password": owner.password})
    assert response.status_code == 400
    assert (await client.get("/inbox")).status_code == 303


async def test_a_cookie_without_a_login_session_shows_the_login_form_not_a_redirect_loop(
    client: httpx.AsyncClient, settings: Settings, owner: Persona
) -> None:
    # A cookie from before login sessions had a key (user and workspace only) logs no one in.
    data = base64.b64encode(json.dumps({"user_id": 1, "workspace_id": 1}).encode())
    signed = TimestampSigner(settings.effective_secret_key).sign(data).decode()
    client.cookies.set("omnidesk_session", signed)
    assert (await client.get("/inbox")).headers["location"] == "/login"
    page = await client.get("/login")
    assert page.status_code == 200 and 'name="password"' in page.text
    assert (await client.get("/")).headers["location"] == "/login"
