"""Channel jobs: process stored inbound events and deliver outbound messages, idempotently."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels import delivery
from omnidesk.channels.actions import do_finish_event, do_request_media
from omnidesk.channels.base import (
    ChannelAdapter,
    ChannelError,
    OutboundMessage,
    RecordingEraser,
    SendResult,
    supports_media,
)
from omnidesk.channels.crypto import SettingsCipher
from omnidesk.channels.email.manifest import MANIFEST as EMAIL
from omnidesk.channels.email.receiving import poll_each_mailbox
from omnidesk.channels.events import ChannelEventReceived
from omnidesk.channels.media_jobs import MediaJobs
from omnidesk.channels.retry import backoff_seconds
from omnidesk.channels.service import inbox_config, inbox_for_message
from omnidesk.channels.voice.adapter import deflection_text
from omnidesk.channels.voice.deflection import deflection_link
from omnidesk.channels.voice.manifest import MANIFEST as VOICE
from omnidesk.core.errors import NotFound
from omnidesk.core.events import (
    DeliveredEvent,
    PermanentError,
    RetryLater,
    ScheduleFired,
    SubscriberRegistry,
)
from omnidesk.core.outbound import outbound_client
from omnidesk.domains.conversations.actions import (
    do_add_message,
    do_claim_inbound_event,
    do_receive_inbound,
)
from omnidesk.domains.conversations.delivery_actions import (
    do_apply_delivery_update,
    do_link_provider_message,
    do_mark_delivery_failed,
    do_record_send_result,
    do_send_fallback,
)
from omnidesk.domains.conversations.events import MessageCreated
from omnidesk.domains.conversations.models import (
    IGNORED,
    PROCESSED,
    RECEIVED,
    InboundEvent,
    Message,
)
from omnidesk.domains.conversations.schemas import DeliveryUpdate, InboundMessage
from omnidesk.domains.conversations.service import (
    get_conversation,
    get_inbound_event,
    get_message,
    latest_conversation_for_customer,
    was_sent,
)
from omnidesk.domains.customers.service import find_by_identity, get_customer
from omnidesk.domains.inboxes.service import find_inbox, first_inbox
from omnidesk.domains.retention.events import ProviderRecordingsRemoved
from omnidesk.domains.workspaces.service import get_workspace

log = logging.getLogger("omnidesk.channels.tasks")
PROCESS_SUBSCRIBER = "channels.process_inbound_event"
DELIVER_SUBSCRIBER = "channels.deliver_message"
IMAP_SCHEDULE = "channels_imap_poll"
RECORDINGS_SUBSCRIBER = "channels.delete_provider_recordings"


def default_client() -> httpx.AsyncClient:
    """Create the outbound HTTP client: short timeouts, no redirects to surprise hosts."""
    return outbound_client(timeout=httpx.Timeout(15.0, connect=5.0), follow_redirects=False)


@dataclass
class ChannelJobs:
    """The channel subscribers, bound to the adapters, the cipher and an HTTP client maker."""

    adapters: Mapping[str, ChannelAdapter]
    cipher: SettingsCipher
    client_factory: Callable[[], httpx.AsyncClient] = default_client
    max_delivery_attempts: int = 6  # the app passes OMNIDESK_OUTBOX_MAX_ATTEMPTS
    imap_poll_seconds: float = 60.0
    upload_dir: Path | None = None  # attachment storage; None turns media downloads off
    max_media_bytes: int = 10 * 1024 * 1024

    def register(self, registry: SubscriberRegistry) -> None:
        """Add the inbound-processing and outbound-delivery subscribers."""
        # httpx logs request URLs at INFO; Telegram's carries the bot token.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        # Turning a provider's stored event into the customer's message is the rest of intake:
        # the live lane, so the message reaches agents' screens without waiting for the bot.
        registry.subscribe(ChannelEventReceived, name=PROCESS_SUBSCRIBER, live=True,
                           reads=("inbound_event_id", "kind"))(self.process_inbound_event)
        registry.subscribe(MessageCreated, name=DELIVER_SUBSCRIBER, when=self.sends,
                           reads=("direction", "is_private", "channel", "message_id"),
                           max_attempts=self.max_delivery_attempts)(self.deliver_message)
        registry.every(self.imap_poll_seconds, name=IMAP_SCHEDULE)(self.poll_mailboxes)
        registry.subscribe(ProviderRecordingsRemoved, name=RECORDINGS_SUBSCRIBER,
                           reads=("channel", "inbox_id", "recording_ids"),
                           max_attempts=self.max_delivery_attempts)(self.delete_recordings)
        if self.upload_dir is not None:
            MediaJobs(self.adapters, self.cipher, self.client_factory, self.upload_dir,
                      self.max_media_bytes, self.max_delivery_attempts).register(registry)

    def sends(self, event: MessageCreated) -> bool:
        """Tell whether a new message goes out through a provider (public, outbound)."""
        return (event.direction == "outbound" and not event.is_private
                and event.channel in self.adapters)

    async def poll_mailboxes(
        self, event: DeliveredEvent[ScheduleFired], session: AsyncSession
    ) -> None:
        """Fetch new mail of every IMAP-enabled email channel (each in its own savepoint)."""
        if EMAIL.kind in self.adapters:
            await poll_each_mailbox(session, adapter=self.adapters[EMAIL.kind], cipher=self.cipher)

    async def process_inbound_event(
        self, event: DeliveredEvent[ChannelEventReceived], session: AsyncSession
    ) -> None:
        """Hand a stored event to intake; statuses that beat our send record are retried.

        A message event is claimed (marked processed) first, in this transaction, by one
        statement: a customer's message needs nothing else of the row. Other events load the
        row and record how they ended.
        """
        data = event.data
        if data.kind == "message":
            claimed = await do_claim_inbound_event(session, event_id=data.inbound_event_id,
                                                   workspace_id=event.workspace_id)
            if claimed is None:  # gone, or processed already
                return
            if claimed.parsed.get("inbound"):
                await self._take_message(session, claimed.parsed["inbound"],
                                         workspace_id=claimed.workspace_id,
                                         inbox_id=claimed.inbox_id, channel=claimed.channel)
                return
        row = await get_inbound_event(session, event_id=data.inbound_event_id,
                                      workspace_id=event.workspace_id)
        if row is None or (row.status != RECEIVED and data.kind != "message"):
            return  # (a message event's row was claimed above)
        parsed = row.parsed
        if parsed.get("inbound"):  # automated mail too: intake stores it as a private note
            await self._take_message(session, parsed["inbound"], workspace_id=row.workspace_id,
                                     inbox_id=row.inbox_id, channel=row.channel)
            do_finish_event(row, status=PROCESSED)
        elif parsed.get("delivery"):
            await self._apply_status(session, row)
        elif row.kind == "ivr_deflection":
            await self._deflect(session, row)
        else:
            do_finish_event(row, status=IGNORED, error=f"no handler for {row.kind}")

    async def _take_message(self, session: AsyncSession, parsed: dict[str, Any], *,
                            workspace_id: int, inbox_id: int | None, channel: str) -> None:
        """Store a stored event's customer message through intake; queue its files' download."""
        inbound = InboundMessage.model_validate({**parsed, "inbox_id": inbox_id})
        message = await do_receive_inbound(session, workspace_id=workspace_id, inbound=inbound)
        if self.upload_dir is not None and supports_media(self.adapters.get(channel)):
            do_request_media(session, message=message)  # downloads run as their own job

    async def _apply_status(self, session: AsyncSession, row: InboundEvent) -> None:
        update = DeliveryUpdate.model_validate(row.parsed["delivery"])
        found = await do_apply_delivery_update(session, workspace_id=row.workspace_id,
                                               update=update, inbox_id=row.inbox_id)
        if found is None and delivery.is_recent(row.received_at):
            raise RetryLater("status arrived before the send was recorded", seconds=20)
        do_finish_event(row, status=PROCESSED if found else IGNORED)

    async def _deflect(self, session: AsyncSession, row: InboundEvent) -> None:
        """Put the chat link in the caller's conversation; the delivery job texts it from the
        voice number like any reply (the one outbound path: idempotency key, retries, status)."""
        data = row.parsed["data"]
        inbox = row.inbox_id and await find_inbox(session, workspace_id=row.workspace_id,
                                                  inbox_id=row.inbox_id)
        if not inbox or not inbox.is_active:
            do_finish_event(row, status=IGNORED, error="voice inbox no longer connected")
            return
        customer = await find_by_identity(session, workspace_id=row.workspace_id,
                                          kind=VOICE.identity_kind, value=data["to"])
        conv = customer and await latest_conversation_for_customer(
            session, workspace_id=row.workspace_id, customer_id=customer.id)
        if not conv:
            if delivery.is_recent(row.received_at):  # the call's own events may come first
                raise RetryLater("the caller's conversation is not stored yet", seconds=5)
            do_finish_event(row, status=IGNORED, error="no conversation for the caller")
            return
        workspace = await get_workspace(session, workspace_id=row.workspace_id)
        link = deflection_link(data["link"], workspace, data["to"])
        await do_add_message(session, conv=conv, text=deflection_text(link, data["language"]),
                             author_kind="system", channel=VOICE.kind, inbox_id=inbox.id,
                             meta={"ivr_deflection": True})
        do_finish_event(row, status=PROCESSED)

    async def delete_recordings(self, event: DeliveredEvent[ProviderRecordingsRemoved],
                                session: AsyncSession) -> None:
        """Delete at the provider the call recordings whose messages were purged or erased
        (already gone counts as done, so a retry after a partial run is harmless)."""
        data, workspace_id = event.data, event.workspace_id or 0
        adapter = self.adapters.get(data.channel)
        if not isinstance(adapter, RecordingEraser):
            return  # this channel keeps no recordings at the provider
        inbox = await (find_inbox(session, workspace_id=workspace_id, inbox_id=data.inbox_id)
                       if data.inbox_id is not None else
                       first_inbox(session, workspace_id=workspace_id, kind=data.channel))
        if inbox is None:  # disconnected since: its credentials are gone with it
            log.warning("provider recordings left for lack of an inbox; delete them in the "
                        "provider's console", extra={"channel": data.channel,
                                                     "recordings": len(data.recording_ids)})
            return
        config = inbox_config(inbox, adapter, self.cipher)
        deleted = 0
        async with self.client_factory() as client:
            for recording in data.recording_ids:
                try:
                    deleted += await adapter.delete_recording(recording, config, client)
                except ChannelError as error:
                    if error.permanent or event.attempt >= self.max_delivery_attempts:
                        raise PermanentError(str(error)) from error
                    raise RetryLater(str(error), seconds=backoff_seconds(
                        event.attempt, retry_after=error.retry_after)) from error
        log.info("provider recordings deleted", extra={
            "channel": data.channel, "asked": len(data.recording_ids), "deleted": deleted})

    async def deliver_message(
        self, event: DeliveredEvent[MessageCreated], session: AsyncSession
    ) -> None:
        """Send an agent/bot message once; retry transient failures, dead-letter the rest."""
        try:
            message = await get_message(session, workspace_id=event.workspace_id or 0,
                                        message_id=event.data.message_id)
        except NotFound:
            return  # deleted since: nothing to send
        if was_sent(message):  # already accepted by the provider: never resend
            return
        try:
            result = await self._deliver(session, message, event.attempt)
        except ChannelError as error:
            if error.permanent or event.attempt >= self.max_delivery_attempts:
                do_mark_delivery_failed(session, message=message, error=str(error))
                await do_send_fallback(session, message=message)  # 알림톡 → SMS/LMS
                await session.commit()  # the failure is a fact even though the job dies
                raise PermanentError(str(error)) from error
            raise RetryLater(str(error), seconds=backoff_seconds(
                event.attempt, retry_after=error.retry_after)) from error
        do_record_send_result(session, message=message,
                              provider_message_id=result.provider_message_id,
                              status=result.status)
        await session.commit()  # the "sent" marker: whatever fails next, never send it again
        do_link_provider_message(message)  # unique per channel: may fail at the final commit

    async def _deliver(self, session: AsyncSession, message: Message,
                       attempt: int) -> SendResult:
        inbox = await inbox_for_message(session, message)
        if inbox is None:
            raise ChannelError(f"no {message.channel} inbox is connected", permanent=True)
        conversation = await get_conversation(session, workspace_id=message.workspace_id,
                                              conversation_id=message.conversation_id)
        customer = await get_customer(session, workspace_id=message.workspace_id,
                                      customer_id=delivery.recipient_customer_id(
                                          message, conversation))
        kind = delivery.recipient_kind(message)
        recipient = delivery.recipient_for(message.channel, customer, kind)
        if not recipient:
            raise ChannelError(f"customer has no {kind or message.channel} address",
                               permanent=True)
        adapter = self.adapters[message.channel]
        outbound = await delivery.build_outbound(session, message=message,
                                                 conversation=conversation, recipient=recipient)
        config = inbox_config(inbox, adapter, self.cipher)
        return await self._send(adapter, outbound, config, attempt)

    async def _send(self, adapter: ChannelAdapter, outbound: OutboundMessage, config: Any,
                    attempt: int) -> SendResult:
        async with self.client_factory() as client:
            log.info("sending", extra={"channel": adapter.kind, "attempt": attempt,
                                       "message_id": outbound.message_id})
            return await adapter.send_outbound(outbound, config, client)
