"""The generic API channel: a business's app posts with a token, we reply by signed webhook."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from typing import Any

import httpx
from pydantic import BaseModel, Field, ValidationError

from omnidesk.channels.api import signing
from omnidesk.channels.api.config import ApiChannelConfig
from omnidesk.channels.api.manifest import MANIFEST
from omnidesk.channels.base import (
    ChannelError,
    OutboundMessage,
    ParsedWebhook,
    RawRequest,
    SendResult,
    SignatureError,
    WebhookEvent,
)
from omnidesk.channels.retry import request, request_ok
from omnidesk.channels.signing import require
from omnidesk.domains.conversations.schemas import Attachment, DeliveryUpdate, InboundMessage


class ApiUser(BaseModel):
    """The app's user who wrote the message."""

    id: str = Field(min_length=1, max_length=200)
    name: str | None = None
    email: str | None = None
    phone: str | None = None


class ApiEvent(BaseModel):
    """One event the app posts: a customer message or a status of our reply."""

    id: str = Field(min_length=1, max_length=200, description="The app's unique event id.")
    type: str = "message"
    user: ApiUser | None = None
    text: str = ""
    attachments: list[Attachment] = Field(default_factory=list)
    message_id: str | None = None
    status: str | None = None
    sent_at: dt.datetime | None = None


class ApiChannelAdapter:
    """A business's own app or backend as a channel."""

    kind = MANIFEST.kind
    capabilities = MANIFEST.capabilities.names
    config_model = ApiChannelConfig

    def verify_request(self, request: RawRequest, config: ApiChannelConfig) -> None:
        """Check the bearer token against its stored SHA-256 (the token itself is not kept)."""
        auth = request.header("Authorization") or ""
        if not auth.startswith("Bearer "):
            raise SignatureError("missing bearer token")
        digest = hashlib.sha256(auth.removeprefix("Bearer ").strip().encode()).hexdigest()
        require(digest, config.inbound_token_sha256, what="bearer token")

    def parse_inbound(self, request: RawRequest, config: ApiChannelConfig) -> ParsedWebhook:
        """Read one event or a list of them; unknown fields and types are ignored."""
        body = request.json()
        parsed = ParsedWebhook()
        for raw in body if isinstance(body, list) else [body]:
            try:
                event = ApiEvent.model_validate(raw)
            except ValidationError as exc:
                parsed.ignored.append(f"invalid event: {exc.error_count()} errors")
                continue
            converted = _convert(event)
            if converted is None:
                parsed.ignored.append(f"event type {event.type}")
            else:
                parsed.events.append(converted)
        return parsed

    async def send_outbound(self, message: OutboundMessage, config: ApiChannelConfig,
                            client: httpx.AsyncClient) -> SendResult:
        """POST the reply to the app's webhook, signed, with a stable delivery id."""
        await signing.check_destination(config.webhook_url,
                                        allow_private=config.allow_private_network)
        payload = {"event": "message.created", "delivery_id": message.idempotency_key,
                   "message": {"id": message.message_id, "recipient": message.recipient,
                               "text": message.text, "html": message.html,
                               "attachments": [{"name": a.name, "content_type": a.content_type,
                                                "url": a.url} for a in message.attachments]}}
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        headers = signing.signed_headers(config.signing_secret.get_secret_value(), body,
                                         message.idempotency_key)
        response = await request_ok(client, "POST", config.webhook_url, content=body,
                                    headers=headers, what="api channel webhook")
        answer_id = _answer_id(response)
        return SendResult(provider_message_id=answer_id or message.idempotency_key)

    async def check_connection(self, config: ApiChannelConfig, http: httpx.AsyncClient) -> str:
        """POST a signed `ping` event to the app's webhook; it must answer 2xx (no customer
        is messaged). The app's refusal is reported with its status and first words."""
        await signing.check_destination(config.webhook_url,
                                        allow_private=config.allow_private_network)
        delivery_id = f"ping-{uuid.uuid4().hex}"
        body = json.dumps({"event": "ping", "delivery_id": delivery_id},
                          separators=(",", ":")).encode()
        headers = signing.signed_headers(config.signing_secret.get_secret_value(), body,
                                         delivery_id)
        response = await request(http, "POST", config.webhook_url, content=body,
                                 headers=headers, what="api channel webhook")
        if response.is_success:
            return f"the app's webhook answered {response.status_code}"
        said = " ".join(response.text.split())[:120] or response.reason_phrase
        raise ChannelError(f"the app's webhook answered {response.status_code}: {said}",
                           permanent=response.status_code < 500,
                           status_code=response.status_code)


def _answer_id(response: httpx.Response) -> str | None:
    try:
        data = response.json()
    except ValueError:
        return None
    value = data.get("id") if isinstance(data, dict) else None
    return str(value) if value else None


def _convert(event: ApiEvent) -> WebhookEvent | None:
    if event.type == "message" and event.user is not None:
        user: Any = event.user
        inbound = InboundMessage(
            channel="api", provider_message_id=event.id, identity_kind="api",
            identity_value=user.id, customer_name=user.name, customer_email=user.email,
            customer_phone=user.phone, text=event.text, attachments=event.attachments,
            content_type="text" if event.text or not event.attachments else "media",
            sent_at=event.sent_at)
        return WebhookEvent(dedupe_key=event.id, kind="message", inbound=inbound)
    if event.type == "status" and event.message_id and event.status in {
            "delivered", "read", "failed"}:
        update = DeliveryUpdate(channel="api", provider_message_id=event.message_id,
                                status=event.status, at=event.sent_at)
        return WebhookEvent(dedupe_key=event.id, kind="status", delivery=update)
    return None
