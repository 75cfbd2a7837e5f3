"""The assist domain's events: canned responses, personas, recognition, customer notes and PII."""

from __future__ import annotations

from typing import Any, ClassVar

from omnidesk.core.events import Event


class CannedResponseChanged(Event):
    """Which canned response changed."""

    canned_response_id: int


class CannedResponseCreated(CannedResponseChanged):
    """A canned response was created."""

    name: ClassVar[str] = "canned_response.created"
    example: ClassVar[dict[str, Any]] = {"canned_response_id": 5}


class CannedResponseUpdated(CannedResponseChanged):
    """A canned response was edited."""

    name: ClassVar[str] = "canned_response.updated"
    example: ClassVar[dict[str, Any]] = {"canned_response_id": 5}


class CannedResponseDeleted(CannedResponseChanged):
    """A canned response was deleted."""

    name: ClassVar[str] = "canned_response.deleted"
    example: ClassVar[dict[str, Any]] = {"canned_response_id": 5}


class PersonasAssigned(Event):
    """Customers were clustered into personas (keys listed)."""

    name: ClassVar[str] = "personas.assigned"
    example: ClassVar[dict[str, Any]] = {"personas": ["bargain_hunter", "loyal_vip"]}

    personas: list[str]


class RecognitionUpdated(Event):
    """An admin changed the customer recognition settings (`fields` names what)."""

    name: ClassVar[str] = "recognition.updated"
    example: ClassVar[dict[str, Any]] = {"fields": ["rules"]}

    fields: list[str]


class CustomerPiiRevealed(Event):
    """An agent unmasked a customer's contact fields (the access is also audited)."""

    name: ClassVar[str] = "customer.pii_revealed"
    example: ClassVar[dict[str, Any]] = {"customer_id": 7, "fields": ["phone"], "actor_id": 3}

    customer_id: int
    fields: list[str]
    actor_id: int | None = None


class CustomerNoteAdded(Event):
    """An agent added a note to a customer."""

    name: ClassVar[str] = "customer.note_added"
    example: ClassVar[dict[str, Any]] = {"customer_id": 7, "note_id": 11}

    customer_id: int
    note_id: int
