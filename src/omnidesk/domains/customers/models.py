"""Customers (contacts) and the channel identities that resolve to them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from omnidesk.channels.manifests import IDENTITY_KINDS as MANIFEST_IDENTITY_KINDS
from omnidesk.core.db import Base, IdMixin, IdType, TimestampMixin, WorkspaceScoped, utcnow

IDENTITY_KINDS = MANIFEST_IDENTITY_KINDS  # each channel's sender id kind, plus user_id


class Customer(Base, IdMixin, TimestampMixin, WorkspaceScoped):
    """One person, whatever channels they use."""

    __tablename__ = "customers"
    __table_args__ = (
        Index("ix_customers_ws_email", "workspace_id", "email"),
        Index("ix_customers_ws_phone", "workspace_id", "phone"),
    )

    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    locale: Mapped[str | None] = mapped_column(String(8))
    external_id: Mapped[str | None] = mapped_column(String(120), index=True)
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    tags: Mapped[list[Any]] = mapped_column(default=list)
    merged_into_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("customers.id", ondelete="SET NULL"), index=True
    )
    last_seen_at: Mapped[dt.datetime | None]

    identities: Mapped[list[CustomerIdentity]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", lazy="selectin"
    )


class CustomerIdentity(Base, IdMixin, WorkspaceScoped):
    """A handle on one channel (email, E.164 phone, platform id) that points at a customer."""

    __tablename__ = "customer_identities"
    __table_args__ = (UniqueConstraint("workspace_id", "kind", "value"),)

    customer_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(24))
    value: Mapped[str] = mapped_column(String(254))
    verified: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    inbox_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("inboxes.id", ondelete="SET NULL"))  # where first seen

    customer: Mapped[Customer] = relationship(back_populates="identities")


class CustomerNote(Base, IdMixin, WorkspaceScoped):
    """A private note agents keep about a customer, shown in the customer 360 panel."""

    __tablename__ = "customer_notes"
    __table_args__ = (Index("ix_customer_notes_customer_id_id", "customer_id", "id"),)

    customer_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("customers.id", ondelete="CASCADE")
    )
    author_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("users.id", ondelete="SET NULL")
    )
    body: Mapped[str] = mapped_column(String(4000))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
