"""Email: raw MIME in (SMTP receiver, IMAP poller or an HTTP relay), threaded SMTP replies out."""

from __future__ import annotations

import httpx

from omnidesk.channels.base import (
    ChannelError,
    OutboundMessage,
    ParsedWebhook,
    RawRequest,
    SendResult,
    SignatureError,
    WebhookEvent,
)
from omnidesk.channels.email import compose, imap_poller, mime, smtp_client
from omnidesk.channels.email.config import EmailConfig
from omnidesk.channels.email.html import sanitize
from omnidesk.channels.email.manifest import MANIFEST
from omnidesk.channels.email.quotes import split_reply
from omnidesk.channels.signing import require
from omnidesk.domains.conversations.schemas import Attachment, InboundMessage

# Raw mail handed over by our own SMTP receiver or IMAP poller, not by an HTTP caller.
TRUSTED_SOURCES = frozenset({"SMTP", "IMAP"})


class EmailAdapter:
    """A support mailbox."""

    kind = MANIFEST.kind
    capabilities = MANIFEST.capabilities.names
    config_model = EmailConfig

    def verify_request(self, request: RawRequest, config: EmailConfig) -> None:
        """Trust our own receivers; an HTTP relay must present the inbound token."""
        if request.method.upper() in TRUSTED_SOURCES:
            return
        if config.inbound_token is None:
            raise SignatureError("no inbound relay configured", status=403)
        require(request.query.get("token"), config.inbound_token.get_secret_value(),
                what="inbound relay token")

    def parse_inbound(self, request: RawRequest, config: EmailConfig) -> ParsedWebhook:
        """Parse the mail, trim quoted history, flag automated mail, find our conversation."""
        mail = mime.parse_message(request.body)
        if mail.from_address == config.address.lower():
            return ParsedWebhook(ignored=["mail from our own address (loop)"])
        new_text, quoted = split_reply(mail.text)
        local, domain = config.address.lower().split("@", 1)
        conversation = compose.conversation_from_ids(mail.in_reply_to + mail.references[::-1])
        conversation = conversation or _plus_address(mail.to, local, domain)
        inbound = InboundMessage(
            channel="email", provider_message_id=mail.message_id, identity_kind="email",
            identity_value=mail.from_address, customer_email=mail.from_address,
            customer_name=mail.from_name, text=new_text or mail.text, subject=mail.subject,
            thread_key=mail.message_id, conversation_id=conversation,
            attachments=[Attachment(name=a.name, content_type=a.content_type,
                                    size=len(a.data)) for a in mail.attachments],
            sent_at=mail.sent_at,
            meta={"in_reply_to": mail.in_reply_to, "references": mail.references[-10:],
                  "quoted": quoted[:20000], "automated": mail.automated,
                  "html": sanitize(mail.html) if mail.html else None})
        key = f"{mail.message_id}:{mail.content_hash[:16]}"
        kind = "automated" if mail.automated else "message"
        return ParsedWebhook(events=[WebhookEvent(dedupe_key=key, kind=kind, inbound=inbound,
                                                  data={"attachments": len(mail.attachments)})])

    async def send_outbound(self, message: OutboundMessage, config: EmailConfig,
                            client: httpx.AsyncClient) -> SendResult:
        """Compose and relay the reply over SMTP; its Message-ID is the provider id."""
        if config.smtp is None:
            raise ChannelError("no SMTP relay configured", permanent=True)
        mail = compose.build(message, config)
        await smtp_client.send(mail, config.smtp)
        return SendResult(provider_message_id=str(mail["Message-ID"]))

    async def check_connection(self, config: EmailConfig, http: httpx.AsyncClient) -> str:
        """Log in to the SMTP relay and the IMAP mailbox (those configured), sending nothing."""
        checked = [await smtp_client.check(config.smtp)] if config.smtp else []
        if config.imap:
            checked.append(await imap_poller.check(config.imap))
        if not checked:
            raise ChannelError("neither SMTP nor IMAP is configured: replies cannot be sent",
                               permanent=True)
        return f"{config.address}: " + ", ".join(checked)


def _plus_address(recipients: list[str], local: str, domain: str) -> int | None:
    for address in recipients:
        name, _, host = address.partition("@")
        tag = name.partition("+")[2]
        if host == domain and name.startswith(local + "+") and tag[:1] == "c" and \
                tag[1:].isdigit():
            return int(tag[1:])
    return None
