"""Channel writes: store webhook events (intake's raw store), finish their processing, media."""

from __future__ import annotations

import zlib
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.base import ParsedWebhook, RawRequest, WebhookEvent
from omnidesk.channels.events import ChannelEventReceived, ChannelMediaRequested
from omnidesk.core.db import utcnow
from omnidesk.core.events import emit
from omnidesk.core.files import URL_PREFIX
from omnidesk.domains.conversations.actions import do_store_raw_event
from omnidesk.domains.conversations.models import InboundEvent, Message
from omnidesk.domains.conversations.schemas import RawInbound
from omnidesk.domains.conversations.service import raw_event_stored
from omnidesk.domains.inboxes.models import Inbox


def event_payload(event: WebhookEvent) -> dict[str, Any]:
    """Serialise what an adapter understood of one event, for the processing job."""
    return {"inbound": event.inbound.model_dump(mode="json") if event.inbound else None,
            "delivery": event.delivery.model_dump(mode="json") if event.delivery else None,
            "data": event.data}


PARTITIONS = 1 << 16  # buckets of senders: coarse enough that a number names nobody


def sender_partition(event: WebhookEvent) -> int | None:
    """Return the partition of an event's sender (a hash bucket), so one sender's events are
    processed in the order they came while other senders' run beside them; None when the
    event names no sender (it then waits its turn with other such work)."""
    if event.inbound is not None:
        inbound = event.inbound
        who = (f"customer:{inbound.customer_id}" if inbound.customer_id is not None
               else f"{inbound.identity_kind}:{inbound.identity_value}")
    elif event.delivery is not None:
        who = f"sent:{event.delivery.channel}:{event.delivery.provider_message_id}"
    else:
        return None
    return zlib.crc32(who.encode()) % PARTITIONS


async def do_store_webhook(session: AsyncSession, *, inbox: Inbox, request: RawRequest,
                           parsed: ParsedWebhook) -> list[int]:
    """Store each event through intake's raw store (once per inbox); queue a job per new row."""
    stored: list[int] = []
    raw = RawInbound(body=request.body, headers=dict(request.headers),
                     received_at=request.received_at)
    for event in parsed.events:
        if event.seen_as and await raw_event_stored(
                session, workspace_id=inbox.workspace_id, inbox_id=inbox.id, channel=inbox.kind,
                dedupe_keys=event.seen_as):
            continue  # a replay of an id-less event within its window
        row_id = await do_store_raw_event(
            session, workspace_id=inbox.workspace_id, inbox_id=inbox.id, channel=inbox.kind,
            dedupe_key=event.dedupe_key, kind=event.kind, raw=raw,
            parsed=event_payload(event), sequence=event.data.get("update_id"))
        if row_id is None:
            continue
        stored.append(row_id)
        emit(session, ChannelEventReceived(inbound_event_id=row_id, channel=inbox.kind,
                                           inbox_id=inbox.id, kind=event.kind,
                                           partition=sender_partition(event)),
             workspace_id=inbox.workspace_id, key=f"channel-event:{row_id}")
    return stored


def do_finish_event(row: InboundEvent, *, status: str, error: str | None = None) -> None:
    """Record how processing of a stored event ended."""
    row.status, row.error, row.processed_at = status, error, utcnow()


def needs_download(attachment: Any) -> bool:
    """Tell whether an attachment is a provider file we have not stored or tried yet."""
    return (isinstance(attachment, dict) and not attachment.get("media")
            and not str(attachment.get("url") or "").startswith(URL_PREFIX)
            and bool(attachment.get("url") or attachment.get("storage_key")))


def do_request_media(session: AsyncSession, *, message: Message) -> bool:
    """Mark an inbound message's provider files pending and queue one download job for them."""
    if not any(needs_download(a) for a in message.attachments):
        return False
    message.attachments = [{**a, "media": "pending"} if needs_download(a) else a
                           for a in message.attachments]
    emit(session, ChannelMediaRequested(message_id=message.id, channel=message.channel),
         workspace_id=message.workspace_id, key=f"channel-media:{message.id}")
    return True


def do_record_media(message: Message, *, index: int, attachment: dict[str, Any]) -> None:
    """Replace one attachment entry of a message: the stored file, or why it is missing."""
    items = list(message.attachments)
    items[index] = attachment
    message.attachments = items  # a new list, so the JSON column is written
