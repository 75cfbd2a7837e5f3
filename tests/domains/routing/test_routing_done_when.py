"""Issue 7's done-when scenario, on the demo's teams, agents and routing configuration.

A Korean VIP customer handed off by the bot about an installation goes to an available
Korean-speaking installation agent with capacity, before a normal customer who arrived earlier.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.core.context import Actor, system_actor
from omnidesk.core.dispatcher import Dispatcher
from omnidesk.core.events import SubscriberRegistry, emit
from omnidesk.demo.dataset.catalogue import AGENTS, SKILLS, TEAMS
from omnidesk.demo.routing import load_routing_demo
from omnidesk.domains.agents.actions import (
    do_create_team,
    do_create_user,
    do_ensure_skill,
    do_update_user,
)
from omnidesk.domains.agents.schemas import SkillLevel, TeamCreate, UserCreate, UserUpdate
from omnidesk.domains.conversations.events import ConversationBotHandoff
from omnidesk.domains.conversations.service import get_conversation
from omnidesk.domains.routing.actions import do_set_presence
from omnidesk.domains.routing.service import get_entry
from tests.conftest import Persona

from .routing_setup import make_conversation
from .test_routing_api import FAST, routing_dispatcher

HANDOFF_TEXT = "설치 기사님이 오늘 오신다고 했는데 연락이 없어요"


async def load_demo_people(session: AsyncSession, actor: Actor) -> dict[str, int]:
    """Create the demo's teams, skills and agents; return user ids by email name."""
    teams = {}
    for team in TEAMS:
        teams[team.name] = (await do_create_team(session, actor=actor, team_in=TeamCreate(
            name=team.name))).id
    for skill in SKILLS:
        await do_ensure_skill(session, workspace_id=actor.workspace_id, name=skill.name)
    ids = {}
    for agent in AGENTS:
        user = await do_create_user(session, actor=actor, user_in=UserCreate(
            email=agent.email.replace("hanbit", "demo"), name=agent.name, role=agent.role,
            languages=agent.languages, capacity=agent.capacity,
            skills=[SkillLevel(name=k, level=v) for k, v in agent.skills.items()],
            team_ids=[teams[agent.team]] if agent.team else []))
        ids[agent.email.split("@")[0]] = user.id
    return ids


async def test_a_handed_off_korean_vip_installation_goes_first_to_a_free_installer(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona
) -> None:
    ws, actor = owner.workspace_id, system_actor(owner.workspace_id)
    people = await load_demo_people(session, actor)
    await load_routing_demo(session, ws)
    for name in ("taemin.kang", "seoa.yoon", "woojin.jang"):  # the installers are all away
        await do_set_presence(session, workspace_id=ws, user_id=people[name], presence="offline")
    normal, _ = await make_conversation(session, actor, attributes={"total_spent": 700_000})
    vip, _ = await make_conversation(session, actor, attributes={"total_spent": 1_500_000})
    await session.commit()
    # The bot owns new conversations: routing sees them only when the bot hands off.
    await Dispatcher(session_factory, SubscriberRegistry(), FAST).drain()
    dispatcher = routing_dispatcher(session_factory)
    for conv_id in (normal, vip):
        conv = await get_conversation(session, workspace_id=ws, conversation_id=conv_id)
        emit(session, ConversationBotHandoff.of(conv, reason="customer_asked", text=HANDOFF_TEXT),
             workspace_id=ws)
        await session.commit()
        await dispatcher.drain()
    first = await get_entry(session, workspace_id=ws, conversation_id=normal)
    second = await get_entry(session, workspace_id=ws, conversation_id=vip)
    assert first is not None and second is not None
    assert (first.status, second.status) == ("waiting", "waiting")
    assert first.queue_id == second.queue_id and first.enqueued_at <= second.enqueued_at
    assert (first.priority, second.priority, second.vip) == (1, 2, True)

    # 강태민 (installation 5, Korean) comes back with room for exactly one chat.
    admin = Actor(workspace_id=ws, user_id=owner.admin.user_id, role="admin")
    await do_update_user(session, actor=admin, user_id=people["taemin.kang"],
                         user_in=UserUpdate(capacity={"chat": 1, "voice": 1, "email": 5}))
    await do_set_presence(session, workspace_id=ws, user_id=people["taemin.kang"],
                          presence="online")
    await session.commit()
    await dispatcher.drain()
    session.expire_all()
    vip_conv = await get_conversation(session, workspace_id=ws, conversation_id=vip)
    normal_conv = await get_conversation(session, workspace_id=ws, conversation_id=normal)
    assert vip_conv.assignee_id == people["taemin.kang"]
    assert normal_conv.assignee_id is None  # 김민지 is online but not on the installation team
    waiting = await get_entry(session, workspace_id=ws, conversation_id=normal)
    assert waiting is not None and waiting.status == "waiting"
