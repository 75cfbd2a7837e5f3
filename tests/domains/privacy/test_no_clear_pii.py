"""Every kind of personal data sent through the widget, email and SMS: nothing protected stays clear.

Cards and CVVs must be masked in every table (messages, raw inbound events, the outbox, …) and in
the logs; RRNs, accounts, passports and licences are stored only masked + encrypted, and a
logged reveal gives them back.
"""

from __future__ import annotations

import base64
import logging
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.all_models import metadata
from omnidesk.app.subscribers import build_registry
from omnidesk.channels.crypto import SettingsCipher
from omnidesk.channels.email.receiving import smtp_sink
from omnidesk.channels.inbox_port import do_connect_inbox
from omnidesk.channels.registry import build_registry as build_adapters
from omnidesk.channels.twilio import signature
from omnidesk.config import Settings
from omnidesk.core.dispatcher import Dispatcher, DispatcherConfig
from omnidesk.domains.conversations.models import Message, MessageSecret
from omnidesk.domains.privacy.models import PiiAccess
from tests.conftest import Persona
from tests.web.widget_helpers import start_session, widget_headers

ADAPTERS = build_adapters()
TWILIO_SID, TWILIO_TOKEN = "AC" + "0" * 31 + "1", "twilio_token_test"
CARD, CVV_TEXT, RRN = "4111 1111 1111 1111", "CVC 737", "900101-1234568"
ACCOUNT, PASSPORT, LICENSE = "110-123-456789", "M12345678", "11-12-345678-90"
TEXT = (f"카드 {CARD} {CVV_TEXT} 결제 취소요. 주민번호 {RRN}, 환불은 신한 {ACCOUNT}, "
        f"여권 {PASSPORT}, 운전면허 {LICENSE}, 연락처 010-2222-3333")
CLEAR = [CARD, CARD.replace(" ", ""), CARD.replace(" ", "+"), CVV_TEXT, CVV_TEXT.replace(" ", "+"),
         RRN, RRN.replace("-", ""), ACCOUNT, PASSPORT, LICENSE,
         base64.b64encode(TEXT.encode()).decode()[:40]]  # the raw mail body, still encoded
ENCRYPTED = {"rrn", "account", "passport", "driver_license"}


def _mail(body: str) -> bytes:
    encoded = base64.b64encode(body.encode()).decode()
    return ("From: buyer@example.org\r\nTo: support@example.com\r\nSubject: refund\r\n"
            "Message-ID: <pii-1@example.org>\r\nContent-Type: text/plain; charset=UTF-8\r\n"
            f"Content-Transfer-Encoding: base64\r\n\r\n{encoded}\r\n").encode()


async def _send_everywhere(client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
                           session_factory: async_sessionmaker[AsyncSession]) -> None:
    cipher = SettingsCipher(client.app.state.settings.effective_secret_key)  # type: ignore[attr-defined]
    configs = {"sms": {"account_sid": TWILIO_SID, "auth_token": TWILIO_TOKEN,
                       "from_number": "+15005550006", "public_webhook_base": "http://testserver"},
               "email": {"address": "support@example.com", "message_id_domain": "mail.example.com"}}
    for kind, config in configs.items():
        await do_connect_inbox(session, workspace_id=owner.workspace_id, adapter=ADAPTERS[kind],
                               name=kind, settings=config, cipher=cipher)
    await session.commit()
    visitor = await start_session(client, owner.slug)
    sent = await client.post("/widget/api/messages", headers=widget_headers(owner.slug, visitor["token"]),
                             json={"text": TEXT, "client_message_id": "pii-web-1"})
    assert sent.status_code == 201, sent.text
    hook = f"/channels/sms/{owner.slug}/webhook"
    params = {"MessageSid": "SM" + "1" * 32, "AccountSid": TWILIO_SID, "From": "+821055556666",
              "To": "+15005550006", "Body": TEXT, "NumMedia": "0"}
    answer = await client.post(hook, content=urlencode(params), headers={
        "X-Twilio-Signature": signature(TWILIO_TOKEN, f"http://testserver{hook}",
                                        sorted(params.items())),
        "Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 200, answer.text
    await smtp_sink(session_factory, adapter=ADAPTERS["email"], cipher=cipher)(
        _mail(TEXT), "buyer@example.org", ["support@example.com"])


async def _dump_every_table(session: AsyncSession) -> str:
    parts = []
    for table in metadata.sorted_tables:
        for row in (await session.execute(select(table))).all():
            parts.append(" ".join(v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)
                                  for v in row))
    return "\n".join(parts)


async def test_no_clear_card_or_secret_value_is_stored_and_a_reveal_is_logged(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona, settings: Settings,
        session_factory: async_sessionmaker[AsyncSession], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await _send_everywhere(client, session, owner, session_factory)
    await Dispatcher(session_factory, build_registry(settings),
                     DispatcherConfig(backoff_base_seconds=0)).drain()

    messages = (await session.scalars(select(Message).where(
        Message.author_kind == "customer").order_by(Message.id))).all()
    assert sorted(m.channel for m in messages) == ["email", "sms", "web"]
    dump = await _dump_every_table(session)
    assert "4111 11** **** 1111" in dump and "CVC ***" in dump
    for value in CLEAR:
        assert value not in dump, f"{value!r} stored in clear"
        assert value not in caplog.text, f"{value!r} logged in clear"
    assert "010-2222-3333" in messages[0].text  # the default policy keeps phone numbers
    for message in messages:
        kinds = {s.kind for s in await session.scalars(
            select(MessageSecret).where(MessageSecret.message_id == message.id))}
        assert kinds == ENCRYPTED, message.channel

    web = next(m for m in messages if m.channel == "web")
    url = f"/api/v1/conversations/{web.conversation_id}/messages/{web.id}/reveal"
    refused = await client.post(url, headers=owner.headers, json={})
    assert refused.status_code == 422  # a reveal needs a reason
    shown = await client.post(url, headers=owner.headers, json={"reason": "환불 계좌 확인"})
    assert shown.status_code == 200, shown.text
    assert RRN in shown.json()["text"] and ACCOUNT in shown.json()["text"]
    assert CARD not in shown.json()["text"]  # a card was never kept: nothing to reveal
    log = (await session.scalars(select(PiiAccess))).all()
    assert [(r.action, r.message_id, r.reason, r.fields) for r in log] == [
        ("reveal", web.id, "환불 계좌 확인", sorted(ENCRYPTED | {"phone"}))]  # phone: shown masked


async def test_reading_a_customer_over_the_api_is_logged_and_admins_can_export_the_report(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    created = await client.post("/api/v1/customers", headers=owner.headers,
                                json={"name": "김민지", "phone": "010-1234-5678"})
    customer_id = created.json()["id"]
    assert (await client.get(f"/api/v1/customers/{customer_id}", headers=owner.headers)).status_code == 200
    found = await client.get("/api/v1/privacy/access-log", headers=owner.headers,
                             params={"customer_id": customer_id, "action": "api"})
    assert found.status_code == 200
    assert [(r["action"], r["customer_id"]) for r in found.json()] == [("api", customer_id)]
    report = await client.get(f"/api/v1/privacy/customers/{customer_id}/access-report",
                              headers=owner.headers, params={"format": "csv"})
    assert report.status_code == 200 and "REST API read" in report.text
    assert report.headers["content-type"].startswith("text/csv")
