"""The customers domain's events: profiles, identities, merges and splits."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from omnidesk.core.events import Event


class CustomerCreated(Event):
    """A customer was created; `via` is the identity kind of a first contact (None by hand)."""

    name: ClassVar[str] = "customer.created"
    example: ClassVar[dict[str, Any]] = {"customer_id": 7, "via": "phone"}

    customer_id: int
    via: str | None = None


class CustomerUpdated(Event):
    """An agent changed a customer's profile (`fields` names what)."""

    name: ClassVar[str] = "customer.updated"
    example: ClassVar[dict[str, Any]] = {"customer_id": 7, "fields": ["email"]}

    customer_id: int
    fields: list[str]


class CustomerIdentityAdded(Event):
    """A channel identity (phone, email, messenger id) was attached to a customer."""

    name: ClassVar[str] = "customer.identity_added"
    example: ClassVar[dict[str, Any]] = {"customer_id": 7, "kind": "email"}

    customer_id: int
    kind: str


class CustomerMerged(Event):
    """`merged_customer_id` was folded into `customer_id`; its records follow."""

    name: ClassVar[str] = "customer.merged"
    example: ClassVar[dict[str, Any]] = {"customer_id": 7, "merged_customer_id": 8,
                                         "reason": "manual"}

    customer_id: int
    merged_customer_id: int
    reason: str


class CustomerSplit(Event):
    """Identities (and chosen conversations) of `customer_id` moved to `new_customer_id`."""

    name: ClassVar[str] = "customer.split"
    example: ClassVar[dict[str, Any]] = {"customer_id": 7, "new_customer_id": 9,
                                         "identity_ids": [15], "conversation_ids": [42]}

    customer_id: int
    new_customer_id: int
    identity_ids: list[int]
    conversation_ids: list[int] = Field(default_factory=list)
