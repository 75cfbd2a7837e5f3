"""Message delivery writes: provider send results and status callbacks, furthest status kept."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import utcnow
from omnidesk.core.events import emit
from omnidesk.domains.conversations import events as ev
from omnidesk.domains.conversations.actions import do_add_message
from omnidesk.domains.conversations.models import SENT_MARKER, Message
from omnidesk.domains.conversations.schemas import DeliveryUpdate
from omnidesk.domains.conversations.service import find_sent_message, get_conversation

DELIVERY_RANK = {"pending": 0, "sent": 1, "delivered": 2, "read": 3}


async def do_apply_delivery_update(
    session: AsyncSession, *, workspace_id: int, update: DeliveryUpdate,
    inbox_id: int | None = None,
) -> Message | None:
    """Record a provider status callback (to `inbox_id`), keeping the furthest status when
    callbacks race."""
    msg = await find_sent_message(session, workspace_id=workspace_id, channel=update.channel,
                                  provider_message_id=update.provider_message_id,
                                  inbox_id=inbox_id)
    if msg is None:
        return None
    current = msg.delivery_status or "pending"
    status = furthest_delivery_status(current, update.status)
    if status != update.status or (status == current and status != "failed"):
        return msg  # a late or repeated callback changes nothing (a repeated failure re-says why)
    if status == "failed":
        msg.delivery_error = update.error
    msg.delivery_status = status
    _announce_delivery(session, msg)
    return msg


def do_record_send_result(session: AsyncSession, *, message: Message,
                          provider_message_id: str, status: str) -> None:
    """Record that the provider accepted a send (the "sent" marker); tell subscribers.

    Commit this on its own right after the send: a message with the marker is never sent
    again, whatever happens to the rest of the delivery's transaction.
    """
    message.meta = {**message.meta, SENT_MARKER: {"provider_message_id": provider_message_id,
                                                  "at": utcnow().isoformat()}}
    # A replayed dead letter that now went out is no longer failed.
    previous = None if message.delivery_status == "failed" else message.delivery_status
    message.delivery_status = furthest_delivery_status(previous, status)
    message.delivery_error = None
    _announce_delivery(session, message)


def do_link_provider_message(message: Message) -> None:
    """Key a sent message by its provider id (unique per channel) so status callbacks find it."""
    message.provider_message_id = message.meta[SENT_MARKER]["provider_message_id"][:200]


def do_mark_delivery_failed(session: AsyncSession, *, message: Message, error: str) -> None:
    """Mark a message undeliverable (permanent error or retries exhausted)."""
    message.delivery_status = furthest_delivery_status(message.delivery_status, "failed")
    message.delivery_error = error[:2000]
    _announce_delivery(session, message)


async def do_send_fallback(session: AsyncSession, *, message: Message) -> Message | None:
    """Send a failed message again on its fallback channel (meta `fallback`: channel, inbox).

    A 알림톡 the provider refused goes out as SMS/LMS with the same text from the workspace's
    SMS number; the fallback is a message of its own (own delivery job, status and retries)
    and carries no fallback itself, so a chain never loops.
    """
    fallback = (message.meta or {}).get("fallback")
    if not isinstance(fallback, dict) or not fallback.get("channel"):
        return None
    conv = await get_conversation(session, workspace_id=message.workspace_id,
                                  conversation_id=message.conversation_id)
    meta = {k: v for k, v in (message.meta or {}).items()
            if k not in {"fallback", "template", SENT_MARKER}}
    return await do_add_message(
        session, conv=conv, text=message.text, author_kind=message.author_kind,
        author_id=message.author_id, channel=str(fallback["channel"]),
        inbox_id=fallback.get("inbox_id"), meta={**meta, "fallback_of": message.id})


def furthest_delivery_status(current: str | None, incoming: str) -> str:
    """Return the status to keep when provider callbacks race (progress never goes back).

    ``failed`` replaces pending/sent only; a later ``delivered``/``read`` replaces ``failed``
    because multi-device users can report both (WhatsApp, Twilio).
    """
    current = current or "pending"
    if incoming == "failed":
        return "failed" if current in {"pending", "sent", "failed"} else current
    if current == "failed":
        return incoming if DELIVERY_RANK[incoming] >= DELIVERY_RANK["delivered"] else current
    return incoming if DELIVERY_RANK[incoming] > DELIVERY_RANK[current] else current


def _announce_delivery(session: AsyncSession, message: Message) -> None:
    emit(session, ev.MessageDeliveryUpdated(message_id=message.id,
                                            conversation_id=message.conversation_id,
                                            status=message.delivery_status),
         workspace_id=message.workspace_id)
