"""The "check connection" action for WhatsApp, Messenger, Instagram, Kakao 알림톡 and API,
against a local server that answers like each provider: who we are when the settings work, the
provider's refusal in words when they do not, and never a customer messaged."""

from __future__ import annotations

import hashlib
import json

import httpx
import pytest

from omnidesk.channels.api import signing
from omnidesk.channels.api.adapter import ApiChannelAdapter
from omnidesk.channels.api.config import ApiChannelConfig
from omnidesk.channels.base import ChannelError, ConnectionChecker
from omnidesk.channels.kakao.adapter import KakaoAdapter
from omnidesk.channels.kakao.config import AlimtalkSettings, KakaoConfig, SkillSettings
from omnidesk.channels.messenger.adapter import InstagramAdapter, MessengerAdapter
from omnidesk.channels.messenger.config import MessengerConfig
from omnidesk.channels.whatsapp.adapter import WhatsAppAdapter
from omnidesk.channels.whatsapp.config import WhatsAppConfig
from tests.channels.fake_provider import (
    GRAPH_PAGE_ID,
    GRAPH_TOKEN,
    NHN_SECRET,
    FakeProvider,
    Scripted,
)

PHONE_ID = "106540352242922"


def whatsapp(base: str, token: str = GRAPH_TOKEN) -> WhatsAppConfig:
    return WhatsAppConfig(phone_number_id=PHONE_ID, app_secret="s", verify_token="v",
                          access_token=token, graph_base_url=base)


def messenger(base: str, token: str = GRAPH_TOKEN, page_id: str = GRAPH_PAGE_ID
              ) -> MessengerConfig:
    return MessengerConfig(page_id=page_id, app_secret="s", verify_token="v",
                           page_access_token=token, graph_base_url=base)


def no_messages_sent(provider: FakeProvider) -> bool:
    return all(r.method == "GET" for r in provider.received)


async def test_whatsapp_names_the_number_or_says_the_token_was_refused(
        provider: FakeProvider, http: httpx.AsyncClient) -> None:
    adapter = WhatsAppAdapter()
    assert isinstance(adapter, ConnectionChecker)
    said = await adapter.check_connection(whatsapp(provider.base_url), http)
    assert said == "WhatsApp +82 10-5555-0100 (Acme)"
    with pytest.raises(ChannelError) as refused:
        await adapter.check_connection(whatsapp(provider.base_url, "wrong-token"), http)
    assert str(refused.value) == ("WhatsApp refused the access token (Graph error 190: Invalid "
                                  "OAuth access token - Cannot parse access token)")
    assert "wrong-token" not in str(refused.value) and refused.value.permanent
    assert [r.path for r in provider.received] == [f"/v21.0/{PHONE_ID}"] * 2
    assert no_messages_sent(provider)


async def test_whatsapp_reports_meta_rate_limits_as_passing(
        provider: FakeProvider, http: httpx.AsyncClient) -> None:
    provider.script(f"/v21.0/{PHONE_ID}", Scripted(400, {"error": {
        "code": 4, "message": "Application request limit reached"}}))
    with pytest.raises(ChannelError) as limited:
        await WhatsAppAdapter().check_connection(whatsapp(provider.base_url), http)
    assert str(limited.value) == ("WhatsApp answered 400 (Graph error 4: Application request "
                                  "limit reached)")
    assert not limited.value.permanent


async def test_messenger_and_instagram_name_the_page_and_catch_another_pages_token(
        provider: FakeProvider, http: httpx.AsyncClient) -> None:
    said = await MessengerAdapter().check_connection(messenger(provider.base_url), http)
    assert said == f"Messenger: Page Acme Shop ({GRAPH_PAGE_ID})"
    said = await InstagramAdapter().check_connection(messenger(provider.base_url), http)
    assert said.startswith("Instagram: Page Acme Shop")
    with pytest.raises(ChannelError) as other_page:
        await MessengerAdapter().check_connection(
            messenger(provider.base_url, page_id="5550001"), http)
    assert str(other_page.value) == (f"the Page access token belongs to Page {GRAPH_PAGE_ID} "
                                     "(Acme Shop), not to Page 5550001")
    with pytest.raises(ChannelError) as refused:
        await MessengerAdapter().check_connection(messenger(provider.base_url, "nope"), http)
    assert str(refused.value).startswith("Messenger refused the access token (Graph error 190")
    assert no_messages_sent(provider)


async def test_kakao_looks_the_alimtalk_sender_up_and_says_what_it_cannot_check(
        provider: FakeProvider, http: httpx.AsyncClient) -> None:
    def kakao(secret: str) -> KakaoConfig:
        return KakaoConfig(
            skill=SkillSettings(bot_id="bot001", path_token="kakao-path-secret"),
            alimtalk=AlimtalkSettings(base_url=provider.base_url, app_key="appkey1",
                                      secret_key=secret, sender_key="b" * 40))

    said = await KakaoAdapter().check_connection(kakao(NHN_SECRET), http)
    assert said == "알림톡 @acme (정상); 챗봇 skill: Kakao calls us, nothing to check from here"
    assert [r.path for r in provider.received] == \
        [f"/alimtalk/v2.2/appkeys/appkey1/senders/{'b' * 40}"]
    with pytest.raises(ChannelError) as refused:
        await KakaoAdapter().check_connection(kakao("wrong"), http)
    assert str(refused.value) == "NHN 알림톡 refused (-1000: Invalid secret key)"
    assert no_messages_sent(provider)


async def test_the_api_channel_pings_the_apps_webhook_signed(
        provider: FakeProvider, http: httpx.AsyncClient) -> None:
    config = ApiChannelConfig(inbound_token_sha256=hashlib.sha256(b"t").hexdigest(),
                              webhook_url=provider.base_url + "/omnidesk/hook",
                              signing_secret="api_signing_secret", allow_private_network=True)
    said = await ApiChannelAdapter().check_connection(config, http)
    assert said == "the app's webhook answered 200"
    ping = provider.to("/omnidesk/hook")[0]
    assert ping.json()["event"] == "ping"
    signing.verify("api_signing_secret", ping.headers, ping.body)  # raises if unsigned
    provider.script("/omnidesk/hook", Scripted(401, {"error": "bad signature"}))
    with pytest.raises(ChannelError) as refused:
        await ApiChannelAdapter().check_connection(config, http)
    assert str(refused.value) == \
        "the app's webhook answered 401: " + json.dumps({"error": "bad signature"},
                                                         separators=(",", ":"))
    private = config.model_copy(update={"allow_private_network": False})
    with pytest.raises(ChannelError):
        await ApiChannelAdapter().check_connection(private, http)
