"""Shared pieces of conversation writes: the event log row, sentiment, channel check.

No module here commits or emits; the `*_actions` modules do, in the caller's transaction.
"""

from __future__ import annotations

from typing import Any, TypedDict

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.errors import InvalidInput
from omnidesk.domains.conversations import events as ev
from omnidesk.domains.conversations.models import (
    CHANNELS,
    Conversation,
    ConversationEvent,
)
from omnidesk.domains.nlu.service import score_sentiment


class AuditedBy(TypedDict):
    """Who a logged change is attributed to (keyword arguments of the do_* actions)."""

    actor_kind: str
    actor_id: int | None


def log_event(
    session: AsyncSession, conv: Conversation, kind: str, *, actor_kind: str = "system",
    actor_id: int | None = None, data: dict[str, Any] | None = None,
) -> ConversationEvent:
    """Append a fact to the conversation's event log."""
    row = ConversationEvent(workspace_id=conv.workspace_id, conversation_id=conv.id, kind=kind,
                            actor_kind=actor_kind, actor_id=actor_id, data=data or {})
    session.add(row)
    return row


def detect_sentiment(text: str | None) -> ev.DetectedSentiment:
    """Return the sentiment NLU finds in a customer's words (neutral for no text)."""
    if not text:
        return ev.DetectedSentiment()
    found = score_sentiment(text)
    return ev.DetectedSentiment(label=found.label, score=found.score)


def check_channel(channel: str) -> str:
    """Return the channel if it is a known kind, else refuse it (400)."""
    if channel not in CHANNELS:
        raise InvalidInput(f"unknown channel {channel!r}", field="channel")
    return channel
