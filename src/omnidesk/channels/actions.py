"""Channel writes: connect a channel, store webhook events once, finish their processing."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.base import ChannelAdapter, ParsedWebhook, RawRequest, WebhookEvent
from omnidesk.channels.crypto import SettingsCipher
from omnidesk.channels.events import ChannelConnected, ChannelEventReceived, ChannelMediaRequested
from omnidesk.channels.models import ChannelConnection, InboundEvent
from omnidesk.channels.service import get_connection
from omnidesk.core.audit import audit
from omnidesk.core.context import Actor
from omnidesk.core.db import utcnow
from omnidesk.core.errors import InvalidInput
from omnidesk.core.events import emit
from omnidesk.core.files import URL_PREFIX
from omnidesk.domains.conversations.models import Message

SECRET_HEADER_WORDS = ("authorization", "cookie", "token", "secret", "key")


def safe_headers(headers: dict[str, str]) -> dict[str, str]:
    """Keep headers worth auditing (signatures, content type) and drop credentials."""
    return {k.lower(): v for k, v in headers.items()
            if not any(word in k.lower() for word in SECRET_HEADER_WORDS)}


async def do_connect_channel(session: AsyncSession, *, workspace_id: int,
                             adapter: ChannelAdapter, name: str, settings: dict[str, Any],
                             cipher: SettingsCipher) -> ChannelConnection:
    """Validate settings with the adapter's model and store them sealed (one per kind)."""
    config = adapter.config_model.model_validate(settings)
    sealed = cipher.seal(plain_settings(config))
    connection = await get_connection(session, workspace_id=workspace_id, kind=adapter.kind)
    if connection is None:
        connection = ChannelConnection(workspace_id=workspace_id, kind=adapter.kind, name=name,
                                       sealed_settings=sealed)
        session.add(connection)
    else:
        connection.name, connection.sealed_settings = name, sealed
    await session.flush()
    return connection


async def check_connect_channel(session: AsyncSession, *, actor: Actor,
                                adapter: ChannelAdapter, name: str | None,
                                settings: dict[str, Any],
                                cipher: SettingsCipher) -> ChannelConnection:
    """Let an admin connect a channel; invalid settings are a 422 naming each bad field."""
    actor.require("admin")
    try:
        adapter.config_model.model_validate(settings)
    except ValidationError as exc:
        raise InvalidInput(f"invalid {adapter.kind} settings: {settings_problems(exc)}",
                           field="settings") from None
    connection = await do_connect_channel(session, workspace_id=actor.workspace_id,
                                          adapter=adapter, name=name or adapter.kind,
                                          settings=settings, cipher=cipher)
    connection.is_active = True
    audit(session, workspace_id=actor.workspace_id, action=ChannelConnected.name,
          actor_kind=actor.audit_kind, actor_id=actor.user_id, object_type="channel_connection",
          object_id=connection.id, data={"kind": adapter.kind})  # never the settings
    emit(session, ChannelConnected(connection_id=connection.id, kind=adapter.kind),
         workspace_id=actor.workspace_id)
    return connection


def settings_problems(exc: ValidationError) -> str:
    """Summarise a settings validation error by field, without echoing submitted values."""
    return "; ".join(f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}"
                     for err in exc.errors())


def plain_settings(model: Any) -> dict[str, Any]:
    """Dump a settings model with SecretStr values in clear, for sealing only."""
    out: dict[str, Any] = model.model_dump(mode="json")
    for field_name in type(model).model_fields:
        value = getattr(model, field_name)
        if hasattr(value, "get_secret_value"):
            out[field_name] = value.get_secret_value()
        elif hasattr(type(value), "model_fields"):
            out[field_name] = plain_settings(value)
    return out


def event_payload(event: WebhookEvent) -> dict[str, Any]:
    """Serialise what an adapter understood of one event, for the processing job."""
    return {"inbound": event.inbound.model_dump(mode="json") if event.inbound else None,
            "delivery": event.delivery.model_dump(mode="json") if event.delivery else None,
            "data": event.data}


async def do_store_webhook(session: AsyncSession, *, connection: ChannelConnection,
                           request: RawRequest, parsed: ParsedWebhook) -> list[int]:
    """Insert each event unless its (channel, dedupe key) exists; emit one job per new row."""
    stored: list[int] = []
    for event in parsed.events:
        values = {"workspace_id": connection.workspace_id, "connection_id": connection.id,
                  "channel": connection.kind, "dedupe_key": event.dedupe_key[:255],
                  "kind": event.kind, "sequence": event.data.get("update_id"),
                  "raw_body": request.body, "headers": safe_headers(dict(request.headers)),
                  "parsed": event_payload(event), "received_at": request.received_at}
        if event.seen_as and await _stored_under(session, connection, event.seen_as):
            continue  # a replay of an id-less event within its window
        row_id = await _insert_once(session, values)
        if row_id is None:
            continue
        stored.append(row_id)
        emit(session, ChannelEventReceived(inbound_event_id=row_id, channel=connection.kind,
                                           kind=event.kind),
             workspace_id=connection.workspace_id, key=f"channel-event:{row_id}")
    return stored


async def _insert_once(session: AsyncSession, values: dict[str, Any]) -> int | None:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (insert(InboundEvent).values(**values)
                 .on_conflict_do_nothing(index_elements=["workspace_id", "channel",
                                                         "dedupe_key"])
                 .returning(InboundEvent.id))
    return (await session.execute(statement)).scalar_one_or_none()


async def _stored_under(session: AsyncSession, connection: ChannelConnection,
                        keys: tuple[str, ...]) -> bool:
    found = await session.scalar(select(InboundEvent.id).where(
        InboundEvent.workspace_id == connection.workspace_id,
        InboundEvent.channel == connection.kind, InboundEvent.dedupe_key.in_(keys)).limit(1))
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
