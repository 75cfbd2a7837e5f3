"""Feed mail from our SMTP receiver and IMAP poller into the same raw-event store as webhooks."""

from __future__ import annotations

import asyncio
import imaplib
import logging
from email.utils import getaddresses

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.channels.actions import do_store_webhook
from omnidesk.channels.base import ChannelAdapter, RawRequest
from omnidesk.channels.crypto import SettingsCipher
from omnidesk.channels.email.config import EmailConfig
from omnidesk.channels.email.imap_poller import MailboxCursor, fetch_new
from omnidesk.channels.email.manifest import MANIFEST as EMAIL
from omnidesk.channels.email.smtp_server import (
    InboundSmtpHandler,
    RawMailSink,
    start_smtp_server,
)
from omnidesk.channels.service import inbox_config
from omnidesk.core.db import utcnow
from omnidesk.domains.inboxes.models import Inbox
from omnidesk.domains.inboxes.service import list_active_inboxes

log = logging.getLogger("omnidesk.channels.email")


async def store_mail(session: AsyncSession, *, inbox: Inbox, raw: bytes,
                     source: str, adapter: ChannelAdapter, config: EmailConfig) -> list[int]:
    """Parse one raw mail and store its event once (dedupe: Message-ID + content hash)."""
    request = RawRequest(method=source, url=f"{source.lower()}://{config.address}", headers={},
                         query={}, body=raw, received_at=utcnow())
    adapter.verify_request(request, config)
    return await do_store_webhook(session, inbox=inbox, request=request,
                                  parsed=adapter.parse_inbound(request, config))


async def poll_mailbox(session: AsyncSession, *, inbox: Inbox,
                       adapter: ChannelAdapter, cipher: SettingsCipher) -> int:
    """Fetch new mail of one inbox, store it and advance its UID cursor; return count."""
    config: EmailConfig = inbox_config(inbox, adapter, cipher)
    if config.imap is None:
        return 0
    saved = inbox.state.get("imap", {})
    cursor = MailboxCursor(saved.get("uidvalidity", 0), saved.get("last_uid", 0))
    cursor, mails = await fetch_new(config.imap, cursor)
    for mail in mails:
        await store_mail(session, inbox=inbox, raw=mail.raw, source="IMAP",
                         adapter=adapter, config=config)
    inbox.state = {**inbox.state, "imap": {"uidvalidity": cursor.uidvalidity,
                                                     "last_uid": cursor.last_uid}}
    return len(mails)


async def poll_all_mailboxes(session_factory: async_sessionmaker[AsyncSession], *,
                             adapter: ChannelAdapter, cipher: SettingsCipher) -> int:
    """Poll every IMAP-enabled email inbox once; one failing mailbox does not stop others."""
    async with session_factory() as session:
        ids = [c.id for c in await list_active_inboxes(session, kind=EMAIL.kind)]
    total = 0
    for inbox_id in ids:
        async with session_factory() as session:
            inbox = await session.get(Inbox, inbox_id)
            if inbox is None:  # removed since the list was read
                continue
            try:
                total += await poll_mailbox(session, inbox=inbox,
                                            adapter=adapter, cipher=cipher)
                await session.commit()
            except (OSError, ValueError, imaplib.IMAP4.error) as exc:
                log.warning("imap poll failed", extra={"inbox_id": inbox_id,
                                                       "error": type(exc).__name__})
    return total


async def poll_each_mailbox(session: AsyncSession, *, adapter: ChannelAdapter,
                            cipher: SettingsCipher) -> int:
    """Poll every IMAP mailbox in its own savepoint; a failing one is logged and skipped."""
    total = 0
    for inbox in await list_active_inboxes(session, kind=EMAIL.kind):
        inbox_id = inbox.id
        try:
            async with session.begin_nested():
                total += await poll_mailbox(session, inbox=inbox, adapter=adapter,
                                            cipher=cipher)
        except (OSError, ValueError, imaplib.IMAP4.error) as exc:
            log.warning("imap poll failed", extra={"inbox_id": inbox_id,
                                                   "error": type(exc).__name__})
    return total


async def start_smtp_receiver(session_factory: async_sessionmaker[AsyncSession], *,
                              adapter: ChannelAdapter, cipher: SettingsCipher, host: str,
                              port: int, domains: list[str]) -> asyncio.Server:
    """Start the SMTP receiver for our domains (default: those of connected email channels)."""
    if not domains:
        domains = await connected_mail_domains(session_factory, adapter=adapter, cipher=cipher)
    if not domains:
        log.warning("smtp receiver accepts no domain: set OMNIDESK_INBOUND_MAIL_DOMAINS")
    handler = InboundSmtpHandler(smtp_sink(session_factory, adapter=adapter, cipher=cipher),
                                 set(domains))
    server = await start_smtp_server(handler, host=host, port=port)
    log.info("smtp receiver listening", extra={"host": host, "port": port,
                                               "domains": sorted(domains)})
    return server


async def connected_mail_domains(session_factory: async_sessionmaker[AsyncSession], *,
                                 adapter: ChannelAdapter, cipher: SettingsCipher) -> list[str]:
    """Return the domains of every connected support address."""
    async with session_factory() as session:
        inboxes = await list_active_inboxes(session, kind=EMAIL.kind)
        return sorted({inbox_config(c, adapter, cipher).address.rsplit("@", 1)[1].lower()
                       for c in inboxes})


def smtp_sink(session_factory: async_sessionmaker[AsyncSession], *, adapter: ChannelAdapter,
              cipher: SettingsCipher) -> RawMailSink:
    """Build the aiosmtpd sink: route by recipient address (plus tags allowed) and store."""

    async def sink(raw: bytes, mail_from: str, rcpt_tos: list[str]) -> None:
        """Store the mail for every workspace whose support address it was sent to."""
        wanted = {_base_address(a) for _, a in getaddresses(rcpt_tos)}
        async with session_factory() as session:
            for inbox in await list_active_inboxes(session, kind=EMAIL.kind):
                config: EmailConfig = inbox_config(inbox, adapter, cipher)
                if config.address.lower() in wanted:
                    await store_mail(session, inbox=inbox, raw=raw, source="SMTP",
                                     adapter=adapter, config=config)
            await session.commit()

    return sink


def _base_address(address: str) -> str:
    local, _, domain = address.lower().partition("@")
    return f"{local.split('+', 1)[0]}@{domain}"
