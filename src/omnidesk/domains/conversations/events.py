"""The conversation domain's events: names and payload builders (the event catalogue)."""

from __future__ import annotations

from typing import Any

from omnidesk.domains.conversations.models import Conversation, Message

CONVERSATION_CREATED = "conversation.created"
CONVERSATION_UPDATED = "conversation.updated"
CONVERSATION_ASSIGNED = "conversation.assigned"
CONVERSATION_STATUS_CHANGED = "conversation.status_changed"
CONVERSATION_RESOLVED = "conversation.resolved"
CONVERSATION_REOPENED = "conversation.reopened"
CONVERSATION_FIRST_RESPONDED = "conversation.first_responded"
CONVERSATION_BOT_HANDOFF = "conversation.bot_handoff"
CONVERSATION_RETURNED_TO_BOT = "conversation.returned_to_bot"
MESSAGE_CREATED = "message.created"
MESSAGE_DELIVERY_UPDATED = "message.delivery_updated"
MESSAGE_UPDATED = "message.updated"  # attachments changed, e.g. a provider file was downloaded


def conversation_payload(conv: Conversation, **extra: Any) -> dict[str, Any]:
    """Describe a conversation for subscribers (ids and routing-relevant fields)."""
    return {
        "conversation_id": conv.id,
        "customer_id": conv.customer_id,
        "channel": conv.channel,
        "status": conv.status,
        "priority": conv.priority,
        "assignee_id": conv.assignee_id,
        "team_id": conv.team_id,
        "language": conv.language,
        "intent": conv.intent,
        "owner": conv.owner,
        **extra,
    }


def message_payload(msg: Message, conv: Conversation) -> dict[str, Any]:
    """Describe a new message for subscribers (text included: handlers mask before logging)."""
    return {
        "message_id": msg.id,
        "conversation_id": conv.id,
        "customer_id": conv.customer_id,
        "channel": msg.channel,
        "direction": msg.direction,
        "author_kind": msg.author_kind,
        "author_id": msg.author_id,
        "is_private": msg.is_private,
        "text": msg.text,
        "conversation_status": conv.status,
        "assignee_id": conv.assignee_id,
        "owner": conv.owner,
    }
