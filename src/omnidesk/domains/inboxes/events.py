"""The inboxes domain's events: one payload model per event (never an inbox's settings)."""

from __future__ import annotations

from typing import Any, ClassVar

from omnidesk.channels.manifests import KINDS
from omnidesk.core.events import Event
from omnidesk.domains.inboxes.models import Inbox

INBOX: dict[str, Any] = {"inbox_id": 3, "kind": KINDS[0], "is_active": True}


class InboxFacts(Event):
    """What every inbox event says: which inbox, its kind and whether it is active."""

    inbox_id: int
    kind: str
    is_active: bool = True

    @classmethod
    def of(cls, inbox: Inbox) -> Any:
        """Build the event from an inbox row."""
        return cls(inbox_id=inbox.id, kind=inbox.kind, is_active=inbox.is_active)


class InboxCreated(InboxFacts):
    """An admin connected a channel account as a new inbox."""

    name: ClassVar[str] = "inbox.created"
    example: ClassVar[dict[str, Any]] = INBOX


class InboxUpdated(InboxFacts):
    """An admin renamed, re-configured, paused or re-timed an inbox."""

    name: ClassVar[str] = "inbox.updated"
    example: ClassVar[dict[str, Any]] = INBOX


class InboxDeleted(InboxFacts):
    """An admin removed an inbox; its conversations keep their history."""

    name: ClassVar[str] = "inbox.deleted"
    example: ClassVar[dict[str, Any]] = INBOX
