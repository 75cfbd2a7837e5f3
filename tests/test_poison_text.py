"""Poison text (NUL, lone surrogates, C0 controls) is stored normalised on every way in, 2xx.

PostgreSQL refuses NUL in text and ``\\u0000`` in JSONB; neither database can encode a lone
surrogate. A provider retries a webhook that fails, forever: it must be stored once, cleaned.
"""

from __future__ import annotations

import json

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.channels.crypto import SettingsCipher
from omnidesk.channels.email.receiving import store_mail
from omnidesk.channels.inbox_port import do_connect_inbox
from omnidesk.channels.registry import build_registry
from omnidesk.channels.signing import hmac_sha256_hex
from omnidesk.channels.tasks import ChannelJobs
from omnidesk.core.dispatcher import Dispatcher
from omnidesk.core.events import SubscriberRegistry
from omnidesk.domains.conversations.models import InboundEvent, Message
from omnidesk.domains.customers.models import Customer
from tests.channels.conftest import fixture_bytes
from tests.conftest import Persona

ADAPTERS = build_registry()
# What a client can put in a JSON string: NUL, a bell, a lone surrogate, and kept whitespace.
POISON = "주문\\u0000 확인\\u0007\\ud800 끝\\t\\n"
CLEAN = "주문 확인\ufffd 끝\t\n"
# Typed string fields refuse a lone surrogate with 422 (pydantic); the rest is cleaned.
POISON_TYPED = "주문\\u0000 확인\\u0007 끝\\t\\n"
CLEAN_TYPED = "주문 확인 끝\t\n"


async def drain_channel_jobs(session_factory: async_sessionmaker[AsyncSession],
                             cipher: SettingsCipher) -> None:
    registry = SubscriberRegistry()
    ChannelJobs(ADAPTERS, cipher, max_delivery_attempts=3).register(registry)
    await Dispatcher(session_factory, registry).drain()


async def test_a_widget_message_with_poison_text_is_stored_clean(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    started = await client.post("/widget/api/sessions", json={"workspace": owner.slug})
    headers = {"X-Widget-Workspace": owner.slug, "X-Widget-Token": started.json()["token"],
               "Content-Type": "application/json"}
    body = f'{{"text": "{POISON_TYPED}", "client_message_id": "poison001"}}'
    sent = await client.post("/widget/api/messages", content=body.encode(), headers=headers)
    assert sent.status_code == 201, sent.text
    assert (await session.scalar(select(Message.text))) == CLEAN_TYPED

    body = f'{{"text": "{POISON}", "client_message_id": "poison002"}}'
    refused = await client.post("/widget/api/messages", content=body.encode(), headers=headers)
    assert refused.status_code == 422 and "text" in refused.json()["message"]


@pytest.mark.parametrize("kind", ["whatsapp", "telegram"])
async def test_a_webhook_with_poison_text_is_stored_once_and_becomes_a_clean_message(
        kind: str, client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    cipher = SettingsCipher(client.app.state.settings.effective_secret_key)  # type: ignore[attr-defined]
    if kind == "whatsapp":
        settings = {"phone_number_id": "106540352242922", "app_secret": "app_secret_test",
                    "verify_token": "v", "access_token": "a"}
        hook = json.loads(fixture_bytes("whatsapp", "text_message.json"))
        hook["entry"][0]["changes"][0]["value"]["messages"][0]["text"]["body"] = "@@"
        body = json.dumps(hook).encode().replace(b"@@", POISON.encode())
        headers = {"X-Hub-Signature-256": "sha256=" + hmac_sha256_hex("app_secret_test", body)}
    else:
        settings = {"bot_token": "1:x", "secret_token": "tg_secret"}
        update = json.loads(fixture_bytes("telegram", "start_message.json"))
        update["message"]["text"] = "@@"
        update["message"]["from"]["first_name"] = "민\u0000지"
        body = json.dumps(update).encode().replace(b"@@", POISON.encode())
        headers = {"X-Telegram-Bot-Api-Secret-Token": "tg_secret"}
    await do_connect_inbox(session, workspace_id=owner.workspace_id, adapter=ADAPTERS[kind],
                             name=kind, settings=settings, cipher=cipher)
    await session.commit()

    for _ in range(2):  # the provider retries: still one event
        answer = await client.post(f"/channels/{kind}/{owner.slug}/webhook", content=body,
                                   headers={**headers, "Content-Type": "application/json"})
        assert answer.status_code == 200, answer.text
    events = (await session.scalars(select(InboundEvent))).all()
    assert len(events) == 1 and events[0].raw_body == body  # the signed bytes, untouched
    assert "\x00" not in json.dumps(events[0].parsed, ensure_ascii=False)

    await drain_channel_jobs(session_factory, cipher)
    assert (await session.scalar(select(Message.text))) == CLEAN
    session.expire_all()
    assert (await session.scalar(select(InboundEvent.status))) == "processed"


async def test_a_rest_api_body_with_poison_text_is_stored_clean(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    body = (f'{{"name": "{POISON_TYPED}", "attributes": {{"note\\u0000": "{POISON}",'
            ' "tier": ["vip\\u0000"]}, "tags": ["a\\u0000b"]}')
    created = await client.post("/api/v1/customers", content=body.encode(),
                                headers={**owner.headers, "Content-Type": "application/json"})
    assert created.status_code == 201, created.text
    customer = await session.scalar(select(Customer))
    assert customer.name == CLEAN_TYPED
    assert customer.attributes == {"note": CLEAN, "tier": ["vip"]}
    assert customer.tags == ["ab"]


async def test_a_mail_with_poison_text_is_stored_clean(
        session: AsyncSession, owner: Persona,
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    cipher = SettingsCipher("test-secret")
    adapter = ADAPTERS["email"]
    inbox = await do_connect_inbox(
        session, workspace_id=owner.workspace_id, adapter=adapter, name="mail", cipher=cipher,
        settings={"address": "support@example.com", "message_id_domain": "mail.example.com"})
    await session.commit()
    raw = ("From: Minji <minji@example.org>\r\nTo: support@example.com\r\n"
           "Subject: =?UTF-8?B?7KO866y4AOuyiOyngA==?=\r\nMessage-ID: <nul-1@example.org>\r\n"
           "Content-Type: text/plain; charset=UTF-8\r\n\r\n"
           "주문\x00 확인\x07 끝\r\n").encode()
    config = adapter.config_model.model_validate(
        {"address": "support@example.com", "message_id_domain": "mail.example.com"})
    assert await store_mail(session, inbox=inbox, raw=raw, source="SMTP",
                            adapter=adapter, config=config)
    await session.commit()
    await drain_channel_jobs(session_factory, cipher)
    message = await session.scalar(select(Message))
    assert message is not None and message.text.startswith("주문 확인 끝")
