"""Webhook route → raw event stored once → intake job; agent reply → delivery job → status."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from omnidesk.channels.crypto import SettingsCipher
from omnidesk.channels.inbox_port import do_connect_inbox
from omnidesk.channels.registry import build_registry
from omnidesk.channels.signing import hmac_sha256_hex
from omnidesk.channels.tasks import ChannelJobs
from omnidesk.channels.webhooks import build_router
from omnidesk.core.dispatcher import Dispatcher
from omnidesk.core.events import DEAD, PENDING, EventDelivery, SubscriberRegistry
from omnidesk.core.outbox import do_replay_delivery
from omnidesk.domains.conversations.actions import check_post_message
from omnidesk.domains.conversations.models import InboundEvent, Message
from omnidesk.domains.conversations.schemas import MessageCreate
from omnidesk.domains.inboxes.models import Inbox
from tests.channels.conftest import fixture_bytes
from tests.channels.fake_provider import GRAPH_TOKEN, FakeProvider, Scripted
from tests.conftest import Persona
from tests.domains.conversations.test_intake_statements import counting

ADAPTERS = build_registry()
CIPHER = SettingsCipher("test-secret")
HOOK = "/channels/whatsapp/acme/webhook"


@pytest.fixture
async def app_client(client: httpx.AsyncClient) -> httpx.AsyncClient:
    client.app.include_router(build_router(ADAPTERS))  # type: ignore[attr-defined]
    return client


async def connect(session: AsyncSession, owner: Persona, base: str) -> Inbox:
    connection = await do_connect_inbox(
        session, workspace_id=owner.workspace_id, adapter=ADAPTERS["whatsapp"],
        name="Main number", cipher=CIPHER,
        settings={"phone_number_id": "106540352242922", "app_secret": "app_secret_test",
                  "verify_token": "verify-me", "access_token": GRAPH_TOKEN,
                  "graph_base_url": base})
    await session.commit()
    return connection


def signed(body: bytes, secret: str = "app_secret_test") -> dict[str, str]:
    return {"X-Hub-Signature-256": "sha256=" + hmac_sha256_hex(secret, body),
            "Content-Type": "application/json"}


def dispatcher(session_factory: async_sessionmaker[AsyncSession],
               provider: FakeProvider) -> Dispatcher:
    registry = SubscriberRegistry()
    ChannelJobs(ADAPTERS, CIPHER, max_delivery_attempts=3).register(registry)
    return Dispatcher(session_factory, registry)


async def count(session: AsyncSession, model: type) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_settings_are_sealed_and_secrets_never_stored_in_clear(
        session: AsyncSession, owner: Persona) -> None:
    connection = await connect(session, owner, "https://graph.facebook.com")
    assert "app_secret_test" not in connection.sealed_settings
    assert CIPHER.open(connection.sealed_settings)["app_secret"] == "app_secret_test"
    assert "app_secret" not in repr(connection)
    with pytest.raises(ValueError):
        SettingsCipher("another-key").open(connection.sealed_settings)


async def test_a_signed_delivery_is_stored_once_and_becomes_one_message(
        app_client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        session_factory: async_sessionmaker[AsyncSession], provider: FakeProvider) -> None:
    await connect(session, owner, provider.base_url)
    body = fixture_bytes("whatsapp", "text_message.json")
    for _ in range(2):
        answer = await app_client.post(HOOK, content=body, headers=signed(body))
        assert answer.status_code == 200
    assert await count(session, InboundEvent) == 1
    stored = await session.scalar(select(InboundEvent))
    assert stored.raw_body == body and "x-hub-signature-256" in stored.headers
    await dispatcher(session_factory, provider).drain()
    message = await session.scalar(select(Message))
    assert message.text == "주문 취소 가능한가요?" and message.provider_message_id == \
        "wamid.TEST0001"
    assert (await session.scalar(select(InboundEvent.status))) == "processed"


async def test_a_bad_signature_is_refused_and_nothing_is_stored(
        app_client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        provider: FakeProvider) -> None:
    await connect(session, owner, provider.base_url)
    body = fixture_bytes("whatsapp", "text_message.json")
    answer = await app_client.post(HOOK, content=body, headers=signed(body, "wrong"))
    assert answer.status_code == 401 and await count(session, InboundEvent) == 0
    assert (await app_client.post("/channels/whatsapp/nobody/webhook", content=body,
                                  headers=signed(body))).status_code == 404


async def test_the_get_handshake_answers_the_challenge(
        app_client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        provider: FakeProvider) -> None:
    await connect(session, owner, provider.base_url)
    answer = await app_client.get(HOOK, params={"hub.mode": "subscribe", "hub.challenge": "42",
                                                "hub.verify_token": "verify-me"})
    assert answer.status_code == 200 and answer.text == "42"


async def reply_to_customer(app_client: httpx.AsyncClient, session: AsyncSession,
                            owner: Persona, session_factory, provider: FakeProvider) -> Message:
    await connect(session, owner, provider.base_url)
    now = str(int(dt.datetime.now(dt.UTC).timestamp())).encode()  # inside the 24 h window
    body = fixture_bytes("whatsapp", "text_message.json").replace(b"1749416383", now)
    await app_client.post(HOOK, content=body, headers=signed(body))
    await dispatcher(session_factory, provider).drain()
    inbound = await session.scalar(select(Message))
    reply, _ = await check_post_message(session, actor=owner.agent,
                                        conversation_id=inbound.conversation_id,
                                        message_in=MessageCreate(text="취소해 드렸습니다."))
    await session.commit()
    return reply


async def test_an_agent_reply_is_sent_and_out_of_order_statuses_end_as_read(
        app_client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        session_factory: async_sessionmaker[AsyncSession], provider: FakeProvider) -> None:
    reply = await reply_to_customer(app_client, session, owner, session_factory, provider)
    await dispatcher(session_factory, provider).drain()
    await session.refresh(reply)
    assert reply.delivery_status == "sent", reply.delivery_error
    assert reply.provider_message_id.startswith("wamid.SENT")
    sent = provider.to("/v21.0/106540352242922/messages")[0].json()
    assert sent["to"] == "821012345678" and sent["text"]["body"] == "취소해 드렸습니다."
    for status in ("read", "delivered", "read"):
        value = {"statuses": [{"id": reply.provider_message_id, "status": status,
                               "timestamp": "1749416400", "recipient_id": "821012345678"}],
                 "messaging_product": "whatsapp",
                 "metadata": {"phone_number_id": "106540352242922"}}
        body = json.dumps({"object": "whatsapp_business_account", "entry": [
            {"id": "1", "changes": [{"field": "messages", "value": value}]}]}).encode()
        await app_client.post(HOOK, content=body, headers=signed(body))
    await dispatcher(session_factory, provider).drain()
    await session.refresh(reply)
    assert reply.delivery_status == "read"
    assert await count(session, InboundEvent) == 3  # message + read + delivered


async def test_429_waits_for_retry_after_then_the_send_goes_through(
        app_client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        session_factory: async_sessionmaker[AsyncSession], provider: FakeProvider) -> None:
    reply = await reply_to_customer(app_client, session, owner, session_factory, provider)
    provider.script("/v21.0/106540352242922/messages",
                    Scripted(429, {"error": {"code": 130429, "message": "throughput"}},
                             {"Retry-After": "30"}))
    jobs = dispatcher(session_factory, provider)
    await jobs.drain()
    waiting = await session.scalar(select(EventDelivery).where(
        EventDelivery.subscriber == "channels.deliver_message", EventDelivery.status == PENDING))
    assert waiting is not None and waiting.attempts == 1
    assert waiting.next_attempt_at >= dt.datetime.now(dt.UTC) + dt.timedelta(seconds=25)
    await session.execute(update(EventDelivery).values(next_attempt_at=dt.datetime.now(dt.UTC)))
    await session.commit()
    await jobs.drain()
    await session.refresh(reply)
    assert reply.delivery_status == "sent"
    assert len(provider.to("/v21.0/106540352242922/messages")) == 2


async def test_a_permanent_refusal_marks_the_message_failed_and_dead_letters_the_job(
        app_client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        session_factory: async_sessionmaker[AsyncSession], provider: FakeProvider) -> None:
    reply = await reply_to_customer(app_client, session, owner, session_factory, provider)
    provider.script("/v21.0/106540352242922/messages",
                    Scripted(400, {"error": {"code": 131047, "message": "re-engagement"}}))
    await dispatcher(session_factory, provider).drain()
    await session.refresh(reply)
    assert reply.delivery_status == "failed" and "131047" in reply.delivery_error
    statuses = (await session.scalars(select(EventDelivery.status).where(
        EventDelivery.subscriber == "channels.deliver_message").order_by(EventDelivery.id))).all()
    assert statuses == [DEAD]  # the customer's own message gets no delivery job at all


async def test_a_kakao_skill_request_is_answered_with_skill_json_through_the_route(
        app_client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        session_factory: async_sessionmaker[AsyncSession], provider: FakeProvider) -> None:
    await do_connect_inbox(session, workspace_id=owner.workspace_id, adapter=ADAPTERS["kakao"],
                             name="샘플몰", cipher=CIPHER,
                             settings={"skill": {"bot_id": "bot001", "path_token": "kk"}})
    await session.commit()
    body = fixture_bytes("kakao", "skill_request.json")
    answer = await app_client.post("/channels/kakao/acme/webhook?token=kk", content=body)
    assert answer.status_code == 200 and answer.json()["version"] == "2.0"
    refused = await app_client.post("/channels/kakao/acme/webhook?token=guess", content=body)
    assert refused.status_code == 401
    await dispatcher(session_factory, provider).drain()
    message = await session.scalar(select(Message))
    assert message.channel == "kakao" and message.text.startswith("주문번호")


async def test_telegram_updates_keep_their_sequence_and_unknown_ones_store_nothing(
        app_client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    await do_connect_inbox(session, workspace_id=owner.workspace_id,
                             adapter=ADAPTERS["telegram"], name="bot", cipher=CIPHER,
                             settings={"bot_token": "1:x", "secret_token": "tg_secret_test"})
    await session.commit()
    headers = {"X-Telegram-Bot-Api-Secret-Token": "tg_secret_test"}
    for name in ("start_message.json", "unknown_update.json", "start_message.json"):
        answer = await app_client.post("/channels/telegram/acme/webhook", headers=headers,
                                       content=fixture_bytes("telegram", name))
        assert answer.status_code == 200
    rows = (await session.execute(select(InboundEvent.dedupe_key, InboundEvent.sequence))).all()
    assert rows == [("update:912345678", 912345678)]
    answer = await app_client.post("/channels/telegram/acme/webhook", content=b"{}",
                                   headers={"X-Telegram-Bot-Api-Secret-Token": "nope"})
    assert answer.status_code == 401


async def test_a_replayed_dead_letter_sends_once_the_cause_is_fixed(
        app_client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        session_factory: async_sessionmaker[AsyncSession], provider: FakeProvider) -> None:
    reply = await reply_to_customer(app_client, session, owner, session_factory, provider)
    provider.script("/v21.0/106540352242922/messages",
                    Scripted(401, {"error": {"code": 190, "message": "token expired"}}))
    jobs = dispatcher(session_factory, provider)
    await jobs.drain()
    dead = await session.scalar(select(EventDelivery).where(EventDelivery.status == DEAD))
    await do_replay_delivery(session, delivery_id=dead.id)
    await session.commit()
    await jobs.drain()
    await jobs.drain()
    await session.refresh(reply)
    assert reply.delivery_status == "sent" and reply.delivery_error is None
    assert len(provider.to("/v21.0/106540352242922/messages")) == 2


async def test_a_send_whose_commit_fails_is_never_sent_again_and_its_batch_still_runs(
        app_client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        session_factory: async_sessionmaker[AsyncSession], provider: FakeProvider) -> None:
    first = await reply_to_customer(app_client, session, owner, session_factory, provider)
    for text in ("두 번째 답장", "세 번째 답장"):
        await check_post_message(session, actor=owner.agent,
                                 conversation_id=first.conversation_id,
                                 message_in=MessageCreate(text=text))
    await session.commit()
    sends = "/v21.0/106540352242922/messages"
    provider.script(sends, Scripted(200, {  # the id of the customer's own message: it collides
        "messaging_product": "whatsapp", "messages": [{"id": "wamid.TEST0001"}]}))
    jobs = dispatcher(session_factory, provider)
    jobs.config.backoff_base_seconds = 60  # so the retry cannot fall due within this drain
    await jobs.drain()
    retry = await session.scalar(select(EventDelivery).where(EventDelivery.status == PENDING))
    assert retry is not None and retry.attempts == 1 and "IntegrityError" in retry.last_error
    await session.execute(update(EventDelivery).values(next_attempt_at=dt.datetime.now(dt.UTC)))
    await session.commit()
    await jobs.drain()

    texts = [r.json()["text"]["body"] for r in provider.to(sends)]
    assert sorted(texts) == sorted(["취소해 드렸습니다.", "두 번째 답장", "세 번째 답장"])
    replies = (await session.scalars(select(Message).where(
        Message.direction == "outbound").order_by(Message.id))).all()
    for reply in replies:
        await session.refresh(reply)
    assert [r.delivery_status for r in replies] == ["sent"] * 3
    collided = [r for r in replies if r.provider_message_id is None]
    assert len(collided) == 1 and collided[0].text == texts[0]
    assert collided[0].meta["sent"]["provider_message_id"] == "wamid.TEST0001"
    statuses = (await session.scalars(select(EventDelivery.status).where(
        EventDelivery.subscriber == "channels.deliver_message"))).all()
    assert set(statuses) == {"done"}


WEBHOOK_STATEMENTS = 4  # find the workspace and its inbox, INSERT the raw event, its outbox row
REDELIVERY_STATEMENTS = 3  # the same look-ups and an INSERT that conflicts: nothing written


async def test_the_webhook_steps_cost_a_constant_number_of_statements(
        app_client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        engine: AsyncEngine, provider: FakeProvider) -> None:
    await connect(session, owner, provider.base_url)
    body = fixture_bytes("whatsapp", "text_message.json")
    with counting(engine) as first:
        assert (await app_client.post(HOOK, content=body, headers=signed(body))).status_code == 200
    with counting(engine) as again:
        assert (await app_client.post(HOOK, content=body, headers=signed(body))).status_code == 200
    assert len(first) <= WEBHOOK_STATEMENTS, first
    assert len(again) <= REDELIVERY_STATEMENTS, again
    assert await count(session, InboundEvent) == 1
