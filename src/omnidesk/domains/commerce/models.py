"""The store's catalogue and orders, synced from the commerce connector."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from omnidesk.core.db import Base, IdMixin, IdType, TimestampMixin, WorkspaceScoped, utcnow

ORDER_STATUSES = ("pending", "processed", "delivered", "cancelled", "return_requested",
                  "exchange_requested", "returned", "exchanged")


class Product(Base, IdMixin, TimestampMixin, WorkspaceScoped):
    """A product (or one variant of it) the store sells."""

    __tablename__ = "products"
    __table_args__ = (UniqueConstraint("workspace_id", "external_id"),)

    external_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(80))
    price: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal(0))
    currency: Mapped[str] = mapped_column(String(3), default="KRW")
    needs_installation: Mapped[bool] = mapped_column(default=False)
    available: Mapped[bool] = mapped_column(default=True)
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Order(Base, IdMixin, TimestampMixin, WorkspaceScoped):
    """A customer's order with its status, address and payments."""

    __tablename__ = "orders"
    __table_args__ = (UniqueConstraint("workspace_id", "external_id"),)

    external_id: Mapped[str] = mapped_column(String(64))
    customer_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("customers.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(24), default="pending")
    total: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal(0))
    currency: Mapped[str] = mapped_column(String(3), default="KRW")
    address: Mapped[dict[str, Any]] = mapped_column(default=dict)
    payments: Mapped[list[Any]] = mapped_column(default=list)
    fulfillments: Mapped[list[Any]] = mapped_column(default=list)
    placed_at: Mapped[dt.datetime | None]

    items: Mapped[list[OrderItem]] = relationship(
        back_populates="order", cascade="all, delete-orphan", lazy="selectin"
    )


class OrderItem(Base, IdMixin, WorkspaceScoped):
    """One line of an order."""

    __tablename__ = "order_items"

    order_id: Mapped[int] = mapped_column(IdType, ForeignKey("orders.id", ondelete="CASCADE"),
                                          index=True)
    product_external_id: Mapped[str | None] = mapped_column(String(64))
    item_external_id: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    price: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal(0))
    quantity: Mapped[int] = mapped_column(default=1)
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    needs_installation: Mapped[bool] = mapped_column(default=False)

    order: Mapped[Order] = relationship(back_populates="items")


# What a customer did on the site (the widget's `track`, the store) and what happened to their
# orders (the business events API). The one list: schemas, labels and triggers read it.
SITE_KINDS = ("page", "view", "click", "search", "cart", "checkout", "error", "purchase",
              "wishlist")
BUSINESS_KINDS = ("order_shipped", "delivery_delayed", "payment_failed")
BEHAVIOUR_KINDS = SITE_KINDS + BUSINESS_KINDS


class BehaviourEvent(Base, IdMixin, WorkspaceScoped):
    """Something a customer did in the store (viewed, searched, carted, bought)."""

    __tablename__ = "behaviour_events"
    __table_args__ = (
        Index("ix_behaviour_events_customer_occurred", "customer_id", "occurred_at"),
        Index("ix_behaviour_events_ws_kind_occurred", "workspace_id", "kind", "occurred_at"),
    )

    customer_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("customers.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(16), default="store", server_default="store")
    product_external_id: Mapped[str | None] = mapped_column(String(64))
    url: Mapped[str | None] = mapped_column(String(500))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    occurred_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
