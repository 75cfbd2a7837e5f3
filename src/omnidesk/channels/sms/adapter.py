"""Twilio Programmable Messaging: signed form webhooks in, REST Messages API out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import httpx

from omnidesk.channels import twilio
from omnidesk.channels.base import (
    ChannelError,
    FetchedMedia,
    OutboundMessage,
    ParsedWebhook,
    RawRequest,
    SendResult,
    WebhookEvent,
    WebhookResponse,
)
from omnidesk.channels.media import download, same_origin, source_url
from omnidesk.channels.sms.config import TwilioSmsConfig
from omnidesk.channels.sms.manifest import MANIFEST
from omnidesk.channels.status import map_status
from omnidesk.domains.conversations.schemas import Attachment, DeliveryUpdate, InboundMessage

EMPTY_TWIML = WebhookResponse(body=b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>",
                              media_type="text/xml")
STATUS_MAP: dict[str, str | None] = {
    "sent": "sent", "delivered": "delivered", "read": "read", "undelivered": "failed",
    "failed": "failed", "canceled": "failed", "partially_delivered": "delivered",
}


class TwilioSmsAdapter:
    """SMS/MMS (and WhatsApp-through-Twilio) over Twilio's Messaging API."""

    kind = MANIFEST.kind
    capabilities = MANIFEST.capabilities.names
    config_model = TwilioSmsConfig

    def verify_request(self, request: RawRequest, config: TwilioSmsConfig) -> None:
        """Check X-Twilio-Signature over the public URL and every posted parameter."""
        twilio.verify(request, config.auth_token.get_secret_value(), config.public_webhook_base)

    def parse_inbound(self, request: RawRequest, config: TwilioSmsConfig) -> ParsedWebhook:
        """Turn an inbound message or a status callback into an event; answer empty TwiML."""
        form = request.form()
        sid = form.get("MessageSid") or form.get("SmsMessageSid") or form.get("SmsSid", "")
        parsed = ParsedWebhook(response=EMPTY_TWIML)
        if not sid:
            parsed.ignored.append("request without MessageSid")
        elif "MessageStatus" in form and form["MessageStatus"] not in {"received", "receiving"}:
            event = status_event(self.kind, sid, form)
            parsed.events.extend([event] if event else [])
            if event is None:
                parsed.ignored.append(f"status {form['MessageStatus']}")
        else:
            parsed.events.append(WebhookEvent(
                dedupe_key=sid, kind="message",
                inbound=inbound_message(self.kind, sid, form, request.received_at)))
        return parsed

    async def check_connection(self, config: TwilioSmsConfig, http: httpx.AsyncClient) -> str:
        """Read the Twilio account the SID and token name (nothing is sent)."""
        return await twilio.check_account(http, api_base_url=config.api_base_url,
                                          account_sid=config.account_sid,
                                          auth_token=config.auth_token.get_secret_value())

    async def send_outbound(self, message: OutboundMessage, config: TwilioSmsConfig,
                            client: httpx.AsyncClient) -> SendResult:
        """Create a Message resource; Twilio answers 201 with its SID and status."""
        return await send_sms(message, config, client)

    async def fetch_media(self, attachment: Mapping[str, Any], config: TwilioSmsConfig,
                          http: httpx.AsyncClient, *, max_bytes: int) -> FetchedMedia:
        """GET the MediaUrl with the account's Basic auth, following Twilio's CDN redirect."""
        url = source_url(attachment)
        if url is None:
            raise ChannelError("the attachment has no MediaUrl", permanent=True)
        # Our credentials go only to the configured API host; httpx drops them on the
        # redirect to Twilio's media CDN (another origin).
        if not same_origin(url, config.api_base_url):
            raise ChannelError("MediaUrl is not on the Twilio API host", permanent=True)
        return await download(http, url, what="twilio media", max_bytes=max_bytes,
                              follow_redirects=True,
                              auth=(config.account_sid, config.auth_token.get_secret_value()))


async def send_sms(message: OutboundMessage, config: TwilioSmsConfig,
                   client: httpx.AsyncClient) -> SendResult:
    """POST /2010-04-01/Accounts/{sid}/Messages.json for one recipient."""
    data = [("To", message.recipient), ("Body", message.text)]
    if config.messaging_service_sid:
        data.append(("MessagingServiceSid", config.messaging_service_sid))
    else:
        data.append(("From", config.from_number or ""))
    if config.status_callback_url:
        data.append(("StatusCallback", config.status_callback_url))
    data.extend(("MediaUrl", a.url) for a in message.attachments if a.url)
    url = f"{config.api_base_url}/2010-04-01/Accounts/{config.account_sid}/Messages.json"
    resource = await twilio.post_form(client, url, account_sid=config.account_sid,
                                      auth_token=config.auth_token.get_secret_value(),
                                      data=data, what="twilio messages")
    return SendResult(provider_message_id=str(resource["sid"]),
                      detail={"status": resource.get("status")})


def status_event(channel: str, sid: str, form: dict[str, str]) -> WebhookEvent | None:
    """Build a delivery update from a status callback; None for states we do not track."""
    provider_status = form["MessageStatus"]
    status = map_status(provider_status, STATUS_MAP)
    if status is None:
        return None
    error = f"twilio {form['ErrorCode']}" if form.get("ErrorCode") else None
    update = DeliveryUpdate(channel=channel, provider_message_id=sid, status=status,
                            error=error)
    return WebhookEvent(dedupe_key=f"{sid}:{provider_status}", kind="status", delivery=update,
                        data={"provider_status": provider_status})


def inbound_message(channel: str, sid: str, form: dict[str, str],
                    received_at: dt.datetime) -> InboundMessage:
    """Describe an inbound SMS/MMS (or Twilio WhatsApp) for intake."""
    sender = form.get("From", "")
    is_whatsapp = sender.startswith("whatsapp:")
    phone = sender.removeprefix("whatsapp:")
    meta: dict[str, Any] = {"to": form.get("To", "").removeprefix("whatsapp:"),
                            "segments": form.get("NumSegments")}
    return InboundMessage(
        channel=channel, provider_message_id=sid,
        identity_kind="whatsapp" if is_whatsapp else "phone",
        identity_value=form.get("WaId", phone) if is_whatsapp else phone,
        customer_phone=phone or None, customer_name=form.get("ProfileName") or None,
        text=form.get("Body", ""), attachments=_media(form),
        content_type="text" if form.get("Body") or not _media(form) else "media",
        sent_at=received_at, meta={k: v for k, v in meta.items() if v},
    )


def _media(form: dict[str, str]) -> list[Attachment]:
    count = int(form.get("NumMedia", "0") or 0)
    return [Attachment(name=f"media-{i}", url=form[f"MediaUrl{i}"],
                       content_type=form.get(f"MediaContentType{i}", "application/octet-stream"))
            for i in range(count) if form.get(f"MediaUrl{i}")]
