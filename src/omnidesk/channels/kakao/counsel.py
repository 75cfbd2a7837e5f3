"""상담톡: human agent chat relayed by an authorised dealer (hub partner) API."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx

from omnidesk.channels.base import (
    OutboundMessage,
    RawRequest,
    SendResult,
    WebhookEvent,
)
from omnidesk.channels.kakao.config import CounselSettings
from omnidesk.channels.retry import request_ok
from omnidesk.channels.signing import require
from omnidesk.domains.conversations.schemas import Attachment, InboundMessage

MESSAGE_TYPES = {"TX": "text", "IM": "media", "FI": "media", "LI": "text"}
SESSION_END_TYPES = {"END", "EXPIRED", "BLOCK", "LEAVE"}
MAX_MESSAGE = 1000


def serial_number(idempotency_key: str) -> str:
    """Derive the dealer's per-message serial number (≤ 30 chars) from our idempotency key."""
    return hashlib.sha256(idempotency_key.encode()).hexdigest()[:30]


def verify(request: RawRequest, settings: CounselSettings) -> None:
    """Check the dealer's shared token header."""
    require(request.header(settings.webhook_header), settings.webhook_token.get_secret_value(),
            what=settings.webhook_header)


def event(body: dict[str, Any], request: RawRequest) -> WebhookEvent | None:
    """Turn a relayed customer message or session end into an event."""
    serial, kind = body.get("serial_number"), body.get("message_type", "")
    if not serial or not body.get("user_key"):
        return None
    if kind in SESSION_END_TYPES:
        return WebhookEvent(dedupe_key=f"counsel:{serial}", kind="session_ended",
                            data={"user_key": body["user_key"], "reason": kind})
    if kind not in MESSAGE_TYPES:
        return None
    files = [Attachment(name=body.get("file_name") or "image", url=url,
                        content_type="image/*" if kind == "IM" else "application/octet-stream",
                        size=int(body.get("file_size") or 0))
             for url in (body.get("image_url"), body.get("file_url")) if url]
    inbound = InboundMessage(
        channel="kakao", provider_message_id=f"counsel:{serial}", identity_kind="kakao",
        identity_value=body["user_key"], text=body.get("message", ""),
        content_type=MESSAGE_TYPES[kind], attachments=files, sent_at=request.received_at,
        meta={"source": "counsel", "sender_key": body.get("sender_key")})
    return WebhookEvent(dedupe_key=f"counsel:{serial}", kind="message", inbound=inbound)


async def send(message: OutboundMessage, settings: CounselSettings,
               client: httpx.AsyncClient) -> SendResult:
    """Send an agent's text through the dealer; serial_number makes retries safe."""
    serial = serial_number(message.idempotency_key)
    body = {"user_key": message.recipient, "sender_key": settings.sender_key,
            "serial_number": serial, "message_type": "TX",
            "message": message.text[:MAX_MESSAGE]}
    headers = {settings.client_id_header: settings.client_id,
               settings.client_secret_header: settings.client_secret.get_secret_value()}
    await request_ok(client, "POST", settings.base_url + settings.send_path, json=body,
                     headers=headers, what="kakao counsel send")
    return SendResult(provider_message_id=f"counsel:{serial}")
