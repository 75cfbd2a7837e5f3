"""Gather customers' facts (spend, tier, RFM, contacts, CSAT, behaviour) in a few grouped queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import utcnow
from omnidesk.domains.assist.segments import CustomerFacts
from omnidesk.domains.assist.tiers import tier_progress, tiers_from_settings
from omnidesk.domains.commerce.service import OrderStats, behaviour_counts, order_stats_by_customer
from omnidesk.domains.conversations.models import Conversation
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.feedback.service import latest_scores

OPEN_STATUSES = ("open", "pending", "snoozed")


def spend_of(customer: Customer, stats: OrderStats | None) -> Decimal:
    """Return lifetime spend: the orders' total, or the store-reported total_spent without orders."""
    if stats is not None and stats.orders:
        return stats.spent
    try:
        return Decimal(str(customer.attributes.get("total_spent") or 0))
    except ArithmeticError:
        return Decimal(0)


def _days(now: dt.datetime, at: dt.datetime | None) -> int | None:
    return None if at is None else max((now - at).days, 0)


async def _conversation_rows(session: AsyncSession, workspace_id: int,
                             customer_ids: set[int] | None) -> list[Any]:
    query = select(Conversation.customer_id, Conversation.status, Conversation.channel,
                   Conversation.id, Conversation.created_at).where(
        Conversation.workspace_id == workspace_id)
    if customer_ids is not None:
        query = query.where(Conversation.customer_id.in_(customer_ids))
    return list((await session.execute(query)).all())


def _apply_conversations(facts: dict[int, CustomerFacts], rows: list[Any],
                         answers: dict[int, dict[str, int]], now: dt.datetime) -> None:
    """Count contacts, open issues and channels; average the CSAT the customer gave (answers)."""
    scores: dict[int, list[float]] = {}
    last: dict[int, dt.datetime] = {}
    for customer_id, status, channel, conversation_id, created_at in rows:
        item = facts.get(customer_id)
        if item is None:
            continue
        item.contacts += 1
        item.open_issues += status in OPEN_STATUSES
        if channel not in item.channels:
            item.channels.append(channel)
        score = answers.get(conversation_id, {}).get("csat")
        if score is not None:
            scores.setdefault(customer_id, []).append(score)
        last[customer_id] = max(last.get(customer_id, created_at), created_at)
    for customer_id, values in scores.items():
        facts[customer_id].avg_csat = round(sum(values) / len(values), 2)
    for customer_id, at in last.items():
        facts[customer_id].last_contact_days = _days(now, at)


async def gather_facts(
    session: AsyncSession, *, workspace_id: int, settings: dict[str, Any],
    customer_ids: set[int] | None = None, now: dt.datetime | None = None,
) -> dict[int, CustomerFacts]:
    """Return facts for the given customers (or every active customer of the workspace)."""
    now = now or utcnow()
    query = select(Customer).where(Customer.workspace_id == workspace_id,
                                   Customer.merged_into_id.is_(None))
    if customer_ids is not None:
        query = query.where(Customer.id.in_(customer_ids))
    customers = list((await session.scalars(query)).all())
    stats = await order_stats_by_customer(session, workspace_id=workspace_id,
                                          customer_ids=customer_ids)
    behaviour = await behaviour_counts(session, workspace_id=workspace_id,
                                       since=now - dt.timedelta(days=30),
                                       customer_ids=customer_ids)
    tiers = tiers_from_settings(settings)
    facts: dict[int, CustomerFacts] = {}
    for customer in customers:
        order_stats = stats.get(customer.id)
        spent = spend_of(customer, order_stats)
        counts = behaviour.get(customer.id, {})
        facts[customer.id] = CustomerFacts(
            customer_id=customer.id, tier=tier_progress(spent, tiers).current.key, spent=spent,
            orders=order_stats.orders if order_stats else 0,
            recency_days=_days(now, order_stats.last_placed_at) if order_stats else None,
            items=order_stats.items if order_stats else 0,
            installation_items=order_stats.installation_items if order_stats else 0,
            views_30d=counts.get("view", 0), carts_30d=counts.get("cart", 0),
            tags=[str(t) for t in customer.tags or []], attributes=dict(customer.attributes or {}))
    answers = await latest_scores(session, workspace_id=workspace_id, customer_ids=customer_ids)
    rows = await _conversation_rows(session, workspace_id, customer_ids)
    _apply_conversations(facts, rows, answers, now)
    return facts
