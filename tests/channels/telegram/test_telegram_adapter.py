"""Telegram: secret-token header, update_id keys, unknown updates, sends with retry_after."""

from __future__ import annotations

import httpx
import pytest

from omnidesk.channels.base import ChannelError, OutboundMessage, SignatureError
from omnidesk.channels.telegram.adapter import TelegramAdapter
from omnidesk.channels.telegram.config import TelegramConfig
from tests.channels.conftest import fixture_bytes, raw_request
from tests.channels.fake_provider import TELEGRAM_TOKEN, FakeProvider, Scripted

URL = "https://example.com/channels/telegram/acme/webhook"
adapter = TelegramAdapter()


def config(base: str = "https://api.telegram.org", token: str = TELEGRAM_TOKEN) -> TelegramConfig:
    return TelegramConfig(bot_token=token, secret_token="tg_secret_test", api_base_url=base)


def update(name: str, secret: str | None = "tg_secret_test"):
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
    return raw_request(URL, fixture_bytes("telegram", name), headers=headers)


@pytest.mark.parametrize("secret", [None, "tg_secret_tes", "tg_secret_test ", "TG_SECRET_TEST"])
def test_it_rejects_a_missing_or_wrong_secret_token(secret: str | None) -> None:
    with pytest.raises(SignatureError):
        adapter.verify_request(update("start_message.json", secret), config())


def test_a_private_message_is_keyed_by_update_id_and_threaded_by_chat() -> None:
    request = update("start_message.json")
    adapter.verify_request(request, config())
    [event] = adapter.parse_inbound(request, config()).events
    assert event.dedupe_key == "update:912345678" and event.data["update_id"] == 912345678
    assert event.inbound.provider_message_id == "7012345678:42"
    assert event.inbound.identity_value == "7012345678" and event.inbound.customer_name == "민지"
    assert event.inbound.meta["language"] == "ko"


def test_a_redelivered_update_has_the_same_key() -> None:
    keys = {adapter.parse_inbound(update("start_message.json"), config()).events[0].dedupe_key
            for _ in range(2)}
    assert len(keys) == 1


def test_updates_sort_into_telegram_order_by_update_id() -> None:
    names = ["blocked.json", "start_message.json", "callback_query.json"]
    events = [adapter.parse_inbound(update(n), config()).events[0] for n in names]
    ordered = sorted(events, key=lambda e: e.data["update_id"])
    assert [e.kind for e in ordered] == ["message", "message", "contact_blocked"]
    assert ordered[1].inbound.text == "refund" and ordered[1].inbound.content_type == "postback"


def test_an_unknown_update_kind_is_ignored_not_rejected() -> None:
    parsed = adapter.parse_inbound(update("unknown_update.json"), config())
    assert parsed.events == [] and "purchased_paid_media" in parsed.ignored[0]
    assert parsed.response.status == 200


def reply(text: str = "환불 접수되었습니다") -> OutboundMessage:
    return OutboundMessage(message_id=3, idempotency_key="k3", recipient="7012345678", text=text,
                           reply_to_provider_id="7012345678:42")


async def test_it_sends_through_a_telegram_like_server(provider: FakeProvider,
                                                       http: httpx.AsyncClient) -> None:
    result = await adapter.send_outbound(reply(), config(provider.base_url), http)
    assert result.provider_message_id.startswith("7012345678:")
    body = provider.received[0].json()
    assert body["reply_parameters"]["message_id"] == 42


async def test_429_retry_after_then_502_then_success(provider: FakeProvider,
                                                    http: httpx.AsyncClient) -> None:
    path = f"/bot{TELEGRAM_TOKEN}/sendMessage"
    provider.script(path, Scripted(429, {"ok": False, "error_code": 429,
                                         "description": "Too Many Requests: retry after 7",
                                         "parameters": {"retry_after": 7}}),
                    Scripted(502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}))
    with pytest.raises(ChannelError) as first:
        await adapter.send_outbound(reply(), config(provider.base_url), http)
    assert not first.value.permanent and first.value.retry_after == 7
    with pytest.raises(ChannelError) as second:
        await adapter.send_outbound(reply(), config(provider.base_url), http)
    assert not second.value.permanent
    assert await adapter.send_outbound(reply(), config(provider.base_url), http)
    assert len(provider.to(path)) == 3


async def test_a_bad_token_is_permanent_and_never_leaks_into_the_error(
        provider: FakeProvider, http: httpx.AsyncClient) -> None:
    with pytest.raises(ChannelError) as caught:
        await adapter.send_outbound(reply(), config(provider.base_url, token="1:revoked"), http)
    assert caught.value.permanent and "revoked" not in str(caught.value)
    with pytest.raises(ChannelError):
        await adapter.send_outbound(reply("x" * 4097), config(provider.base_url), http)
