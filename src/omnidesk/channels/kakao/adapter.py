"""KakaoTalk: skill server (chatbot), 상담톡 (human chat via a dealer) and 알림톡 notices."""

from __future__ import annotations

from typing import Any

import httpx

from omnidesk.channels.base import (
    ChannelError,
    OutboundMessage,
    ParsedWebhook,
    RawRequest,
    SendResult,
    SignatureError,
)
from omnidesk.channels.kakao import alimtalk, counsel, skill
from omnidesk.channels.kakao.config import KakaoConfig
from omnidesk.channels.kakao.manifest import MANIFEST
from omnidesk.channels.retry import request_ok


class KakaoAdapter:
    """One webhook URL for skill and dealer traffic, told apart by the body's shape."""

    kind = MANIFEST.kind
    capabilities = MANIFEST.capabilities.names
    config_model = KakaoConfig

    def verify_request(self, request: RawRequest, config: KakaoConfig) -> None:
        """Check the skill's IP/path token/bot id, or the dealer's shared token."""
        body = _body(request)
        if "userRequest" in body:
            if config.skill is None:
                raise SignatureError("skill server not configured", status=403)
            skill.verify(request, body, config.skill)
        elif config.counsel is not None:
            counsel.verify(request, config.counsel)
        else:
            raise SignatureError("상담톡 dealer not configured", status=403)

    def parse_inbound(self, request: RawRequest, config: KakaoConfig) -> ParsedWebhook:
        """Answer a skill request with skill JSON at once; relay dealer messages as events."""
        body = _body(request)
        if "userRequest" in body and config.skill is not None:
            return ParsedWebhook(events=[skill.event(request, body)],
                                 response=skill.ack(body, config.skill))
        event = counsel.event(body, request)
        if event is None:
            return ParsedWebhook(ignored=[f"dealer message_type {body.get('message_type')}"])
        return ParsedWebhook(events=[event])

    async def send_outbound(self, message: OutboundMessage, config: KakaoConfig,
                            client: httpx.AsyncClient) -> SendResult:
        """Send a template as 알림톡, a bot answer to the skill callback, else via 상담톡."""
        if message.template is not None:
            if config.alimtalk is None:
                raise ChannelError("알림톡 is not configured", permanent=True)
            return await alimtalk.send(message, config.alimtalk, client)
        callback = message.meta.get("kakao_callback_url")
        if callback:
            answer = skill.response([message.text], list(message.quick_replies))
            await request_ok(client, "POST", str(callback), json=answer,
                             what="kakao skill callback")
            return SendResult(provider_message_id=f"callback:{message.idempotency_key}")
        if config.counsel is None:
            raise ChannelError("no 상담톡 session pipe configured; use 알림톡 or SMS",
                               permanent=True)
        return await counsel.send(message, config.counsel, client)

    async def check_connection(self, config: KakaoConfig, http: httpx.AsyncClient) -> str:
        """Look the 알림톡 sender profile up at NHN; say what cannot be checked from here."""
        parts = []
        if config.alimtalk is not None:
            parts.append(await alimtalk.check_sender(config.alimtalk, http))
        if config.counsel is not None:
            parts.append("상담톡: the dealer offers no check without sending")
        if config.skill is not None:
            parts.append("챗봇 skill: Kakao calls us, nothing to check from here")
        return "; ".join(parts) or "nothing configured"


def _body(request: RawRequest) -> dict[str, Any]:
    try:
        body = request.json()
    except ValueError as exc:
        raise SignatureError(f"unreadable body: {exc}", status=400) from exc
    if not isinstance(body, dict):
        raise SignatureError("body is not an object", status=400)
    return body
