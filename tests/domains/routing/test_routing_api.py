"""The routing API: configuration with clear 4xx, presence and agents, and sync with people."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.core.context import system_actor
from omnidesk.core.dispatcher import Dispatcher, DispatcherConfig
from omnidesk.core.events import SubscriberRegistry
from omnidesk.domains.agents.actions import do_create_api_token
from omnidesk.domains.agents.schemas import ApiTokenCreate
from omnidesk.domains.conversations.actions import check_update_conversation
from omnidesk.domains.conversations.schemas import ConversationUpdate
from omnidesk.domains.conversations.service import get_conversation
from omnidesk.domains.routing import subscribers
from omnidesk.domains.routing.assignment import sync
from omnidesk.domains.routing.service import get_agent_state, get_entry
from tests.conftest import Persona

from .routing_setup import make_agent, make_conversation, make_queue

FAST = DispatcherConfig(backoff_base_seconds=0, backoff_cap_seconds=0, max_attempts=3)


def routing_dispatcher(factory: async_sessionmaker[AsyncSession]) -> Dispatcher:
    """Return a dispatcher running the routing and sync subscribers."""
    registry = SubscriberRegistry()
    subscribers.register(registry)
    sync.register(registry)
    return Dispatcher(factory, registry, FAST)


async def test_an_admin_configures_queues_rules_and_sla_with_clear_errors(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona, outsider: Persona
) -> None:
    h, api = owner.headers, "/api/v1/routing"
    await make_agent(session, system_actor(owner.workspace_id), "kim", skills={"installation": 4})
    await session.commit()
    general = (await client.post(f"{api}/queues", headers=h, json={"name": "전체"})).json()
    install = await client.post(f"{api}/queues", headers=h, json={
        "name": "설치", "required_skills": {"installation": 3}, "strategy": "best_skill",
        "overflow_queue_id": general["id"], "overflow_after_seconds": 600})
    assert install.status_code == 201, install.text
    assert install.json()["overflow_queue_id"] == general["id"]
    rule = await client.post(f"{api}/rules", headers=h, json={
        "name": "설치", "queue_id": install.json()["id"], "priority": "high",
        "conditions": {"keywords": ["설치", "기사"], "tier": ["vip"]}})
    assert rule.status_code == 201 and rule.json()["conditions"]["tier"] == ["vip"]
    sla = await client.post(f"{api}/sla-policies", headers=h, json={
        "name": "기본", "targets": {"high": {"first_response": 900, "resolution": 14400}}})
    assert sla.status_code == 201 and sla.json()["is_default"] is True

    def bad(response: httpx.Response, status: int, field: str) -> None:
        assert response.status_code == status, response.text
        assert field in response.text, response.text

    bad(await client.post(f"{api}/queues", headers=h, json={"name": "전체"}), 409, "name")
    bad(await client.post(f"{api}/queues", headers=h, json={
        "name": "x", "required_skills": {"flying": 3}}), 422, "required_skills")
    bad(await client.post(f"{api}/queues", headers=h, json={
        "name": "x", "strategy": "random"}), 422, "strategy")
    bad(await client.patch(f"{api}/queues/{general['id']}", headers=h, json={
        "overflow_queue_id": install.json()["id"], "overflow_after_seconds": 60}),
        422, "overflow_queue_id")  # a cycle
    bad(await client.post(f"{api}/rules", headers=h, json={
        "name": "x", "queue_id": general["id"], "conditions": {"mood": ["angry"]}}),
        422, "conditions")
    bad(await client.post(f"{api}/sla-policies", headers=h, json={
        "name": "x", "targets": {"asap": {"first_response": 1}}}), 422, "targets")
    bad(await client.delete(f"{api}/queues/{install.json()['id']}", headers=h), 409, "rules")
    # another workspace sees none of it and cannot point at it
    other = outsider.headers
    assert (await client.get(f"{api}/queues/{general['id']}", headers=other)).status_code == 404
    assert (await client.get(f"{api}/rules", headers=other)).json() == []
    bad(await client.post(f"{api}/rules", headers=other, json={
        "name": "x", "queue_id": general["id"]}), 422, "queue_id")
    # agents read but do not configure
    agent_actor = owner.agent
    _, token = await do_create_api_token(session, actor=owner.admin,
                                         token_in=ApiTokenCreate(name="agent", role="agent"))
    await session.commit()
    agent_h = {"Authorization": f"Bearer {token}"}
    assert agent_actor.role == "agent"
    assert (await client.get(f"{api}/queues", headers=agent_h)).status_code == 200
    bad(await client.post(f"{api}/queues", headers=agent_h, json={"name": "y"}), 403, "admin")
    assert (await client.delete(f"{api}/rules/{rule.json()['id']}", headers=h)).status_code == 204
    assert (await client.delete(f"{api}/queues/{install.json()['id']}",
                                headers=h)).status_code == 204


async def test_presence_and_agents_show_state_load_and_capacity(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona
) -> None:
    api = "/api/v1/routing"
    response = await client.put(f"{api}/presence", headers=owner.headers,
                                json={"presence": "online"})
    assert response.status_code == 200, response.text
    me = response.json()
    assert me["presence"] == "online" and me["channels"]["chat"] == {"load": 0, "capacity": 3}
    agent_id = owner.agent.user_id
    moved = await client.put(f"{api}/agents/{agent_id}/presence", headers=owner.headers,
                             json={"presence": "busy"})
    assert moved.json()["presence"] == "busy"
    bad = await client.put(f"{api}/presence", headers=owner.headers, json={"presence": "asleep"})
    assert bad.status_code == 422
    agents = {a["user_id"]: a for a in (await client.get(f"{api}/agents",
                                                         headers=owner.headers)).json()}
    assert agents[agent_id]["presence"] == "busy" and agents[me["user_id"]]["presence"] == "online"


async def test_a_capacity_change_takes_effect_at_once(
    client: httpx.AsyncClient, session: AsyncSession,
    session_factory: async_sessionmaker[AsyncSession], owner: Persona,
) -> None:
    ws, actor = owner.workspace_id, system_actor(owner.workspace_id)
    dispatcher = routing_dispatcher(session_factory)
    await make_queue(session, ws, "general", is_default=True)
    agent = await make_agent(session, actor, "solo", capacity={"chat": 0})
    conv_id, _ = await make_conversation(session, actor)
    await session.commit()
    await dispatcher.drain()
    entry = await get_entry(session, workspace_id=ws, conversation_id=conv_id)
    assert entry is not None and entry.status == "waiting"
    response = await client.patch(f"/api/v1/users/{agent}", headers=owner.headers,
                                  json={"capacity": {"chat": 2, "voice": 1, "email": 5}})
    assert response.status_code == 200, response.text
    await dispatcher.drain()
    state = await get_agent_state(session, workspace_id=ws, user_id=agent)
    entry = await get_entry(session, workspace_id=ws, conversation_id=conv_id)
    assert state is not None and (state.chat_capacity, state.chat_load) == (2, 1)
    assert entry is not None and (entry.status, entry.agent_id) == ("assigned", agent)


async def test_manual_transfer_and_unassign_keep_entries_and_loads_consistent(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona
) -> None:
    ws, actor = owner.workspace_id, system_actor(owner.workspace_id)
    dispatcher = routing_dispatcher(session_factory)
    await make_queue(session, ws, "general", is_default=True)
    first = await make_agent(session, actor, "first", capacity={"chat": 1})
    second = await make_agent(session, actor, "second", capacity={"chat": 1}, online=False)
    conv_id, _ = await make_conversation(session, actor)
    await session.commit()
    await dispatcher.drain()

    async def loads() -> tuple[int, int]:
        a = await get_agent_state(session, workspace_id=ws, user_id=first)
        b = await get_agent_state(session, workspace_id=ws, user_id=second)
        return (a.chat_load if a else -1, b.chat_load if b else -1)

    assert await loads() == (1, -1)
    await check_update_conversation(session, actor=owner.admin, conversation_id=conv_id,
                                    update=ConversationUpdate(assignee_id=second))
    await session.commit()
    await dispatcher.drain()
    entry = await get_entry(session, workspace_id=ws, conversation_id=conv_id)
    assert entry is not None and (entry.status, entry.agent_id) == ("assigned", second)
    assert await loads() == (0, 1)  # an offline agent may still be handed work by a person
    await check_update_conversation(session, actor=owner.admin, conversation_id=conv_id,
                                    update=ConversationUpdate(unassign=True))
    await session.commit()
    await dispatcher.drain()
    session.expire_all()
    entry = await get_entry(session, workspace_id=ws, conversation_id=conv_id)
    conv = await get_conversation(session, workspace_id=ws, conversation_id=conv_id)
    assert entry is not None and (entry.status, entry.agent_id) == ("assigned", first)
    assert conv.assignee_id == first and await loads() == (1, 0)  # routing took it back


async def test_an_admin_reorders_rules_through_the_api(
    client: httpx.AsyncClient, owner: Persona, outsider: Persona
) -> None:
    h, api = owner.headers, "/api/v1/routing"
    queue = (await client.post(f"{api}/queues", headers=h, json={"name": "전체"})).json()
    ids = [(await client.post(f"{api}/rules", headers=h, json={
        "name": name, "queue_id": queue["id"], "conditions": {"keywords": [name]}})).json()["id"]
        for name in ("배송", "설치", "환불")]
    moved = await client.post(f"{api}/rules/{ids[2]}/move", headers=h, json={"direction": "up"})
    assert moved.status_code == 200, moved.text
    assert [r["id"] for r in moved.json()] == [ids[0], ids[2], ids[1]]
    listed = (await client.get(f"{api}/rules", headers=h)).json()
    assert [r["id"] for r in listed] == [ids[0], ids[2], ids[1]]
    assert [r["position"] for r in listed] == [0, 1, 2]
    bad = await client.post(f"{api}/rules/{ids[0]}/move", headers=h, json={"direction": "left"})
    assert bad.status_code == 422 and "direction" in bad.text
    assert (await client.post(f"{api}/rules/{ids[0]}/move", headers=outsider.headers,
                              json={"direction": "down"})).status_code == 404
    assert [r["id"] for r in (await client.get(f"{api}/rules", headers=h)).json()] == [
        ids[0], ids[2], ids[1]]
