"""Ownership cannot loop: the bot never answers while a human owns the conversation."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from omnidesk.domains.agents.models import User
from omnidesk.domains.conversations.actions import (
    do_add_message,
    do_assign,
    do_handoff_to_human,
    do_return_to_bot,
    do_set_status,
)
from omnidesk.domains.conversations.models import OWNERS, Conversation
from omnidesk.domains.workspaces.schemas import WEEKDAYS

from .conftest import PENDING, Chat, Store, make_store

CUSTOMER_LINES = ("주문 취소하고 싶어요", "Where is my order?", "상담원 연결해 주세요", "네",
                  "Tell me a joke", f"{PENDING} 환불 언제 되나요?", "안녕하세요")
STEPS = ("customer", "customer", "assign", "agent_reply", "unassign", "resolve",
         "return_to_bot", "handoff")


async def _agent(chat: Chat) -> int:
    async with chat.session_factory() as session:
        user = User(workspace_id=chat.workspace_id, email=f"a{chat.workspace_id}@x.example",
                    name="상담원")
        session.add(user)
        await session.commit()
        return user.id


async def _act(chat: Chat, step: str, agent_id: int) -> None:
    async with chat.session_factory() as session:
        conv = await session.get(Conversation, chat.conversation_id)
        assert conv is not None
        if step == "assign":
            await do_assign(session, conv=conv, assignee_id=agent_id, actor_kind="user")
        elif step == "unassign":
            await do_assign(session, conv=conv, assignee_id=None, actor_kind="user")
        elif step == "agent_reply":
            await do_add_message(session, conv=conv, text="상담원입니다.", author_kind="agent",
                                 author_id=agent_id)
        elif step == "resolve":
            await do_set_status(session, conv=conv, status="resolved", actor_kind="user")
        elif step == "return_to_bot":
            await do_return_to_bot(session, conv=conv, actor_kind="user", actor_id=agent_id)
        elif step == "handoff":
            await do_handoff_to_human(session, conv=conv, reason="rule")
        await session.commit()
    await chat.drain()


def _check_invariants(conv: Conversation) -> None:
    assert conv.owner in OWNERS
    if conv.status == "resolved":
        assert conv.owner == "resolved"
    elif conv.assignee_id is not None:
        assert conv.owner == "agent"


async def test_random_event_sequences_never_let_the_bot_talk_over_a_human(
        signed_in: Chat, store: Store) -> None:
    agent_id = await _agent(signed_in)
    for seed in (7, 11):
        rng = random.Random(seed)
        await signed_in.say("안녕하세요")
        for _ in range(14):
            step = rng.choice(STEPS)
            if step == "customer":
                before = (await signed_in.conversation()).owner
                reply = await signed_in.say(rng.choice(CUSTOMER_LINES))
                if before in ("queued", "agent"):
                    assert reply == "", f"bot answered while {before} (seed {seed})"
            else:
                await _act(signed_in, step, agent_id)
            _check_invariants(await signed_in.conversation())


async def test_an_agent_taking_over_before_the_bot_runs_silences_it(signed_in: Chat,
                                                                    store: Store) -> None:
    agent_id = await _agent(signed_in)
    await signed_in.say("안녕하세요")
    async with signed_in.session_factory() as session:
        conv = await session.get(Conversation, signed_in.conversation_id)
        from omnidesk.domains.conversations.actions import do_receive_inbound
        from omnidesk.domains.conversations.schemas import InboundMessage

        await do_receive_inbound(session, workspace_id=store.workspace_id, inbound=InboundMessage(
            channel="web", identity_kind="user_id", identity_value="u-minji",
            identity_verified=True, text="주문 취소하고 싶어요"))
        await do_assign(session, conv=conv, assignee_id=agent_id, actor_kind="user")
        await session.commit()
    before = len(await signed_in.bot_messages())
    await signed_in.drain()
    assert len(await signed_in.bot_messages()) == before
    assert (await signed_in.conversation()).owner == "agent"


async def test_a_second_handoff_does_nothing(signed_in: Chat, store: Store) -> None:
    await signed_in.say("상담원 연결해 주세요")
    async with signed_in.session_factory() as session:
        conv = await session.get(Conversation, signed_in.conversation_id)
        assert conv is not None
        assert await do_handoff_to_human(session, conv=conv, reason="again") is False
        await session.commit()
    assert len(await signed_in.events("bot_handoff")) == 1


async def test_a_vip_customer_goes_straight_to_a_person(session, session_factory) -> None:
    from omnidesk.domains.workspaces.actions import do_create_workspace
    from omnidesk.domains.workspaces.schemas import WorkspaceCreate

    ws = await do_create_workspace(session, workspace_in=WorkspaceCreate(slug="vip", name="V"))
    await make_store(session, ws.id, bot={"handoff_vip": True})
    chat = Chat(session_factory, ws.id, ("user_id", "u-minji", True))
    assert "상담원에게 연결" in await chat.say("주문 취소하고 싶어요")
    [handoff] = await chat.events("bot_handoff")
    assert handoff.data["reason"] == "vip_customer"


async def test_a_customer_tagged_with_a_vip_tier_goes_to_a_person_untagged_ones_stay(
        session, session_factory) -> None:
    from omnidesk.domains.customers.models import Customer
    from omnidesk.domains.workspaces.actions import do_create_workspace
    from omnidesk.domains.workspaces.schemas import WorkspaceCreate

    for slug, tags in (("plain", []), ("tagged", ["Black-Card"])):  # the workspace's own case
        ws = await do_create_workspace(session, workspace_in=WorkspaceCreate(slug=slug, name=slug))
        store = await make_store(session, ws.id, bot={"handoff_vip": True,
                                                      "vip_tiers": ["black-card"]})
        customer = await session.get(Customer, store.customer_id)
        assert customer is not None
        customer.tags = tags
        await session.commit()
        chat = Chat(session_factory, ws.id, ("user_id", "u-minji", True))
        await chat.say("주문 취소하고 싶어요")
        handoffs = [e.data["reason"] for e in await chat.events("bot_handoff")]
        assert handoffs == (["vip_customer"] if tags else []), slug


async def test_outside_business_hours_the_bot_says_when_a_person_answers(
        session, session_factory) -> None:
    from omnidesk.domains.workspaces.actions import do_create_workspace
    from omnidesk.domains.workspaces.schemas import WorkspaceCreate

    ws = await do_create_workspace(session, workspace_in=WorkspaceCreate(slug="night", name="N"))
    today = dt.datetime.now(ZoneInfo("Asia/Seoul")).date().isoformat()
    hours = {"timezone": "Asia/Seoul", "holidays": [today],  # closed all of today
             "weekly": {d: [["09:00", "18:00"]] for d in WEEKDAYS}}
    await make_store(session, ws.id, hours=hours)
    chat = Chat(session_factory, ws.id, ("user_id", "u-minji", True))
    reply = await chat.say("사람이랑 얘기하고 싶어요")
    assert "상담 시간이 아니에요" in reply and "09:00" in reply
    assert "help@acme.example" in reply and "전화 회신" in reply
    assert (await chat.conversation()).owner == "queued"


async def test_with_the_bot_off_for_a_channel_humans_own_new_conversations(
        session, session_factory) -> None:
    from omnidesk.domains.workspaces.actions import do_create_workspace
    from omnidesk.domains.workspaces.schemas import WorkspaceCreate

    ws = await do_create_workspace(session, workspace_in=WorkspaceCreate(slug="off", name="O"))
    await make_store(session, ws.id, bot={"channels": ["kakao"]})
    chat = Chat(session_factory, ws.id, ("user_id", "u-minji", True))
    assert await chat.say("주문 취소하고 싶어요") == ""
    assert (await chat.conversation()).owner == "queued"
