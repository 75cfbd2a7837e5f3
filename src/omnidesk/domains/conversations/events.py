"""The conversation domain's events: one payload model per event (the catalogue).

Payloads carry ids and the facts subscribers decide on, never whole rows. A new field needs a
default (old outbox rows lack it) and a value in the model's ``example``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, Field

from omnidesk.core.events import Event
from omnidesk.domains.conversations.models import CHANNELS, Conversation, Message


class DetectedSentiment(BaseModel):
    """The sentiment NLU found in a customer's words: label and score in [-1, 1]."""

    label: str = "neutral"
    score: float = 0.0


CONVERSATION: dict[str, Any] = {
    "conversation_id": 41, "customer_id": 7, "channel": CHANNELS[0], "inbox_id": 3,
    "status": "open",
    "priority": "normal", "assignee_id": None, "team_id": None, "language": "ko",
    "intent": None, "owner": "queued",
}
WORDS: dict[str, Any] = {"text": "환불하고 싶어요", "sentiment": {"label": "neutral", "score": 0.0}}


class ConversationFacts(Event):
    """What every conversation event says about the conversation (ids and routing facts)."""

    conversation_id: int
    customer_id: int
    channel: str
    inbox_id: int | None = None  # the customer's last inbox (channel account)
    status: str
    priority: str
    assignee_id: int | None = None
    team_id: int | None = None
    language: str | None = None
    intent: str | None = None
    owner: str | None = None

    @classmethod
    def of(cls, conv: Conversation, **extra: Any) -> Any:
        """Build the event from a conversation row and the event's own fields."""
        return cls(conversation_id=conv.id, customer_id=conv.customer_id, channel=conv.channel,
                   inbox_id=conv.inbox_id, status=conv.status, priority=conv.priority, assignee_id=conv.assignee_id,
                   team_id=conv.team_id, language=conv.language, intent=conv.intent,
                   owner=conv.owner, **extra)


class CustomerWords(ConversationFacts):
    """A conversation event caused by a customer's message: its text and detected sentiment."""

    text: str | None = None
    sentiment: DetectedSentiment = DetectedSentiment()


class ConversationCreated(CustomerWords):
    """A conversation was opened; `text` is the customer's opening message, if any."""

    name: ClassVar[str] = "conversation.created"
    example: ClassVar[dict[str, Any]] = {**CONVERSATION, **WORDS}


class ConversationUpdated(ConversationFacts):
    """An agent changed the conversation; `fields` names what the request set."""

    name: ClassVar[str] = "conversation.updated"
    example: ClassVar[dict[str, Any]] = {**CONVERSATION, "fields": ["labels", "priority"]}

    fields: list[str] = Field(default_factory=list)


class ConversationAssigned(ConversationFacts):
    """The conversation was assigned, transferred or unassigned (`change`)."""

    name: ClassVar[str] = "conversation.assigned"
    example: ClassVar[dict[str, Any]] = {
        **CONVERSATION, "assignee_id": 3, "owner": "agent", "change": "assigned",
        "from_assignee_id": None, "to_assignee_id": 3, "from_team_id": None, "to_team_id": None,
        "reason": None}

    change: str
    from_assignee_id: int | None = None
    to_assignee_id: int | None = None
    from_team_id: int | None = None
    to_team_id: int | None = None
    reason: str | None = None


class ConversationStatusChanged(ConversationFacts):
    """The status moved (open, pending, snoozed, resolved) from `previous_status`."""

    name: ClassVar[str] = "conversation.status_changed"
    example: ClassVar[dict[str, Any]] = {**CONVERSATION, "status": "pending",
                                         "previous_status": "open"}

    previous_status: str


class ConversationResolved(ConversationFacts):
    """The conversation was resolved (`resolved_by`: the person who did, if one did)."""

    name: ClassVar[str] = "conversation.resolved"
    example: ClassVar[dict[str, Any]] = {**CONVERSATION, "status": "resolved",
                                         "owner": "resolved", "resolved_by": 3}

    resolved_by: int | None = None


class ConversationReopened(CustomerWords):
    """A resolved conversation was opened again; `text` is the customer's message if one did."""

    name: ClassVar[str] = "conversation.reopened"
    example: ClassVar[dict[str, Any]] = {**CONVERSATION, **WORDS}


class ConversationFirstResponded(ConversationFacts):
    """An agent answered the customer for the first time, `seconds` after their first message."""

    name: ClassVar[str] = "conversation.first_responded"
    example: ClassVar[dict[str, Any]] = {**CONVERSATION, "assignee_id": 3, "owner": "agent",
                                         "seconds": 42.5}

    seconds: float


class ConversationBotHandoff(CustomerWords):
    """The bot handed the conversation to people; `text` is the message that led to it."""

    name: ClassVar[str] = "conversation.bot_handoff"
    example: ClassVar[dict[str, Any]] = {
        **CONVERSATION, **WORDS, "reason": "customer_request", "slots": {"order": "HB1"},
        "summary": ["환불 문의"]}

    reason: str
    slots: dict[str, Any] = Field(default_factory=dict)
    summary: list[str] = Field(default_factory=list)


class ConversationReturnedToBot(ConversationFacts):
    """A person or a rule gave the conversation back to the bot."""

    name: ClassVar[str] = "conversation.returned_to_bot"
    example: ClassVar[dict[str, Any]] = {**CONVERSATION, "owner": "bot", "reason": "resolved",
                                         "from_assignee_id": 3}

    reason: str | None = None
    from_assignee_id: int | None = None


class ConversationCustomerChanged(Event):
    """Conversations moved to another customer (after a merge or split)."""

    name: ClassVar[str] = "conversation.customer_changed"
    example: ClassVar[dict[str, Any]] = {"conversation_ids": [41, 42], "from_customer_id": 8,
                                         "customer_id": 7}

    conversation_ids: list[int]
    from_customer_id: int
    customer_id: int


class MessageCreated(Event):
    """A message was stored (customer, agent, bot or system; public or a private note).

    ``sentiment`` is detected on customer messages; other authors carry the neutral default.
    """

    name: ClassVar[str] = "message.created"
    example: ClassVar[dict[str, Any]] = {
        "message_id": 90, "conversation_id": 41, "customer_id": 7, "channel": CHANNELS[0],
        "inbox_id": 3, "direction": "inbound", "author_kind": "customer", "author_id": None,
        "is_private": False, **WORDS, "conversation_status": "open", "assignee_id": None,
        "owner": "queued"}

    message_id: int
    conversation_id: int
    customer_id: int
    channel: str
    inbox_id: int | None = None  # the inbox it came to or goes out through
    direction: str
    author_kind: str
    author_id: int | None = None
    is_private: bool = False
    text: str = ""
    sentiment: DetectedSentiment = DetectedSentiment()
    conversation_status: str
    assignee_id: int | None = None
    owner: str | None = None

    @classmethod
    def of(cls, msg: Message, conv: Conversation, sentiment: DetectedSentiment) -> MessageCreated:
        """Build the event from the stored message and its conversation."""
        return cls(message_id=msg.id, conversation_id=conv.id, customer_id=conv.customer_id,
                   channel=msg.channel, inbox_id=msg.inbox_id, direction=msg.direction, author_kind=msg.author_kind,
                   author_id=msg.author_id, is_private=msg.is_private, text=msg.text,
                   sentiment=sentiment, conversation_status=conv.status,
                   assignee_id=conv.assignee_id, owner=conv.owner)


class MessageDeliveryUpdated(Event):
    """A sent message's delivery status moved (sent, delivered, read, failed)."""

    name: ClassVar[str] = "message.delivery_updated"
    example: ClassVar[dict[str, Any]] = {"message_id": 91, "conversation_id": 41,
                                         "status": "delivered"}

    message_id: int
    conversation_id: int
    status: str | None = None


class MessageUpdated(Event):
    """A message's attachments changed (e.g. a provider file was downloaded)."""

    name: ClassVar[str] = "message.updated"
    example: ClassVar[dict[str, Any]] = {"message_id": 90, "conversation_id": 41}

    message_id: int
    conversation_id: int


class MentionCreated(Event):
    """A colleague was named with @ in a private note (their screens get a notification)."""

    name: ClassVar[str] = "mention.created"
    example: ClassVar[dict[str, Any]] = {"mention_id": 5, "message_id": 90,
                                         "conversation_id": 41, "user_id": 3, "author_id": 2,
                                         "author_name": "김상담", "text": "@박매니저 확인 부탁해요"}

    mention_id: int
    message_id: int
    conversation_id: int
    user_id: int
    author_id: int | None = None
    author_name: str = ""
    text: str = ""
