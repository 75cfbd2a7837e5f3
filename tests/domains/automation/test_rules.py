"""Automation rules on catalogue events: conditions, ordered actions, the loop guard, dry runs."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.app.catalogue import load_catalogue
from omnidesk.core.dispatcher import Dispatcher
from omnidesk.core.events import EventDelivery, OutboxEvent, SubscriberRegistry, emit
from omnidesk.domains.agents.actions import do_create_team
from omnidesk.domains.agents.schemas import TeamCreate
from omnidesk.domains.automation import subscribers
from omnidesk.domains.automation.actions import check_create_rule, check_update_rule
from omnidesk.domains.automation.models import AutomationRun
from omnidesk.domains.automation.schemas import RuleCreate, RuleUpdate
from omnidesk.domains.conversations.actions import do_add_message, do_assign, do_set_status
from omnidesk.domains.conversations.models import Conversation, ConversationEvent
from omnidesk.domains.feedback.events import SurveyAnswered
from omnidesk.domains.feedback.models import Survey, SurveySettings
from omnidesk.domains.routing.events import SlaBreached
from tests.conftest import Persona, make_persona
from tests.domains.routing.routing_setup import make_conversation


def _dispatcher(session_factory: async_sessionmaker[AsyncSession]) -> Dispatcher:
    registry = SubscriberRegistry()
    subscribers.register(registry, list(load_catalogue().values()))
    return Dispatcher(session_factory, registry)


async def _rule(session: AsyncSession, owner: Persona, **fields: object) -> int:
    rule = await check_create_rule(session, actor=owner.admin,
                                   rule_in=RuleCreate.model_validate(fields))
    await session.commit()
    return rule.id


async def _timeline(session: AsyncSession, conv_id: int) -> list[dict[str, object]]:
    rows = await session.scalars(select(ConversationEvent).where(
        ConversationEvent.conversation_id == conv_id, ConversationEvent.kind == "automation")
        .order_by(ConversationEvent.id))
    return [r.data for r in rows.all()]


async def test_an_sla_breach_rule_escalates_and_notifies(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona,
) -> None:
    team = await do_create_team(session, actor=owner.admin, team_in=TeamCreate(name="에스컬레이션"))
    conv_id, _ = await make_conversation(session, owner.admin)
    await session.commit()
    await _rule(session, owner, name="SLA 위반 에스컬레이션", events=["sla.breached"],
                conditions=[{"field": "priority", "op": "not_in", "value": ["urgent"]}],
                actions=[{"type": "set_priority", "priority": "urgent"},
                         {"type": "assign_team", "team_id": team.id},
                         {"type": "notify", "user_id": owner.admin.user_id,
                          "text": "SLA breached"}])
    emit(session, SlaBreached(conversation_id=conv_id, metric="first_response",
                              state="breached", target_seconds=60, elapsed_seconds=90),
         workspace_id=owner.workspace_id)
    await session.commit()
    await _dispatcher(session_factory).drain()

    async with session_factory() as check:
        conv = await check.get_one(Conversation, conv_id)
        assert (conv.priority, conv.team_id) == ("urgent", team.id)
        notified = (await check.scalars(select(OutboxEvent).where(
            OutboxEvent.name == "automation.notified"))).all()
        assert [n.payload["user_id"] for n in notified] == [owner.admin.user_id]
        steps = await _timeline(check, conv_id)
        assert [(s["action"], s["outcome"]) for s in steps] == [
            ("set_priority", "done"), ("assign_team", "done"), ("notify", "done")]
        assert {s["name"] for s in steps} == {"SLA 위반 에스컬레이션"}


async def test_a_rule_that_would_trigger_itself_stops_with_a_logged_reason(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona,
    caplog: pytest.LogCaptureFixture,
) -> None:
    conv_id, _ = await make_conversation(session, owner.admin)
    await session.commit()
    rule_id = await _rule(session, owner, name="ping-pong", events=["conversation.assigned"],
                          actions=[{"type": "assign_agent", "user_id": owner.admin.user_id}])
    conv = await session.get_one(Conversation, conv_id)
    await do_assign(session, conv=conv, assignee_id=owner.agent.user_id)
    await session.commit()
    with caplog.at_level(logging.WARNING, logger="omnidesk.automation"):
        await _dispatcher(session_factory).drain()

    async with session_factory() as check:
        runs = (await check.scalars(select(AutomationRun).order_by(AutomationRun.id))).all()
        assert [r.status for r in runs] == ["done", "stopped"]
        assert "would trigger itself" in runs[1].detail["reason"]
        assert (await check.get_one(Conversation, conv_id)).assignee_id == owner.admin.user_id
    assert any(f"loop guard stopped rule {rule_id}" in r.getMessage() for r in caplog.records)


async def test_rules_run_in_order_on_matching_customer_messages_and_can_stop_the_rest(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona,
) -> None:
    conv_id, _ = await make_conversation(session, owner.admin, channel="web")
    await session.commit()
    await _rule(session, owner, name="환불", events=["message.created"], stop_processing=True,
                conditions=[{"field": "text", "op": "contains", "value": ["환불", "refund"]},
                            {"field": "language", "op": "in", "value": ["ko"]}],
                actions=[{"type": "add_label", "label": "refund"},
                         {"type": "note", "text": "환불 문의: {{conversation.id}}"}])
    await _rule(session, owner, name="나머지", events=["message.created"],
                actions=[{"type": "add_label", "label": "other"}])
    conv = await session.get_one(Conversation, conv_id)
    await do_add_message(session, conv=conv, text="Refund please, 환불해 주세요",
                         author_kind="customer")
    await do_add_message(session, conv=conv, text="확인해 볼게요", author_kind="agent",
                         author_id=owner.agent.user_id)  # not a customer message: no rule
    await session.commit()
    await _dispatcher(session_factory).drain()

    async with session_factory() as check:
        conv = await check.get_one(Conversation, conv_id)
        assert conv.labels == ["refund"]
        assert [(s["action"], s["name"]) for s in await _timeline(check, conv_id)] == [
            ("add_label", "환불"), ("note", "환불")]
        runs = (await check.scalars(select(AutomationRun))).all()
        assert len(runs) == 1


async def test_only_events_with_enabled_rules_get_a_delivery(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona,
) -> None:
    other = await make_persona(session, "globex")
    conv_id, _ = await make_conversation(session, owner.admin)
    await session.commit()
    await _rule(session, other, name="elsewhere", events=["message.created"],
                actions=[{"type": "add_label", "label": "x"}])
    rule_id = await _rule(session, owner, name="off", events=["message.created"],
                          enabled=False, actions=[{"type": "add_label", "label": "x"}])
    conv = await session.get_one(Conversation, conv_id)
    dispatcher = _dispatcher(session_factory)

    async def deliveries_after_a_message() -> int:
        await do_add_message(session, conv=conv, text="hi", author_kind="customer")
        await session.commit()
        await dispatcher.drain()
        return len((await session.scalars(select(EventDelivery))).all())

    assert await deliveries_after_a_message() == 0  # disabled here, enabled elsewhere
    await check_update_rule(session, actor=owner.admin, rule_id=rule_id,
                            rule_in=RuleUpdate(enabled=True))
    await session.commit()
    assert await deliveries_after_a_message() == 1


async def test_a_low_survey_score_triggers_a_rule_and_a_resolved_one_plans_a_survey(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession], owner: Persona,
) -> None:
    conv_id, customer_id = await make_conversation(session, owner.admin)
    session.add(SurveySettings(workspace_id=owner.workspace_id, enabled=True))
    await session.commit()
    await _rule(session, owner, name="낮은 만족도", events=["survey.answered"],
                conditions=[{"field": "score", "op": "lte", "value": 2}],
                actions=[{"type": "add_label", "label": "low-csat"}])
    await _rule(session, owner, name="해결 후 설문", events=["conversation.resolved"],
                actions=[{"type": "send_survey"}])
    for score in (5, 1):
        emit(session, SurveyAnswered(survey_id=score, conversation_id=conv_id,
                                     customer_id=customer_id, kind="csat", channel="web",
                                     answer_id=score, score=score),
             workspace_id=owner.workspace_id)
    conv = await session.get_one(Conversation, conv_id)
    await do_set_status(session, conv=conv, status="resolved")
    await session.commit()
    await _dispatcher(session_factory).drain()

    async with session_factory() as check:
        assert (await check.get_one(Conversation, conv_id)).labels == ["low-csat"]
        planned = (await check.scalars(select(Survey))).all()
        assert [(s.conversation_id, s.status) for s in planned] == [(conv_id, "scheduled")]
