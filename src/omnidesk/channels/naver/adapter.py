"""Naver TalkTalk chatbot API: send/open/leave/friend events in, 보내기 API out."""

from __future__ import annotations

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
from omnidesk.channels.media import download, source_url
from omnidesk.channels.naver.config import NaverTalkConfig
from omnidesk.channels.naver.manifest import MANIFEST
from omnidesk.channels.replay import content_digest, replay_keys
from omnidesk.channels.retry import request_ok
from omnidesk.channels.signing import require
from omnidesk.domains.conversations.schemas import Attachment, InboundMessage

STATE_EVENTS = {"open": "chat_opened", "leave": "chat_left", "echo": "echo"}


class NaverTalkAdapter:
    """Chats with a TalkTalk partner account."""

    kind = MANIFEST.kind
    capabilities = MANIFEST.capabilities.names
    config_model = NaverTalkConfig

    def verify_request(self, request: RawRequest, config: NaverTalkConfig) -> None:
        """Check the secret `token` of the webhook URL (TalkTalk sends no signature)."""
        require(request.query.get("token"), config.path_token.get_secret_value(),
                what="TalkTalk path token")

    def parse_inbound(self, request: RawRequest, config: NaverTalkConfig) -> ParsedWebhook:
        """Read one event; TalkTalk sends no id, so the key is the event, user and content."""
        body = request.json()
        name, user = body.get("event"), body.get("user")
        key, seen_as = replay_keys(f"{name}:{user}:{content_digest(body)}", request.received_at)
        if name == "send" and user:
            return ParsedWebhook(events=[WebhookEvent(dedupe_key=key, kind="message",
                                                      inbound=_inbound(body, key, request),
                                                      seen_as=seen_as)])
        if name == "friend" and user:
            on = body.get("options", {}).get("set") == "on"
            return ParsedWebhook(events=[WebhookEvent(
                dedupe_key=key, kind="contact_followed" if on else "contact_unfollowed",
                data={"user": user}, seen_as=seen_as)])
        if name in STATE_EVENTS and user:
            return ParsedWebhook(events=[WebhookEvent(
                dedupe_key=key, kind=STATE_EVENTS[name], seen_as=seen_as,
                data={"user": user, "inflow": body.get("options", {}).get("inflow")})])
        return ParsedWebhook(ignored=[f"event {name}"])

    async def send_outbound(self, message: OutboundMessage, config: NaverTalkConfig,
                            client: httpx.AsyncClient) -> SendResult:
        """POST a send event; TalkTalk answers {success, resultCode} and no message id."""
        image = next((a for a in message.attachments if a.url and
                      a.content_type.startswith("image/")), None)
        body: dict[str, Any] = {"event": "send", "user": message.recipient}
        if image is not None:
            body["imageContent"] = {"imageUrl": image.url}
        else:
            body["textContent"] = {"text": message.text}
        response = await request_ok(
            client, "POST", config.api_url, json=body, what="naver talktalk send",
            headers={"Authorization": config.authorization_key.get_secret_value()})
        answer = response.json()
        if not answer.get("success"):
            raise ChannelError(f"naver talktalk refused: resultCode {answer.get('resultCode')}",
                               permanent=True)
        return SendResult(provider_message_id=f"naver:{message.idempotency_key}")

    async def fetch_media(self, attachment: Mapping[str, Any], config: NaverTalkConfig,
                          http: httpx.AsyncClient, *, max_bytes: int) -> FetchedMedia:
        """GET the imageContent.imageUrl TalkTalk sent (a public image URL)."""
        url = source_url(attachment)
        if url is None:
            raise ChannelError("the attachment has no URL", permanent=True)
        return await download(http, url, trusted_base=config.api_url,
                              what="naver talktalk image", max_bytes=max_bytes)


def _inbound(body: dict[str, Any], key: str, request: RawRequest) -> InboundMessage:
    text = body.get("textContent", {}).get("text", "")
    image = body.get("imageContent", {}).get("imageUrl")
    files = [Attachment(name="image", content_type="image/*", url=image)] if image else []
    return InboundMessage(
        channel="naver", provider_message_id=key, identity_kind="naver",
        identity_value=body["user"], text=text, attachments=files,
        content_type="text" if text or not files else "media", sent_at=request.received_at,
        meta={"code": body.get("textContent", {}).get("code"),
              "input_type": body.get("textContent", {}).get("inputType")})
