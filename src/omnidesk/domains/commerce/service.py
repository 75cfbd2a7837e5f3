"""Commerce reads: orders and products of a workspace."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.commerce.models import BehaviourEvent, Order, OrderItem, Product
from omnidesk.domains.commerce.policy import (
    StorePolicy,
    Verdict,
    check_order_action,
    order_dates,
    store_policy,
)

# Other domains read the store policy through this module (the domain's public reads).
POLICY_READS = (StorePolicy, Verdict, check_order_action, order_dates, store_policy)


async def get_order_by_number(
    session: AsyncSession, *, workspace_id: int, number: str
) -> Order | None:
    """Return an order by its store number (e.g. '#W2611340' or 'HB2026111900123')."""
    return await session.scalar(
        select(Order).where(Order.workspace_id == workspace_id, Order.external_id == number)
    )


async def list_orders_for_customer(
    session: AsyncSession, *, workspace_id: int, customer_id: int, limit: int = 50
) -> list[Order]:
    """List a customer's orders, newest first."""
    rows = await session.scalars(
        select(Order)
        .where(Order.workspace_id == workspace_id, Order.customer_id == customer_id)
        .order_by(Order.placed_at.desc().nulls_last(), Order.id.desc())
        .limit(limit)
    )
    return list(rows.all())


async def lifetime_value(session: AsyncSession, *, workspace_id: int, customer_id: int) -> Decimal:
    """Sum the totals of a customer's orders that were not cancelled."""
    total = await session.scalar(
        select(func.coalesce(func.sum(Order.total), 0)).where(
            Order.workspace_id == workspace_id,
            Order.customer_id == customer_id,
            Order.status != "cancelled",
        )
    )
    return Decimal(total or 0)


async def get_product_by_external_id(
    session: AsyncSession, *, workspace_id: int, external_id: str
) -> Product | None:
    """Return a product by the store's id."""
    return await session.scalar(
        select(Product).where(Product.workspace_id == workspace_id,
                              Product.external_id == external_id)
    )


@dataclass(frozen=True)
class Variant:
    """One item of a product the catalogue lists: its options, price and availability."""

    item_id: str
    options: dict[str, Any]
    price: Decimal
    available: bool


def product_variants(product: Product) -> dict[str, Variant] | None:
    """Return a product's variants by item id (tau-bench shape), or None when none are listed."""
    listed = (product.attributes or {}).get("variants")
    if not isinstance(listed, dict):
        return None
    return {str(item_id): Variant(str(item_id), dict(v.get("options") or {}),
                                  Decimal(str(v.get("price", product.price))),
                                  bool(v.get("available", True)))
            for item_id, v in listed.items() if isinstance(v, dict)}


async def list_product_variants(
    session: AsyncSession, *, workspace_id: int, product_external_id: str | None
) -> dict[str, Variant] | None:
    """Return the variants of a product by item id; None when the catalogue lists none."""
    if not product_external_id:
        return None
    product = await get_product_by_external_id(session, workspace_id=workspace_id,
                                               external_id=product_external_id)
    return product_variants(product) if product is not None else None


async def count_orders(session: AsyncSession, *, workspace_id: int) -> int:
    """Count the workspace's orders."""
    return int(await session.scalar(
        select(func.count(Order.id)).where(Order.workspace_id == workspace_id)) or 0)


@dataclass(frozen=True)
class OrderStats:
    """A customer's order totals: count, spend (not cancelled), last order, item mix."""

    orders: int
    spent: Decimal
    last_placed_at: dt.datetime | None
    items: int
    installation_items: int


def order_totals_query(workspace_id: Any, customer_ids: Any | None = None) -> Select[Any]:
    """Select per customer: orders, amount spent (orders not cancelled) and last order time.

    ``workspace_id`` and ``customer_ids`` are values or bind parameters (an expanding one for the
    ids); no ids: every customer of the workspace. The one definition of a customer's spend.
    """
    live = case((Order.status != "cancelled", Order.total), else_=0)
    query = (select(Order.customer_id, func.count(Order.id).label("orders"),
                    func.coalesce(func.sum(live), 0).label("spent"),
                    func.max(Order.placed_at).label("last_placed_at"))
             .where(Order.workspace_id == workspace_id, Order.customer_id.is_not(None))
             .group_by(Order.customer_id))
    return query if customer_ids is None else query.where(Order.customer_id.in_(customer_ids))


def order_items_query(workspace_id: Any, customer_ids: Any | None = None) -> Select[Any]:
    """Select per customer: items ordered and how many of them need installing (see above)."""
    query = (select(Order.customer_id, func.count(OrderItem.id).label("items"),
                    func.coalesce(func.sum(case((OrderItem.needs_installation, 1), else_=0)),
                                  0).label("installation_items"))
             .join(OrderItem, OrderItem.order_id == Order.id)
             .where(Order.workspace_id == workspace_id, Order.customer_id.is_not(None))
             .group_by(Order.customer_id))
    return query if customer_ids is None else query.where(Order.customer_id.in_(customer_ids))


def order_stats(count: Any, spent: Any, last: dt.datetime | None, items: Any,
                installation_items: Any) -> OrderStats:
    """Build a customer's OrderStats from the columns the two queries above read (``last`` comes
    aware: the aggregate keeps the column's UTC type)."""
    return OrderStats(int(count), Decimal(spent or 0), last, int(items or 0),
                      int(installation_items or 0))


async def order_stats_by_customer(
    session: AsyncSession, *, workspace_id: int, customer_ids: set[int] | None = None
) -> dict[int, OrderStats]:
    """Aggregate orders per customer in two grouped queries (all customers when ids is None)."""
    items = {row[0]: (row[1], row[2]) for row in await session.execute(
        order_items_query(workspace_id, customer_ids))}
    return {customer_id: order_stats(count, spent, last, *items.get(customer_id, (0, 0)))
            for customer_id, count, spent, last in await session.execute(
                order_totals_query(workspace_id, customer_ids))}


async def list_products(session: AsyncSession, *, workspace_id: int, limit: int = 200
                        ) -> list[Product]:
    """List the workspace's products by name."""
    rows = await session.scalars(select(Product).where(Product.workspace_id == workspace_id)
                                 .order_by(Product.name).limit(limit))
    return list(rows.all())


async def list_behaviour_events(
    session: AsyncSession, *, workspace_id: int, customer_id: int, limit: int = 20
) -> list[BehaviourEvent]:
    """List a customer's latest store behaviour (views, carts, purchases), newest first."""
    rows = await session.scalars(
        select(BehaviourEvent)
        .where(BehaviourEvent.workspace_id == workspace_id,
               BehaviourEvent.customer_id == customer_id)
        .order_by(BehaviourEvent.occurred_at.desc(), BehaviourEvent.id.desc()).limit(limit))
    return list(rows.all())


def behaviour_counts_query(workspace_id: Any, since: Any, kinds: tuple[str, ...],
                           customer_ids: Any | None = None) -> Select[Any]:
    """Select per customer how many behaviour events of each kind (one column each, labelled by
    the kind) happened since a time (values or bind parameters, as ``order_totals_query``)."""
    query = (select(BehaviourEvent.customer_id,
                    *(func.coalesce(func.sum(case((BehaviourEvent.kind == kind, 1), else_=0)),
                                    0).label(kind) for kind in kinds))
             .where(BehaviourEvent.workspace_id == workspace_id,
                    BehaviourEvent.occurred_at >= since,
                    BehaviourEvent.kind.in_([literal(kind) for kind in kinds]))  # fixed SQL
             .group_by(BehaviourEvent.customer_id))
    if customer_ids is not None:
        query = query.where(BehaviourEvent.customer_id.in_(customer_ids))
    return query


async def order_times_by_customer(
    session: AsyncSession, *, workspace_id: int, customer_ids: list[int],
    since: dt.datetime, until: dt.datetime,
) -> dict[int, list[dt.datetime]]:
    """Return when each customer placed orders (not cancelled) in [since, until), oldest first."""
    found: dict[int, list[dt.datetime]] = {}
    for start in range(0, len(customer_ids), 1000):
        rows: Any = await session.execute(
            select(Order.customer_id, Order.placed_at).where(
                Order.workspace_id == workspace_id, Order.status != "cancelled",
                Order.customer_id.in_(customer_ids[start:start + 1000]),
                Order.placed_at >= since, Order.placed_at < until)
            .order_by(Order.customer_id, Order.placed_at))
        for customer_id, placed in rows:
            placed = placed.replace(tzinfo=dt.UTC) if placed.tzinfo is None else placed
            found.setdefault(customer_id, []).append(placed)
    return found
