"""Channel writes: store webhook events once per inbox, finish their processing, media jobs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.base import ParsedWebhook, RawRequest, WebhookEvent
from omnidesk.channels.events import ChannelEventReceived, ChannelMediaRequested
from omnidesk.channels.models import InboundEvent
from omnidesk.channels.privacy import protect_raw_event
from omnidesk.core.db import utcnow
from omnidesk.core.events import emit
from omnidesk.core.files import URL_PREFIX
from omnidesk.domains.conversations.models import Message
from omnidesk.domains.inboxes.models import Inbox

SECRET_HEADER_WORDS = ("authorization", "cookie", "token", "secret", "key")


def safe_headers(headers: dict[str, str]) -> dict[str, str]:
    """Keep headers worth auditing (signatures, content type) and drop credentials."""
    return {k.lower(): v for k, v in headers.items()
            if not any(word in k.lower() for word in SECRET_HEADER_WORDS)}


def event_payload(event: WebhookEvent) -> dict[str, Any]:
    """Serialise what an adapter understood of one event, for the processing job."""
    return {"inbound": event.inbound.model_dump(mode="json") if event.inbound else None,
            "delivery": event.delivery.model_dump(mode="json") if event.delivery else None,
            "data": event.data}


async def do_store_webhook(session: AsyncSession, *, inbox: Inbox, request: RawRequest,
                           parsed: ParsedWebhook) -> list[int]:
    """Insert each event unless its (channel, dedupe key) exists; emit one job per new row."""
    stored: list[int] = []
    for event in parsed.events:
        headers = safe_headers(dict(request.headers))
        body, payload = await protect_raw_event(
            session, workspace_id=inbox.workspace_id, body=request.body,
            content_type=headers.get("content-type", ""), payload=event_payload(event))
        values = {"workspace_id": inbox.workspace_id, "inbox_id": inbox.id,
                  "channel": inbox.kind, "dedupe_key": event.dedupe_key[:255],
                  "kind": event.kind, "sequence": event.data.get("update_id"),
                  "raw_body": body, "headers": headers,
                  "parsed": payload, "received_at": request.received_at}
        if event.seen_as and await _stored_under(session, inbox, event.seen_as):
            continue  # a replay of an id-less event within its window
        row_id = await _insert_once(session, values)
        if row_id is None:
            continue
        stored.append(row_id)
        emit(session, ChannelEventReceived(inbound_event_id=row_id, channel=inbox.kind,
                                           inbox_id=inbox.id, kind=event.kind),
             workspace_id=inbox.workspace_id, key=f"channel-event:{row_id}")
    return stored


async def _insert_once(session: AsyncSession, values: dict[str, Any]) -> int | None:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (insert(InboundEvent).values(**values)
                 .on_conflict_do_nothing(index_elements=["workspace_id", "channel",
                                                         "dedupe_key"])
                 .returning(InboundEvent.id))
    return (await session.execute(statement)).scalar_one_or_none()


async def _stored_under(session: AsyncSession, inbox: Inbox, keys: tuple[str, ...]) -> bool:
    found = await session.scalar(select(InboundEvent.id).where(
        InboundEvent.workspace_id == inbox.workspace_id,
        InboundEvent.channel == inbox.kind, InboundEvent.dedupe_key.in_(keys)).limit(1))
    return found is not None


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
