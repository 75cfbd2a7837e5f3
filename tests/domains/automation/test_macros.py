"""Macros: scoped bundles of actions an agent runs on a conversation through the one runner."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.errors import PermissionDenied
from omnidesk.domains.agents.actions import do_create_team
from omnidesk.domains.agents.schemas import TeamCreate
from omnidesk.domains.automation.macro_actions import check_create_macro
from omnidesk.domains.automation.schemas import MacroCreate
from omnidesk.domains.automation.service import list_macros
from omnidesk.domains.conversations.models import Conversation, ConversationEvent, Message
from tests.conftest import Persona
from tests.domains.routing.routing_setup import make_conversation

MACRO = {"name": "설치 일정 재안내", "scope": "workspace", "actions": [
    {"type": "reply", "text": "{{customer.name}}님, 설치 일정을 다시 안내해 드릴게요."},
    {"type": "add_label", "label": "설치"},
    {"type": "snooze", "hours": 24}]}


async def test_an_agent_runs_a_three_action_macro_and_scopes_decide_who_sees_it(
    client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
) -> None:
    conv_id, _ = await make_conversation(session, owner.admin)
    team = await do_create_team(session, actor=owner.admin, team_in=TeamCreate(name="설치팀"))
    await session.commit()

    made = await client.post("/api/v1/automation/macros", json=MACRO, headers=owner.headers)
    assert made.status_code == 201
    team_macro = await client.post("/api/v1/automation/macros", headers=owner.headers, json={
        **MACRO, "name": "팀 전용", "scope": "team", "team_id": team.id})
    assert team_macro.status_code == 201
    bad = await client.post("/api/v1/automation/macros", headers=owner.headers,
                            json={**MACRO, "scope": "team"})
    assert bad.status_code == 422  # a team macro names its team
    with pytest.raises(PermissionDenied):  # workspace macros are the admins'
        await check_create_macro(session, actor=owner.agent,
                                 macro_in=MacroCreate.model_validate(MACRO))
    await check_create_macro(session, actor=owner.agent, macro_in=MacroCreate.model_validate(
        {**MACRO, "name": "내 매크로", "scope": "personal"}))
    await session.commit()
    assert [m.name for m in await list_macros(session, actor=owner.agent)] == [
        "내 매크로", "설치 일정 재안내"]

    visible = await client.get("/api/v1/automation/macros", headers=owner.headers)
    assert [m["name"] for m in visible.json()] == ["설치 일정 재안내"]  # not in the team

    ran = await client.post(f"/api/v1/automation/macros/{made.json()['id']}/run",
                            json={"conversation_id": conv_id}, headers=owner.headers)
    assert ran.status_code == 200
    assert [s["outcome"] for s in ran.json()["steps"]] == ["done", "done", "done"]
    conv = await session.scalar(select(Conversation).where(Conversation.id == conv_id)
                                .execution_options(populate_existing=True))
    assert conv is not None
    assert (conv.labels, conv.status) == (["설치"], "snoozed")
    reply = await session.scalar(select(Message).where(Message.conversation_id == conv_id))
    assert reply is not None and reply.author_kind == "agent"
    assert reply.author_id == owner.admin.user_id and reply.text.startswith("고객님")
    lines = (await session.scalars(select(ConversationEvent.data).where(
        ConversationEvent.conversation_id == conv_id,
        ConversationEvent.kind == "automation"))).all()
    assert [(d["source"], d["action"]) for d in lines] == [
        ("macro", "reply"), ("macro", "add_label"), ("macro", "snooze")]
