"""Credentials never outlive their owner's rights (issue 12 item 4).

API tokens are checked against their owner's current role and state on every request; login
sessions live in the database, so logout, a password change, a role change or a deactivation
ends them on every process at once (and the agents' realtime socket refuses them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.config import Settings
from omnidesk.core.context import system_actor
from omnidesk.core.security import hash_token
from omnidesk.domains.agents.actions import do_create_api_token, do_update_user
from omnidesk.domains.agents.models import ApiToken
from omnidesk.domains.agents.schemas import ApiTokenCreate, UserUpdate
from omnidesk.domains.agents.service import authenticate_token
from omnidesk.realtime.topics import supervisors_topic
from tests.asgi_ws import AsgiWebSocket, SocketClosed
from tests.conftest import Persona
from tests.web.test_supervisor import log_in

NEW_USER = {"email": "new@acme.example", "name": "New", "password": "long enough pw"}


async def _as_system(session: AsyncSession, owner: Persona, user_id: int | None,
                     **changes: object) -> None:
    await do_update_user(session, actor=system_actor(owner.workspace_id), user_id=user_id or 0,
                         user_in=UserUpdate(**changes))
    await session.commit()


async def _logged_in(client: httpx.AsyncClient) -> bool:
    return (await client.get("/api/v1/users")).status_code == 200


@pytest.fixture
async def browser(client: httpx.AsyncClient) -> AsyncIterator[httpx.AsyncClient]:
    """A second browser on the same app (its own cookie jar)."""
    transport = httpx.ASGITransport(app=client.app)  # type: ignore[attr-defined]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as other:
        yield other


async def test_a_demoted_admins_token_loses_admin_rights_at_once(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    assert (await client.post("/api/v1/users", headers=owner.headers,
                              json=NEW_USER)).status_code == 201
    await _as_system(session, owner, owner.admin.user_id, role="agent")
    refused = await client.post("/api/v1/users", headers=owner.headers,
                                json={**NEW_USER, "email": "new2@acme.example"})
    assert refused.status_code == 403
    still_an_agent = await client.get("/api/v1/conversations", headers=owner.headers)
    assert still_an_agent.status_code == 200


async def test_a_deactivated_owners_token_stops_working(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    assert (await client.get("/api/v1/conversations", headers=owner.headers)).status_code == 200
    await _as_system(session, owner, owner.admin.user_id, is_active=False)
    assert (await client.get("/api/v1/conversations",
                             headers=owner.headers)).status_code == 401


async def test_a_tokens_use_is_stamped_at_most_every_few_minutes(
    session: AsyncSession, owner: Persona
) -> None:
    assert await authenticate_token(session, token=owner.token) is not None
    await session.commit()
    row = await session.scalar(
        select(ApiToken).where(ApiToken.token_hash == hash_token(owner.token)))
    assert row is not None and row.last_used_at is not None
    first = row.last_used_at
    assert await authenticate_token(session, token=owner.token) is not None
    assert not session.dirty  # a use a moment later writes nothing (a socket, a busy script)
    row.last_used_at = first - dt.timedelta(minutes=10)
    await session.commit()
    assert await authenticate_token(session, token=owner.token) is not None
    assert row.last_used_at >= first  # stamped again: the list of tokens stays right


async def test_a_cookie_replayed_after_logout_is_refused(
    client: httpx.AsyncClient, browser: httpx.AsyncClient, owner: Persona
) -> None:
    csrf = await log_in(client, f"admin@{owner.slug}.example", owner.password)
    stolen = dict(client.cookies)
    logout = await client.post("/logout", data={"csrf": csrf})
    assert logout.status_code == 303
    browser.cookies.update(stolen)
    assert not await _logged_in(browser)
    assert (await browser.get("/inbox")).headers["location"] == "/login"


async def test_a_password_change_ends_the_users_other_sessions_but_keeps_this_one(
    client: httpx.AsyncClient, browser: httpx.AsyncClient, owner: Persona
) -> None:
    for who in (client, browser):
        await log_in(who, owner.agent_email, owner.password)
    changed = await client.patch(f"/api/v1/users/{owner.agent.user_id}",
                                 json={"password": "a brand new password"})
    assert changed.status_code == 200, changed.text
    assert (await client.get("/api/v1/conversations")).status_code == 200
    assert (await browser.get("/api/v1/conversations")).status_code == 401


@pytest.mark.parametrize("change", [{"role": "supervisor"}, {"is_active": False}])
async def test_a_role_change_or_deactivation_ends_every_session_of_the_user(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona, change: dict
) -> None:
    await log_in(client, owner.agent_email, owner.password)
    assert (await client.get("/api/v1/conversations")).status_code == 200
    await _as_system(session, owner, owner.agent.user_id, **change)
    assert (await client.get("/api/v1/conversations")).status_code == 401


async def test_a_logout_on_one_process_is_seen_by_another(
    client: httpx.AsyncClient, settings: Settings, owner: Persona
) -> None:
    from omnidesk.app.main import create_app

    other_app = create_app(settings)
    transport = httpx.ASGITransport(app=other_app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as other:
            csrf = await log_in(client, owner.agent_email, owner.password)
            other.cookies.update(dict(client.cookies))
            assert (await other.get("/api/v1/conversations")).status_code == 200
            await client.post("/logout", data={"csrf": csrf})
            assert (await other.get("/api/v1/conversations")).status_code == 401
    finally:
        await other_app.state.runtime.dispose()


async def test_the_agents_socket_refuses_a_revoked_session(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    app = client.app  # type: ignore[attr-defined]
    await app.state.realtime.start()
    await log_in(client, owner.agent_email, owner.password)
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    async with AsgiWebSocket(app, "/ws", headers={"cookie": cookie}) as live:
        await live.send_json({"type": "hello"})
        assert (await live.receive_json())["type"] == "ready"
    await _as_system(session, owner, owner.agent.user_id, role="supervisor")
    async with AsgiWebSocket(app, "/ws", headers={"cookie": cookie}) as refused:
        await refused.send_json({"type": "hello"})
        with pytest.raises(SocketClosed) as closed:
            await refused.receive_json()
    assert closed.value.code == 4401


async def test_an_open_agents_socket_is_closed_once_its_session_is_revoked(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    app = client.app  # type: ignore[attr-defined]
    app.state.realtime.heartbeat_seconds = 0.05  # the re-check period
    await app.state.realtime.start()
    csrf = await log_in(client, owner.agent_email, owner.password)
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    async with AsgiWebSocket(app, "/ws", headers={"cookie": cookie}) as live:
        await live.send_json({"type": "hello"})
        assert (await live.receive_json())["type"] == "ready"
        assert (await client.post("/logout", data={"csrf": csrf})).status_code == 303
        with pytest.raises(SocketClosed) as closed:
            await live.receive_json(timeout=10)
    assert closed.value.code == 4401


async def test_an_agent_token_of_an_admin_opens_the_socket_without_the_supervisors_stream(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    app = client.app  # type: ignore[attr-defined]
    hub = app.state.realtime
    await hub.start()
    _, token = await do_create_api_token(session, actor=owner.admin,
                                         token_in=ApiTokenCreate(name="agent bot", role="agent"))
    await session.commit()
    supervisors = supervisors_topic(owner.workspace_id)
    for bearer, sees_routing in ((token, False), (owner.token, True)):
        async with AsgiWebSocket(app, "/ws",
                                 headers={"authorization": f"Bearer {bearer}"}) as live:
            await live.send_json({"type": "hello"})
            assert (await live.receive_json())["type"] == "ready"
            assert bool(hub.by_topic.get(supervisors)) is sees_routing
