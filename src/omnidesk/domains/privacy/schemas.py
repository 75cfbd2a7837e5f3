"""Access-log rows as the API shows them, and the search filters."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from omnidesk.core.schemas import Id


class PiiAccessRead(BaseModel):
    """One read of unmasked personal data."""

    model_config = ConfigDict(from_attributes=True)

    id: Id
    at: dt.datetime
    actor_kind: str
    actor_id: Id | None
    actor_name: str
    action: str = Field(description="reveal, export, customer_page or api")
    customer_id: Id | None
    conversation_id: Id | None
    message_id: Id | None
    fields: list[str]
    reason: str
    ip: str | None


class AccessQuery(BaseModel):
    """Filters of the access-log search (all optional)."""

    actor_id: Id | None = None
    customer_id: Id | None = None
    action: str | None = Field(None, pattern="^(reveal|export|customer_page|api)$")
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    limit: int = Field(100, ge=1, le=1000)


class RevealMessageIn(BaseModel):
    """Why the agent needs the clear values of a message (required; goes to the access log)."""

    reason: str = Field(min_length=2, max_length=300)


class RevealedMessage(BaseModel):
    """A message's text with the encrypted values put back (this read was logged)."""

    message_id: Id
    text: str
    kinds: list[str]
