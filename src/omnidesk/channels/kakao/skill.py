"""i 오픈빌더 skill requests and v2.0 skill responses (answered within 5 s)."""

from __future__ import annotations

import ipaddress
import json
from typing import Any

from omnidesk.channels.base import RawRequest, SignatureError, WebhookEvent, WebhookResponse
from omnidesk.channels.kakao.config import SkillSettings
from omnidesk.channels.replay import content_digest, replay_keys
from omnidesk.channels.signing import require
from omnidesk.domains.conversations.schemas import InboundMessage

MAX_OUTPUTS, MAX_QUICK_REPLIES, MAX_TEXT = 3, 10, 1000


def verify(request: RawRequest, body: dict[str, Any], settings: SkillSettings) -> None:
    """Check source IP allow-list, the URL path token and the bot id (no signature exists)."""
    if settings.allowed_source_ips:
        address = ipaddress.ip_address(request.remote_ip or "0.0.0.0")
        if not any(address in ipaddress.ip_network(net) for net in settings.allowed_source_ips):
            raise SignatureError("source address not allowed", status=403)
    require(request.query.get("token"), settings.path_token.get_secret_value(),
            what="skill path token")
    if body.get("bot", {}).get("id") != settings.bot_id:
        raise SignatureError("request for another bot", status=403)


def response(texts: list[str], quick_replies: list[str] | None = None) -> dict[str, Any]:
    """Build a skill v2.0 response, enforcing Kakao's limits."""
    replies = quick_replies or []
    if not 1 <= len(texts) <= MAX_OUTPUTS or len(replies) > MAX_QUICK_REPLIES:
        raise ValueError("a skill response has 1-3 outputs and at most 10 quick replies")
    template: dict[str, Any] = {"outputs": [{"simpleText": {"text": t[:MAX_TEXT]}}
                                            for t in texts]}
    if replies:
        template["quickReplies"] = [{"label": r[:14], "action": "message", "messageText": r}
                                    for r in replies]
    return {"version": "2.0", "template": template}


def ack(body: dict[str, Any], settings: SkillSettings) -> WebhookResponse:
    """Answer at once: a callback promise when allowed, else an acknowledgement text."""
    if settings.use_callback and body.get("userRequest", {}).get("callbackUrl"):
        answer: dict[str, Any] = {"version": "2.0", "useCallback": True,
                                  "data": {"text": settings.ack_text}}
    else:
        answer = response([settings.ack_text], [settings.handoff_label])
    return WebhookResponse(body=json.dumps(answer, ensure_ascii=False).encode(),
                           media_type="application/json")


def event(request: RawRequest, body: dict[str, Any]) -> WebhookEvent:
    """Describe the utterance; Kakao sends no event id, so the key is the user + the content."""
    user_request = body["userRequest"]
    user = user_request["user"]
    key, seen_as = replay_keys(f"skill:{user['id']}:{content_digest(body)}", request.received_at)
    params = {k: v.get("value") for k, v in body.get("action", {}).get("detailParams", {}).items()}
    inbound = InboundMessage(
        channel="kakao", provider_message_id=key, identity_kind="kakao",
        identity_value=user.get("properties", {}).get("plusfriendUserKey") or user["id"],
        text=user_request.get("utterance", ""), sent_at=request.received_at,
        meta={"source": "skill", "bot_user_key": user["id"],
              "block": user_request.get("block", {}).get("name"),
              "intent": body.get("intent", {}).get("name"), "params": params,
              "callback_url": user_request.get("callbackUrl")})
    return WebhookEvent(dedupe_key=key, kind="message", inbound=inbound, seen_as=seen_as)
