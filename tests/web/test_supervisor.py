"""The supervisor view: supervisors only, live board, moves and presence; the topbar control."""

from __future__ import annotations

import asyncio
import re
from types import SimpleNamespace
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import system_actor
from omnidesk.domains.routing.actions import do_enqueue, do_set_presence
from omnidesk.domains.routing.service import get_agent_state, get_entry
from omnidesk.realtime.presence import PresenceTracker
from tests.conftest import Persona
from tests.domains.routing.routing_setup import make_conversation, make_queue


async def log_in(client: httpx.AsyncClient, email: str, password: str) -> str:
    """Log in with the form's CSRF token; return the page's CSRF token for posts."""
    page = await client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token
    response = await client.post("/login", data={"email": email, "password": password,
                                                 "csrf": token.group(1)})
    assert response.status_code == 303
    inbox = await client.get("/inbox")
    found = re.search(r'"X-CSRF-Token": "([^"]+)"', inbox.text)
    assert found
    return found.group(1)


async def waiting_conversation(session: AsyncSession, owner: Persona) -> tuple[int, int, int]:
    """Create two queues and a conversation waiting in the first; return their ids."""
    ws = owner.workspace_id
    first = await make_queue(session, ws, "배송·주문", is_default=True)
    second = await make_queue(session, ws, "설치·A/S")
    conv_id, _ = await make_conversation(session, system_actor(ws), attributes={"tier": "vip", "total_spent": 1_500_000})
    await do_enqueue(session, workspace_id=ws, conversation_id=conv_id)
    await session.commit()
    return conv_id, first, second


async def test_agents_get_403_and_supervisors_see_queues_waiting_and_agents(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    conv_id, _, _ = await waiting_conversation(session, owner)
    await log_in(client, owner.agent_email, owner.password)
    assert (await client.get("/supervisor")).status_code == 403
    assert (await client.get("/supervisor/board")).status_code == 403
    assert 'href="/supervisor"' not in (await client.get("/inbox")).text
    client.cookies.clear()
    await log_in(client, "admin@acme.example", owner.password)
    assert 'href="/supervisor"' in (await client.get("/inbox")).text
    page = await client.get("/supervisor")
    assert page.status_code == 200
    assert 'data-queue-id' in page.text and "배송·주문" in page.text
    assert f'data-conversation-id="{conv_id}"' in page.text and "VIP" in page.text
    assert re.search(r'class="waiting-count">1<', page.text)
    assert "에이전트" in page.text  # the agents panel


async def test_a_supervisor_moves_a_conversation_and_changes_an_agents_state(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    ws = owner.workspace_id
    conv_id, _, install = await waiting_conversation(session, owner)
    csrf = await log_in(client, "admin@acme.example", owner.password)
    headers = {"X-CSRF-Token": csrf}
    denied = await client.post(f"/supervisor/conversations/{conv_id}/queue",
                               data={"queue_id": install})
    assert denied.status_code == 403
    moved = await client.post(f"/supervisor/conversations/{conv_id}/queue",
                              data={"queue_id": install}, headers=headers)
    assert moved.status_code == 200
    entry = await get_entry(session, workspace_id=ws, conversation_id=conv_id)
    assert entry is not None and (entry.queue_id, entry.status) == (install, "waiting")
    agent_id = owner.agent.user_id
    assert agent_id is not None
    online = await client.post(f"/supervisor/agents/{agent_id}/presence",
                               data={"presence": "online"}, headers=headers)
    assert online.status_code == 200 and "presence-online" in online.text
    assigned = await client.post(f"/supervisor/conversations/{conv_id}/agent",
                                 data={"agent_id": agent_id}, headers=headers)
    assert assigned.status_code == 200 and "entry-assigned" in assigned.text
    state = await get_agent_state(session, workspace_id=ws, user_id=agent_id)
    assert state is not None and state.chat_load == 1
    wrong = await client.post(f"/supervisor/conversations/{conv_id}/agent",
                              data={"agent_id": 999999}, headers=headers)
    assert wrong.status_code == 422 and "agent not found" in wrong.text


async def test_an_agent_sets_their_presence_from_the_topbar(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    csrf = await log_in(client, owner.agent_email, owner.password)
    control = await client.get("/presence")
    assert 'data-presence="offline"' in control.text
    busy = await client.post("/presence", data={"presence": "busy", "csrf": csrf})
    assert busy.status_code == 200 and 'data-presence="busy"' in busy.text
    state = await get_agent_state(session, workspace_id=owner.workspace_id,
                                  user_id=owner.agent.user_id or 0)
    assert state is not None and state.presence == "busy"
    assert (await client.post("/presence", data={"presence": "busy"})).status_code == 403


async def test_the_last_socket_closing_sets_an_online_agent_away_and_reconnecting_restores(
    session: AsyncSession, session_factory: Any, owner: Persona
) -> None:
    ws, user_id = owner.workspace_id, owner.agent.user_id or 0
    await do_set_presence(session, workspace_id=ws, user_id=user_id, presence="online")
    await session.commit()
    app = SimpleNamespace(state=SimpleNamespace(session_factory=session_factory))
    tracker = PresenceTracker(grace_seconds=0.01)

    async def presence() -> str:
        state = await get_agent_state(session, workspace_id=ws, user_id=user_id)
        return state.presence if state else "none"

    await tracker.connected(app, ws, user_id)  # type: ignore[arg-type]
    await tracker.connected(app, ws, user_id)  # type: ignore[arg-type]
    await tracker.disconnected(app, ws, user_id)  # type: ignore[arg-type]
    assert user_id not in tracker.timers  # another tab is still open: no away timer
    await asyncio.sleep(0.05)
    assert await presence() == "online"
    await tracker.disconnected(app, ws, user_id)  # type: ignore[arg-type]
    await tracker.timers[user_id]  # the grace period runs out and the change commits
    assert await presence() == "away"
    await tracker.connected(app, ws, user_id)  # type: ignore[arg-type]
    assert await presence() == "online"
