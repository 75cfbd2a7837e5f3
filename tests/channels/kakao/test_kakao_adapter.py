"""Kakao: locked-down skill requests answered at once, 상담톡 relay, 알림톡 with SMS failover."""

from __future__ import annotations

import json

import httpx
import pytest

from omnidesk.channels.base import ChannelError, OutboundMessage, SignatureError, TemplateRef
from omnidesk.channels.kakao.adapter import KakaoAdapter
from omnidesk.channels.kakao.alimtalk import fallback_type
from omnidesk.channels.kakao.config import (
    AlimtalkSettings,
    CounselSettings,
    KakaoConfig,
    SkillSettings,
    is_valid_sender_number,
)
from omnidesk.channels.kakao.counsel import serial_number
from omnidesk.channels.kakao.skill import response
from tests.channels.conftest import fixture_bytes, raw_request
from tests.channels.fake_provider import NHN_SECRET, FakeProvider, Scripted

URL = "https://example.com/channels/kakao/acme/webhook"
adapter = KakaoAdapter()


def config(base: str = "https://dealer.example", callback: bool = False) -> KakaoConfig:
    return KakaoConfig(
        skill=SkillSettings(bot_id="bot001", path_token="kakao-path-secret",
                            allowed_source_ips=["203.0.113.0/24"], use_callback=callback),
        counsel=CounselSettings(base_url=base, client_id="ht-id", client_secret="ht-secret",
                                sender_key="a" * 40, webhook_token="dealer-secret"),
        alimtalk=AlimtalkSettings(base_url=base, app_key="appkey1", secret_key=NHN_SECRET,
                                  sender_key="b" * 40, fallback_sender_no="15881234"))


def skill_request(token: str = "kakao-path-secret", ip: str = "203.0.113.7",
                  body: bytes | None = None):
    return raw_request(f"{URL}?token={token}", body or fixture_bytes("kakao",
                                                                      "skill_request.json"),
                       remote_ip=ip)


def test_a_skill_request_is_answered_at_once_with_valid_skill_json() -> None:
    request = skill_request()
    adapter.verify_request(request, config())
    parsed = adapter.parse_inbound(request, config())
    answer = json.loads(parsed.response.body)
    assert answer["version"] == "2.0" and len(answer["template"]["outputs"]) <= 3
    assert answer["template"]["quickReplies"][0]["messageText"] == "상담원 연결"
    [event] = parsed.events
    assert event.inbound.text == "주문번호 20250601-0001 배송 조회"
    assert event.inbound.identity_value == "Xy12AbCdEf"
    assert event.inbound.meta["params"] == {"order_no": "20250601-0001"}


def test_the_reference_skill_reply_shape_is_reproduced() -> None:
    assert response(["주문 20250601-0001은 배송 중입니다."], ["상담원 연결"]) == {
        "version": "2.0", "template": {
            "outputs": [{"simpleText": {"text": "주문 20250601-0001은 배송 중입니다."}}],
            "quickReplies": [{"label": "상담원 연결", "action": "message",
                              "messageText": "상담원 연결"}]}}
    with pytest.raises(ValueError):
        response(["a", "b", "c", "d"])


def test_an_approved_bot_promises_a_callback_instead() -> None:
    body = json.loads(fixture_bytes("kakao", "skill_request.json"))
    body["userRequest"]["callbackUrl"] = "https://bot-api.kakao.com/callback/abc"
    request = skill_request(body=json.dumps(body, ensure_ascii=False).encode())
    parsed = adapter.parse_inbound(request, config(callback=True))
    assert json.loads(parsed.response.body)["useCallback"] is True
    assert parsed.events[0].inbound.meta["callback_url"].endswith("/abc")


@pytest.mark.parametrize(("token", "ip", "status"), [
    ("wrong", "203.0.113.7", 401), ("kakao-path-secret", "198.51.100.1", 403)])
def test_a_skill_request_from_elsewhere_is_refused(token: str, ip: str, status: int) -> None:
    with pytest.raises(SignatureError) as caught:
        adapter.verify_request(skill_request(token, ip), config())
    assert caught.value.status == status


def test_a_skill_request_for_another_bot_is_refused() -> None:
    body = json.loads(fixture_bytes("kakao", "skill_request.json"))
    body["bot"]["id"] = "bot999"
    with pytest.raises(SignatureError):
        adapter.verify_request(skill_request(body=json.dumps(body).encode()), config())


def dealer(name: str, token: str = "dealer-secret"):
    return raw_request(URL, fixture_bytes("kakao", name), headers={"X-Dealer-Token": token})


def test_counsel_messages_are_keyed_by_serial_number_and_sessions_can_end() -> None:
    adapter.verify_request(dealer("counsel_message.json"), config())
    [message] = adapter.parse_inbound(dealer("counsel_message.json"), config()).events
    assert message.dedupe_key == "counsel:20250609150000000001"
    assert message.inbound.meta["source"] == "counsel"
    [ended] = adapter.parse_inbound(dealer("counsel_session_end.json"), config()).events
    assert ended.kind == "session_ended"
    with pytest.raises(SignatureError):
        adapter.verify_request(dealer("counsel_message.json", token="nope"), config())


async def test_an_agent_reply_goes_through_the_dealer_with_a_stable_serial(
        provider: FakeProvider, http: httpx.AsyncClient) -> None:
    reply = OutboundMessage(message_id=4, idempotency_key="msg-4", recipient="Xy12AbCdEf",
                            text="환불 도와드릴게요")
    for _ in range(2):
        result = await adapter.send_outbound(reply, config(provider.base_url), http)
    first, second = provider.to("/v1/chat/write")
    assert first.json()["serial_number"] == second.json()["serial_number"] == \
        serial_number("msg-4")
    assert len(serial_number("msg-4")) <= 30 and first.headers["ht-client-id"] == "ht-id"
    assert result.provider_message_id == f"counsel:{serial_number('msg-4')}"


async def test_alimtalk_sends_a_template_with_sms_failover_and_an_idempotency_key(
        provider: FakeProvider, http: httpx.AsyncClient) -> None:
    notice = OutboundMessage(message_id=8, idempotency_key="notice-8", recipient="+821012345678",
                             text="[샘플몰] 주문 20250601-0001이 발송되었습니다.",
                             template=TemplateRef("ORDER_SHIPPED", params={"주문번호":
                                                                           "20250601-0001"}))
    result = await adapter.send_outbound(notice, config(provider.base_url), http)
    [sent] = provider.to("/alimtalk/v2.2/appkeys/appkey1/messages")
    assert sent.headers["x-nc-api-idempotency-key"] == "notice-8"
    recipient = sent.json()["recipientList"][0]
    assert recipient["recipientNo"] == "01012345678"
    assert recipient["resendParameter"] == {"isResend": True, "resendType": "SMS",
                                            "resendContent": notice.text,
                                            "resendSendNo": "15881234"}
    assert result.detail["fallback"] is True


async def test_alimtalk_refusals_are_permanent_and_outages_transient(
        provider: FakeProvider, http: httpx.AsyncClient) -> None:
    notice = OutboundMessage(message_id=8, idempotency_key="n", recipient="01012345678",
                             text="x", template=TemplateRef("T"))
    provider.script("/alimtalk/v2.2/appkeys/appkey1/messages", Scripted(503, {}),
                    Scripted(200, {"header": {"resultCode": -1006, "isSuccessful": False}}))
    with pytest.raises(ChannelError) as outage:
        await adapter.send_outbound(notice, config(provider.base_url), http)
    with pytest.raises(ChannelError) as refused:
        await adapter.send_outbound(notice, config(provider.base_url), http)
    assert not outage.value.permanent and refused.value.permanent


def test_sms_fallback_uses_lms_beyond_90_euc_kr_bytes_and_checks_sender_numbers() -> None:
    assert fallback_type("가" * 45) == "SMS" and fallback_type("가" * 46) == "LMS"
    assert is_valid_sender_number("15881234") and is_valid_sender_number("0212345678")
    assert not is_valid_sender_number("158812345") and not is_valid_sender_number("12345")
