"""Messages on a conversation: store one and move its clocks; find a repeated send."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any, cast

from sqlalchemy import Insert, Table, insert
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.manifests import is_realtime
from omnidesk.core.db import add_as_loaded, flush_pending, utcnow
from omnidesk.core.errors import Conflict
from omnidesk.core.events import emit
from omnidesk.core.text import storable_json
from omnidesk.domains.conversations import events as ev
from omnidesk.domains.conversations.journal import check_channel, detect_sentiment, log_event
from omnidesk.domains.conversations.models import (
    Conversation,
    Message,
)
from omnidesk.domains.conversations.service import find_message_by_client_id


async def do_add_message(
    session: AsyncSession, *, conv: Conversation, text: str, author_kind: str,
    author_id: int | None = None, channel: str | None = None, is_private: bool = False,
    content_type: str = "text", attachments: list[dict[str, Any]] | None = None,
    provider_message_id: str | None = None, meta: dict[str, Any] | None = None,
    at: dt.datetime | None = None, inbox_id: int | None = None,
    client_message_id: str | None = None,
) -> Message:
    """Store a message and move the conversation's clocks (first response, waiting).

    A reply on the conversation's channel goes out through the conversation's inbox (the number
    or mailbox the customer wrote to) unless an inbox is given.
    """
    now = at or utcnow()
    channel = check_channel(channel or conv.channel)
    if inbox_id is None and author_kind != "customer" and channel == conv.channel:
        inbox_id = conv.inbox_id
    inbound = author_kind == "customer"
    direction = "internal" if is_private else ("inbound" if inbound else "outbound")
    needs_delivery = direction == "outbound" and author_kind in {"agent", "bot"}
    msg = await _insert_message(session, {
        "workspace_id": conv.workspace_id, "conversation_id": conv.id, "channel": channel,
        "inbox_id": inbox_id, "direction": direction, "author_kind": author_kind,
        "author_id": author_id, "text": text, "content_type": content_type,
        "attachments": attachments or [], "is_private": is_private,
        "provider_message_id": provider_message_id, "meta": meta or {}, "created_at": now,
        "client_message_id": client_message_id,
        "delivery_status": "pending" if needs_delivery and not is_realtime(channel) else None,
        "delivery_error": None})
    conv.message_count += 1
    if not is_private:
        conv.last_message_at = now
        if inbound:
            _on_customer_message(session, conv, now, channel, inbox_id)
        elif author_kind in {"agent", "bot"}:
            _on_reply(session, conv, now, author_kind, author_id)
    sentiment = detect_sentiment(text) if inbound and not is_private else ev.DetectedSentiment()
    emit(session, ev.MessageCreated.of(msg, conv, sentiment), workspace_id=conv.workspace_id)
    return msg


async def _insert_message(session: AsyncSession, values: dict[str, Any]) -> Message:
    """INSERT a message with one Core statement built once and return it as a persistent object
    of the session, every column loaded (the unit of work's flush cost twice the CPU).

    The session's pending changes are flushed first, as before a query; the conversation's
    changes that follow are flushed with the message's event.
    """
    await flush_pending(session)
    values = {key: storable_json(value) for key, value in values.items()}  # as a flush would
    found = await (await session.connection()).execute(_insert_message_statement(), values)
    return add_as_loaded(session, Message, {"id": found.scalar_one(), **values})


@cache
def _insert_message_statement() -> Insert:
    """Build the message INSERT once."""
    table = cast(Table, Message.__table__)
    return insert(table).returning(table.c.id)


def _on_customer_message(session: AsyncSession, conv: Conversation, now: dt.datetime,
                         channel: str, inbox_id: int | None) -> None:
    conv.first_customer_message_at = conv.first_customer_message_at or now
    conv.last_customer_message_at = now
    if conv.status != "resolved":  # an answer to a survey on a resolved one waits for nobody
        conv.waiting_since = conv.waiting_since or now
    if inbox_id is not None or channel != conv.channel:  # the customer's last inbox
        conv.inbox_id = inbox_id
    conv.channel = channel
    if conv.status in {"pending", "snoozed"}:  # the customer wrote: it wakes up
        previous, conv.status, conv.snoozed_until = conv.status, "open", None
        log_event(session, conv, "status_changed", actor_kind="customer",
                  data={"from": previous, "to": "open", "reason": "customer_wrote"})


def _on_reply(session: AsyncSession, conv: Conversation, now: dt.datetime, author_kind: str,
              author_id: int | None) -> None:
    if author_kind == "agent":
        if conv.owner in {"bot", "queued"}:
            conv.owner = "agent"  # an agent who writes takes the conversation from the bot
        conv.last_agent_message_at = now
        if conv.first_response_at is None and conv.first_customer_message_at is not None:
            conv.first_response_at = now
            seconds = (now - conv.first_customer_message_at).total_seconds()
            log_event(session, conv, "first_response", actor_kind="agent", actor_id=author_id,
                      data={"seconds": round(seconds, 3)})
            emit(session, ev.ConversationFirstResponded.of(conv, seconds=round(seconds, 3)),
                 workspace_id=conv.workspace_id)
    conv.waiting_since = None


async def find_repeat_send(
    session: AsyncSession, *, conv: Conversation, client_message_id: str
) -> Message | None:
    """Return the message already stored under a send's idempotency key (None if new).

    Double-clicks, retries and resends after a reconnect carry the same key, so they find the
    first copy. A key already used in another conversation is refused rather than reused.
    """
    found = await find_message_by_client_id(session, workspace_id=conv.workspace_id,
                                            client_message_id=client_message_id)
    if found is not None and found.conversation_id != conv.id:
        raise Conflict("this client_message_id was already used in another conversation")
    return found
