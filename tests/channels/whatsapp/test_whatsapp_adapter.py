"""WhatsApp Cloud API: GET handshake, raw-byte signatures, messages, statuses, Graph sends."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from pydantic import SecretStr

from omnidesk.channels.base import ChannelError, OutboundMessage, SignatureError, TemplateRef
from omnidesk.channels.signing import hmac_sha256_hex
from omnidesk.channels.whatsapp.adapter import WhatsAppAdapter
from omnidesk.channels.whatsapp.config import WhatsAppConfig
from omnidesk.domains.conversations.delivery_actions import furthest_delivery_status
from tests.channels.conftest import fixture_bytes, raw_request
from tests.channels.fake_provider import GRAPH_TOKEN, FakeProvider, Scripted

URL = "https://example.com/channels/whatsapp/acme/webhook"
ESCAPED_SIGNATURE = "sha256=e533f1e619d9b3f224f07b9afa699d5e6ef1602541b5c47a923c80387b4eae9c"
UTF8_SIGNATURE = "sha256=269a4a5bfe71ca4d04af450f57647f4739a77b557ab2827b2051d1721409acc4"
adapter = WhatsAppAdapter()


def config(graph_base_url: str = "https://graph.facebook.com") -> WhatsAppConfig:
    return WhatsAppConfig(phone_number_id="106540352242922", app_secret="app_secret_test",
                          verify_token="verify-me", access_token=GRAPH_TOKEN,
                          graph_base_url=graph_base_url)


def signed(name: str, signature: str | None = None):
    body = fixture_bytes("whatsapp", name)
    value = signature or "sha256=" + hmac_sha256_hex("app_secret_test", body)
    return raw_request(URL, body, headers={"X-Hub-Signature-256": value})


def test_the_get_handshake_echoes_the_challenge_only_for_our_token() -> None:
    good = raw_request(URL + "?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444",
                       method="GET")
    adapter.verify_request(good, config())
    assert adapter.parse_inbound(good, config()).response.body == b"1158201444"
    bad = raw_request(URL + "?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1",
                      method="GET")
    with pytest.raises(SignatureError) as caught:
        adapter.verify_request(bad, config())
    assert caught.value.status == 403


def test_it_verifies_the_escaped_body_meta_signs_and_the_utf8_variant_on_its_own_bytes() -> None:
    adapter.verify_request(signed("text_message.json", ESCAPED_SIGNATURE), config())
    adapter.verify_request(signed("text_message_utf8.json", UTF8_SIGNATURE), config())
    with pytest.raises(SignatureError):  # a verifier that re-serialised would accept this
        adapter.verify_request(signed("text_message_utf8.json", ESCAPED_SIGNATURE), config())


@pytest.mark.parametrize("header", [None, "sha256=", "sha1=abc", ESCAPED_SIGNATURE.upper()])
def test_it_rejects_a_missing_or_bad_signature(header: str | None) -> None:
    body = fixture_bytes("whatsapp", "text_message.json")
    request = raw_request(URL, body, headers={"X-Hub-Signature-256": header} if header else {})
    with pytest.raises(SignatureError):
        adapter.verify_request(request, config())


def test_a_korean_text_message_becomes_an_inbound_message() -> None:
    [event] = adapter.parse_inbound(signed("text_message.json"), config()).events
    assert event.dedupe_key == "wamid.TEST0001"
    inbound = event.inbound
    assert inbound.text == "주문 취소 가능한가요?" and inbound.customer_name == "Kim Minji"
    assert inbound.identity_value == "821012345678" and inbound.customer_phone == "+821012345678"
    assert inbound.sent_at == dt.datetime(2025, 6, 8, 20, 59, 43, tzinfo=dt.UTC)


def test_the_same_delivery_twice_has_the_same_dedupe_key() -> None:
    first = adapter.parse_inbound(signed("text_message.json"), config()).events
    second = adapter.parse_inbound(signed("text_message.json"), config()).events
    assert [e.dedupe_key for e in first] == [e.dedupe_key for e in second]


def test_read_before_delivered_ends_as_read_and_failures_carry_the_error() -> None:
    status = "sent"
    for name in ("status_read.json", "status_delivered.json"):
        [event] = adapter.parse_inbound(signed(name), config()).events
        status = furthest_delivery_status(status, event.delivery.status)
    assert status == "read"
    [failed] = adapter.parse_inbound(signed("status_failed.json"), config()).events
    assert failed.delivery.status == "failed" and failed.delivery.error.startswith("131047")


def test_unknown_types_become_placeholders_and_other_fields_are_ignored() -> None:
    parsed = adapter.parse_inbound(signed("unsupported_and_unknown.json"), config())
    [event] = parsed.events
    assert event.inbound.content_type == "unsupported"
    assert parsed.ignored == ["field account_update for None"]


def test_events_for_another_phone_number_are_ignored() -> None:
    other = config().model_copy(update={"phone_number_id": "999999"})
    assert adapter.parse_inbound(signed("text_message.json"), other).events == []


def message(**meta) -> OutboundMessage:
    return OutboundMessage(message_id=5, idempotency_key="m-5", recipient="821012345678",
                           text="주문이 취소되었습니다.", meta=meta)


async def test_it_sends_text_to_a_graph_like_server(provider: FakeProvider,
                                                    http: httpx.AsyncClient) -> None:
    now = dt.datetime.now(dt.UTC)
    result = await adapter.send_outbound(message(last_customer_message_at=now.isoformat()),
                                         config(provider.base_url), http)
    assert result.provider_message_id.startswith("wamid.SENT")
    sent = provider.received[0].json()
    assert sent["type"] == "text" and sent["text"]["body"] == "주문이 취소되었습니다."


async def test_outside_24_hours_free_text_is_refused_but_a_template_goes(
        provider: FakeProvider, http: httpx.AsyncClient) -> None:
    stale = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=30)).isoformat()
    with pytest.raises(ChannelError) as caught:
        await adapter.send_outbound(message(last_customer_message_at=stale),
                                    config(provider.base_url), http)
    assert caught.value.permanent and provider.received == []
    templated = OutboundMessage(message_id=6, idempotency_key="m-6", recipient="821012345678",
                                text="", template=TemplateRef("order_update", "ko",
                                                              {"1": "20250601-0001"}),
                                meta={"last_customer_message_at": stale})
    await adapter.send_outbound(templated, config(provider.base_url), http)
    body = provider.received[0].json()
    assert body["template"]["components"][0]["parameters"][0]["text"] == "20250601-0001"


async def test_throttling_codes_retry_and_bad_tokens_do_not(provider: FakeProvider,
                                                            http: httpx.AsyncClient) -> None:
    path = "/v21.0/106540352242922/messages"
    provider.script(path, Scripted(400, {"error": {"code": 131056, "message": "pair rate"}}),
                    Scripted(500, {"error": {"code": 2, "message": "unavailable"}},
                             {"Retry-After": "5"}))
    for expected_retry_after in (None, 5.0):
        with pytest.raises(ChannelError) as caught:
            await adapter.send_outbound(message(), config(provider.base_url), http)
        assert not caught.value.permanent and caught.value.retry_after == expected_retry_after
    assert (await adapter.send_outbound(message(), config(provider.base_url), http))
    wrong = config(provider.base_url).model_copy(update={"access_token": SecretStr("expired")})
    with pytest.raises(ChannelError) as caught:
        await adapter.send_outbound(message(), wrong, http)
    assert caught.value.permanent
