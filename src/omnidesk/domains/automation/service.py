"""Automation reads: rules, runs, the loop guard's facts and the facts conditions test."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from sqlalchemy import CompoundSelect, and_, func, literal, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from omnidesk.core.context import Actor
from omnidesk.core.db import get_in_workspace, utcnow
from omnidesk.core.errors import NotFound
from omnidesk.core.events import DEAD, PENDING, Event, EventDelivery, OutboxEvent
from omnidesk.domains.agents.service import get_user
from omnidesk.domains.assist.service import customer_standing
from omnidesk.domains.automation.conditions import Facts, failed
from omnidesk.domains.automation.models import (
    AutomationCause,
    AutomationRule,
    AutomationRun,
    Macro,
    WebhookAllowedHost,
    WebhookDelivery,
    WebhookEndpoint,
)
from omnidesk.domains.automation.schemas import (
    Condition,
    DryRunItem,
    DryRunRead,
    WebhookDeliveryRead,
)
from omnidesk.domains.automation.triggers import BY_NAME, accepts
from omnidesk.domains.conversations.models import Conversation
from omnidesk.domains.conversations.service import (
    find_conversation,
    get_last_inbound_message,
    latest_conversation_for_customer,
)
from omnidesk.domains.customers.service import get_customer
from omnidesk.domains.inboxes.service import find_inbox, inbox_calendar
from omnidesk.domains.workspaces.service import get_workspace

DRY_RUN_EVENTS = 100
SEND_SUBSCRIBER = "automation.webhook_send"


async def list_rules(session: AsyncSession, *, workspace_id: int) -> list[AutomationRule]:
    """Return the workspace's rules in evaluation order."""
    rows = await session.scalars(
        select(AutomationRule).where(AutomationRule.workspace_id == workspace_id)
        .order_by(AutomationRule.position, AutomationRule.id))
    return list(rows.all())


async def get_rule(session: AsyncSession, *, workspace_id: int, rule_id: int) -> AutomationRule:
    """Return a rule of the workspace or raise NotFound."""
    return await get_in_workspace(session, AutomationRule, workspace_id=workspace_id,
                                  object_id=rule_id, what="automation rule")


async def rules_for_event(session: AsyncSession, *, workspace_id: int,
                          event_name: str) -> list[AutomationRule]:
    """Return the enabled rules of the workspace that trigger on this event, in order."""
    rules = await list_rules(session, workspace_id=workspace_id)
    return [r for r in rules if r.enabled and event_name in r.events]


async def cause_chain(session: AsyncSession, *, event_id: int) -> list[int]:
    """Return the rules whose actions led to this event (empty: nobody's rule caused it)."""
    cause = await session.get(AutomationCause, event_id)
    return [int(r) for r in cause.rule_ids] if cause is not None else []


async def recent_runs(session: AsyncSession, *, rule_id: int, conversation_id: int | None,
                      since: dt.datetime) -> int:
    """Count a rule's completed runs on a conversation since a moment (the rate guard)."""
    return int(await session.scalar(
        select(func.count(AutomationRun.id)).where(
            AutomationRun.rule_id == rule_id, AutomationRun.conversation_id == conversation_id,
            AutomationRun.status == "done", AutomationRun.created_at >= since)) or 0)


async def list_runs(session: AsyncSession, *, workspace_id: int, rule_id: int | None = None,
                    limit: int = 50) -> list[AutomationRun]:
    """Return the latest runs of the workspace's rules (or one rule), newest first."""
    query = select(AutomationRun).where(AutomationRun.workspace_id == workspace_id)
    if rule_id is not None:
        query = query.where(AutomationRun.rule_id == rule_id)
    rows = await session.scalars(query.order_by(AutomationRun.id.desc()).limit(limit))
    return list(rows.all())


async def recent_events(session: AsyncSession, *, workspace_id: int, names: list[str],
                        limit: int = DRY_RUN_EVENTS) -> list[OutboxEvent]:
    """Return the workspace's latest events with these names, newest first (dry runs)."""
    rows = await session.scalars(
        select(OutboxEvent).where(OutboxEvent.workspace_id == workspace_id,
                                  OutboxEvent.name.in_(names))
        .order_by(OutboxEvent.id.desc()).limit(limit))
    return list(rows.all())


async def conversation_of(session: AsyncSession, *, workspace_id: int,
                          event: Event) -> Conversation | None:
    """Return the conversation an event concerns: its own, or its customer's latest."""
    conversation_id = getattr(event, "conversation_id", None)
    if isinstance(conversation_id, int):
        return await find_conversation(session, workspace_id=workspace_id,
                                       conversation_id=conversation_id)
    customer_id = getattr(event, "customer_id", None)
    if isinstance(customer_id, int):
        return await latest_conversation_for_customer(session, workspace_id=workspace_id,
                                                      customer_id=customer_id)
    return None


async def gather(session: AsyncSession, *, workspace_id: int, event: Event,
                 conv: Conversation | None, needed: set[str]) -> Facts:
    """Collect the facts the given condition fields test (only those: each may cost a query)."""
    payload = event.model_dump()
    facts = Facts(now=utcnow(), text=str(payload.get("text") or ""))
    facts.values = {k: payload.get(k) for k in ("channel", "language", "intent", "status",
                                                "priority")}
    facts.values["inbox"] = payload.get("inbox_id")
    facts.values["score"] = payload.get("score")  # a survey answer's
    sentiment = payload.get("sentiment")
    if isinstance(sentiment, dict):
        facts.values["sentiment"] = sentiment.get("label")
    if conv is not None:
        refresh_facts(facts, conv)
        if "text" in needed and not facts.text:
            last = await get_last_inbound_message(session, workspace_id=workspace_id,
                                                  conversation_id=conv.id, channel=conv.channel)
            facts.text = last.text if last is not None else ""
    customer_id = conv.customer_id if conv is not None else payload.get("customer_id")
    if isinstance(customer_id, int):
        await _customer_facts(session, workspace_id, customer_id, needed, facts)
    if "business_hours" in needed:
        facts.open_now = await _open_now(session, workspace_id, conv)
    return facts


def refresh_facts(facts: Facts, conv: Conversation) -> None:
    """Read the conversation's current state into the facts (no query)."""
    facts.values.update(channel=conv.channel, inbox=conv.inbox_id, language=conv.language,
                        intent=conv.intent, status=conv.status, priority=conv.priority)
    facts.labels = conv.labels
    facts.last_reply_at = conv.last_agent_message_at or conv.created_at
    facts.last_customer_message_at = conv.last_customer_message_at


async def _customer_facts(session: AsyncSession, workspace_id: int, customer_id: int,
                          needed: set[str], facts: Facts) -> None:
    if "attribute" in needed:
        customer = await get_customer(session, workspace_id=workspace_id,
                                      customer_id=customer_id)
        facts.attributes = dict(customer.attributes or {})
    if needed & {"tier", "segment"}:
        tier, segments = await customer_standing(session, workspace_id=workspace_id,
                                                 customer_id=customer_id)
        facts.values["tier"], facts.segments = tier, segments


async def _open_now(session: AsyncSession, workspace_id: int, conv: Conversation | None) -> bool:
    """Ask the business calendar (the conversation's inbox's hours over the workspace's)."""
    workspace = await get_workspace(session, workspace_id=workspace_id)
    inbox = None
    if conv is not None and conv.inbox_id is not None:
        inbox = await find_inbox(session, workspace_id=workspace_id, inbox_id=conv.inbox_id)
    return inbox_calendar(workspace, inbox).is_open(utcnow())


async def dry_run(session: AsyncSession, *, workspace_id: int,
                  rule: AutomationRule) -> DryRunRead:
    """Replay a rule over the last matching events without acting: what would it have done?

    Conditions are tested against each event's payload and its conversation's and customer's
    state as they are now (the state at the time is not kept).
    """
    conditions = [Condition.model_validate(c) for c in rule.conditions]
    needed: set[str] = {c.field for c in conditions}
    items = []
    rows = await recent_events(session, workspace_id=workspace_id, names=list(rule.events),
                               limit=DRY_RUN_EVENTS * 2)
    for row in rows:
        event = _parsed(row)
        if event is None or not accepts(event):
            continue
        conv = await conversation_of(session, workspace_id=workspace_id, event=event)
        facts = await gather(session, workspace_id=workspace_id, event=event, conv=conv,
                             needed=needed)
        missed = failed(conditions, facts)
        items.append(DryRunItem(
            event_id=row.id, event_name=row.name, at=row.created_at,
            conversation_id=conv.id if conv is not None else None, matched=not missed,
            failed=missed, actions=[] if missed else summaries(rule.actions)))
        if len(items) == DRY_RUN_EVENTS:
            break
    return DryRunRead(rule_id=rule.id, events_checked=len(items),
                      would_run=sum(1 for i in items if i.matched), items=items)


def _parsed(row: OutboxEvent) -> Event | None:
    """Parse a stored event for a dry run; an unreadable old payload is skipped."""
    model = BY_NAME.get(row.name)
    try:
        return model.model_validate(row.payload) if model is not None else None
    except ValueError:
        return None


def summaries(actions: list[dict[str, Any]]) -> list[str]:
    """Describe actions for people, e.g. `set_priority priority=urgent`."""
    out = []
    for action in actions:
        params = " ".join(f"{k}={v}" for k, v in action.items() if k != "type")
        out.append(f"{action.get('type')} {params}".strip())
    return out


async def list_endpoints(session: AsyncSession, *, workspace_id: int) -> list[WebhookEndpoint]:
    """Return the workspace's webhook endpoints."""
    rows = await session.scalars(select(WebhookEndpoint).where(
        WebhookEndpoint.workspace_id == workspace_id).order_by(WebhookEndpoint.id))
    return list(rows.all())


async def get_endpoint(session: AsyncSession, *, workspace_id: int,
                       endpoint_id: int) -> WebhookEndpoint:
    """Return an endpoint of the workspace or raise NotFound."""
    return await get_in_workspace(session, WebhookEndpoint, workspace_id=workspace_id,
                                  object_id=endpoint_id, what="webhook endpoint")


async def endpoints_for_event(session: AsyncSession, *, workspace_id: int,
                              event_name: str) -> list[WebhookEndpoint]:
    """Return the enabled endpoints of the workspace subscribed to this event."""
    return [e for e in await list_endpoints(session, workspace_id=workspace_id)
            if e.enabled and event_name in e.events]


async def allowed_hosts(session: AsyncSession, *, workspace_id: int) -> set[str]:
    """Return the hosts an admin allowed webhooks to reach on private addresses."""
    rows = await session.scalars(select(WebhookAllowedHost.host).where(
        WebhookAllowedHost.workspace_id == workspace_id))
    return set(rows.all())


@functools.cache  # read on every dispatcher pass that fans out events: built (and keyed) once
def _subscriptions_query() -> CompoundSelect:
    rules = select(AutomationRule.workspace_id, AutomationRule.events.label("events"),
                   literal("rule").label("kind")).where(AutomationRule.enabled.is_(True))
    hooks = select(WebhookEndpoint.workspace_id, WebhookEndpoint.events.label("events"),
                   literal("webhook").label("kind")).where(WebhookEndpoint.enabled.is_(True))
    return union_all(rules, hooks)


async def subscribed_events(session: AsyncSession) -> dict[int, frozenset[str]]:
    """Return, per workspace, the events its enabled rules and endpoints want (one query).

    The rules' and the webhooks' subscribers share this audience: one read per dispatcher pass.
    """
    out: dict[int, set[str]] = {}
    for row in (await session.execute(_subscriptions_query())).all():
        prefix = "" if row.kind == "rule" else "webhook:"
        out.setdefault(int(row.workspace_id), set()).update(
            f"{prefix}{e}" for e in row.events or [])
    return {ws: frozenset(names) for ws, names in out.items()}


async def get_webhook_delivery(session: AsyncSession, *, workspace_id: int,
                               delivery_id: int) -> WebhookDelivery:
    """Return a webhook delivery of the workspace or raise NotFound."""
    return await get_in_workspace(session, WebhookDelivery, workspace_id=workspace_id,
                                  object_id=delivery_id, what="webhook delivery")


async def list_webhook_deliveries(session: AsyncSession, *, workspace_id: int, endpoint_id: int,
                                  limit: int = 100) -> list[WebhookDeliveryRead]:
    """Return an endpoint's delivery log, newest first, with the outbox's retry state."""
    outbox = aliased(EventDelivery)
    rows = await session.execute(
        select(WebhookDelivery, outbox.status, outbox.next_attempt_at)
        .outerjoin(outbox, and_(outbox.event_id == WebhookDelivery.request_event_id,
                                outbox.subscriber == SEND_SUBSCRIBER))
        .where(WebhookDelivery.workspace_id == workspace_id,
               WebhookDelivery.endpoint_id == endpoint_id)
        .order_by(WebhookDelivery.id.desc()).limit(limit))
    out = []
    for row in rows.all():
        delivery, outbox_status, next_at = row[0], row[1], row[2]
        status = "dead" if outbox_status == DEAD else delivery.status
        out.append(WebhookDeliveryRead(
            id=delivery.id, event_id=delivery.event_id, event_name=delivery.event_name,
            status=status, attempts=delivery.attempts, response_status=delivery.response_status,
            error=delivery.error, duration_ms=delivery.duration_ms,
            last_attempt_at=delivery.last_attempt_at, delivered_at=delivery.delivered_at,
            next_attempt_at=next_at if outbox_status == PENDING else None,
            created_at=delivery.created_at))
    return out


async def outbox_delivery_of(session: AsyncSession, *,
                             delivery: WebhookDelivery) -> EventDelivery | None:
    """Return the outbox delivery that sends this webhook delivery (its retries, dead letter)."""
    return await session.scalar(select(EventDelivery).where(
        EventDelivery.event_id == delivery.request_event_id,
        EventDelivery.subscriber == SEND_SUBSCRIBER))


async def list_macros(session: AsyncSession, *, actor: Actor) -> list[Macro]:
    """Return the macros the actor may run: the workspace's, their teams' and their own."""
    teams: list[int] = []
    if actor.user_id is not None:
        user = await get_user(session, workspace_id=actor.workspace_id, user_id=actor.user_id)
        teams = [m.team_id for m in user.memberships]
    rows = await session.scalars(select(Macro).where(
        Macro.workspace_id == actor.workspace_id,
        or_(Macro.scope == "workspace",
            and_(Macro.scope == "team", Macro.team_id.in_(teams)),
            and_(Macro.scope == "personal", Macro.owner_id == actor.user_id)))
        .order_by(Macro.name, Macro.id))
    return list(rows.all())


async def access_macro(session: AsyncSession, *, actor: Actor, macro_id: int) -> Macro:
    """Return a macro the actor may run, or raise NotFound."""
    for macro in await list_macros(session, actor=actor):
        if macro.id == macro_id:
            return macro
    raise NotFound("macro not found")
