"""Template messages: 알림톡 with SMS fallback and WhatsApp templates, through delivery jobs."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.channels.crypto import SettingsCipher
from omnidesk.channels.inbox_port import do_connect_inbox
from omnidesk.channels.registry import build_registry
from omnidesk.channels.signing import hmac_sha256_hex
from omnidesk.channels.tasks import ChannelJobs
from omnidesk.channels.twilio import signature
from omnidesk.core.dispatcher import Dispatcher
from omnidesk.core.events import SubscriberRegistry
from omnidesk.domains.conversations.actions import do_open_conversation
from omnidesk.domains.conversations.models import Conversation, Message
from omnidesk.domains.customers.actions import do_resolve_identity
from omnidesk.domains.inboxes.models import Inbox
from tests.channels.fake_provider import (
    GRAPH_TOKEN,
    NHN_SECRET,
    TWILIO_SID,
    TWILIO_TOKEN,
    FakeProvider,
    Scripted,
)
from tests.conftest import Persona

ADAPTERS = build_registry()
CIPHER = SettingsCipher("test-secret")
NHN_PATH = "/alimtalk/v2.2/appkeys/appkey1/messages"
PHONE = "+821012345678"


def dispatcher(session_factory: async_sessionmaker[AsyncSession]) -> Dispatcher:
    registry = SubscriberRegistry()
    ChannelJobs(ADAPTERS, CIPHER, max_delivery_attempts=3).register(registry)
    return Dispatcher(session_factory, registry)


async def connect_kakao_and_sms(session: AsyncSession, owner: Persona,
                                base: str) -> tuple[Inbox, Inbox]:
    kakao = await do_connect_inbox(
        session, workspace_id=owner.workspace_id, adapter=ADAPTERS["kakao"], name="카카오 알림톡",
        cipher=CIPHER, settings={"alimtalk": {"base_url": base, "app_key": "appkey1",
                                              "secret_key": NHN_SECRET, "sender_key": "b" * 40}})
    sms = await do_connect_inbox(
        session, workspace_id=owner.workspace_id, adapter=ADAPTERS["sms"], name="대표번호",
        cipher=CIPHER, settings={"account_sid": TWILIO_SID, "auth_token": TWILIO_TOKEN,
                                 "from_number": "+15005550006", "api_base_url": base,
                                 "public_webhook_base": "http://testserver"})
    await session.commit()
    return kakao, sms


async def shopper_conversation(session: AsyncSession, owner: Persona, channel: str,
                               inbox: Inbox, kind: str, value: str) -> Conversation:
    customer = await do_resolve_identity(session, workspace_id=owner.workspace_id, kind=kind,
                                         value=value, name="김민지", phone=PHONE)
    conv = await do_open_conversation(session, workspace_id=owner.workspace_id,
                                      customer_id=customer.id, channel=channel,
                                      inbox_id=inbox.id)
    await session.commit()
    return conv


async def add_template(client: httpx.AsyncClient, owner: Persona, inbox: Inbox, **extra) -> dict:
    body = {"inbox_id": inbox.id, "code": "ORDER_DELAY", "name": "배송 지연 안내",
            "body": "#{name}님, 주문 #{order} 배송이 지연되고 있어요. 죄송합니다.",
            "variables": ["name", "order"], **extra}
    answer = await client.post("/api/v1/engagement/templates", json=body, headers=owner.headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


async def test_a_refused_alimtalk_falls_back_to_sms_and_its_signed_status_is_tracked(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        session_factory: async_sessionmaker[AsyncSession], provider: FakeProvider) -> None:
    kakao, sms = await connect_kakao_and_sms(session, owner, provider.base_url)
    conv = await shopper_conversation(session, owner, "kakao", kakao, "kakao", "kakao-user-1")
    template = await add_template(client, owner, kakao)
    provider.script(NHN_PATH, Scripted(200, {"header": {
        "resultCode": -3020, "resultMessage": "template not approved", "isSuccessful": False}}))

    answer = await client.post(
        f"/api/v1/engagement/conversations/{conv.id}/template-messages", headers=owner.headers,
        json={"template_id": template["id"], "params": {"name": "민지", "order": "A-1001"}})
    assert answer.status_code == 201, answer.text
    await dispatcher(session_factory).drain()

    [alimtalk] = [r.json() for r in provider.to(NHN_PATH)]
    assert alimtalk["templateCode"] == "ORDER_DELAY"
    assert alimtalk["recipientList"][0]["recipientNo"] == "01012345678"
    assert alimtalk["recipientList"][0]["templateParameter"] == {"name": "민지",
                                                                "order": "A-1001"}
    [texted] = provider.to(f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json")
    form = dict(texted.form())
    assert form["To"] == PHONE and form["Body"] == "민지님, 주문 A-1001 배송이 지연되고 있어요. 죄송합니다."

    rows = (await session.scalars(select(Message).where(Message.conversation_id == conv.id)
                                  .order_by(Message.id).execution_options(
                                      populate_existing=True))).all()
    original, fallback = rows
    assert (original.channel, original.delivery_status) == ("kakao", "failed")
    assert "refused" in (original.delivery_error or "")
    assert (fallback.channel, fallback.inbox_id) == ("sms", sms.id)
    assert fallback.meta["fallback_of"] == original.id and fallback.delivery_status == "sent"

    # Twilio's signed status callback moves the SMS to delivered.
    url = f"http://testserver/webhooks/sms/{sms.public_key}"
    params = {"AccountSid": TWILIO_SID, "MessageSid": fallback.provider_message_id,
              "MessageStatus": "delivered", "From": "+15005550006", "To": PHONE}
    hook = await client.post(url, content=urlencode(params), headers={
        "X-Twilio-Signature": signature(TWILIO_TOKEN, url, params.items()),
        "Content-Type": "application/x-www-form-urlencoded"})
    assert hook.status_code == 200, hook.text
    await dispatcher(session_factory).drain()
    await session.refresh(fallback)
    assert fallback.delivery_status == "delivered"


async def test_an_accepted_alimtalk_sends_once_and_needs_no_fallback(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        session_factory: async_sessionmaker[AsyncSession], provider: FakeProvider) -> None:
    kakao, _ = await connect_kakao_and_sms(session, owner, provider.base_url)
    conv = await shopper_conversation(session, owner, "kakao", kakao, "kakao", "kakao-user-2")
    template = await add_template(client, owner, kakao)
    answer = await client.post(
        f"/api/v1/engagement/conversations/{conv.id}/template-messages", headers=owner.headers,
        json={"template_id": template["id"], "params": {"name": "민지", "order": "A-1"}})
    assert answer.status_code == 201
    for _ in range(2):
        await dispatcher(session_factory).drain()
    assert len(provider.to(NHN_PATH)) == 1 and not provider.to(
        f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json")
    sent = await session.scalar(select(Message).where(Message.conversation_id == conv.id))
    assert sent.delivery_status == "sent" and sent.provider_message_id


async def test_whatsapp_needs_a_template_outside_the_24_hour_window(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        session_factory: async_sessionmaker[AsyncSession], provider: FakeProvider) -> None:
    inbox = await do_connect_inbox(
        session, workspace_id=owner.workspace_id, adapter=ADAPTERS["whatsapp"], name="WA",
        cipher=CIPHER, settings={"phone_number_id": "106540352242922",
                                 "app_secret": "app_secret_test", "verify_token": "v",
                                 "access_token": GRAPH_TOKEN, "graph_base_url": provider.base_url})
    await session.commit()
    conv = await shopper_conversation(session, owner, "whatsapp", inbox, "whatsapp",
                                      "821012345678")
    template = await add_template(client, owner, inbox, code="order_delay", language="en",
                                  body="Hi {{1}}, order {{2}} is late. Sorry!")
    plain = await client.post(f"/api/v1/conversations/{conv.id}/messages",
                              headers=owner.headers, json={"text": "Hi, your order is late"})
    assert plain.status_code == 201, plain.text
    answer = await client.post(
        f"/api/v1/engagement/conversations/{conv.id}/template-messages", headers=owner.headers,
        json={"template_id": template["id"], "params": {"name": "Minji", "order": "A-7"}})
    assert answer.status_code == 201 and answer.json()["text"] == "Hi Minji, order A-7 is late. Sorry!"
    await dispatcher(session_factory).drain()

    rows = (await session.scalars(select(Message).where(Message.conversation_id == conv.id)
                                  .order_by(Message.id))).all()
    assert rows[0].delivery_status == "failed" and "24-hour" in (rows[0].delivery_error or "")
    assert rows[1].delivery_status == "sent"
    [sent] = [r.json() for r in provider.to("/v21.0/106540352242922/messages")]
    assert sent["type"] == "template" and sent["template"]["name"] == "order_delay"
    assert [p["text"] for p in sent["template"]["components"][0]["parameters"]] == ["Minji", "A-7"]

    status = {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{
        "field": "messages", "value": {"messaging_product": "whatsapp",
                                       "metadata": {"phone_number_id": "106540352242922"},
                                       "statuses": [{"id": rows[1].provider_message_id,
                                                     "status": "read", "timestamp": "1749416400",
                                                     "recipient_id": "821012345678"}]}}]}]}
    body = json.dumps(status).encode()
    hook = await client.post(f"/webhooks/whatsapp/{inbox.public_key}", content=body, headers={
        "X-Hub-Signature-256": "sha256=" + hmac_sha256_hex("app_secret_test", body),
        "Content-Type": "application/json"})
    assert hook.status_code == 200, hook.text
    await dispatcher(session_factory).drain()
    await session.refresh(rows[1])
    assert rows[1].delivery_status == "read"


async def test_templates_are_listed_per_inbox_and_bad_sends_get_clear_answers(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
        outsider: Persona, provider: FakeProvider) -> None:
    kakao, sms = await connect_kakao_and_sms(session, owner, provider.base_url)
    template = await add_template(client, owner, kakao)
    listed = await client.get(f"/api/v1/engagement/templates?inbox_id={kakao.id}",
                              headers=owner.headers)
    assert [t["code"] for t in listed.json()] == ["ORDER_DELAY"]
    assert (await client.get(f"/api/v1/engagement/templates?inbox_id={sms.id}",
                             headers=owner.headers)).json() == []
    again = await client.post("/api/v1/engagement/templates", headers=owner.headers, json={
        "inbox_id": kakao.id, "code": "ORDER_DELAY", "name": "x", "body": "x"})
    assert again.status_code == 409
    on_sms = await client.post("/api/v1/engagement/templates", headers=owner.headers, json={
        "inbox_id": sms.id, "code": "X", "name": "x", "body": "x"})
    assert on_sms.status_code == 422 and "cannot send approved templates" in on_sms.text
    stray = await client.post("/api/v1/engagement/templates", headers=owner.headers, json={
        "inbox_id": kakao.id, "code": "Y", "name": "x", "body": "#{who} 님", "variables": []})
    assert stray.status_code == 422

    conv = await shopper_conversation(session, owner, "kakao", kakao, "kakao", "kakao-user-3")
    missing = await client.post(
        f"/api/v1/engagement/conversations/{conv.id}/template-messages", headers=owner.headers,
        json={"template_id": template["id"], "params": {"name": "민지"}})
    assert missing.status_code == 422 and "order" in missing.text
    foreign = await client.post(
        f"/api/v1/engagement/conversations/{conv.id}/template-messages",
        headers=outsider.headers, json={"template_id": template["id"], "params": {}})
    assert foreign.status_code == 404
    assert (await client.get("/api/v1/engagement/templates",
                             headers=outsider.headers)).json() == []
