"""A workspace with two SMS numbers and two mailboxes: each conversation carries its inbox."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.app.subscribers import build_registry
from omnidesk.channels.crypto import SettingsCipher
from omnidesk.channels.email.receiving import smtp_sink
from omnidesk.channels.registry import build_registry as build_adapters
from omnidesk.channels.twilio import signature
from omnidesk.config import Settings
from omnidesk.core.dispatcher import Dispatcher, DispatcherConfig
from omnidesk.domains.conversations.models import Conversation, InboundEvent, Message
from omnidesk.domains.customers.models import CustomerIdentity
from omnidesk.domains.inboxes.service import list_inboxes
from omnidesk.domains.routing.models import QueueEntry
from tests.channels.fake_provider import (
    TWILIO_SID,
    TWILIO_TOKEN,
    FakeProvider,
    running_provider,
)
from tests.conftest import Persona
from tests.demo_cache import loaded_demo
from tests.domains.routing.routing_setup import make_queue
from tests.web.test_supervisor import log_in
from tests.web.widget_helpers import start_session, widget_headers

SEOUL, BUSAN = "+15005550006", "+15005550007"
ALICE, BOB = "+821011112222", "+821033334444"
CIPHER = SettingsCipher("test-secret")


@pytest.fixture
def twilio() -> Iterator[FakeProvider]:
    """A local Twilio-like API that records the SMS we send."""
    yield from running_provider()


@dataclass
class Desk:
    client: httpx.AsyncClient
    session: AsyncSession
    owner: Persona
    dispatcher: Dispatcher
    session_factory: async_sessionmaker[AsyncSession]
    inboxes: dict[str, dict]

    async def text(self, inbox: str, sender: str, body: str, sid: str) -> None:
        key = self.inboxes[inbox]["public_key"]
        params = {"AccountSid": TWILIO_SID, "Body": body, "From": sender, "NumMedia": "0",
                  "MessageSid": sid, "To": self.inboxes[inbox]["settings"]["from_number"]}
        path = f"/webhooks/sms/{key}"
        answer = await self.client.post(path, content=urlencode(params), headers={
            "X-Twilio-Signature": signature(TWILIO_TOKEN, f"http://testserver{path}",
                                            params.items()),
            "Content-Type": "application/x-www-form-urlencoded"})
        assert answer.status_code == 200, answer.text

    async def mail(self, sender: str, to: str, subject: str) -> None:
        raw = (f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\n"
               f"Message-ID: <{subject}@example.org>\r\nContent-Type: text/plain; charset=UTF-8"
               f"\r\n\r\n{subject}\r\n").encode()
        sink = smtp_sink(self.session_factory, adapter=build_adapters()["email"], cipher=CIPHER)
        await sink(raw, sender, [to])

    async def conversation_of(self, inbox: str) -> Conversation:
        conv = await self.session.scalar(select(Conversation).where(
            Conversation.inbox_id == self.inboxes[inbox]["id"]))
        assert conv is not None, inbox
        return conv


async def connect(client: httpx.AsyncClient, owner: Persona, api: str) -> dict[str, dict]:
    """Connect two SMS numbers and two mailboxes through the admin API."""
    wanted = {
        "서울 매장": ("sms", {"account_sid": TWILIO_SID, "auth_token": TWILIO_TOKEN,
                          "from_number": SEOUL, "api_base_url": api}),
        "부산 매장": ("sms", {"account_sid": TWILIO_SID, "auth_token": TWILIO_TOKEN,
                          "from_number": BUSAN, "api_base_url": api}),
        "고객지원": ("email", {"address": "support@acme.example",
                           "message_id_domain": "mail.acme.example"}),
        "정산팀": ("email", {"address": "billing@acme.example",
                          "message_id_domain": "mail.acme.example"}),
    }
    inboxes = {}
    for name, (kind, settings) in wanted.items():
        answer = await client.post("/api/v1/inboxes", headers=owner.headers,
                                   json={"kind": kind, "name": name, "settings": settings})
        assert answer.status_code == 201, answer.text
        inboxes[name] = answer.json()
    return inboxes


@pytest.fixture
async def desk(client: httpx.AsyncClient, session: AsyncSession, owner: Persona,
               settings: Settings, session_factory: async_sessionmaker[AsyncSession],
               twilio: FakeProvider) -> Desk:
    dispatcher = Dispatcher(session_factory, build_registry(settings),
                            DispatcherConfig(backoff_base_seconds=0))
    return Desk(client, session, owner, dispatcher, session_factory,
                await connect(client, owner, twilio.base_url))


async def test_two_numbers_and_two_mailboxes_each_conversation_shows_its_inbox(
        desk: Desk, twilio: FakeProvider) -> None:
    listed = (await desk.client.get("/api/v1/inboxes", headers=desk.owner.headers)).json()
    assert sorted(i["name"] for i in listed) == sorted(desk.inboxes)
    assert all(i["webhook_url"].endswith(f"/webhooks/{i['kind']}/{i['public_key']}")
               for i in listed)
    assert TWILIO_TOKEN not in str(listed)
    await desk.text("서울 매장", ALICE, "강남점 영업시간 알려주세요", "SM" + "1" * 32)
    await desk.text("부산 매장", BOB, "해운대점 주차 되나요", "SM" + "2" * 32)
    await desk.mail("carol@example.org", "support@acme.example", "delivery")
    await desk.mail("dave@example.org", "billing@acme.example", "invoice")
    await desk.dispatcher.drain()

    convs = {name: await desk.conversation_of(name) for name in desk.inboxes}
    assert len({c.id for c in convs.values()}) == 4
    for name, conv in convs.items():
        messages = (await desk.session.scalars(select(Message).where(
            Message.conversation_id == conv.id))).all()
        assert [m.inbox_id for m in messages] == [desk.inboxes[name]["id"]]
    phone = await desk.session.scalar(select(CustomerIdentity).where(
        CustomerIdentity.value == BOB))
    assert phone is not None and phone.inbox_id == desk.inboxes["부산 매장"]["id"]

    await log_in(desk.client, desk.owner.agent_email, desk.owner.password)
    for name, conv in convs.items():
        page = await desk.client.get(f"/conversations/{conv.id}")
        assert page.status_code == 200
        header = page.text.split('id="conv-inbox"', 1)[1].split("</span>", 1)[0]
        assert name in header
    inbox_page = (await desk.client.get("/inbox?view=all&status=any")).text
    assert all('class="inbox-name" title="' in inbox_page and name in inbox_page
               for name in desk.inboxes)


async def test_the_same_provider_id_in_two_inboxes_is_two_messages_and_a_repeat_is_one(
        desk: Desk) -> None:
    sid = "SM" + "9" * 32  # providers number per account: two inboxes may see the same id
    await desk.text("서울 매장", ALICE, "강남점 주차 되나요", sid)
    await desk.text("부산 매장", BOB, "해운대점 주차 되나요", sid)
    await desk.text("부산 매장", BOB, "해운대점 주차 되나요", sid)  # the provider's retry
    await desk.dispatcher.drain()
    raws = (await desk.session.execute(select(InboundEvent.inbox_id, InboundEvent.status)
                                       .where(InboundEvent.dedupe_key == sid))).all()
    assert sorted(raws) == sorted([(desk.inboxes["서울 매장"]["id"], "processed"),
                                   (desk.inboxes["부산 매장"]["id"], "processed")])
    for name, text in (("서울 매장", "강남점 주차 되나요"), ("부산 매장", "해운대점 주차 되나요")):
        conv = await desk.conversation_of(name)
        messages = (await desk.session.scalars(select(Message).where(
            Message.conversation_id == conv.id))).all()
        assert [(m.text, m.provider_message_id) for m in messages] == [(text, sid)]


async def test_a_reply_goes_out_from_the_number_the_customer_wrote_to(
        desk: Desk, twilio: FakeProvider) -> None:
    await desk.text("서울 매장", ALICE, "예약 확인 부탁해요", "SM" + "3" * 32)
    await desk.text("부산 매장", BOB, "오늘 몇 시까지 하세요?", "SM" + "4" * 32)
    await desk.dispatcher.drain()
    busan = await desk.conversation_of("부산 매장")
    answer = await desk.client.post(f"/api/v1/conversations/{busan.id}/messages",
                                    headers=desk.owner.headers,
                                    json={"text": "오후 9시까지 영업합니다."})
    assert answer.status_code == 201, answer.text
    await desk.dispatcher.drain()
    [sent] = twilio.to(f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json")
    form = dict(sent.form())
    assert (form["From"], form["To"], form["Body"]) == (BUSAN, BOB, "오후 9시까지 영업합니다.")


async def test_a_routing_rule_on_an_inbox_sends_its_conversations_to_their_queue(
        desk: Desk) -> None:
    await make_queue(desk.session, desk.owner.workspace_id, "본사", is_default=True)
    busan_queue = await make_queue(desk.session, desk.owner.workspace_id, "부산")
    await desk.session.commit()
    rule = await desk.client.post("/api/v1/routing/rules", headers=desk.owner.headers, json={
        "name": "부산 번호", "queue_id": busan_queue,
        "conditions": {"inbox": [desk.inboxes["부산 매장"]["id"]]}})
    assert rule.status_code == 201, rule.text
    await desk.text("서울 매장", ALICE, "문의드려요", "SM" + "5" * 32)
    await desk.text("부산 매장", BOB, "문의드려요", "SM" + "6" * 32)
    await desk.dispatcher.drain()
    entries = {e.conversation_id: e.queue_id for e in
               (await desk.session.scalars(select(QueueEntry))).all()}
    assert entries[(await desk.conversation_of("부산 매장")).id] == busan_queue
    assert entries[(await desk.conversation_of("서울 매장")).id] != busan_queue


async def test_an_sms_by_the_webhook_is_routed_by_the_words_and_mood_of_the_customer(
        desk: Desk) -> None:
    ws = desk.owner.workspace_id
    await make_queue(desk.session, ws, "일반", is_default=True)
    refunds = await make_queue(desk.session, ws, "환불")
    care = await make_queue(desk.session, ws, "불만 케어")
    await desk.session.commit()
    for name, queue, conditions in (("환불 키워드", refunds, {"keywords": ["환불"]}),
                                    ("화난 고객", care, {"sentiment": ["negative"]})):
        rule = await desk.client.post("/api/v1/routing/rules", headers=desk.owner.headers,
                                      json={"name": name, "queue_id": queue,
                                            "conditions": conditions})
        assert rule.status_code == 201, rule.text
    await desk.text("서울 매장", ALICE, "환불하고 싶어요", "SM" + "7" * 32)
    await desk.text("부산 매장", BOB, "정말 화가 나네요. 최악의 서비스예요!", "SM" + "8" * 32)
    await desk.dispatcher.drain()
    entries = {e.conversation_id: e for e in (await desk.session.scalars(select(QueueEntry))).all()}
    refund = entries[(await desk.conversation_of("서울 매장")).id]
    angry = entries[(await desk.conversation_of("부산 매장")).id]
    assert refund.queue_id == refunds
    assert angry.queue_id == care and angry.sentiment < 0


async def test_admins_alone_manage_inboxes_and_other_workspaces_never_see_them(
        desk: Desk, outsider: Persona) -> None:
    seoul = desk.inboxes["서울 매장"]
    assert (await desk.client.get("/api/v1/inboxes", headers=outsider.headers)).json() == []
    assert (await desk.client.patch(f"/api/v1/inboxes/{seoul['id']}", headers=outsider.headers,
                                    json={"name": "x"})).status_code == 404
    renamed = await desk.client.patch(f"/api/v1/inboxes/{seoul['id']}",
                                      headers=desk.owner.headers,
                                      json={"name": "강남 매장", "greeting": {"ko": "안녕하세요"},
                                            "hours": {"weekly": {"mon": [["09:00", "18:00"]]}}})
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "강남 매장" and renamed.json()["greeting"] == {"ko": "안녕하세요"}
    bad = await desk.client.post("/api/v1/inboxes", headers=desk.owner.headers,
                                 json={"kind": "sms", "settings": {"from_number": "010"}})
    assert bad.status_code == 422 and "invalid sms settings" in bad.json()["message"]
    assert "010" not in bad.text
    unknown = await desk.client.post("/api/v1/inboxes", headers=desk.owner.headers,
                                     json={"kind": "pigeon", "settings": {}})
    assert unknown.status_code == 422
    gone = await desk.client.delete(f"/api/v1/inboxes/{seoul['id']}", headers=desk.owner.headers)
    assert gone.status_code == 204
    await desk.text("부산 매장", BOB, "still here", "SM" + "7" * 32)
    path = f"/webhooks/sms/{seoul['public_key']}"
    assert (await desk.client.post(path, content=b"x")).status_code == 404


async def test_the_demo_workspace_has_an_inbox_for_each_channel_it_uses(
        session: AsyncSession) -> None:
    report = (await loaded_demo(session)).report
    assert report.created
    inboxes = {i.id: i for i in await list_inboxes(session, workspace_id=report.workspace_id)}
    convs = (await session.scalars(select(Conversation).where(
        Conversation.workspace_id == report.workspace_id))).all()
    assert {c.channel for c in convs} == {i.kind for i in inboxes.values()}
    assert all(inboxes[c.inbox_id].kind == c.channel for c in convs)  # type: ignore[index]
    web = next(i for i in inboxes.values() if i.kind == "web")
    assert web.is_active and not any(i.is_active for i in inboxes.values() if i.kind != "web")


async def test_the_website_widget_is_an_inbox_of_the_workspace(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona) -> None:
    ids = set()
    for n, visitor in enumerate(("first", "second")):
        started = await start_session(client, owner.slug)
        sent = await client.post("/widget/api/messages",
                                 headers=widget_headers(owner.slug, started["token"]),
                                 json={"text": f"{visitor} 문의", "client_message_id": f"msg-000{n}"})
        assert sent.status_code == 201, sent.text
        message = await session.scalar(select(Message).where(Message.id == sent.json()["id"]))
        ids.add(message.inbox_id)  # type: ignore[union-attr]
    [web] = await list_inboxes(session, workspace_id=owner.workspace_id)
    assert ids == {web.id} and web.kind == "web"
