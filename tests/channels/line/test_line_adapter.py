"""LINE: signature vector, verify-button pings, redeliveries, standby, pushes with retry keys."""

from __future__ import annotations

import httpx
import pytest

from omnidesk.channels.base import ChannelError, OutboundMessage, SignatureError
from omnidesk.channels.line.adapter import LineAdapter
from omnidesk.channels.line.config import LineConfig
from omnidesk.channels.signing import hmac_sha256_b64
from tests.channels.conftest import fixture_bytes, raw_request
from tests.channels.fake_provider import LINE_TOKEN, FakeProvider, Scripted

URL = "https://example.com/channels/line/acme/webhook"
VECTOR = "6c5mxnyKlL0uog/UDrFwBdMBEBs479n0+nvxftShC48="
adapter = LineAdapter()


def config(base: str = "https://api.line.me") -> LineConfig:
    return LineConfig(channel_secret="line_secret_test", channel_access_token=LINE_TOKEN,
                      bot_user_id="U0123456789abcdef0123456789abcdef", api_base_url=base)


def signed(name: str):
    body = fixture_bytes("line", name)
    return raw_request(URL, body, headers={
        "X-Line-Signature": hmac_sha256_b64("line_secret_test", body)})


def test_it_reproduces_the_line_vector() -> None:
    request = signed("text_message.json")
    assert request.headers["X-Line-Signature"] == VECTOR
    adapter.verify_request(request, config())


def test_it_rejects_a_signature_made_with_another_secret() -> None:
    body = fixture_bytes("line", "text_message.json")
    request = raw_request(URL, body, headers={"X-Line-Signature": hmac_sha256_b64("x", body)})
    with pytest.raises(SignatureError):
        adapter.verify_request(request, config())


def test_the_console_verify_button_sends_no_events_and_gets_200() -> None:
    parsed = adapter.parse_inbound(signed("verify_empty.json"), config())
    assert parsed.events == [] and parsed.response.status == 200


def test_a_text_message_is_keyed_by_webhook_event_id() -> None:
    [event] = adapter.parse_inbound(signed("text_message.json"), config()).events
    assert event.dedupe_key == "01J0000000000000000000TEST"
    assert event.inbound.text == "배송 언제 오나요?"
    assert event.inbound.meta["reply_token"] == "nHuyWiB7yP5Zw52FIkcQobQuGDXCTA"


def test_a_redelivery_keeps_its_key_standby_is_flagged_and_unknown_types_are_skipped() -> None:
    parsed = adapter.parse_inbound(signed("redelivery_standby_unknown.json"), config())
    redelivered, standby = parsed.events
    assert redelivered.dedupe_key == "01J0000000000000000000TEST"
    assert redelivered.inbound.meta["redelivery"] is True
    assert standby.inbound.meta["standby"] is True and standby.inbound.content_type == "media"
    assert parsed.ignored == ["event type membership"]


def push(key: str = "msg-9") -> OutboundMessage:
    return OutboundMessage(message_id=9, idempotency_key=key,
                           recipient="U11112222333344445555666677778888", text="내일 도착합니다")


async def test_a_retried_push_is_accepted_once_thanks_to_the_retry_key(
        provider: FakeProvider, http: httpx.AsyncClient) -> None:
    first = await adapter.send_outbound(push(), config(provider.base_url), http)
    again = await adapter.send_outbound(push(), config(provider.base_url), http)
    assert first.provider_message_id == again.provider_message_id
    keys = {r.headers["x-line-retry-key"] for r in provider.received}
    assert len(keys) == 1 and len(provider.line_retry_keys) == 1


async def test_rate_limits_retry_and_bad_requests_do_not(provider: FakeProvider,
                                                         http: httpx.AsyncClient) -> None:
    provider.script("/v2/bot/message/push", Scripted(429, {"message": "rate limit"}),
                    Scripted(400, {"message": "The request body has 1 error(s)"}))
    with pytest.raises(ChannelError) as throttled:
        await adapter.send_outbound(push("a"), config(provider.base_url), http)
    with pytest.raises(ChannelError) as invalid:
        await adapter.send_outbound(push("b"), config(provider.base_url), http)
    assert not throttled.value.permanent and invalid.value.permanent
