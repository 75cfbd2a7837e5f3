"""Plain dataclasses describing the demo workspace content (no database types)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoTeam:
    """A support team."""

    name: str
    description: str


@dataclass(frozen=True)
class DemoSkill:
    """A routing skill."""

    name: str
    description: str


@dataclass(frozen=True)
class DemoAgent:
    """A workspace member (admin, supervisor or agent)."""

    name: str
    email: str
    role: str
    team: str | None
    skills: dict[str, int]
    languages: list[str]
    locale: str
    capacity: dict[str, int]


@dataclass(frozen=True)
class DemoProduct:
    """A catalogue product; price in KRW."""

    sku: str
    name: str
    name_en: str
    category: str
    price: int
    needs_installation: bool
    attributes: dict


@dataclass(frozen=True)
class DemoIdentity:
    """One way to reach or recognise a customer."""

    kind: str
    value: str
    verified: bool


@dataclass(frozen=True)
class DemoCustomer:
    """A customer profile with its identities."""

    key: str
    name: str
    email: str | None
    phone: str | None
    locale: str
    identities: list[DemoIdentity]
    attributes: dict
    tags: list[str]
    created_at: dt.datetime


@dataclass(frozen=True)
class DemoOrderItem:
    """One line of an order."""

    sku: str
    name: str
    price: int
    quantity: int
    options: dict
    needs_installation: bool
    item_id: str | None = None  # the catalogue variant delivered, when the product lists variants


@dataclass(frozen=True)
class DemoOrder:
    """A store order."""

    number: str
    customer_key: str
    status: str
    items: list[DemoOrderItem]
    placed_at: dt.datetime
    address: dict
    payment_method: str
    installation: dict | None


@dataclass(frozen=True)
class DemoMessage:
    """One message in a demo conversation."""

    author_kind: str
    text: str
    minutes_after_start: int
    channel: str | None = None
    is_private: bool = False


@dataclass(frozen=True)
class DemoConversation:
    """A conversation with its messages."""

    customer_key: str
    channel: str
    status: str
    priority: str
    team: str | None
    assignee_email: str | None
    subject: str | None
    labels: list[str]
    language: str
    intent: str
    started_at: dt.datetime
    messages: list[DemoMessage]
    order_number: str | None
    csat: int | None = None


@dataclass(frozen=True)
class DemoDataset:
    """Everything `omnidesk demo load` writes."""

    workspace_name: str
    workspace_slug: str
    teams: list[DemoTeam]
    skills: list[DemoSkill]
    agents: list[DemoAgent]
    products: list[DemoProduct]
    customers: list[DemoCustomer]
    orders: list[DemoOrder]
    conversations: list[DemoConversation]
