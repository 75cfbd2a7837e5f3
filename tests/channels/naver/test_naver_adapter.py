"""Naver TalkTalk: secret URL token, send/open/friend events, 보내기 API sends."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from omnidesk.channels.base import ChannelError, OutboundMessage, SignatureError
from omnidesk.channels.naver.adapter import NaverTalkAdapter
from omnidesk.channels.naver.config import NaverTalkConfig
from tests.channels.conftest import RECEIVED_AT, fixture_bytes, raw_request
from tests.channels.fake_provider import NAVER_KEY, FakeProvider

URL = "https://example.com/channels/naver/acme/webhook?token=naver-path-secret"
adapter = NaverTalkAdapter()


def config(base: str = "https://gw.talk.naver.com", key: str = NAVER_KEY) -> NaverTalkConfig:
    return NaverTalkConfig(authorization_key=key, path_token="naver-path-secret",
                           api_url=f"{base}/chatbot/v1/event")


def test_a_request_without_the_url_token_is_refused() -> None:
    adapter.verify_request(raw_request(URL, fixture_bytes("naver", "send_text.json")), config())
    with pytest.raises(SignatureError):
        adapter.verify_request(raw_request(URL.replace("secret", "guess"), b"{}"), config())


def test_a_send_event_is_a_customer_message_keyed_by_its_content_not_its_arrival() -> None:
    body = fixture_bytes("naver", "send_text.json")
    [event] = adapter.parse_inbound(raw_request(URL, body), config()).events
    assert event.inbound.text == "주문 취소하고 싶어요"
    assert event.inbound.identity_value == "al-2eGuGr5WQOnco1_V-FQ"
    assert event.inbound.provider_message_id == event.dedupe_key
    replay = raw_request(URL, body, received_at=RECEIVED_AT + dt.timedelta(seconds=3))
    assert adapter.parse_inbound(replay, config()).events[0].dedupe_key == event.dedupe_key
    later = raw_request(URL, body, received_at=RECEIVED_AT + dt.timedelta(hours=1))
    assert adapter.parse_inbound(later, config()).events[0].dedupe_key != event.dedupe_key


def test_open_and_friend_events_are_contact_signals() -> None:
    kinds = [adapter.parse_inbound(raw_request(URL, fixture_bytes("naver", n)), config())
             .events[0].kind for n in ("open.json", "friend_off.json")]
    assert kinds == ["chat_opened", "contact_unfollowed"]


async def test_it_sends_through_a_talktalk_like_server(provider: FakeProvider,
                                                       http: httpx.AsyncClient) -> None:
    reply = OutboundMessage(message_id=2, idempotency_key="k2",
                            recipient="al-2eGuGr5WQOnco1_V-FQ", text="취소 접수되었습니다")
    result = await adapter.send_outbound(reply, config(provider.base_url), http)
    assert result.provider_message_id == "naver:k2"
    assert provider.received[0].json()["textContent"]["text"] == "취소 접수되었습니다"
    with pytest.raises(ChannelError) as caught:
        await adapter.send_outbound(reply, config(provider.base_url, key="wrong"), http)
    assert caught.value.permanent and "02" in str(caught.value)
