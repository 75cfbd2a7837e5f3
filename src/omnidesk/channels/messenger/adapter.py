"""Messenger and Instagram Direct through the Meta Messenger Platform."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from omnidesk.channels import meta
from omnidesk.channels.base import (
    ChannelError,
    FetchedMedia,
    OutboundMessage,
    ParsedWebhook,
    RawRequest,
    SendResult,
    WebhookEvent,
)
from omnidesk.channels.instagram.manifest import MANIFEST as INSTAGRAM
from omnidesk.channels.media import download, source_url
from omnidesk.channels.messenger.config import MessengerConfig
from omnidesk.channels.messenger.manifest import MANIFEST
from omnidesk.domains.conversations.schemas import Attachment, DeliveryUpdate, InboundMessage

CHANNEL_BY_OBJECT = {"page": "messenger", "instagram": "instagram"}


class MessengerAdapter:
    """Page and Instagram conversations: messages, postbacks, deliveries and reads."""

    kind = MANIFEST.kind
    capabilities = MANIFEST.capabilities.names
    config_model = MessengerConfig

    def verify_request(self, request: RawRequest, config: MessengerConfig) -> None:
        """Check the GET verify token, or X-Hub-Signature-256 over the raw POST body."""
        meta.verify_webhook(request, verify_token=config.verify_token.get_secret_value(),
                            app_secret=config.app_secret.get_secret_value())

    def parse_inbound(self, request: RawRequest, config: MessengerConfig) -> ParsedWebhook:
        """Echo the challenge, or loop over every entry and messaging/standby event."""
        if request.method.upper() == "GET":
            return ParsedWebhook(response=meta.challenge_response(request))
        parsed = ParsedWebhook()
        body = request.json()
        channel = CHANNEL_BY_OBJECT.get(body.get("object", ""))
        owned = {config.page_id, config.instagram_account_id}
        for entry in body.get("entry", []):
            if channel is None or entry.get("id") not in owned:
                parsed.ignored.append(f"entry {entry.get('id')} of {body.get('object')}")
                continue
            standby = "standby" in entry
            for raw in entry.get("messaging", []) + entry.get("standby", []):
                events = _events(channel, raw, standby)
                parsed.events += events
                if not events:
                    parsed.ignored.append(f"event keys {sorted(raw)}")
        return parsed

    async def send_outbound(self, message: OutboundMessage, config: MessengerConfig,
                            client: httpx.AsyncClient) -> SendResult:
        """POST /me/messages inside the 24 h window, or HUMAN_AGENT-tagged by a person."""
        tag = meta.check_window(message.meta)
        body: dict[str, Any] = {"recipient": {"id": message.recipient},
                                "messaging_type": "MESSAGE_TAG" if tag else "RESPONSE",
                                "message": _message(message)}
        if tag:
            body["tag"] = tag
        url = f"{config.graph_base_url}/{config.api_version}/me/messages"
        answer = await meta.post_graph(client, url, body=body, what="messenger send",
                                       token=config.page_access_token.get_secret_value())
        return SendResult(provider_message_id=answer["message_id"])

    async def check_connection(self, config: MessengerConfig, http: httpx.AsyncClient) -> str:
        """GET /me with the Page token: Graph names the Page it belongs to, which must be ours."""
        product = "Instagram" if self.kind == INSTAGRAM.kind else "Messenger"
        me = await meta.get_graph_identity(
            http, f"{config.graph_base_url}/{config.api_version}/me",
            token=config.page_access_token.get_secret_value(), product=product, fields="id,name")
        if str(me.get("id")) != config.page_id:
            raise ChannelError(f"the Page access token belongs to Page {me.get('id')} "
                               f"({me.get('name', '?')}), not to Page {config.page_id}",
                               permanent=True)
        return f"{product}: Page {me.get('name', '?')} ({config.page_id})"

    async def fetch_media(self, attachment: Mapping[str, Any], config: MessengerConfig,
                          http: httpx.AsyncClient, *, max_bytes: int) -> FetchedMedia:
        """GET the attachment's payload.url (Meta's CDN, no token needed)."""
        url = source_url(attachment)
        if url is None:
            raise ChannelError("the attachment has no URL", permanent=True)
        return await download(http, url, trusted_base=config.graph_base_url,
                              what=f"{self.kind} media", max_bytes=max_bytes)


def _message(message: OutboundMessage) -> dict[str, Any]:
    file = next((a for a in message.attachments if a.url), None)
    if file is None:
        body: dict[str, Any] = {"text": message.text}
        if message.quick_replies:  # a tap sends the title back as text (+ payload)
            body["quick_replies"] = [{"content_type": "text", "title": r[:20], "payload": r}
                                     for r in message.quick_replies]
        return body
    kind = file.content_type.split("/")[0]
    kind = kind if kind in {"image", "audio", "video"} else "file"
    return {"attachment": {"type": kind, "payload": {"url": file.url, "is_reusable": False}}}


def _events(channel: str, raw: dict[str, Any], standby: bool) -> list[WebhookEvent]:
    sender = raw.get("sender", {}).get("id", "")
    if "message" in raw and not raw["message"].get("is_echo"):
        return [_message_event(channel, raw, sender, standby)]
    if "postback" in raw:
        postback = raw["postback"]
        key = postback.get("mid") or f"{sender}:{raw.get('timestamp')}:postback"
        inbound = _inbound(channel, raw, sender, key, postback.get("title", ""), "postback",
                           {"payload": postback.get("payload"), "standby": standby})
        return [WebhookEvent(dedupe_key=key, kind="message", inbound=inbound)]
    if "delivery" in raw:
        return [WebhookEvent(dedupe_key=f"{mid}:delivered", kind="status",
                             delivery=DeliveryUpdate(channel=channel, provider_message_id=mid,
                                                     status="delivered"))
                for mid in raw["delivery"].get("mids") or []]
    if "read" in raw:
        watermark = raw["read"].get("watermark")
        read_at = meta.from_unix(watermark, millis=True) if watermark else None
        return [WebhookEvent(dedupe_key=f"{sender}:read:{watermark}", kind="read_watermark",
                             data={"recipient": sender, "channel": channel,
                                   "watermark": read_at.isoformat() if read_at else None})]
    if "message" in raw:
        return [WebhookEvent(dedupe_key=f"{raw['message'].get('mid')}:echo", kind="echo",
                             data={"mid": raw["message"].get("mid")})]
    return []


def _message_event(channel: str, raw: dict[str, Any], sender: str,
                   standby: bool) -> WebhookEvent:
    message = raw["message"]
    files = [Attachment(name=a.get("type", "file"), url=a.get("payload", {}).get("url"),
                        content_type=a.get("type", "file"))
             for a in message.get("attachments", [])]
    meta_fields = {"standby": standby,
                   "quick_reply": message.get("quick_reply", {}).get("payload"),
                   "reply_to": message.get("reply_to", {}).get("mid")}
    content_type = "text" if message.get("text") else ("media" if files else "unsupported")
    inbound = _inbound(channel, raw, sender, message["mid"], message.get("text", ""),
                       content_type, {k: v for k, v in meta_fields.items() if v is not None})
    inbound.attachments = files
    return WebhookEvent(dedupe_key=message["mid"], kind="message", inbound=inbound)


def _inbound(channel: str, raw: dict[str, Any], sender: str, mid: str, text: str,
             content_type: str, extra: dict[str, Any]) -> InboundMessage:
    return InboundMessage(channel=channel, provider_message_id=mid, identity_kind=channel,
                          identity_value=sender, text=text, content_type=content_type,
                          sent_at=meta.from_unix(raw.get("timestamp"), millis=True), meta=extra)


class InstagramAdapter(MessengerAdapter):
    """Instagram Direct: the same platform, keyed by the Instagram professional account."""

    kind = INSTAGRAM.kind
    capabilities = INSTAGRAM.capabilities.names
