"""Commerce writes: order actions on synced orders, store webhooks and behaviour events.

Each action asks the store policy first (`policy.check_order_action`: status, return window by
reason counted from delivery, who may act), then mutates, audits and emits
`commerce.order_updated` in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import audit
from omnidesk.core.context import Actor
from omnidesk.core.db import utcnow
from omnidesk.core.errors import Conflict, InvalidInput, NotFound
from omnidesk.core.events import emit
from omnidesk.domains.commerce.events import OrderCreated, OrderUpdated
from omnidesk.domains.commerce.models import Order, OrderItem
from omnidesk.domains.commerce.policy import (
    PolicyRefused,
    StorePolicy,
    actor_role,
    check_order_action,
    store_policy,
)
from omnidesk.domains.commerce.service import get_order_by_number, list_product_variants
from omnidesk.domains.customers.actions import do_resolve_identity
from omnidesk.domains.customers.service import get_customer
from omnidesk.domains.workspaces.service import get_workspace


async def access_order(session: AsyncSession, *, actor: Actor, number: str) -> Order:
    """Return one of the workspace's orders by number or raise NotFound."""
    order = await get_order_by_number(session, workspace_id=actor.workspace_id, number=number)
    if order is None:
        raise NotFound(f"order {number} not found")
    return order


async def policy_today(session: AsyncSession, *, workspace_id: int) -> tuple[StorePolicy, dt.date]:
    """Return the workspace's store policy and today's date in its time zone."""
    workspace = await get_workspace(session, workspace_id=workspace_id)
    try:
        zone = ZoneInfo(workspace.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return store_policy(workspace.settings), utcnow().astimezone(zone).date()


async def require_policy(session: AsyncSession, actor: Actor, order: Order, action: str,
                          reason: str | None = None) -> StorePolicy:
    """Raise PolicyRefused unless the store policy allows this action on this order today."""
    policy, today = await policy_today(session, workspace_id=actor.workspace_id)
    verdict = check_order_action(policy, order, action, today=today, reason=reason,
                                 actor=actor_role(actor.kind, actor.role))
    if not verdict.allowed:
        raise PolicyRefused(verdict, order.status)
    return policy


def _record(session: AsyncSession, actor: Actor, order: Order, action: str,
            data: dict[str, Any]) -> None:
    audit(session, workspace_id=actor.workspace_id, action=f"order.{action}",
          actor_kind=actor.audit_kind, actor_id=actor.user_id, object_type="order",
          object_id=order.external_id, data=data)
    emit(session, OrderUpdated(order_number=order.external_id, customer_id=order.customer_id,
                               status=order.status, action=action),
         workspace_id=actor.workspace_id)


async def do_cancel_order(session: AsyncSession, *, actor: Actor, number: str,
                          reason: str) -> Order:
    """Cancel a pending order and record the refund to its payment method."""
    order = await access_order(session, actor=actor, number=number)
    await require_policy(session, actor, order, "cancel")
    order.status = "cancelled"
    order.payments = [*order.payments, {"transaction_type": "refund", "amount": str(order.total),
                                        "at": utcnow().isoformat(), "reason": reason}]
    _record(session, actor, order, "cancelled", {"reason": reason})
    return order


async def do_change_address(session: AsyncSession, *, actor: Actor, number: str,
                            address: dict[str, Any]) -> Order:
    """Change the delivery address of a pending order."""
    order = await access_order(session, actor=actor, number=number)
    await require_policy(session, actor, order, "change_address")
    order.address = dict(address)
    _record(session, actor, order, "address_changed", {})
    return order


def _check_items(order: Order, item_ids: list[str]) -> None:
    known = {i.item_external_id or str(i.id) for i in order.items}
    missing = set(item_ids) - known
    if missing:
        raise InvalidInput(f"items {sorted(missing)} are not in order {order.external_id}",
                           field="item_ids")


async def _check_replacements(session: AsyncSession, order: Order, item_ids: list[str],
                              new_item_ids: list[str]) -> Decimal:
    """Allow only an available, different variant of the same product (store policy).

    Return the price difference the customer pays (positive) or gets back (negative).
    """
    lines = {i.item_external_id or str(i.id): i for i in order.items}
    difference = Decimal(0)
    for old_id, new_id in zip(item_ids, new_item_ids, strict=True):
        line = lines[old_id]
        variants = await list_product_variants(session, workspace_id=order.workspace_id,
                                               product_external_id=line.product_external_id)
        if variants is None:
            continue  # the catalogue does not list variants: the store decides
        variant = variants.get(new_id)
        if variant is None or new_id == old_id:
            raise InvalidInput(f"{new_id} is not another variant of {line.name}",
                               field="new_item_ids")
        if not variant.available:
            raise Conflict(f"variant {new_id} of {line.name} is not available",
                           field="new_item_ids")
        difference += (variant.price - Decimal(str(line.price))) * line.quantity
    return difference


async def _check_gift_card(session: AsyncSession, order: Order, method: str,
                           amount: Decimal) -> None:
    """Refuse a gift card whose known balance cannot pay the amount (store policy)."""
    if order.customer_id is None:
        return
    customer = await get_customer(session, workspace_id=order.workspace_id,
                                  customer_id=order.customer_id)
    for known in (customer.attributes or {}).get("payment_methods") or []:
        if (isinstance(known, dict) and known.get("id") == method
                and known.get("source") == "gift_card" and known.get("balance") is not None
                and Decimal(str(known["balance"])) < amount):
            raise Conflict(f"gift card {method} cannot cover {amount}", field="payment_method")


async def do_start_return(session: AsyncSession, *, actor: Actor, number: str,
                          item_ids: list[str], reason: str = "change_of_mind") -> Order:
    """Open a return for items of a delivered order, inside the reason's window."""
    order = await access_order(session, actor=actor, number=number)
    await require_policy(session, actor, order, "return", reason)
    _check_items(order, item_ids)
    order.status = "return_requested"
    order.fulfillments = [*order.fulfillments, {"type": "return", "item_ids": item_ids,
                                                "reason": reason, "at": utcnow().isoformat()}]
    _record(session, actor, order, "return_requested", {"items": len(item_ids),
                                                        "reason": reason})
    return order


async def do_start_exchange(session: AsyncSession, *, actor: Actor, number: str,
                            item_ids: list[str], new_item_ids: list[str],
                            payment_method: str | None = None,
                            reason: str = "change_of_mind") -> Order:
    """Open an exchange of delivered items for other variants, inside the reason's window.

    The price difference is recorded with the payment method that settles it (the customer
    pays a positive difference, gets a negative one back).
    """
    order = await access_order(session, actor=actor, number=number)
    await require_policy(session, actor, order, "exchange", reason)
    _check_items(order, item_ids)
    if len(new_item_ids) != len(item_ids):
        raise InvalidInput("give one replacement per exchanged item", field="new_item_ids")
    difference = await _check_replacements(session, order, item_ids, new_item_ids)
    if difference > 0 and payment_method:
        await _check_gift_card(session, order, payment_method, difference)
    order.status = "exchange_requested"
    order.fulfillments = [*order.fulfillments, {"type": "exchange", "item_ids": item_ids,
                                                "new_item_ids": new_item_ids,
                                                "price_difference": str(difference),
                                                "payment_method": payment_method,
                                                "reason": reason, "at": utcnow().isoformat()}]
    _record(session, actor, order, "exchange_requested",
            {"items": len(item_ids), "new_item_ids": new_item_ids,
             "price_difference": str(difference)})
    return order


async def do_upsert_store_order(session: AsyncSession, *, workspace_id: int,
                                order_in: dict[str, Any]) -> Order:
    """Create or update one order from the store's JSON (tau-bench shape), e.g. from a webhook."""
    number = str(order_in.get("order_id") or order_in.get("number") or "")
    if not number:
        raise InvalidInput("the order has no order_id", field="order")
    order = await get_order_by_number(session, workspace_id=workspace_id, number=number)
    created = order is None
    order = order or Order(workspace_id=workspace_id, external_id=number, items=[])
    if not created and not _changes(order, order_in):
        return order  # a redelivered webhook: nothing to store, nothing to announce
    if order_in.get("user_id"):
        customer = await do_resolve_identity(session, workspace_id=workspace_id, kind="user_id",
                                             value=str(order_in["user_id"]), verified=True)
        order.customer_id = customer.id
    order.status = str(order_in.get("status", order.status or "pending"))
    order.address = order_in.get("address", order.address or {})
    order.payments = order_in.get("payment_history", order.payments or [])
    order.fulfillments = order_in.get("fulfillments", order.fulfillments or [])
    order.currency = str(order_in.get("currency", order.currency or "USD"))
    if "items" in order_in:
        order.items = [_item(workspace_id, item) for item in order_in["items"]]
        order.total = sum((i.price * i.quantity for i in order.items), Decimal(0))
    order.placed_at = order.placed_at or utcnow()
    session.add(order)
    await session.flush()
    event = OrderCreated if created else OrderUpdated
    emit(session, event(order_number=number, customer_id=order.customer_id, status=order.status,
                        action="synced"), workspace_id=workspace_id)
    return order


def _line(item: OrderItem) -> tuple[Any, ...]:
    return (item.name, item.product_external_id, item.item_external_id,
            Decimal(str(item.price)), item.quantity, item.options)


def _changes(order: Order, order_in: dict[str, Any]) -> bool:
    """Tell whether the store's order differs from the stored one in what we keep."""
    fields = {"status": order.status, "address": order.address, "currency": order.currency,
              "payment_history": order.payments, "fulfillments": order.fulfillments}
    if any(key in order_in and order_in[key] != value for key, value in fields.items()):
        return True
    if "items" in order_in:
        incoming = [_line(_item(order.workspace_id, item)) for item in order_in["items"]]
        return incoming != [_line(item) for item in order.items]
    return False


def _item(workspace_id: int, item: dict[str, Any]) -> OrderItem:
    return OrderItem(workspace_id=workspace_id, name=str(item.get("name", "")),
                     product_external_id=item.get("product_id"),
                     item_external_id=item.get("item_id"),
                     price=Decimal(str(item.get("price", 0))),
                     quantity=int(item.get("quantity", 1)), options=item.get("options", {}),
                     needs_installation=bool(item.get("needs_installation", False)))
