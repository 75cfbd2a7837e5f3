"""Gather customers' facts (spend, tier, RFM, contacts, CSAT, behaviour) in one statement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import UTCDateTime, flush_pending, utcnow
from omnidesk.domains.assist.segments import CustomerFacts
from omnidesk.domains.assist.tiers import Tier, tier_progress, tiers_from_settings
from omnidesk.domains.commerce.service import (
    OrderStats,
    behaviour_counts_query,
    order_items_query,
    order_stats,
    order_totals_query,
)
from omnidesk.domains.conversations.models import Conversation
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.feedback.models import SurveyAnswer
from omnidesk.domains.feedback.service import latest_answer_ids_query

OPEN_STATUSES = ("open", "pending", "snoozed")


def spend_of(attributes: Mapping[str, Any], stats: OrderStats | None) -> Decimal:
    """Return lifetime spend: the orders' total, or the store-reported total_spent (a customer
    attribute) without orders."""
    if stats is not None and stats.orders:
        return stats.spent
    try:
        return Decimal(str(attributes.get("total_spent") or 0))
    except ArithmeticError:
        return Decimal(0)


def _days(now: dt.datetime, at: dt.datetime | None) -> int | None:
    return None if at is None else max((now - at).days, 0)


BEHAVIOUR_KINDS = ("view", "cart")  # counted over the last 30 days


@cache
def _facts_statement(dialect: str, shape: str) -> Select[Any]:
    """Build the facts statement once per dialect and shape: ``one`` customer (a plain bound
    parameter, ``IN ($n)``: its SQL is fixed, where an expanding list is rewritten on every run),
    ``some`` (an expanding list) or ``all``."""
    ids: BindParameter[Any] | list[Any] | None = {
        "one": [bindparam("facts_customer_id")],
        "some": bindparam("facts_customer_ids", expanding=True), "all": None}[shape]
    return facts_query(dialect, ids)


def _fixed(values: tuple[str, ...]) -> list[Any]:
    """Return constant values for ``in_`` as one bound parameter each: SQL fixed once compiled,
    where a list of plain values is an expanding parameter rewritten on every run."""
    return [literal(value) for value in values]


def facts_query(dialect: str, ids: BindParameter[Any] | list[Any] | None) -> Select[Any]:
    """Build the facts statement (bind parameters ``facts_params``) for the customers ``ids``
    names: an expanding bind parameter, a list of one expression (a bound id, or a scalar
    subquery: routing reads one conversation's customer within its own statement) or None (every
    active customer of the workspace).

    One row per active customer: their id, tags and attributes, then, from grouped subqueries
    joined on the customer, their orders (``commerce.service``: the one definition of spend),
    ordered items, behaviour counts, conversations (count, open, channels, last) and the CSAT kept
    per conversation (``feedback.service``: each conversation's latest answer); ``facts_of_row``
    reads it. Each subquery is limited to the customers asked for, so one customer costs a few
    index reads.
    """
    ws: BindParameter[int] = bindparam("facts_workspace_id")
    since = bindparam("facts_since", type_=UTCDateTime())
    orders = order_totals_query(ws, ids).subquery("facts_orders")
    items = order_items_query(ws, ids).subquery("facts_items")
    behaviour = behaviour_counts_query(ws, since, BEHAVIOUR_KINDS, ids).subquery("facts_behaviour")
    channels = (func.array_to_string(func.array_agg(Conversation.channel.distinct()), ",")
                if dialect == "postgresql" else func.group_concat(Conversation.channel.distinct()))
    convs = (select(Conversation.customer_id, func.count(Conversation.id).label("contacts"),
                    func.coalesce(func.sum(case((Conversation.status.in_(_fixed(OPEN_STATUSES)), 1),
                                                else_=0)), 0).label("open_issues"),
                    channels.label("channels"),
                    func.max(Conversation.created_at).label("last_contact"))
             .where(Conversation.workspace_id == ws).group_by(Conversation.customer_id))
    csat = (select(Conversation.customer_id, func.sum(SurveyAnswer.score).label("total"),
                   func.count(SurveyAnswer.score).label("answers"))
            .join(Conversation, Conversation.id == SurveyAnswer.conversation_id)
            .where(SurveyAnswer.id.in_(latest_answer_ids_query(ws, "csat", ids)),
                   Conversation.workspace_id == ws)
            .group_by(Conversation.customer_id))
    customers = select(Customer.id).where(Customer.workspace_id == ws,
                                          Customer.merged_into_id.is_(None))
    if ids is not None:
        convs = convs.where(Conversation.customer_id.in_(ids))
        csat = csat.where(Conversation.customer_id.in_(ids))
        customers = customers.where(Customer.id.in_(ids))
    conv_sq, csat_sq = convs.subquery("facts_conversations"), csat.subquery("facts_csat")
    return (
        customers.add_columns(
            Customer.tags, Customer.attributes, orders.c.orders, orders.c.spent,
            orders.c.last_placed_at, items.c["items"], items.c.installation_items,
            *(behaviour.c[kind] for kind in BEHAVIOUR_KINDS),
            conv_sq.c.contacts, conv_sq.c.open_issues, conv_sq.c.channels, conv_sq.c.last_contact,
            csat_sq.c.total, csat_sq.c.answers)
        .outerjoin(orders, orders.c.customer_id == Customer.id)
        .outerjoin(items, items.c.customer_id == Customer.id)
        .outerjoin(behaviour, behaviour.c.customer_id == Customer.id)
        .outerjoin(conv_sq, conv_sq.c.customer_id == Customer.id)
        .outerjoin(csat_sq, csat_sq.c.customer_id == Customer.id)
    )  # fmt: skip


def facts_params(workspace_id: int, now: dt.datetime) -> dict[str, Any]:
    """Return the values of facts_query's bind parameters but the customer ids."""
    return {"facts_workspace_id": workspace_id, "facts_since": now - dt.timedelta(days=30)}


def facts_of_row(row: Any, settings: dict[str, Any], now: dt.datetime, *,
                 tiers: list[Tier] | None = None) -> CustomerFacts | None:
    """Return a customer's facts from facts_query's columns read within another statement (an
    outer join: None when the customer is not active). ``tiers``: the settings' tier ladder
    (``tiers_from_settings``) when the caller has it."""
    if row[0] is None:
        return None
    return _facts_of(row, tiers_from_settings(settings) if tiers is None else tiers, now)


def _facts_of(row: Any, tiers: list[Any], now: dt.datetime) -> CustomerFacts:
    """Turn one row of the facts statement into a customer's facts (their tier included)."""
    (customer_id, tags, attributes, orders, spent, last_placed_at, items, installation_items,
     views, carts, contacts, open_issues, channels, last_contact, csat_total, csat_answers) = row
    attributes = dict(attributes or {})
    stats = order_stats(orders, spent, last_placed_at, items, installation_items) if orders else None
    spent = spend_of(attributes, stats)
    return CustomerFacts(
        customer_id=customer_id, tier=tier_progress(spent, tiers).current.key, spent=spent,
        orders=stats.orders if stats else 0,
        recency_days=_days(now, stats.last_placed_at) if stats else None,
        items=stats.items if stats else 0,
        installation_items=stats.installation_items if stats else 0,
        views_30d=int(views or 0), carts_30d=int(carts or 0),
        tags=[str(t) for t in tags or []], attributes=attributes,
        contacts=int(contacts or 0), open_issues=int(open_issues or 0),
        channels=sorted(set(channels.split(","))) if channels else [],
        last_contact_days=_days(now, last_contact),
        avg_csat=round(int(csat_total) / int(csat_answers), 2) if csat_answers else None)


async def gather_facts(
    session: AsyncSession, *, workspace_id: int, settings: dict[str, Any],
    customer_ids: set[int] | None = None, now: dt.datetime | None = None,
) -> dict[int, CustomerFacts]:
    """Return facts for the given customers (or every active customer of the workspace), read in
    one statement (``_facts_statement``)."""
    now = now or utcnow()
    if customer_ids is not None and not customer_ids:
        return {}
    params = facts_params(workspace_id, now)
    if customer_ids is None:
        shape = "all"
    elif len(customer_ids) == 1:
        shape, params["facts_customer_id"] = "one", next(iter(customer_ids))
    else:
        shape, params["facts_customer_ids"] = "some", sorted(customer_ids)
    statement = _facts_statement(session.get_bind().dialect.name, shape)
    await flush_pending(session)  # the Core read sees the caller's unsaved changes
    tiers = tiers_from_settings(settings)
    rows = await (await session.connection()).execute(statement, params)  # Core: no ORM rows
    return {row[0]: _facts_of(row, tiers, now) for row in rows}
