"""알림톡 through NHN Cloud Bizmessage v2.2, failing over to SMS/LMS from a registered number."""

from __future__ import annotations

from typing import Any

import httpx

from omnidesk.channels.base import ChannelError, OutboundMessage, SendResult
from omnidesk.channels.kakao.config import AlimtalkSettings
from omnidesk.channels.retry import json_object, object_at, request, request_ok

SMS_MAX_BYTES = 90


def fallback_type(text: str) -> str:
    """Pick SMS for ≤ 90 bytes in EUC-KR (the carriers' count), LMS beyond."""
    return "SMS" if len(text.encode("cp949", errors="replace")) <= SMS_MAX_BYTES else "LMS"


def request_body(message: OutboundMessage, settings: AlimtalkSettings) -> dict[str, Any]:
    """Build the send request for one recipient with its template values."""
    if message.template is None:
        raise ChannelError("알림톡 needs an approved template", permanent=True)
    recipient: dict[str, Any] = {"recipientNo": message.recipient.replace("+82", "0"),
                                 "templateParameter": dict(message.template.params)}
    if settings.fallback_sender_no:
        recipient["resendParameter"] = {
            "isResend": True, "resendType": fallback_type(message.text),
            "resendContent": message.text, "resendSendNo": settings.fallback_sender_no}
    return {"senderKey": settings.sender_key, "templateCode": message.template.name,
            "recipientList": [recipient]}


async def send(message: OutboundMessage, settings: AlimtalkSettings,
               client: httpx.AsyncClient) -> SendResult:
    """POST the message; X-NC-API-IDEMPOTENCY-KEY rejects a duplicate within 10 minutes."""
    url = f"{settings.base_url}/alimtalk/v2.2/appkeys/{settings.app_key}/messages"
    headers = {"X-Secret-Key": settings.secret_key.get_secret_value(),
               "X-NC-API-IDEMPOTENCY-KEY": message.idempotency_key}
    response = await request_ok(client, "POST", url, json=request_body(message, settings),
                                headers=headers, what="nhn alimtalk")
    answer = response.json()
    header = answer.get("header", {})
    if not header.get("isSuccessful"):
        raise ChannelError(f"nhn alimtalk refused: code {header.get('resultCode')}",
                           permanent=True)
    results = answer.get("message", {}).get("sendResults") or [{}]
    if results[0].get("resultCode", 0) != 0:
        raise ChannelError(f"nhn alimtalk recipient error {results[0].get('resultCode')}",
                           permanent=True)
    request_id = answer["message"]["requestId"]
    return SendResult(provider_message_id=f"{request_id}:{results[0].get('recipientSeq', 1)}",
                      detail={"fallback": "resendParameter" in
                              request_body(message, settings)["recipientList"][0]})


async def check_sender(settings: AlimtalkSettings, client: httpx.AsyncClient) -> str:
    """GET the sender profile: NHN names the Kakao channel and whether it may send."""
    url = (f"{settings.base_url}/alimtalk/v2.2/appkeys/{settings.app_key}/senders/"
           f"{settings.sender_key}")
    response = await request(client, "GET", url, what="nhn alimtalk sender",
                             headers={"X-Secret-Key": settings.secret_key.get_secret_value()})
    answer = json_object(response)
    header = object_at(answer, "header")
    if not response.is_success or not header.get("isSuccessful"):
        said = header.get("resultMessage") or response.reason_phrase
        raise ChannelError(f"NHN 알림톡 refused ({header.get('resultCode', response.status_code)}"
                           f": {said})", permanent=response.status_code < 500,
                           status_code=response.status_code)
    sender = object_at(answer, "sender")
    status = sender.get("statusName") or sender.get("status", "?")
    return f"알림톡 {sender.get('plusFriendId', '?')} ({status})"
