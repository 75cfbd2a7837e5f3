"""Assemble the customer 360 profile: who they are, what they bought, what they asked before.

It lives in assist rather than customers because it reads commerce and conversations, which
themselves depend on customers (the layer contract forbids the cycle).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import Actor
from omnidesk.core.db import utcnow
from omnidesk.core.pii import mask_text
from omnidesk.domains.assist.contact import list_notes
from omnidesk.domains.assist.facts import gather_facts, spend_of
from omnidesk.domains.assist.labels import intent_label
from omnidesk.domains.assist.schemas import (
    ContactRead,
    CustomerProfile,
    LastIssue,
    NamedRead,
    PastConversation,
    TierRead,
)
from omnidesk.domains.assist.segments import segments_for, segments_from_settings
from omnidesk.domains.assist.tiers import format_money, tier_progress, tiers_from_settings
from omnidesk.domains.commerce.models import Order, Product
from omnidesk.domains.commerce.schemas import OrderRead
from omnidesk.domains.commerce.service import (
    list_behaviour_events,
    list_orders_for_customer,
    order_stats_by_customer,
)
from omnidesk.domains.conversations.models import Conversation
from omnidesk.domains.conversations.service import access_customer
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.customers.service import masked_attributes, masked_contact
from omnidesk.domains.feedback.service import latest_scores
from omnidesk.domains.workspaces.service import get_workspace, workspace_calendar

OPEN_ORDER_STATUSES = ("pending", "processed", "return_requested", "exchange_requested")


def tier_read(spent: Any, settings: dict[str, Any], locale: str, currency: str) -> TierRead:
    """Describe where a spend sits on the workspace's tier ladder."""
    progress = tier_progress(spent, tiers_from_settings(settings))
    nxt = progress.next
    return TierRead(key=progress.current.key, name=progress.current.name(locale),
                    next_key=nxt.key if nxt else None, next_name=nxt.name(locale) if nxt else None,
                    spent=progress.spent, remaining=progress.remaining, progress=progress.progress,
                    spent_text=format_money(progress.spent, currency),
                    remaining_text=format_money(progress.remaining, currency))


def profile_for_locale(profile: CustomerProfile, locale: str,
                       settings: dict[str, Any]) -> CustomerProfile:
    """Return the profile as seen in another language (the tier's name changes, data does not)."""
    if locale == profile.locale:
        return profile
    return profile.model_copy(update={"locale": locale, "tier": tier_read(
        profile.lifetime_value, settings, locale, profile.currency)})


async def _english_names(session: AsyncSession, workspace_id: int,
                         orders: list[Order]) -> dict[str, str]:
    """Map the ordered products' store names to their English names, in one query."""
    by_sku = {i.product_external_id: i.name for o in orders for i in o.items
              if i.product_external_id}
    if not by_sku:
        return {}
    stmt: Select[str, dict[str, Any]] = select(Product.external_id, Product.attributes).where(
        Product.workspace_id == workspace_id, Product.external_id.in_(by_sku))
    rows = await session.execute(stmt)
    return {by_sku[sku]: str(attrs["name_en"]) for sku, attrs in rows
            if isinstance(attrs, dict) and attrs.get("name_en")}


async def list_customer_conversations(session: AsyncSession, *, workspace_id: int,
                                      customer_id: int, limit: int = 50) -> list[Conversation]:
    """List a customer's conversations on every channel, newest first.

    A merge moves the merged record's conversations through ``customer.merged``; until that
    delivery has run they still name the merged record, and are listed here all the same."""
    merged = select(Customer.id).where(Customer.workspace_id == workspace_id,
                                       Customer.merged_into_id == customer_id)
    rows = await session.scalars(
        select(Conversation)
        .where(Conversation.workspace_id == workspace_id,
               (Conversation.customer_id == customer_id)
               | Conversation.customer_id.in_(merged.scalar_subquery()))
        .order_by(Conversation.created_at.desc(), Conversation.id.desc()).limit(limit))
    return list(rows.all())


def _outcome(conv: Conversation) -> str:
    if conv.status == "resolved":
        return "reopened_resolved" if conv.reopened_count else "resolved"
    return conv.status


def _past(conv: Conversation, locale: str, current_id: int | None,
          scores: dict[int, dict[str, int]]) -> PastConversation:
    return PastConversation(
        id=conv.id, channel=conv.channel, status=conv.status, intent=conv.intent,
        intent_label=intent_label(conv.intent, locale), subject=conv.subject,
        labels=conv.labels, order_number=(conv.attributes or {}).get("order_number"),
        csat=scores.get(conv.id, {}).get("csat"), created_at=conv.created_at,
        resolved_at=conv.resolved_at, outcome=_outcome(conv), is_current=conv.id == current_id)


def _product_of(order: Order | None) -> str | None:
    if order is None or not order.items:
        return None
    installed = [i for i in order.items if i.needs_installation]
    return (installed or order.items)[0].name


def _last_issue(past: list[PastConversation], orders: list[Order], locale: str,
                now: dt.datetime, tz: dt.tzinfo) -> LastIssue | None:
    """Return the customer's last earlier conversation; ``days_ago`` counts calendar days in
    the workspace's zone (yesterday 23:00 is 1 day ago at 00:30, not 0)."""
    earlier = [p for p in past if not p.is_current]
    if not earlier:
        return None
    last = earlier[0]
    by_number = {o.external_id: o for o in orders}
    return LastIssue(conversation_id=last.id, intent=last.intent,
                     intent_label=intent_label(last.intent, locale),
                     product=_product_of(by_number.get(last.order_number or "")),
                     order_number=last.order_number,
                     days_ago=max((now.astimezone(tz).date()
                                   - last.created_at.astimezone(tz).date()).days, 0),
                     outcome=last.outcome)


def _open_issues(past: list[PastConversation], orders: list[Order]) -> list[dict[str, Any]]:
    issues: list[dict[str, Any]] = [
        {"kind": "conversation", "id": p.id, "label": p.intent_label, "status": p.status}
        for p in past if p.status != "resolved" and not p.is_current]
    issues += [{"kind": "order", "id": o.external_id, "label": o.external_id, "status": o.status}
               for o in orders if o.status in {"return_requested", "exchange_requested"}]
    return issues


async def build_profile(
    session: AsyncSession, *, actor: Actor, customer_id: int,
    conversation_id: int | None = None, locale: str | None = None,
) -> CustomerProfile:
    """Assemble the customer 360 profile with personal data masked."""
    customer = await access_customer(session, actor=actor, customer_id=customer_id)
    workspace = await get_workspace(session, workspace_id=actor.workspace_id)
    settings = workspace.settings or {}
    lang = locale or customer.locale or workspace.default_locale or "ko"
    lang = "ko" if lang.startswith("ko") else "en"
    now = utcnow()
    orders = await list_orders_for_customer(session, workspace_id=actor.workspace_id,
                                            customer_id=customer.id)
    # The workspace's money, whatever language the agent reads it in (₩ in English too).
    currency = orders[0].currency if orders else str(settings.get("currency") or "KRW")
    stats = await order_stats_by_customer(session, workspace_id=actor.workspace_id,
                                          customer_ids={customer.id})
    spent = spend_of(customer.attributes or {}, stats.get(customer.id))
    convs = await list_customer_conversations(session, workspace_id=actor.workspace_id,
                                              customer_id=customer.id)
    scores = await latest_scores(session, workspace_id=actor.workspace_id,
                                 conversation_ids=[c.id for c in convs])
    past = [_past(c, lang, conversation_id, scores) for c in convs]
    facts = (await gather_facts(session, workspace_id=actor.workspace_id, settings=settings,
                                customer_ids={customer.id}, now=now)).get(customer.id)
    segments = segments_for(facts, segments_from_settings(settings)) if facts else []
    open_order = next((o for o in orders if o.status in OPEN_ORDER_STATUSES), None)
    return CustomerProfile(
        customer_id=customer.id, locale=lang,
        contact=ContactRead(**vars(masked_contact(customer))),
        attributes=masked_attributes(customer.attributes or {}), tags=list(customer.tags or []),
        tier=tier_read(spent, settings, lang, currency), lifetime_value=spent, currency=currency,
        orders=[OrderRead.model_validate(o) for o in orders],
        open_order=OrderRead.model_validate(open_order) if open_order else None,
        behaviour=await _behaviour(session, actor.workspace_id, customer.id),
        conversations=past, last_issue=_last_issue(past, orders, lang, now,
                                                           workspace_calendar(workspace).tz),
        open_issues=_open_issues(past, orders),
        csat_history=[{"conversation_id": p.id, "score": p.csat, "at": p.created_at}
                      for p in past if p.csat is not None],
        segments=[NamedRead(key=s.key, name=s.name(lang), description=s.describe(lang))
                  for s in segments],
        persona=_persona(customer, lang),
        product_names_en=await _english_names(session, actor.workspace_id, orders),
        notes=[{"id": n.id, "body": mask_text(n.body), "author_id": n.author_id,
                "created_at": n.created_at}
               for n in await list_notes(session, workspace_id=actor.workspace_id,
                                         customer_id=customer.id)])


async def _behaviour(session: AsyncSession, workspace_id: int,
                     customer_id: int) -> list[dict[str, Any]]:
    rows = await list_behaviour_events(session, workspace_id=workspace_id,
                                       customer_id=customer_id, limit=10)
    return [{"kind": r.kind, "product": r.product_external_id, "at": r.occurred_at,
             "data": r.data} for r in rows]


def _persona(customer: Customer, locale: str) -> NamedRead | None:
    persona = (customer.attributes or {}).get("persona")
    if not isinstance(persona, dict) or "key" not in persona:
        return None
    suffix = "ko" if locale == "ko" else "en"
    return NamedRead(key=persona["key"], name=persona.get(f"name_{suffix}", persona["key"]),
                     description=persona.get(f"description_{suffix}", ""))
