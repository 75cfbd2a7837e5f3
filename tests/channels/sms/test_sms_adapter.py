"""Twilio SMS: signature vectors, inbound and status callbacks, sends to a Twilio-like server."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from omnidesk.channels.base import ChannelError, OutboundMessage, SignatureError
from omnidesk.channels.sms.adapter import TwilioSmsAdapter
from omnidesk.channels.sms.config import TwilioSmsConfig
from omnidesk.channels.twilio import signature
from omnidesk.domains.conversations.delivery_actions import furthest_delivery_status
from tests.channels.conftest import raw_request
from tests.channels.fake_provider import TWILIO_SID, TWILIO_TOKEN, FakeProvider, Scripted

FIXTURES = Path(__file__).parent / "fixtures"
URL = "https://example.com/webhooks/twilio/sms"
adapter = TwilioSmsAdapter()


def load(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def config(api_base_url: str = "https://api.twilio.com", **extra: str) -> TwilioSmsConfig:
    return TwilioSmsConfig(account_sid=TWILIO_SID, auth_token=TWILIO_TOKEN,
                           from_number="+15005550006", api_base_url=api_base_url, **extra)


def signed(params: dict[str, str], url: str = URL, token: str = TWILIO_TOKEN):
    body = urlencode(params).encode()
    return raw_request(url, body, headers={
        "X-Twilio-Signature": signature(token, url, params.items()),
        "Content-Type": "application/x-www-form-urlencoded"})


def test_it_reproduces_the_korean_sms_vector_and_accepts_it() -> None:
    vector = load("inbound_korean")
    assert signature(vector["auth_token"], vector["url"], vector["params"].items()) == \
        vector["signature"]
    request = raw_request(vector["url"], urlencode(vector["params"]).encode(),
                          headers={"X-Twilio-Signature": vector["signature"]})
    adapter.verify_request(request, config())


def test_it_accepts_the_url_with_an_explicit_default_port() -> None:
    params = load("inbound_korean")["params"]
    request = signed(params, url="https://example.com:443/webhooks/twilio/sms")
    adapter.verify_request(request, config(public_webhook_base="https://example.com"))


@pytest.mark.parametrize("tamper", ["body", "secret", "missing", "url"])
def test_it_rejects_a_bad_signature(tamper: str) -> None:
    params = dict(load("inbound_korean")["params"])
    request = signed(params, token="wrong" if tamper == "secret" else TWILIO_TOKEN)
    if tamper == "body":
        params["Body"] = "환불 문의!"
        request = raw_request(URL, urlencode(params).encode(), headers=dict(request.headers))
    if tamper == "missing":
        request = raw_request(URL, request.body)
    if tamper == "url":
        request = raw_request(URL + "?x=1", request.body, headers=dict(request.headers))
    with pytest.raises(SignatureError):
        adapter.verify_request(request, config())


def test_an_inbound_sms_becomes_a_customer_message_keyed_by_message_sid() -> None:
    parsed = adapter.parse_inbound(signed(load("inbound_korean")["params"]), config())
    [event] = parsed.events
    assert event.dedupe_key == "SM00000000000000000000000000000001"
    assert event.inbound is not None and event.inbound.text == "환불 문의"
    assert event.inbound.identity_kind == "phone"
    assert event.inbound.identity_value == "+821012345678"
    assert parsed.response.media_type == "text/xml" and b"<Response" in parsed.response.body


def test_mms_media_is_kept_and_unknown_parameters_are_ignored() -> None:
    [event] = adapter.parse_inbound(signed(load("inbound_mms")["params"]), config()).events
    assert event.inbound is not None
    assert event.inbound.attachments[0].content_type == "image/jpeg"
    assert event.inbound.content_type == "media"


def test_status_callbacks_in_any_order_keep_the_furthest_state() -> None:
    keys, status = set(), "pending"
    for name in ("status_delivered", "status_sent", "status_queued", "status_delivered"):
        parsed = adapter.parse_inbound(signed(load(name)["params"]), config())
        for event in parsed.events:
            assert event.delivery is not None
            keys.add(event.dedupe_key)
            status = furthest_delivery_status(status, event.delivery.status)
    assert status == "delivered"
    assert keys == {"SM00000000000000000000000000000099:delivered",
                    "SM00000000000000000000000000000099:sent"}


def test_an_undelivered_callback_is_a_failure_with_the_error_code() -> None:
    [event] = adapter.parse_inbound(signed(load("status_undelivered")["params"]),
                                    config()).events
    assert event.delivery is not None
    assert (event.delivery.status, event.delivery.error) == ("failed", "twilio 30003")


def message(to: str = "+821012345678", key: str = "msg-1") -> OutboundMessage:
    return OutboundMessage(message_id=1, idempotency_key=key, recipient=to, text="환불이 접수되었습니다.")


async def test_it_sends_through_a_twilio_like_server(provider: FakeProvider,
                                                      http: httpx.AsyncClient) -> None:
    result = await adapter.send_outbound(message(), config(provider.base_url), http)
    assert result.provider_message_id.startswith("SM")
    [sent] = provider.received
    assert sent.path == f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json"
    assert dict(sent.form())["Body"] == "환불이 접수되었습니다."


async def test_429_with_retry_after_then_503_then_success(provider: FakeProvider,
                                                         http: httpx.AsyncClient) -> None:
    path = f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json"
    provider.script(path, Scripted(429, {"code": 20429, "message": "Too Many Requests"},
                                   {"Retry-After": "3"}),
                    Scripted(503, {"code": 20503, "message": "Service unavailable"}))
    outcomes = []
    for _ in range(3):
        try:
            outcomes.append(await adapter.send_outbound(message(), config(provider.base_url),
                                                        http))
        except ChannelError as error:
            outcomes.append(error)
    first, second, third = outcomes
    assert isinstance(first, ChannelError) and not first.permanent and first.retry_after == 3
    assert isinstance(second, ChannelError) and not second.permanent
    assert not isinstance(third, ChannelError) and third.provider_message_id.startswith("SM")
    assert len(provider.to(path)) == 3


async def test_an_invalid_number_is_a_permanent_failure(provider: FakeProvider,
                                                        http: httpx.AsyncClient) -> None:
    with pytest.raises(ChannelError) as caught:
        await adapter.send_outbound(message(to="+15005550001"), config(provider.base_url), http)
    assert caught.value.permanent and "21211" in str(caught.value)
    assert TWILIO_TOKEN not in str(caught.value)
