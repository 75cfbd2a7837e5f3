"""Generic API channel: bearer-token inbound, signed outbound webhooks with a replay window."""

from __future__ import annotations

import hashlib
import time

import httpx
import pytest

from omnidesk.channels.api import signing
from omnidesk.channels.api.adapter import ApiChannelAdapter
from omnidesk.channels.api.config import ApiChannelConfig
from omnidesk.channels.base import ChannelError, OutboundMessage, SignatureError
from tests.channels.conftest import fixture_bytes, raw_request
from tests.channels.fake_provider import FakeProvider, Scripted

URL = "https://example.com/channels/api/acme/webhook"
TOKEN = "od_app_token_test"
adapter = ApiChannelAdapter()


def config(webhook_url: str = "https://hooks.example.com/omnidesk",
           allow_private: bool = False) -> ApiChannelConfig:
    return ApiChannelConfig(inbound_token_sha256=hashlib.sha256(TOKEN.encode()).hexdigest(),
                            webhook_url=webhook_url, signing_secret="api_signing_secret",
                            allow_private_network=allow_private)


def posted(name: str, token: str | None = TOKEN):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return raw_request(URL, fixture_bytes("api", name), headers=headers)


@pytest.mark.parametrize("token", [None, "od_app_token_tes", "Basic x"])
def test_it_rejects_a_missing_or_wrong_token(token: str | None) -> None:
    with pytest.raises(SignatureError):
        adapter.verify_request(posted("message.json", token), config())


def test_a_message_event_is_keyed_by_the_apps_event_id_and_extra_fields_are_ignored() -> None:
    request = posted("message.json")
    adapter.verify_request(request, config())
    [event] = adapter.parse_inbound(request, config()).events
    assert event.dedupe_key == "evt_01" and event.inbound.identity_value == "u-42"
    assert event.inbound.text == "앱에서 결제가 안 돼요"


def test_a_batch_yields_statuses_and_skips_unknown_or_invalid_events() -> None:
    parsed = adapter.parse_inbound(posted("batch.json"), config())
    [status] = parsed.events
    assert status.delivery.status == "read" and status.delivery.provider_message_id == "od-msg-7"
    assert parsed.ignored == ["event type typing", "invalid event: 1 errors"]


def test_our_signature_scheme_reproduces_the_published_vector() -> None:
    body = b'{"event":"message_created","id":1,"content":"hi"}'
    assert signing.sign("cw_secret", 1749416383, body) == \
        "sha256=f01adf424a9601b024f701ca599f0826a782734964ccda7a518ee572b33bec94"


def test_receivers_reject_stale_or_tampered_deliveries() -> None:
    body = b'{"a":1}'
    headers = signing.signed_headers("s", body, "d-1", now=1_000_000)
    signing.verify("s", headers, body, now=1_000_100)
    with pytest.raises(SignatureError, match="stale"):
        signing.verify("s", headers, body, now=1_000_000 + 301)
    with pytest.raises(SignatureError):
        signing.verify("s", headers, b'{"a":2}', now=1_000_100)


def reply() -> OutboundMessage:
    return OutboundMessage(message_id=7, idempotency_key="delivery-7", recipient="u-42",
                           text="결제 오류를 확인했습니다")


async def test_replies_are_signed_with_a_stable_delivery_id_across_retries(
        provider: FakeProvider, http: httpx.AsyncClient) -> None:
    cfg = config(f"{provider.base_url}/omnidesk", allow_private=True)
    provider.script("/omnidesk", Scripted(500, {"error": "boom"}))
    with pytest.raises(ChannelError) as failed:
        await adapter.send_outbound(reply(), cfg, http)
    assert not failed.value.permanent
    result = await adapter.send_outbound(reply(), cfg, http)
    first, second = provider.to("/omnidesk")
    assert first.headers["x-omnidesk-delivery"] == second.headers["x-omnidesk-delivery"]
    signing.verify("api_signing_secret", second.headers, second.body, now=time.time())
    assert second.json()["message"]["text"] == "결제 오류를 확인했습니다"
    assert result.provider_message_id.startswith("generic-")


async def test_private_network_targets_are_refused_unless_allowed(
        http: httpx.AsyncClient) -> None:
    for url in ("https://127.0.0.1/hook", "http://hooks.example.com/x", "ftp://x/y"):
        with pytest.raises(ChannelError) as caught:
            await adapter.send_outbound(reply(), config(url), http)
        assert caught.value.permanent
