"""An aiosmtpd handler that accepts mail for our domains and hands the raw bytes on."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiosmtpd.smtp import SMTP

log = logging.getLogger("omnidesk.channels.email")

RawMailSink = Callable[[bytes, str, list[str]], Awaitable[None]]
MAX_MESSAGE_BYTES = 25 * 1024 * 1024


class InboundSmtpHandler:
    """aiosmtpd handler: refuse foreign recipients, store accepted mail before saying 250."""

    def __init__(self, sink: RawMailSink, accepted_domains: set[str]) -> None:
        self.sink = sink
        self.accepted_domains = {d.lower() for d in accepted_domains}

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        """Accept only recipients in our domains (we are not an open relay)."""
        domain = address.rsplit("@", 1)[-1].lower()
        if domain not in self.accepted_domains:
            return "550 5.7.1 relaying denied"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Hand the raw bytes to the sink; a failure there makes the sender retry (451)."""
        content = envelope.original_content or envelope.content
        raw = content if isinstance(content, bytes) else str(content).encode("utf-8")
        if len(raw) > MAX_MESSAGE_BYTES:
            return "552 5.3.4 message too big"
        try:
            await self.sink(raw, envelope.mail_from or "", list(envelope.rcpt_tos))
        except Exception:  # the sender's MTA keeps the mail and retries on 4xx
            log.exception("storing inbound mail failed")
            return "451 4.3.0 temporary failure, try again later"
        return "250 Message accepted for delivery"


async def start_smtp_server(handler: InboundSmtpHandler, *, host: str,
                            port: int) -> asyncio.Server:
    """Serve SMTP on the running event loop (so the sink can use the app's database pool)."""
    loop = asyncio.get_running_loop()
    return await loop.create_server(
        lambda: SMTP(handler, data_size_limit=MAX_MESSAGE_BYTES, hostname=host), host, port)
