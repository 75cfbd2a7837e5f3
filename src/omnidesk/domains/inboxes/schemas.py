"""Inbox schemas, and the port through which the channel edge validates and seals settings."""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.schemas import Id
from omnidesk.domains.inboxes.models import Inbox
from omnidesk.domains.workspaces.schemas import BusinessHours


class Greeting(BaseModel):
    """What the inbox says first, per language (empty: the workspace's greeting)."""

    model_config = ConfigDict(extra="forbid")

    ko: str | None = Field(None, max_length=1000)
    en: str | None = Field(None, max_length=1000)


class InboxFields(BaseModel):
    """What an admin sets on an inbox besides its channel settings."""

    greeting: Greeting | None = None
    hours: BusinessHours | None = Field(None, description="Overrides the workspace calendar.")
    default_queue_id: Id | None = Field(None, description="Routing queue when no rule matches.")


class InboxCreate(InboxFields):
    """Connect one more channel account: its kind, a name agents see, and its settings."""

    kind: str = Field(max_length=16)
    name: str | None = Field(None, max_length=120)
    settings: dict[str, Any] = Field(default_factory=dict,
                                     description="Validated by the channel's config model.")


class InboxUpdate(InboxFields):
    """Change an inbox; settings given replace the stored ones (validated again)."""

    name: str | None = Field(None, max_length=120)
    settings: dict[str, Any] | None = None
    is_active: bool | None = None


class InboxRead(BaseModel):
    """An inbox as admins see it: settings with every secret masked, and its webhook URL."""

    id: int
    kind: str
    name: str
    public_key: str
    is_active: bool
    settings: dict[str, Any]
    webhook_url: str | None
    capabilities: list[str]
    greeting: dict[str, Any]
    hours: dict[str, Any]
    default_queue_id: int | None
    created_at: dt.datetime | None = None


class InboxPort(Protocol):
    """What the layers above do for inboxes: the channel edge and routing (built, passed in)."""

    def knows(self, kind: str) -> bool:
        """Tell whether a channel kind can be connected as an inbox."""
        ...

    def seal(self, kind: str, settings: dict[str, Any]) -> str:
        """Validate settings with the kind's config model and encrypt them (InvalidInput)."""
        ...

    def describe(self, inbox: Inbox) -> InboxRead:
        """Describe an inbox with masked settings, capabilities and its webhook URL."""
        ...

    async def has_queue(self, session: AsyncSession, *, workspace_id: int,
                        queue_id: int) -> bool:
        """Tell whether a queue id names a routing queue of the workspace."""
        ...
