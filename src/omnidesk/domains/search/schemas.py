"""Search input and results: filters, conversation/message hits and customer hits."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from omnidesk.core.schemas import Id


class SearchFilter(BaseModel):
    """Narrow the conversation hits; ``assignee`` is a user id, 'me' or 'none'."""

    status: str | None = Field(default=None, pattern="^(open|pending|snoozed|resolved)$")
    inbox_id: Id | None = None
    channel: str | None = Field(default=None, max_length=16)
    assignee: str | None = Field(default=None, pattern=r"^(me|none|\d{1,18})$")
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def narrows(self) -> bool:
        """Tell whether any filter is set (customer hits are shown only without filters)."""
        return any(v is not None for v in self.model_dump().values())


class ConversationHit(BaseModel):
    """A conversation that matched, with its latest matching message as the snippet."""

    conversation_id: int
    customer_id: int
    customer_name: str
    channel: str
    status: str
    assignee_id: int | None
    message_id: int | None
    snippet: str
    at: dt.datetime | None
    url: str


class CustomerHit(BaseModel):
    """A customer found by name, email, phone, an identity or an order number (masked)."""

    customer_id: int
    name: str
    handles: list[str]  # email, phone and channel identities, masked
    matched: str
    url: str


class SearchResults(BaseModel):
    """What a search found: conversations (by their messages or number) and customers."""

    q: str
    terms: list[str]
    conversations: list[ConversationHit]
    customers: list[CustomerHit]
