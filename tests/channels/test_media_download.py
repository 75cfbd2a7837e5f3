"""Inbound provider media: signed webhook → message → download job → attachment storage."""

from __future__ import annotations

import datetime as dt
import inspect
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.channels.base import ChannelError, fetch_media, supports_media
from omnidesk.channels.crypto import SettingsCipher
from omnidesk.channels.inbox_port import ChannelInboxPort, do_connect_inbox
from omnidesk.channels.media_jobs import MEDIA_SUBSCRIBER
from omnidesk.channels.registry import RegistryError, build_registry, validate_adapter
from omnidesk.channels.signing import hmac_sha256_b64, hmac_sha256_hex
from omnidesk.channels.tasks import ChannelJobs
from omnidesk.channels.twilio import signature
from omnidesk.channels.webhooks import build_router
from omnidesk.config import Settings
from omnidesk.core.context import system_actor
from omnidesk.core.dispatcher import Dispatcher
from omnidesk.core.events import DONE, PENDING, EventDelivery, OutboxEvent, SubscriberRegistry
from omnidesk.domains.conversations.models import Message
from omnidesk.domains.inboxes.actions import check_update_inbox
from omnidesk.domains.inboxes.schemas import InboxUpdate
from omnidesk.domains.inboxes.service import first_inbox
from tests.channels.fake_media import PNG, FakeMedia, script_answer
from tests.channels.fake_provider import (
    GRAPH_TOKEN,
    LINE_TOKEN,
    NAVER_KEY,
    TELEGRAM_TOKEN,
    TWILIO_SID,
    TWILIO_TOKEN,
    serve,
)
from tests.conftest import Persona

ADAPTERS = build_registry()
CIPHER = SettingsCipher("test-secret")
LIMIT = 4096  # bytes; BIG_PNG is over it, PNG well under


@dataclass(frozen=True)
class Provider:
    """How to connect one channel to the fake server and post it an inbound file."""

    kind: str
    settings: Any  # (base_url, wrong_credentials) -> settings dict
    webhook: Any  # (base_url, media_id) -> (path, body, headers)
    media_path: Any  # (media_id) -> the path the file itself is served on


def _sms_settings(base: str, wrong: bool) -> dict[str, Any]:
    return {"account_sid": TWILIO_SID, "auth_token": "wrong" if wrong else TWILIO_TOKEN,
            "from_number": "+15005550006", "api_base_url": base}


def _sms_webhook(base: str, media_id: str) -> tuple[str, bytes, dict[str, str]]:
    path = "/channels/sms/acme/webhook"
    params = {"AccountSid": TWILIO_SID, "From": "+821012345678", "To": "+15005550006",
              "MessageSid": f"MM{media_id:0>32}"[:34], "Body": "사진 보냅니다", "NumMedia": "1",
              "MediaUrl0": f"{base}{_sms_path(media_id)}", "MediaContentType0": "image/png"}
    # Twilio signs with the token it knows, whatever our (maybe wrong) stored copy says.
    return path, urlencode(params).encode(), {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": signature(TWILIO_TOKEN, "http://testserver" + path,
                                        params.items())}


def _sms_path(media_id: str) -> str:
    return f"/2010-04-01/Accounts/{TWILIO_SID}/Messages/MM1/Media/{media_id}"


def _whatsapp_settings(base: str, wrong: bool) -> dict[str, Any]:
    return {"phone_number_id": "106540352242922", "app_secret": "app_secret_test",
            "verify_token": "verify-me", "access_token": "wrong" if wrong else GRAPH_TOKEN,
            "graph_base_url": base}


def _whatsapp_webhook(base: str, media_id: str) -> tuple[str, bytes, dict[str, str]]:
    message = {"from": "821012345678", "id": f"wamid.{media_id}", "timestamp": "1749416383",
               "type": "image", "image": {"id": media_id, "mime_type": "image/png",
                                          "caption": "파손된 상품 사진입니다"}}
    value = {"messaging_product": "whatsapp",
             "metadata": {"display_phone_number": "15550783881",
                          "phone_number_id": "106540352242922"},
             "contacts": [{"profile": {"name": "Kim Minji"}, "wa_id": "821012345678"}],
             "messages": [message]}
    body = json.dumps({"object": "whatsapp_business_account", "entry": [
        {"id": "102290129340398", "changes": [{"field": "messages", "value": value}]}]}).encode()
    return "/channels/whatsapp/acme/webhook", body, {
        "X-Hub-Signature-256": "sha256=" + hmac_sha256_hex("app_secret_test", body),
        "Content-Type": "application/json"}


def _telegram_settings(base: str, wrong: bool) -> dict[str, Any]:
    return {"bot_token": "999:wrong" if wrong else TELEGRAM_TOKEN,
            "secret_token": "tg_secret_test", "api_base_url": base}


def _telegram_webhook(base: str, media_id: str) -> tuple[str, bytes, dict[str, str]]:
    update_id = 900000000 + sum(map(ord, media_id))
    body = json.dumps({"update_id": update_id, "message": {
        "message_id": update_id % 1000, "date": 1749416383, "caption": "영수증",
        "from": {"id": 7012345678, "is_bot": False, "first_name": "민지"},
        "chat": {"id": 7012345678, "first_name": "민지", "type": "private"},
        "photo": [{"file_id": f"{media_id}-thumb", "file_unique_id": "t", "width": 90,
                   "height": 90}, {"file_id": media_id, "file_unique_id": "f",
                                   "width": 800, "height": 800}]}}).encode()
    return "/channels/telegram/acme/webhook", body, {
        "X-Telegram-Bot-Api-Secret-Token": "tg_secret_test", "Content-Type": "application/json"}


def _line_settings(base: str, wrong: bool) -> dict[str, Any]:
    return {"channel_secret": "line_secret_test",
            "channel_access_token": "wrong" if wrong else LINE_TOKEN,
            "api_base_url": base, "data_api_base_url": base}


def _line_webhook(base: str, media_id: str) -> tuple[str, bytes, dict[str, str]]:
    kind = "audio" if media_id.startswith("voice") else "image"
    message_id = _line_id(media_id)
    body = json.dumps({"destination": "U0123456789abcdef0123456789abcdef", "events": [{
        "type": "message", "mode": "active", "timestamp": 1749416383000,
        "source": {"type": "user", "userId": "U11112222333344445555666677778888"},
        "webhookEventId": f"01J{media_id}", "deliveryContext": {"isRedelivery": False},
        "replyToken": "r", "message": {"id": message_id, "type": kind,
                                       "contentProvider": {"type": "line"}}}]}).encode()
    return "/channels/line/acme/webhook", body, {
        "X-Line-Signature": hmac_sha256_b64("line_secret_test", body),
        "Content-Type": "application/json"}


def _line_id(media_id: str) -> str:
    prefix = "2" if media_id.startswith("big") else "3" if media_id.startswith("voice") else "1"
    return f"{prefix}{468789577898262530 + sum(map(ord, media_id))}"


def _line_path(media_id: str) -> str:
    return f"/v2/bot/message/{_line_id(media_id)}/content"


def _messenger_settings(base: str, wrong: bool) -> dict[str, Any]:
    return {"page_id": "1234567890", "app_secret": "app_secret_test", "verify_token": "v",
            "page_access_token": GRAPH_TOKEN, "graph_base_url": base}


def _messenger_webhook(base: str, media_id: str) -> tuple[str, bytes, dict[str, str]]:
    body = json.dumps({"object": "page", "entry": [{"id": "1234567890", "time": 1749416383123,
                       "messaging": [{"sender": {"id": "6543210987654321"},
                                      "recipient": {"id": "1234567890"},
                                      "timestamp": 1749416383000,
                                      "message": {"mid": f"m_{media_id}", "attachments": [
                                          {"type": "image", "payload": {
                                              "url": f"{base}/fbcdn/{media_id}.png"}}]}}]}]})
    return "/channels/messenger/acme/webhook", body.encode(), {
        "X-Hub-Signature-256": "sha256=" + hmac_sha256_hex("app_secret_test", body.encode()),
        "Content-Type": "application/json"}


def _naver_settings(base: str, wrong: bool) -> dict[str, Any]:
    return {"authorization_key": NAVER_KEY, "path_token": "nv_token",
            "api_url": f"{base}/chatbot/v1/event"}


def _naver_webhook(base: str, media_id: str) -> tuple[str, bytes, dict[str, str]]:
    body = json.dumps({"event": "send", "user": "al-2eGuGr5WQOnco1_V-FQ",
                       "imageContent": {"imageUrl": f"{base}/naver-img/{media_id}.png"},
                       "options": {"mobile": True}}).encode()
    return "/channels/naver/acme/webhook?token=nv_token", body, {
        "Content-Type": "application/json"}


PROVIDERS = {
    "sms": Provider("sms", _sms_settings, _sms_webhook, _sms_path),
    "whatsapp": Provider("whatsapp", _whatsapp_settings, _whatsapp_webhook,
                         lambda m: f"/wa-cdn/{m}"),
    "telegram": Provider("telegram", _telegram_settings, _telegram_webhook,
                         lambda m: f"/file/bot{TELEGRAM_TOKEN}/photos/{m}.png"),
    "line": Provider("line", _line_settings, _line_webhook, _line_path),
    "messenger": Provider("messenger", _messenger_settings, _messenger_webhook,
                          lambda m: f"/fbcdn/{m}.png"),
    "naver": Provider("naver", _naver_settings, _naver_webhook,
                      lambda m: f"/naver-img/{m}.png"),
}
WITH_CREDENTIALS = ["sms", "whatsapp", "telegram", "line"]


@pytest.fixture(scope="session")
def media_server() -> Iterator[FakeMedia]:
    server = FakeMedia()
    for base_url in serve(server.app):
        server.base_url = base_url
        yield server


@pytest.fixture
def media(media_server: FakeMedia) -> FakeMedia:
    media_server.reset()
    return media_server


@pytest.fixture
async def app_client(client: httpx.AsyncClient) -> httpx.AsyncClient:
    client.app.include_router(build_router(ADAPTERS))  # type: ignore[attr-defined]
    return client


@dataclass
class World:
    """The app, its database and the fake provider, driven step by step."""

    app_client: httpx.AsyncClient
    session: AsyncSession
    session_factory: async_sessionmaker[AsyncSession]
    media: FakeMedia
    upload_dir: Path
    owner: Persona

    async def connect(self, kind: str, *, wrong_credentials: bool = False) -> None:
        settings = PROVIDERS[kind].settings(self.media.base_url, wrong_credentials)
        existing = await first_inbox(self.session, workspace_id=self.owner.workspace_id,
                                     kind=kind)
        if existing is None:
            await do_connect_inbox(self.session, workspace_id=self.owner.workspace_id,
                                   adapter=ADAPTERS[kind], name=kind, cipher=CIPHER,
                                   settings=settings)
        else:  # new credentials for the same inbox (e.g. a rotated token)
            await check_update_inbox(self.session, actor=system_actor(self.owner.workspace_id),
                                     inbox_id=existing.id, inbox_in=InboxUpdate(
                                         settings=settings),
                                     port=ChannelInboxPort(ADAPTERS, CIPHER, ""))
        await self.session.commit()

    async def receive(self, kind: str, media_id: str) -> None:
        path, body, headers = PROVIDERS[kind].webhook(self.media.base_url, media_id)
        answer = await self.app_client.post(path, content=body, headers=headers)
        assert answer.status_code == 200, answer.text

    def dispatcher(self) -> Dispatcher:
        registry = SubscriberRegistry()
        ChannelJobs(ADAPTERS, CIPHER, upload_dir=self.upload_dir,
                    max_media_bytes=LIMIT).register(registry)
        return Dispatcher(self.session_factory, registry)

    async def run_jobs(self) -> None:
        await self.dispatcher().drain()

    async def message(self) -> Message:
        self.session.expire_all()
        found = (await self.session.scalars(select(Message).where(
            Message.direction == "inbound"))).all()
        assert len(found) == 1
        return found[0]

    def files(self) -> list[Path]:
        return sorted(p for p in self.upload_dir.rglob("*") if p.is_file())

    async def media_deliveries(self) -> list[EventDelivery]:
        self.session.expire_all()
        return list((await self.session.scalars(select(EventDelivery).where(
            EventDelivery.subscriber == MEDIA_SUBSCRIBER))).all())

    async def make_due(self) -> None:
        await self.session.execute(update(EventDelivery).values(
            next_attempt_at=dt.datetime.now(dt.UTC)))
        await self.session.commit()


@pytest.fixture
def world(app_client: httpx.AsyncClient, session: AsyncSession,
          session_factory: async_sessionmaker[AsyncSession], media: FakeMedia,
          settings: Settings, owner: Persona) -> World:
    return World(app_client, session, session_factory, media, settings.upload_dir, owner)


@pytest.mark.parametrize("kind", sorted(PROVIDERS))
async def test_an_inbound_file_is_downloaded_stored_and_served(world: World, kind: str) -> None:
    await world.connect(kind)
    await world.receive(kind, "photo1")
    await world.run_jobs()
    message = await world.message()
    ids = {"message_id": message.id, "conversation_id": message.conversation_id}
    [attachment] = message.attachments
    assert attachment["media"] == "stored", attachment
    assert attachment["content_type"] == "image/png" and attachment["size"] == len(PNG)
    assert attachment["url"] == f"/attachments/{attachment['storage_key']}"
    assert attachment["name"].endswith(".png") and "error" not in attachment
    [stored] = world.files()
    assert stored.read_bytes() == PNG
    assert stored.relative_to(world.upload_dir).as_posix() == attachment["storage_key"]
    served = await world.app_client.get(attachment["url"])
    assert served.status_code == 200 and served.content == PNG
    assert served.headers["content-type"] == "image/png"
    assert len(world.media.to(PROVIDERS[kind].media_path("photo1"))) == 1
    assert [d.status for d in await world.media_deliveries()] == [DONE]
    # Open agent screens are told to redraw the message with its file.
    updates = (await world.session.scalars(select(OutboxEvent.payload).where(
        OutboxEvent.name == "message.updated"))).all()
    assert updates == [ids]


async def test_the_caption_is_kept_beside_the_file(world: World) -> None:
    await world.connect("whatsapp")
    await world.receive("whatsapp", "photo1")
    await world.run_jobs()
    message = await world.message()
    assert message.text == "파손된 상품 사진입니다"
    assert message.attachments[0]["source"] == "whatsapp-media:photo1"


async def test_twilio_credentials_never_follow_the_redirect_to_the_cdn(world: World) -> None:
    await world.connect("sms")
    await world.receive("sms", "ME1")
    await world.run_jobs()
    [api_call] = world.media.to(_sms_path("ME1"))
    [cdn_call] = world.media.to("/twilio-cdn/ME1")
    assert api_call.headers["authorization"].startswith("Basic ")
    assert "authorization" not in cdn_call.headers


@pytest.mark.parametrize("kind", WITH_CREDENTIALS)
async def test_wrong_credentials_are_refused_and_recorded_without_retrying(
        world: World, kind: str) -> None:
    await world.connect(kind)
    await world.receive(kind, "photo1")
    await world.connect(kind, wrong_credentials=True)  # e.g. a rotated token
    await world.run_jobs()
    [attachment] = (await world.message()).attachments
    assert attachment["media"] == "failed"
    assert "401" in attachment["error"] or "Graph error 190" in attachment["error"]
    assert world.files() == []
    assert [d.status for d in await world.media_deliveries()] == [DONE]


@pytest.mark.parametrize("kind", ["line", "whatsapp"])
async def test_an_oversized_file_is_kept_as_metadata_with_an_error(
        world: World, kind: str) -> None:
    await world.connect(kind)
    await world.receive(kind, "big1")
    await world.run_jobs()
    message = await world.message()
    [attachment] = message.attachments
    assert attachment["media"] == "failed" and "limit" in attachment["error"]
    assert not str(attachment.get("url") or "").startswith("/attachments/")
    assert world.files() == []
    assert [d.status for d in await world.media_deliveries()] == [DONE]


async def test_a_disallowed_type_is_kept_as_metadata_with_an_error(world: World) -> None:
    await world.connect("line")
    await world.receive("line", "voice1")
    await world.run_jobs()
    [attachment] = (await world.message()).attachments
    assert attachment["media"] == "failed"
    assert "not allowed" in attachment["error"] and "audio/mp4" in attachment["error"]
    assert world.files() == []


async def test_a_503_is_retried_after_retry_after_then_stored(world: World) -> None:
    await world.connect("line")
    world.media.script(_line_path("photo1"), script_answer(503, {"message": "busy"},
                                                          **{"Retry-After": "30"}))
    await world.receive("line", "photo1")
    await world.run_jobs()
    [waiting] = await world.media_deliveries()
    assert waiting.status == PENDING and waiting.attempts == 1
    assert waiting.next_attempt_at >= dt.datetime.now(dt.UTC) + dt.timedelta(seconds=25)
    assert (await world.message()).attachments[0]["media"] == "pending"
    assert world.files() == []
    await world.make_due()
    await world.run_jobs()
    [attachment] = (await world.message()).attachments
    assert attachment["media"] == "stored" and world.files()[0].read_bytes() == PNG
    assert len(world.media.to(_line_path("photo1"))) == 2


async def test_a_404_is_recorded_at_once_and_not_retried(world: World) -> None:
    await world.connect("telegram")
    world.media.script(f"/file/bot{TELEGRAM_TOKEN}/photos/gone1.png",
                       script_answer(404, {"ok": False}))
    await world.receive("telegram", "gone1")
    await world.run_jobs()
    [attachment] = (await world.message()).attachments
    assert attachment["media"] == "failed" and "404" in attachment["error"]
    assert TELEGRAM_TOKEN not in attachment["error"]  # the bot token sits in the URL
    assert [d.status for d in await world.media_deliveries()] == [DONE]
    await world.make_due()
    await world.run_jobs()
    assert len(world.media.to(f"/file/bot{TELEGRAM_TOKEN}/photos/gone1.png")) == 1


async def test_giving_up_after_the_last_attempt_records_the_error(world: World) -> None:
    await world.connect("naver")
    world.media.script("/naver-img/flaky1.png",
                       *[script_answer(503, {}) for _ in range(6)])
    await world.receive("naver", "flaky1")
    for _ in range(6):
        await world.run_jobs()
        await world.make_due()
    [attachment] = (await world.message()).attachments
    assert attachment["media"] == "failed" and "503" in attachment["error"]
    assert [d.status for d in await world.media_deliveries()] == [DONE]
    assert (await world.message()).text == ""


async def test_running_the_job_twice_stores_the_file_once(world: World) -> None:
    await world.connect("whatsapp")
    await world.receive("whatsapp", "photo1")
    await world.receive("whatsapp", "photo1")  # a redelivered webhook: still one job
    jobs = world.dispatcher()
    await jobs.drain()
    [delivery] = await world.media_deliveries()
    delivery_id = delivery.id
    message = await world.message()
    # As if the job crashed after writing the file but before its commit: it runs again.
    await world.session.execute(update(Message).where(Message.id == message.id).values(
        attachments=[{**a, "media": "pending"} for a in message.attachments]))
    await world.session.execute(update(EventDelivery).where(EventDelivery.id == delivery_id)
                                .values(status=PENDING))
    await world.session.commit()
    await jobs.drain()
    assert len(world.files()) == 1
    [attachment] = (await world.message()).attachments
    assert attachment["media"] == "stored" and attachment["source"] == "whatsapp-media:photo1"
    assert len(world.media.to("/wa-cdn/photo1")) == 2
    # Once stored, another run downloads nothing.
    await world.session.execute(update(EventDelivery).where(EventDelivery.id == delivery_id)
                                .values(status=PENDING))
    await world.session.commit()
    await jobs.drain()
    assert len(world.media.to("/wa-cdn/photo1")) == 2 and len(world.files()) == 1


async def test_a_url_outside_the_provider_on_a_private_address_is_refused(
        world: World) -> None:
    await world.connect("messenger")
    path, body, headers = _messenger_webhook("http://10.0.0.5", "photo1")
    assert (await world.app_client.post(path, content=body, headers=headers)).status_code == 200
    await world.run_jobs()
    [attachment] = (await world.message()).attachments
    assert attachment["media"] == "failed" and "https" in attachment["error"]
    assert world.media.received == []


async def test_an_unexpected_redirect_is_recorded_not_followed(world: World) -> None:
    await world.connect("telegram")
    world.media.script(f"/file/bot{TELEGRAM_TOKEN}/photos/moved1.png",
                       script_answer(302, {}, location="http://10.0.0.5/x.png"))
    await world.receive("telegram", "moved1")
    await world.run_jobs()
    [attachment] = (await world.message()).attachments
    assert attachment["media"] == "failed" and "302" in attachment["error"]


async def test_every_redirect_hop_of_a_provider_url_is_checked(world: World) -> None:
    await world.connect("messenger")
    base = world.media.base_url
    for media_id, hop in (("hop1", "hop"), ("bounce1", "bounce")):
        path, body, headers = _messenger_webhook(base, media_id)
        body = body.replace(f"{base}/fbcdn/{media_id}.png".encode(),
                            f"{base}/{hop}/{media_id}.png".encode())
        headers["X-Hub-Signature-256"] = "sha256=" + hmac_sha256_hex("app_secret_test", body)
        assert (await world.app_client.post(path, content=body, headers=headers)).status_code == 200
    await world.run_jobs()
    world.session.expire_all()
    found = {m.provider_message_id: m.attachments[0]
             for m in (await world.session.scalars(select(Message))).all()}
    assert found["m_hop1"]["media"] == "stored"
    assert found["m_bounce1"]["media"] == "failed" and "https" in found["m_bounce1"]["error"]
    assert len(world.media.to("/fbcdn/bounce1.png")) == 0


async def test_the_conversation_view_shows_stored_pending_and_failed_files(
        app_client: httpx.AsyncClient) -> None:
    template = app_client.app.state.templates.get_template(  # type: ignore[attr-defined]
        "conversation/_messages.html")
    message = Message(id=7, conversation_id=1, workspace_id=1, channel="whatsapp",
                      direction="inbound", author_kind="customer", text="사진", is_private=False,
                      content_type="media", created_at=dt.datetime(2025, 6, 9, tzinfo=dt.UTC),
                      meta={}, attachments=[
                          {"name": "a.png", "content_type": "image/png", "size": 70,
                           "url": "/attachments/1/" + "A" * 32 + ".png", "media": "stored"},
                          {"name": "doc.pdf", "content_type": "application/pdf", "size": 2048,
                           "url": "/attachments/1/" + "B" * 32 + ".pdf", "media": "stored"},
                          {"name": "<b>x</b>.jpg", "content_type": "image/jpeg",
                           "storage_key": "whatsapp-media:1", "media": "pending"},
                          {"name": "big.png", "content_type": "image/png", "media": "failed",
                           "error": "file is larger than <script>alert(1)</script>"},
                          {"name": "evil", "content_type": "image/png",
                           "url": "javascript:alert(1)"}])
    html = template.render(messages=[message], people={}, customer_read_up_to=0)
    assert f'<img class="attachment-image" src="/attachments/1/{"A" * 32}.png"' in html
    assert f'href="/attachments/1/{"B" * 32}.pdf"' in html and "2.0 KB" in html
    assert 'data-attachment-state="pending"' in html and "&lt;b&gt;x&lt;/b&gt;.jpg" in html
    assert 'data-attachment-state="failed"' in html and "<script>" not in html
    assert "javascript:" not in html and 'data-attachment-state="missing"' in html


async def test_a_message_is_stored_even_when_downloads_are_off(
        world: World) -> None:
    await world.connect("line")
    await world.receive("line", "photo1")
    registry = SubscriberRegistry()
    ChannelJobs(ADAPTERS, CIPHER).register(registry)  # no upload_dir: downloads off
    await Dispatcher(world.session_factory, registry).drain()
    [attachment] = (await world.message()).attachments
    assert attachment["storage_key"].startswith("line-content:") and "media" not in attachment
    assert int(await world.session.scalar(select(func.count()).select_from(
        EventDelivery).where(EventDelivery.subscriber == MEDIA_SUBSCRIBER)) or 0) == 0


@pytest.mark.parametrize("kind", sorted(ADAPTERS))
async def test_every_adapter_either_fetches_media_or_refuses_permanently(kind: str) -> None:
    adapter = ADAPTERS[kind]
    if supports_media(adapter):
        assert inspect.iscoroutinefunction(adapter.fetch_media)  # type: ignore[attr-defined]
        assert inspect.getdoc(adapter.fetch_media)  # type: ignore[attr-defined]
        return
    async with httpx.AsyncClient() as http:
        with pytest.raises(ChannelError) as refused:
            await fetch_media(adapter, {"name": "x", "url": "https://example.com/x.png"},
                              None, http, max_bytes=LIMIT)
    assert refused.value.permanent and "cannot download media" in str(refused.value)


def test_a_synchronous_fetch_media_breaks_the_contract() -> None:
    class Broken(type(ADAPTERS["line"])):  # type: ignore[misc]
        def fetch_media(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
            """Not async."""

    with pytest.raises(RegistryError, match="fetch_media must be async"):
        validate_adapter(Broken())
