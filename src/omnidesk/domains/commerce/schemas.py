"""Commerce API shapes: orders, products, refund status, store actions and webhooks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class CommerceSettings(BaseModel):
    """A workspace's `settings["commerce"]`: the store connector and its endpoints."""

    connector: Literal["database", "json"] = "database"
    export_url: str | None = Field(None, max_length=2000)
    api_url: str | None = Field(None, max_length=2000)
    api_key: str | None = Field(None, max_length=500)
    webhook_secret: str | None = Field(None, max_length=500)


class OrderItemRead(BaseModel):
    """One order line."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    product_external_id: str | None
    item_external_id: str | None
    price: Decimal
    quantity: int
    options: dict[str, Any]
    needs_installation: bool


class OrderRead(BaseModel):
    """An order with its lines (address and payments are omitted: personal data)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    external_id: str
    customer_id: int | None
    status: str
    total: Decimal
    currency: str
    placed_at: dt.datetime | None
    items: list[OrderItemRead]


class ProductRead(BaseModel):
    """A product of the store."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    external_id: str
    name: str
    category: str | None
    price: Decimal
    currency: str
    needs_installation: bool
    available: bool


class RefundStatusRead(BaseModel):
    """Where an order's refund stands."""

    order_number: str
    status: str  # none | requested | refunded
    amount: Decimal
    currency: str
    entries: list[dict[str, Any]]


class StoreCustomerRead(BaseModel):
    """The store's view of a customer: order count and spend."""

    customer_id: int
    external_id: str | None
    orders: int
    spent: Decimal


class CancelIn(BaseModel):
    """Why the order is cancelled."""

    reason: str = Field("no longer needed", max_length=200)


class AddressIn(BaseModel):
    """A new delivery address."""

    address1: str = Field(max_length=200)
    address2: str = Field("", max_length=200)
    city: str = Field("", max_length=100)
    state: str = Field("", max_length=100)
    zip: str = Field("", max_length=20)
    country: str = Field("", max_length=60)


class ItemsIn(BaseModel):
    """Which order lines (by item id) to return or exchange, and replacements for exchanges."""

    item_ids: list[str] = Field(min_length=1, max_length=50)
    new_item_ids: list[str] = Field(default_factory=list, max_length=50)
    payment_method: str | None = Field(None, max_length=80,
                                       description="Settles an exchange's price difference")
    reason: Literal["change_of_mind", "defect"] = Field(
        "change_of_mind", description="Picks the return/exchange window of the store policy")


class OrderWebhookIn(BaseModel):
    """A store's order webhook: `order.created` or `order.updated` with the order in store shape."""

    event: str = Field(pattern="^order\\.(created|updated)$")
    order: dict[str, Any]
