"""LINE Messaging API: signed webhooks answered well inside 2 s, push messages out."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any

import httpx

from omnidesk.channels.base import (
    ChannelError,
    FetchedMedia,
    OutboundMessage,
    ParsedWebhook,
    RawRequest,
    SendResult,
    WebhookEvent,
)
from omnidesk.channels.line.config import LineConfig
from omnidesk.channels.line.manifest import MANIFEST
from omnidesk.channels.media import download, ref
from omnidesk.channels.meta import from_unix
from omnidesk.channels.retry import error_from_response, json_object, request
from omnidesk.channels.signing import hmac_sha256_b64, require
from omnidesk.domains.conversations.schemas import Attachment, InboundMessage

RETRY_KEY_NAMESPACE = uuid.UUID("6f1d0c52-5b8e-4c4e-9b0a-6d6e6c696e65")
CONTACT_EVENTS = {"follow": "contact_followed", "unfollow": "contact_blocked"}
MESSAGE_ID = re.compile(r"^[0-9]{1,30}$")


class LineAdapter:
    """One-to-one chats with a LINE Official Account."""

    kind = MANIFEST.kind
    capabilities = MANIFEST.capabilities.names
    config_model = LineConfig

    def verify_request(self, request: RawRequest, config: LineConfig) -> None:
        """Check X-Line-Signature: base64 HMAC-SHA256 of the raw body with the channel secret."""
        expected = hmac_sha256_b64(config.channel_secret.get_secret_value(), request.body)
        require(request.header("X-Line-Signature"), expected, what="X-Line-Signature")

    def parse_inbound(self, request: RawRequest, config: LineConfig) -> ParsedWebhook:
        """Read every event; an empty list is the console's Verify button and still 200."""
        body = request.json()
        parsed = ParsedWebhook()
        if config.bot_user_id and body.get("destination") != config.bot_user_id:
            parsed.ignored.append("destination is another bot")
            return parsed
        for raw in body.get("events", []):
            event = _event(raw)
            if event is None:
                parsed.ignored.append(f"event type {raw.get('type')}")
            else:
                parsed.events.append(event)
        return parsed

    async def check_connection(self, config: LineConfig, http: httpx.AsyncClient) -> str:
        """GET /v2/bot/info: LINE names the Official Account the token belongs to."""
        token = config.channel_access_token.get_secret_value()
        response = await request(http, "GET", f"{config.api_base_url}/v2/bot/info",
                                 what="line bot info", headers={"Authorization": f"Bearer {token}"})
        answer = json_object(response)
        if response.is_success:
            return f"LINE {answer.get('displayName', '?')} ({answer.get('basicId', '')})".strip()
        raise ChannelError(f"LINE answered {response.status_code}: "
                           f"{answer.get('message') or response.reason_phrase}",
                           permanent=response.status_code < 500,
                           status_code=response.status_code)

    async def send_outbound(self, message: OutboundMessage, config: LineConfig,
                            client: httpx.AsyncClient) -> SendResult:
        """Push a message with X-Line-Retry-Key so a retried request is accepted once."""
        retry_key = str(uuid.uuid5(RETRY_KEY_NAMESPACE, message.idempotency_key))
        headers = {"Authorization": f"Bearer {config.channel_access_token.get_secret_value()}",
                   "X-Line-Retry-Key": retry_key}
        body = {"to": message.recipient, "messages": [_message(message)]}
        response = await request(client, "POST", f"{config.api_base_url}/v2/bot/message/push",
                                 what="line push", json=body, headers=headers)
        # 409 means this retry key was already accepted: the earlier attempt went through.
        if response.is_success or response.status_code == 409:
            sent = response.json().get("sentMessages") or [{}]
            request_id = response.headers.get("x-line-accepted-request-id") or \
                response.headers.get("x-line-request-id", retry_key)
            return SendResult(provider_message_id=str(sent[0].get("id") or request_id))
        raise error_from_response(response, "line push")

    async def fetch_media(self, attachment: Mapping[str, Any], config: LineConfig,
                          http: httpx.AsyncClient, *, max_bytes: int) -> FetchedMedia:
        """GET {data api}/v2/bot/message/{id}/content with the channel access token."""
        message_id = ref(attachment, "line-content")
        if not message_id or not MESSAGE_ID.match(message_id):
            raise ChannelError("the attachment has no LINE message id", permanent=True)
        token = config.channel_access_token.get_secret_value()
        return await download(http, f"{config.data_api_base_url}/v2/bot/message/{message_id}"
                              "/content", what="line content", max_bytes=max_bytes,
                              headers={"Authorization": f"Bearer {token}"})


def _message(message: OutboundMessage) -> dict[str, Any]:
    image = next((a for a in message.attachments if a.url and
                  a.content_type.startswith("image/")), None)
    if image is not None:
        return {"type": "image", "originalContentUrl": image.url, "previewImageUrl": image.url}
    text: dict[str, Any] = {"type": "text", "text": message.text}
    if message.quick_replies:  # a tap sends the label back as the customer's message
        text["quickReply"] = {"items": [
            {"type": "action", "action": {"type": "message", "label": r[:20], "text": r}}
            for r in message.quick_replies]}
    return text


def _event(raw: dict[str, Any]) -> WebhookEvent | None:
    key = raw.get("webhookEventId")
    source = raw.get("source", {})
    user = source.get("userId")
    if not key:
        return None
    if raw.get("type") in CONTACT_EVENTS:
        return WebhookEvent(dedupe_key=key, kind=CONTACT_EVENTS[raw["type"]],
                            data={"user_id": user})
    if raw.get("type") != "message" or not user:
        return None
    message = raw["message"]
    kind = message.get("type", "unsupported")
    files = [] if kind in {"text", "sticker", "location"} else [Attachment(
        name=message.get("fileName", f"{kind}-{message['id']}"),
        content_type=f"{kind}/*" if kind in {"image", "video", "audio"} else "application/"
        "octet-stream", size=int(message.get("fileSize", 0) or 0),
        storage_key=f"line-content:{message['id']}")]
    inbound = InboundMessage(
        channel="line", provider_message_id=message["id"], identity_kind="line",
        identity_value=user, text=message.get("text", ""),
        content_type="text" if kind == "text" else ("media" if files else kind),
        attachments=files, sent_at=from_unix(raw.get("timestamp"), millis=True),
        meta={"reply_token": raw.get("replyToken"), "mode": raw.get("mode", "active"),
              "standby": raw.get("mode") == "standby", "source_type": source.get("type"),
              "redelivery": raw.get("deliveryContext", {}).get("isRedelivery", False)})
    return WebhookEvent(dedupe_key=key, kind="message", inbound=inbound)
