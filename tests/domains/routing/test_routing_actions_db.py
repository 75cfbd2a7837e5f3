"""DB-backed routing on SQLite and PostgreSQL: enqueue, assign, offers, presence, release."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.core.db import utcnow
from omnidesk.core.errors import Conflict
from omnidesk.core.events import OutboxEvent
from omnidesk.domains.agents.actions import do_create_team
from omnidesk.domains.agents.models import User
from omnidesk.domains.agents.schemas import TeamCreate
from omnidesk.domains.assist.service import customer_standing
from omnidesk.domains.commerce.models import Order
from omnidesk.domains.conversations.service import get_conversation
from omnidesk.domains.routing.actions import (
    do_assign_next,
    do_enqueue,
    do_release,
    do_set_presence,
)
from omnidesk.domains.routing.assignment.claims import claim_waiting_entry_and_capacity
from omnidesk.domains.routing.models import AgentStateRow, RoutingRuleRow
from omnidesk.domains.routing.queues.actions import do_accept_offer, do_expire_offers, do_overflow
from omnidesk.domains.routing.service import get_agent_state, get_entry
from tests.conftest import Persona

from .routing_setup import make_agent, make_conversation, make_queue, make_rule


async def names(session: AsyncSession, prefix: str) -> list[str]:
    rows = await session.scalars(
        select(OutboxEvent.name).where(OutboxEvent.name.like(f"{prefix}%")).order_by(OutboxEvent.id)
    )
    return list(rows.all())


async def test_rules_choose_the_queue_and_enqueue_is_idempotent(
    session: AsyncSession, owner: Persona
) -> None:
    ws = owner.workspace_id
    general = await make_queue(session, ws, "general", is_default=True)
    vip = await make_queue(session, ws, "vip")
    await make_rule(session, ws, vip, {"tier": "vip"}, priority="high")
    plain, _ = await make_conversation(session, owner.admin)
    special, _ = await make_conversation(session, owner.admin,
                                         attributes={"tier": "VIP", "total_spent": 1_500_000})
    first = await do_enqueue(session, workspace_id=ws, conversation_id=plain)
    again = await do_enqueue(session, workspace_id=ws, conversation_id=plain)
    routed = await do_enqueue(session, workspace_id=ws, conversation_id=special)
    assert first is not None and again is not None and routed is not None
    assert first.id == again.id and first.queue_id == general
    assert (routed.queue_id, routed.priority, routed.vip) == (vip, 3 - 1, True)
    assert await names(session, "routing.") == ["routing.enqueued", "routing.enqueued"]


async def test_rules_apply_in_position_order_and_an_edit_applies_to_the_next_enqueue(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona
) -> None:
    """The rules are read with enqueue's other facts and parsed once per distinct text: an edit
    made through another session (another process) is what the very next enqueue obeys."""
    ws = owner.workspace_id
    await make_queue(session, ws, "general", is_default=True)
    first, second, off = [await make_queue(session, ws, name) for name in ("first", "second", "off")]
    await make_rule(session, ws, off, {"channel": ["web"]}, name="off", position=0,
                    is_active=False)
    await make_rule(session, ws, second, {"channel": ["web"]}, name="second", position=2)
    await make_rule(session, ws, first, {"channel": ["web"]}, name="first", position=1)
    await session.commit()

    async def route() -> tuple[int, str | None]:
        conv, _ = await make_conversation(session, owner.admin)
        entry = await do_enqueue(session, workspace_id=ws, conversation_id=conv)
        assert entry is not None
        await session.commit()
        return entry.queue_id, entry.rule_name

    assert await route() == (first, "first")
    async with session_factory() as admin:
        await admin.execute(update(RoutingRuleRow).where(RoutingRuleRow.name == "first")
                            .values(conditions={"channel": ["email"]}))
        await admin.commit()
    assert await route() == (second, "second")
    async with session_factory() as admin:
        await admin.execute(update(RoutingRuleRow).where(RoutingRuleRow.name == "off")
                            .values(is_active=True))
        await admin.commit()
    assert await route() == (off, "off")


async def test_an_agent_deactivated_after_matching_gets_no_capacity(
    session: AsyncSession, owner: Persona
) -> None:
    """Assigning does not read the user again: the capacity claim itself requires an active
    user, so an agent deactivated between the match and the claim is not given the work."""
    ws = owner.workspace_id
    await make_queue(session, ws, "general", is_default=True)
    agent = await make_agent(session, owner.admin, "mina", capacity={"chat": 2})
    conv, _ = await make_conversation(session, owner.admin)
    entry = await do_enqueue(session, workspace_id=ws, conversation_id=conv)
    assert entry is not None
    await session.execute(update(User).where(User.id == agent).values(is_active=False))
    claimed, taken = await claim_waiting_entry_and_capacity(
        session, workspace_id=ws, entry_id=entry.id, values={"status": "assigned",
        "agent_id": agent}, user_id=agent, channel="chat", now=utcnow())  # fmt: skip
    assert claimed is not None and not taken
    state = await get_agent_state(session, workspace_id=ws, user_id=agent)
    assert state is not None and state.chat_load == 0


async def test_assignment_respects_capacity_and_assigns_the_conversation(
    session: AsyncSession, owner: Persona
) -> None:
    ws = owner.workspace_id
    queue = await make_queue(session, ws, "general", is_default=True)
    agent = await make_agent(session, owner.admin, "mina", capacity={"chat": 2})
    convs = [(await make_conversation(session, owner.admin))[0] for _ in range(3)]
    for conv in convs:
        await do_enqueue(session, workspace_id=ws, conversation_id=conv)
    assigned = await do_assign_next(session, workspace_id=ws, queue_id=queue)
    assert [e.conversation_id for e in assigned] == convs[:2]
    assert {e.agent_id for e in assigned} == {agent}
    state = await get_agent_state(session, workspace_id=ws, user_id=agent)
    assert state is not None and state.chat_load == 2
    conv = await get_conversation(session, workspace_id=ws, conversation_id=convs[0])
    assert conv.assignee_id == agent
    assert await do_assign_next(session, workspace_id=ws, queue_id=queue) == []
    await do_release(session, workspace_id=ws, conversation_id=convs[0])
    [third] = await do_assign_next(session, workspace_id=ws, queue_id=queue)
    assert third.conversation_id == convs[2]


async def test_language_and_skills_decide_who_gets_it(
    session: AsyncSession, owner: Persona
) -> None:
    ws = owner.workspace_id
    queue = await make_queue(
        session, ws, "billing", is_default=True, required_skills={"billing": 3}
    )
    await make_agent(session, owner.admin, "novice", skills={"billing": 2})
    await make_agent(session, owner.admin, "english", skills={"billing": 5}, languages=("en",))
    expert = await make_agent(session, owner.admin, "expert", skills={"billing": 4})
    conv, _ = await make_conversation(session, owner.admin, language="ko")
    await do_enqueue(session, workspace_id=ws, conversation_id=conv)
    [entry] = await do_assign_next(session, workspace_id=ws, queue_id=queue)
    assert entry.agent_id == expert


async def test_voice_is_offered_then_accepted_or_expired(
    session: AsyncSession, owner: Persona
) -> None:
    ws = owner.workspace_id
    queue = await make_queue(session, ws, "phone", is_default=True, offer_timeout_seconds=15)
    agent = await make_agent(session, owner.admin, "caller")
    first, _ = await make_conversation(session, owner.admin, channel="voice")
    second, _ = await make_conversation(session, owner.admin, channel="voice")
    for conv in (first, second):
        await do_enqueue(session, workspace_id=ws, conversation_id=conv)
    now = utcnow()
    [offer] = await do_assign_next(session, workspace_id=ws, queue_id=queue, now=now)
    assert offer.status == "offered" and offer.conversation_id == first
    accepted = await do_accept_offer(
        session,
        workspace_id=ws,
        user_id=agent,
        conversation_id=first,
        now=now + dt.timedelta(seconds=5),
    )
    assert accepted.status == "assigned"
    await do_release(session, workspace_id=ws, conversation_id=first)
    [offer] = await do_assign_next(session, workspace_id=ws, queue_id=queue, now=now)
    late = now + dt.timedelta(seconds=16)
    with pytest.raises(Conflict):
        await do_accept_offer(
            session, workspace_id=ws, user_id=agent, conversation_id=second, now=late
        )
    [expired] = await do_expire_offers(session, workspace_id=ws, now=late)
    assert expired.status == "waiting" and expired.conversation_id == second
    state = await get_agent_state(session, workspace_id=ws, user_id=agent)
    assert state is not None and state.voice_load == 0
    assert "routing.offer_expired" in await names(session, "routing.")


async def test_going_offline_requeues_and_another_agent_takes_over(
    session: AsyncSession, owner: Persona
) -> None:
    ws = owner.workspace_id
    queue = await make_queue(session, ws, "general", is_default=True)
    leaver = await make_agent(session, owner.admin, "leaver")
    conv, _ = await make_conversation(session, owner.admin)
    await do_enqueue(session, workspace_id=ws, conversation_id=conv)
    [entry] = await do_assign_next(session, workspace_id=ws, queue_id=queue)
    assert entry.agent_id == leaver
    await do_set_presence(session, workspace_id=ws, user_id=leaver, presence="offline")
    entry = await get_entry(session, workspace_id=ws, conversation_id=conv)  # type: ignore[assignment]
    assert (entry.status, entry.agent_id, entry.last_agent_id) == ("waiting", None, leaver)
    assert (
        await get_conversation(session, workspace_id=ws, conversation_id=conv)
    ).assignee_id is None
    state = await get_agent_state(session, workspace_id=ws, user_id=leaver)
    assert state is not None and (state.presence, state.chat_load) == ("offline", 0)
    helper = await make_agent(session, owner.admin, "helper")
    [again] = await do_assign_next(session, workspace_id=ws, queue_id=queue)
    assert again.agent_id == helper
    assert "routing.requeued" in await names(session, "routing.")


async def test_sticky_routing_returns_the_customer_to_their_last_agent(
    session: AsyncSession, owner: Persona
) -> None:
    ws = owner.workspace_id
    queue = await make_queue(session, ws, "general", is_default=True, sticky_window_seconds=86_400)
    first_agent = await make_agent(session, owner.admin, "first")
    conv, customer = await make_conversation(session, owner.admin)
    await do_enqueue(session, workspace_id=ws, conversation_id=conv)
    [entry] = await do_assign_next(session, workspace_id=ws, queue_id=queue)
    assert entry.agent_id == first_agent
    await do_release(session, workspace_id=ws, conversation_id=conv)
    await make_agent(session, owner.admin, "idle-longer")
    await session.execute(  # make the other agent the longest idle
        update(AgentStateRow)
        .where(AgentStateRow.user_id != first_agent)
        .values(idle_since=utcnow() - dt.timedelta(hours=1))
    )
    follow_up, _ = await make_conversation(session, owner.admin, customer_id=customer)
    queued = await do_enqueue(session, workspace_id=ws, conversation_id=follow_up)
    assert queued is not None and queued.last_agent_id == first_agent
    [again] = await do_assign_next(session, workspace_id=ws, queue_id=queue)
    assert again.agent_id == first_agent


async def test_overflow_moves_long_waits_to_the_next_queue(
    session: AsyncSession, owner: Persona
) -> None:
    ws = owner.workspace_id
    backup = await make_queue(session, ws, "backup")
    await make_queue(
        session, ws, "front", is_default=True, overflow_queue_id=backup, overflow_after_seconds=60
    )
    conv, _ = await make_conversation(session, owner.admin)
    then = utcnow()
    await do_enqueue(session, workspace_id=ws, conversation_id=conv, now=then)
    assert await do_overflow(session, workspace_id=ws, now=then + dt.timedelta(seconds=30)) == []
    [moved] = await do_overflow(session, workspace_id=ws, now=then + dt.timedelta(seconds=61))
    assert moved.queue_id == backup
    count = await session.scalar(
        select(func.count())
        .select_from(OutboxEvent)
        .where(OutboxEvent.name == "routing.overflowed")
    )
    assert count == 1


async def test_a_team_queue_only_reaches_its_members(session: AsyncSession, owner: Persona) -> None:
    ws = owner.workspace_id
    outsider = await make_agent(session, owner.admin, "outsider")
    member = await make_agent(session, owner.admin, "member")
    await session.execute(  # the outsider has been idle the longest
        update(AgentStateRow)
        .where(AgentStateRow.user_id == outsider)
        .values(idle_since=utcnow() - dt.timedelta(hours=2))
    )
    team = await do_create_team(
        session, actor=owner.admin, team_in=TeamCreate(name="billing", member_ids=[member])
    )
    queue = await make_queue(session, ws, "billing", is_default=True, team_id=team.id)
    conv, _ = await make_conversation(session, owner.admin)
    await do_enqueue(session, workspace_id=ws, conversation_id=conv)
    [entry] = await do_assign_next(session, workspace_id=ws, queue_id=queue)
    assert entry.agent_id == member


async def test_the_computed_tier_routes_not_the_stored_attribute(
    session: AsyncSession, owner: Persona
) -> None:
    """A stored 'vip' with no spend is not a VIP; a stored 'basic' whose orders reach the VIP
    threshold is one: routing asks the tier the agent's panel and the bot show."""
    ws = owner.workspace_id
    general = await make_queue(session, ws, "general", is_default=True)
    vip = await make_queue(session, ws, "vip")
    await make_rule(session, ws, vip, {"tier": "vip"}, priority="high")
    stale, _ = await make_conversation(session, owner.admin, attributes={"tier": "vip"})
    quiet, customer_id = await make_conversation(session, owner.admin,
                                                 attributes={"tier": "basic"})
    session.add(Order(workspace_id=ws, customer_id=customer_id, external_id="HB-VIP-1",
                      status="delivered", total=Decimal(1_200_000), placed_at=utcnow()))
    await session.flush()
    assert (await customer_standing(session, workspace_id=ws, customer_id=customer_id))[0] == "vip"
    not_vip = await do_enqueue(session, workspace_id=ws, conversation_id=stale)
    is_vip = await do_enqueue(session, workspace_id=ws, conversation_id=quiet)
    assert not_vip is not None and is_vip is not None
    assert (not_vip.queue_id, not_vip.vip) == (general, False)
    assert (is_vip.queue_id, is_vip.vip) == (vip, True)


async def test_routing_and_the_bot_call_the_same_customers_vip(
    session: AsyncSession, owner: Persona
) -> None:
    """One VIP rule: the workspace's "VIP tiers" (bot settings) decide routing's VIP flag as they
    decide the bot's hand-off; routing used to call only the tier or tag "vip" a VIP."""
    from omnidesk.domains.bot.policy import bot_settings
    from omnidesk.domains.bot.service import is_vip
    from omnidesk.domains.customers.models import Customer
    from omnidesk.domains.workspaces.models import Workspace

    ws = owner.workspace_id
    await make_queue(session, ws, "general", is_default=True)
    workspace = await session.get(Workspace, ws)
    assert workspace is not None
    workspace.settings = {**(workspace.settings or {}), "bot": {"vip_tiers": ["Gold"]}}
    gold, gold_customer = await make_conversation(session, owner.admin)
    tagged, tagged_customer = await make_conversation(session, owner.admin)
    for customer_id, tags in ((gold_customer, ["gold"]), (tagged_customer, ["vip"])):
        customer = await session.get(Customer, customer_id)
        assert customer is not None
        customer.tags = tags
    await session.flush()
    settings = bot_settings(workspace.settings)
    for conv, customer_id, expected in ((gold, gold_customer, True),
                                        (tagged, tagged_customer, False)):
        entry = await do_enqueue(session, workspace_id=ws, conversation_id=conv)
        assert entry is not None and entry.vip is expected
        assert await is_vip(session, workspace_id=ws, customer_id=customer_id,
                            settings=settings) is expected


async def test_a_change_of_the_workspaces_settings_or_hours_is_seen_by_the_next_decision(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona
) -> None:
    """A decision parses the workspace's segments, tiers, VIP keys and hours once per version of
    them (``routing.service.workspace_rules``, ``inbox_calendar``); a decision after a change,
    in another transaction, routes, flags and times by the changed ones."""
    from omnidesk.domains.routing.models import SlaPolicyRow
    from omnidesk.domains.workspaces.models import Workspace

    ws = owner.workspace_id
    await make_queue(session, ws, "general", is_default=True)
    care = await make_queue(session, ws, "care")
    await make_rule(session, ws, care, {"segment": ["loyal"]})
    session.add(SlaPolicyRow(workspace_id=ws, name="default", is_default=True,
                             targets={"normal": {"first_response": 3600}}))
    always = {"timezone": "UTC", "weekly": {day: [["00:00", "24:00"]] for day in
              ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}}  # fmt: skip
    workspace = await session.get(Workspace, ws)
    assert workspace is not None
    workspace.business_hours = always
    workspace.settings = {**(workspace.settings or {}), "bot": {"vip_tiers": ["nobody"]},
                          "segments": [{"key": "loyal", "rules": [
                              {"field": "orders", "op": ">=", "value": 2}]}]}
    first, customer = await make_conversation(session, owner.admin)
    second, _ = await make_conversation(session, owner.admin, customer_id=customer)
    session.add(Order(workspace_id=ws, customer_id=customer, external_id="LOYAL-1",
                      status="delivered", total=Decimal(1000), placed_at=utcnow()))
    await session.commit()
    monday_ten = dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)

    async with session_factory() as fresh:
        entry = await do_enqueue(fresh, workspace_id=ws, conversation_id=first, now=monday_ten)
        assert entry is not None
        assert (entry.queue_id != care, entry.vip) == (True, False)
        assert entry.sla_due_at == monday_ten + dt.timedelta(hours=1)
        await fresh.commit()

    workspace.settings = {**workspace.settings, "bot": {"vip_tiers": ["loyal"]},
                          "segments": [{"key": "loyal", "rules": [
                              {"field": "orders", "op": ">=", "value": 1}]}]}
    workspace.business_hours = {**always, "weekly": {**always["weekly"],
                                                     "mon": [["11:00", "24:00"]]}}
    await session.commit()

    async with session_factory() as fresh:
        entry = await do_enqueue(fresh, workspace_id=ws, conversation_id=second, now=monday_ten)
        assert entry is not None
        assert (entry.queue_id, entry.vip) == (care, True)
        assert entry.sla_due_at == monday_ten + dt.timedelta(hours=2)  # opens at 11:00


async def test_a_segment_rule_routes_by_the_conversations_customers_segments(
    session: AsyncSession, owner: Persona
) -> None:
    """Enqueue reads the customer's facts within its own statement: the segments a rule tests are
    those ``customer_standing`` (the agent's panel, the bot, campaigns) gives that customer, from
    their orders, never another customer's, and a merged customer has none."""
    from omnidesk.domains.customers.models import Customer
    from omnidesk.domains.workspaces.models import Workspace

    ws = owner.workspace_id
    general = await make_queue(session, ws, "general", is_default=True)
    care = await make_queue(session, ws, "care")
    await make_rule(session, ws, care, {"segment": ["repeat_buyer"]})
    workspace = await session.get(Workspace, ws)
    assert workspace is not None
    workspace.settings = {**(workspace.settings or {}), "segments": [
        {"key": "repeat_buyer", "name_en": "Repeat buyers",
         "rules": [{"field": "orders", "op": ">=", "value": 2}]}]}
    repeat, repeat_customer = await make_conversation(session, owner.admin)
    once, once_customer = await make_conversation(session, owner.admin)
    merged, merged_customer = await make_conversation(session, owner.admin)
    for n, customer_id in enumerate((repeat_customer, repeat_customer, once_customer,
                                     merged_customer, merged_customer)):
        session.add(Order(workspace_id=ws, customer_id=customer_id, external_id=f"SEG-{n}",
                          status="delivered", total=Decimal(1000), placed_at=utcnow()))
    gone = await session.get(Customer, merged_customer)
    assert gone is not None
    gone.merged_into_id = once_customer
    await session.flush()
    for conv, customer_id, queue in ((repeat, repeat_customer, care),
                                     (once, once_customer, general),
                                     (merged, merged_customer, general)):
        entry = await do_enqueue(session, workspace_id=ws, conversation_id=conv)
        assert entry is not None and entry.queue_id == queue
        segments = (await customer_standing(session, workspace_id=ws,
                                            customer_id=customer_id))[1]
        assert ("repeat_buyer" in segments) is (queue == care)
