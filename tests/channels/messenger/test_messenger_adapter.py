"""Messenger and Instagram: signature vector, batches, echoes, deliveries, reads, sends."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from omnidesk.channels.base import ChannelError, OutboundMessage, SignatureError
from omnidesk.channels.messenger.adapter import InstagramAdapter, MessengerAdapter
from omnidesk.channels.messenger.config import MessengerConfig
from omnidesk.channels.signing import hmac_sha256_hex
from tests.channels.conftest import fixture_bytes, raw_request
from tests.channels.fake_provider import GRAPH_TOKEN, FakeProvider

URL = "https://example.com/channels/messenger/acme/webhook"
VECTOR = "sha256=0e9ccca8d22cc7f6fbfb42145dae7a3218336082cb575a2b93cd8f9557ac519a"
adapter = MessengerAdapter()


def config(base: str = "https://graph.facebook.com") -> MessengerConfig:
    return MessengerConfig(page_id="1234567890", instagram_account_id="17841400000000001",
                           app_secret="app_secret_test", verify_token="v",
                           page_access_token=GRAPH_TOKEN, graph_base_url=base)


def signed(name: str):
    body = fixture_bytes("messenger", name)
    return raw_request(URL, body, headers={
        "X-Hub-Signature-256": "sha256=" + hmac_sha256_hex("app_secret_test", body)})


def test_it_reproduces_the_messenger_vector_over_the_escaped_body() -> None:
    request = signed("text_message.json")
    assert request.headers["X-Hub-Signature-256"] == VECTOR
    adapter.verify_request(request, config())
    tampered = raw_request(URL, request.body.replace(b"m_TEST0001", b"m_TEST0002"),
                           headers=dict(request.headers))
    with pytest.raises(SignatureError):
        adapter.verify_request(tampered, config())


def test_a_page_message_is_a_messenger_customer_message() -> None:
    [event] = adapter.parse_inbound(signed("text_message.json"), config()).events
    assert event.dedupe_key == "m_TEST0001"
    assert event.inbound.channel == "messenger"
    assert event.inbound.text == "환불 진행 상황 알려주세요"
    assert event.inbound.identity_value == "6543210987654321"


def test_a_batch_separates_echoes_deliveries_reads_postbacks_and_unknown_events() -> None:
    parsed = adapter.parse_inbound(signed("batch_mixed.json"), config())
    kinds = [e.kind for e in parsed.events]
    assert kinds == ["echo", "status", "read_watermark", "message"]
    assert parsed.events[1].delivery.provider_message_id == "m_SENT1"
    assert parsed.events[3].inbound.content_type == "postback"
    assert parsed.events[3].inbound.meta["payload"] == "HANDOFF"
    assert parsed.ignored == ["event keys ['reaction', 'recipient', 'sender', 'timestamp']"]


def test_instagram_messages_land_on_the_instagram_channel() -> None:
    [event] = InstagramAdapter().parse_inbound(signed("instagram_message.json"),
                                               config()).events
    assert event.inbound.channel == "instagram" and event.inbound.identity_kind == "instagram"


def reply(age: dt.timedelta, author: str = "agent") -> OutboundMessage:
    last = (dt.datetime.now(dt.UTC) - age).isoformat()
    return OutboundMessage(message_id=1, idempotency_key="k", recipient="6543210987654321",
                           text="확인해 드릴게요", meta={"last_customer_message_at": last,
                                                   "author_kind": author})


async def test_a_reply_inside_24_hours_is_a_response(provider: FakeProvider,
                                                     http: httpx.AsyncClient) -> None:
    result = await adapter.send_outbound(reply(dt.timedelta(hours=1)), config(provider.base_url),
                                         http)
    assert result.provider_message_id.startswith("m_SENT")
    assert provider.received[0].json()["messaging_type"] == "RESPONSE"


async def test_after_24_hours_a_human_may_reply_with_the_human_agent_tag(
        provider: FakeProvider, http: httpx.AsyncClient) -> None:
    await adapter.send_outbound(reply(dt.timedelta(days=6)), config(provider.base_url), http)
    body = provider.received[0].json()
    assert (body["messaging_type"], body["tag"]) == ("MESSAGE_TAG", "HUMAN_AGENT")
    with pytest.raises(ChannelError) as caught:
        await adapter.send_outbound(reply(dt.timedelta(days=6), author="bot"),
                                    config(provider.base_url), http)
    assert caught.value.permanent and len(provider.received) == 1
