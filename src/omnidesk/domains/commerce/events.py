"""The commerce domain's events: orders synced or changed, store imports."""

from __future__ import annotations

from typing import Any, ClassVar

from omnidesk.core.events import Event

ORDER: dict[str, Any] = {"order_number": "HB2026111900123", "customer_id": 7,
                         "status": "pending", "action": "synced"}


class OrderFacts(Event):
    """Which order changed, whose it is, its status now and what was done (`action`)."""

    order_number: str
    customer_id: int | None = None
    status: str
    action: str


class OrderCreated(OrderFacts):
    """A store order arrived for the first time (webhook or sync)."""

    name: ClassVar[str] = "commerce.order_created"
    example: ClassVar[dict[str, Any]] = ORDER


class OrderUpdated(OrderFacts):
    """An order changed: synced from the store, or cancelled/edited by an agent or the bot."""

    name: ClassVar[str] = "commerce.order_updated"
    example: ClassVar[dict[str, Any]] = {**ORDER, "status": "cancelled", "action": "cancelled"}


class StoreImported(Event):
    """A store export was imported: how many customers, orders and products were upserted."""

    name: ClassVar[str] = "commerce.imported"
    example: ClassVar[dict[str, Any]] = {"customers": 120, "orders": 300, "products": 40}

    customers: int
    orders: int
    products: int


class StorePolicyUpdated(Event):
    """An admin changed the store policy (`fields` names what)."""

    name: ClassVar[str] = "commerce.policy_updated"
    example: ClassVar[dict[str, Any]] = {"fields": ["windows"]}

    fields: list[str]
