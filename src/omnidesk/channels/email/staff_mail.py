"""Mail to the workspace's own people (invitations, password-reset links), sent through the
workspace's email inbox: the first active one, with its SMTP relay. No email inbox -> None,
and the caller shows the link to copy instead."""

from __future__ import annotations

import uuid

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.base import ChannelError, OutboundMessage
from omnidesk.channels.connection import CHECK_TIMEOUT
from omnidesk.channels.inbox_port import ChannelInboxPort, settings_problems
from omnidesk.channels.service import inbox_config
from omnidesk.core.outbound import outbound_client
from omnidesk.domains.inboxes.service import first_inbox

EMAIL = "email"


async def send_staff_mail(session: AsyncSession, port: ChannelInboxPort, *, workspace_id: int,
                          to: str, subject: str, text: str) -> str | None:
    """Send one plain mail; return the address it went from, None without an email inbox, or
    raise ChannelError saying in words why the relay refused."""
    inbox = await first_inbox(session, workspace_id=workspace_id, kind=EMAIL)
    adapter = port.adapters.get(EMAIL)
    if inbox is None or adapter is None:
        return None
    try:
        config = inbox_config(inbox, adapter, port.cipher)
    except ValidationError as exc:
        raise ChannelError(f"the email inbox's settings are invalid: {settings_problems(exc)}",
                           permanent=True) from exc
    if getattr(config, "smtp", None) is None:
        return None
    message = OutboundMessage(message_id=0, idempotency_key=f"staff-{uuid.uuid4().hex}",
                              recipient=to, text=text, subject=subject,
                              meta={"automated": True, "new_thread": True})
    async with outbound_client(timeout=CHECK_TIMEOUT) as client:
        await adapter.send_outbound(message, config, client)
    return str(config.address)
