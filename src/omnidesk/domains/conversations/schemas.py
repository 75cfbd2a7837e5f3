"""Conversation, message and event schemas (API in/out and channel intake)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from omnidesk.channels.api.manifest import MANIFEST as API
from omnidesk.core.schemas import Id, Patch

Status = Literal["open", "pending", "snoozed", "resolved"]
Priority = Literal["low", "normal", "high", "urgent"]
AuthorKind = Literal["customer", "agent", "bot", "system"]


class Attachment(BaseModel):
    """Metadata of a file attached to a message (the bytes live in storage)."""

    name: str
    content_type: str
    size: int = 0
    url: str | None = None
    storage_key: str | None = None


class InboundMessage(BaseModel):
    """A customer message as a channel adapter hands it to intake, channel-agnostic."""

    channel: str
    inbox_id: int | None = Field(None, description="The inbox (channel account) it came to")
    provider_message_id: str | None = None
    identity_kind: str = Field("", description="email, phone, web_visitor, kakao, line, telegram, …")
    identity_value: str = ""
    customer_id: Id | None = Field(None, description="An already known customer (API intake); "
                                   "used instead of the identity")
    identity_verified: bool = False
    customer_name: str | None = None
    customer_email: str | None = None
    customer_phone: str | None = None
    email_verified: bool = Field(False, description="customer_email is proven (signed)")
    phone_verified: bool = Field(False, description="customer_phone is proven (signed)")
    text: str = ""
    content_type: str = "text"
    attachments: list[Attachment] = Field(default_factory=list)
    subject: str | None = None
    thread_key: str | None = Field(None, description="Provider thread (email Message-ID chain, call SID)")
    conversation_id: Id | None = Field(None, description="Known conversation (e.g. a deflection link)")
    sent_at: dt.datetime | None = None
    meta: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _names_the_customer(self) -> InboundMessage:
        if self.customer_id is None and not (self.identity_kind and self.identity_value):
            raise ValueError("an inbound message needs an identity or a customer_id")
        return self


class RawInbound(BaseModel):
    """An inbound request as received, kept in the raw event store before intake reads it."""

    body: bytes = b""
    headers: dict[str, str] = Field(default_factory=dict)
    received_at: dt.datetime | None = None

    @classmethod
    def of_json(cls, data: Any, *, received_at: dt.datetime | None = None) -> RawInbound:
        """Describe a request by the JSON it carried (a form's fields, an upload's metadata)."""
        body = json.dumps(data, ensure_ascii=False, default=str).encode()
        return cls(body=body, headers={"content-type": "application/json"},
                   received_at=received_at)


class DeliveryUpdate(BaseModel):
    """A provider's status callback for an outbound message."""

    channel: str
    provider_message_id: str
    status: Literal["sent", "delivered", "read", "failed"]
    error: str | None = None
    at: dt.datetime | None = None


class MessageCreate(BaseModel):
    """A message posted through the API by an agent, bot or the customer's app."""

    text: str = Field(min_length=1, max_length=20000)
    author_kind: AuthorKind = "agent"
    is_private: bool = False
    channel: str | None = Field(None, description="Reply channel; default the customer's last one")
    content_type: str = "text"
    attachments: list[Attachment] = Field(default_factory=list)
    client_message_id: str | None = Field(
        None, min_length=1, max_length=100,
        description="The client's idempotency key for this message (any author): a repeat with "
                    "the same id returns the stored message (200) instead of storing it again")


class MessageRead(BaseModel):
    """A message as staff see it: `text` with personal data masked (`service.shown_texts`);
    `pii_masked` says a logged reveal (POST .../messages/{id}/reveal) would show more."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    conversation_id: int
    channel: str
    direction: str
    author_kind: str
    author_id: int | None
    text: str
    content_type: str
    attachments: list[Any]
    is_private: bool
    provider_message_id: str | None
    delivery_status: str | None
    created_at: dt.datetime
    pii_masked: bool = False


class ConversationCreate(BaseModel):
    """Open a conversation for a customer (API channel, agent-initiated outreach)."""

    customer_id: Id
    channel: str = API.kind
    subject: str | None = Field(None, max_length=300)
    priority: Priority = "normal"
    team_id: Id | None = None
    assignee_id: Id | None = None
    labels: list[str] = Field(default_factory=list)
    language: str | None = None
    message: str | None = Field(None, max_length=20000, description="First customer message")
    client_message_id: str | None = Field(
        None, min_length=1, max_length=100,
        description="The client's idempotency key for the first message: a retry with the same "
                    "id answers 200 with the conversation it opened instead of opening another")

    @model_validator(mode="after")
    def _key_needs_a_message(self) -> ConversationCreate:
        if self.client_message_id and not self.message:
            raise ValueError("client_message_id names the first message: send `message` too")
        return self


class ConversationUpdate(Patch):
    """Change status, priority, assignment or labels; null clears assignee, team or snooze."""

    nullable = frozenset({"assignee_id", "team_id", "snoozed_until"})

    status: Status | None = None
    priority: Priority | None = None
    assignee_id: Id | None = None
    team_id: Id | None = None
    labels: list[str] | None = None
    snoozed_until: dt.datetime | None = None
    language: str | None = None
    intent: str | None = None
    unassign: bool = False
    transfer_note: str | None = Field(
        None, max_length=1000,
        description="With an assignment: a note for the colleague taking over (shown in the "
                    "conversation's timeline)")


class ConversationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    customer_id: int
    channel: str
    status: str
    priority: str
    assignee_id: int | None
    team_id: int | None
    subject: str | None
    labels: list[Any]
    language: str | None
    intent: str | None
    created_at: dt.datetime
    first_customer_message_at: dt.datetime | None
    first_response_at: dt.datetime | None
    last_message_at: dt.datetime | None
    resolved_at: dt.datetime | None
    snoozed_until: dt.datetime | None
    reopened_count: int
    message_count: int


class ConversationEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    conversation_id: int
    kind: str
    actor_kind: str
    actor_id: int | None
    data: dict[str, Any]
    created_at: dt.datetime
