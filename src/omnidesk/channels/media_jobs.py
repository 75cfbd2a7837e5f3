"""The download job: fetch inbound provider files into attachment storage, once each."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.actions import do_record_media
from omnidesk.channels.base import ChannelAdapter, ChannelError, fetch_media
from omnidesk.channels.crypto import SettingsCipher
from omnidesk.channels.events import ChannelMediaRequested
from omnidesk.channels.retry import backoff_seconds
from omnidesk.channels.service import inbox_config, inbox_for_message
from omnidesk.core.errors import InvalidInput, NotFound
from omnidesk.core.events import DeliveredEvent, RetryLater, SubscriberRegistry, emit
from omnidesk.core.files import ALLOWED, pick_type, store_file
from omnidesk.domains.conversations.events import MessageUpdated
from omnidesk.domains.conversations.models import Message
from omnidesk.domains.conversations.service import get_message

log = logging.getLogger("omnidesk.channels.media")
MEDIA_SUBSCRIBER = "channels.fetch_media"
PENDING, STORED, FAILED = "pending", "stored", "failed"


def failed(entry: dict[str, Any], error: str) -> dict[str, Any]:
    """Keep an attachment as metadata with the reason its file is missing."""
    return {**entry, "media": FAILED, "error": error[:300]}


@dataclass
class MediaJobs:
    """Download the files of inbound messages into the attachment storage the widget uses."""

    adapters: Mapping[str, ChannelAdapter]
    cipher: SettingsCipher
    client_factory: Callable[[], httpx.AsyncClient]
    upload_dir: Path
    max_bytes: int
    max_attempts: int = 6  # ChannelJobs passes OMNIDESK_OUTBOX_MAX_ATTEMPTS

    def register(self, registry: SubscriberRegistry) -> None:
        """Add the download subscriber."""
        registry.subscribe(ChannelMediaRequested, name=MEDIA_SUBSCRIBER, reads=("message_id",),
                           max_attempts=self.max_attempts, timeout_seconds=120)(
            self.fetch_message_media)

    async def fetch_message_media(
        self, event: DeliveredEvent[ChannelMediaRequested], session: AsyncSession
    ) -> None:
        """Store each pending file; retry transient failures, record permanent ones."""
        try:
            message = await get_message(session, workspace_id=event.workspace_id or 0,
                                        message_id=event.data.message_id)
        except NotFound:
            return  # deleted since: nothing to show
        pending = [i for i, a in enumerate(message.attachments)
                   if isinstance(a, dict) and a.get("media") == PENDING]
        if not pending:
            return  # done by an earlier run
        adapter = self.adapters.get(message.channel)
        inbox = await inbox_for_message(session, message)
        if adapter is None or inbox is None:
            for index in pending:
                do_record_media(message, index=index, attachment=failed(
                    message.attachments[index], f"{message.channel} is not connected"))
            _announce(session, message)
            return
        config = inbox_config(inbox, adapter, self.cipher)
        retry = await self._fetch_all(message, pending, adapter, config, event.attempt)
        if any(a.get("media") != PENDING for i, a in enumerate(message.attachments)
               if i in pending):
            _announce(session, message)
        if retry is not None:
            await session.commit()  # keep the files stored so far; retry only the rest
            raise RetryLater(str(retry), seconds=backoff_seconds(
                event.attempt, retry_after=retry.retry_after))

    async def _fetch_all(self, message: Message, pending: list[int], adapter: ChannelAdapter,
                         config: Any, attempt: int) -> ChannelError | None:
        retry: ChannelError | None = None
        async with self.client_factory() as http:
            for index in pending:
                entry = message.attachments[index]
                try:
                    update = await self._fetch_one(message, entry, adapter, config, http)
                except ChannelError as error:
                    log.info("media download failed", extra={
                        "channel": message.channel, "message_id": message.id,
                        "attempt": attempt, "permanent": error.permanent})
                    if not error.permanent and attempt < self.max_attempts:
                        retry = retry or error
                        continue
                    update = failed(entry, str(error))
                do_record_media(message, index=index, attachment=update)
        return retry

    async def _fetch_one(self, message: Message, entry: dict[str, Any], adapter: ChannelAdapter,
                         config: Any, http: httpx.AsyncClient) -> dict[str, Any]:
        fetched = await fetch_media(adapter, entry, config, http, max_bytes=self.max_bytes)
        source = entry.get("source") or entry.get("storage_key") or entry.get("url")
        content_type = pick_type(entry.get("content_type"), fetched.content_type,
                                 head=fetched.data[:16])
        try:
            stored = store_file(self.upload_dir, message.workspace_id, fetched.data,
                                content_type=content_type, max_bytes=self.max_bytes,
                                name=_name(entry.get("name"), fetched.name, content_type),
                                content_key=str(source))
        except InvalidInput as exc:  # too large, empty, or a type we do not keep
            return failed(entry, f"{exc.message} ({content_type or 'unknown type'})")
        updated = {k: v for k, v in entry.items() if k != "error"}
        updated.update(name=stored.name, content_type=stored.content_type, size=stored.size,
                       url=stored.url, storage_key=stored.key, source=source, media=STORED)
        return updated


def _announce(session: AsyncSession, message: Message) -> None:
    """Tell open screens the message's files changed, so they redraw it."""
    emit(session, MessageUpdated(message_id=message.id, conversation_id=message.conversation_id),
         workspace_id=message.workspace_id)


def _name(declared: Any, served: str | None, content_type: str) -> str:
    """Prefer the customer's file name; give generic names (media-0) the type's extension."""
    name = str(declared or "")
    if "." not in name:
        name = served or name or "file"
    if content_type in ALLOWED:
        ext = ALLOWED[content_type][0]
        stem, dot, suffix = name.rpartition(".")
        if not dot:
            name += ext
        elif f".{suffix.lower()}" not in {ext, ".jpeg" if ext == ".jpg" else ext}:
            name = stem + ext  # "photo.jpg" that is really a PNG
    return name
