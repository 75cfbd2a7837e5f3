"""One customer across channels: IVR call → SMS link → web chat → email, one history, one agent."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.app.subscribers import build_registry
from omnidesk.channels.crypto import SettingsCipher
from omnidesk.channels.email.receiving import smtp_sink
from omnidesk.channels.inbox_port import do_connect_inbox
from omnidesk.channels.registry import build_registry as build_adapters
from omnidesk.channels.twilio import signature
from omnidesk.config import Settings
from omnidesk.core.dispatcher import Dispatcher, DispatcherConfig
from omnidesk.domains.conversations.models import Conversation, Message
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.routing.queues.actions import do_accept_offer
from tests.channels.fake_provider import (
    TWILIO_SID,
    TWILIO_TOKEN,
    FakeProvider,
    running_provider,
)
from tests.conftest import Persona
from tests.domains.routing.routing_setup import make_agent, make_queue

CALLER, LINE = "+821012345678", "+15005550006"
HOOK = "/channels/voice/acme/webhook"
ADAPTERS = build_adapters()
CIPHER = SettingsCipher("test-secret")
MAIL = ("From: =?UTF-8?B?6rmA66+87KeA?= <minji@example.org>\r\nTo: support@example.com\r\n"
        "Subject: =?UTF-8?B?67Cw7IahIOusuOydmA==?=\r\nMessage-ID: <later-1@example.org>\r\n"
        "Content-Type: text/plain; charset=UTF-8\r\n\r\n"
        "주소를 한 번 더 확인 부탁드려요.\r\n").encode()


@pytest.fixture
def twilio() -> Iterator[FakeProvider]:
    """A local Twilio-like API that records the SMS we send."""
    yield from running_provider()


async def connect_channels(session: AsyncSession, owner: Persona, api: str) -> None:
    menu = {"prompts": {"ko": "상담원은 1번, 채팅은 2번", "en": "1 agent, 2 chat"},
            "options": [{"digit": "1", "action": "queue", "target": "support"},
                        {"digit": "2", "action": "deflect_sms", "target": "sms"}]}
    voice = {"account_sid": TWILIO_SID, "auth_token": TWILIO_TOKEN, "from_number": LINE,
             "api_base_url": api, "public_webhook_base": "http://testserver",
             "webhook_path": HOOK, "deflection_link": "http://testserver/widget/continue",
             "menu": menu}
    email = {"address": "support@example.com", "message_id_domain": "mail.example.com"}
    for kind, settings in (("voice", voice), ("email", email)):
        await do_connect_inbox(session, workspace_id=owner.workspace_id,
                                 adapter=ADAPTERS[kind], name=kind, settings=settings,
                                 cipher=CIPHER)
    await session.commit()


async def call_step(client: httpx.AsyncClient, query: str, **form: str) -> httpx.Response:
    params = {"CallSid": "CA" + "7" * 32, "From": CALLER, "To": LINE,
              "AccountSid": TWILIO_SID, "CallStatus": "in-progress", **form}
    url = f"http://testserver{HOOK}{query}"
    signed = signature(TWILIO_TOKEN, url, sorted(params.items()))
    return await client.post(HOOK + query, content=urlencode(params),
                             headers={"X-Twilio-Signature": signed,
                                      "Content-Type": "application/x-www-form-urlencoded"})


async def test_a_caller_moves_from_the_ivr_to_sms_web_chat_and_email_in_one_conversation(
        client: httpx.AsyncClient, session: AsyncSession, owner: Persona, settings: Settings,
        session_factory: async_sessionmaker[AsyncSession], twilio: FakeProvider) -> None:
    dispatcher = Dispatcher(session_factory, build_registry(settings),
                            DispatcherConfig(backoff_base_seconds=0))
    await connect_channels(session, owner, twilio.base_url)
    await make_queue(session, owner.workspace_id, "support", is_default=True,
                     sticky_window_seconds=86_400)
    agent = await make_agent(session, owner.admin, "first")
    await session.commit()

    assert (await call_step(client, "")).status_code == 200
    await dispatcher.drain()
    call = await session.scalar(select(Conversation))
    await do_accept_offer(session, workspace_id=owner.workspace_id, user_id=agent,
                          conversation_id=call.id)  # type: ignore[union-attr]
    await session.commit()  # the agent picks up the call the router offered them
    menu = await call_step(client, "?step=menu&lang=ko&retry=0", Digits="2")
    assert menu.status_code == 200 and "<Hangup" in menu.text
    await dispatcher.drain()

    [sms] = twilio.to(f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json")
    form = dict(sms.form())
    assert form["To"] == CALLER and form["From"] == LINE
    link = next(word for word in form["Body"].split() if word.startswith("http://testserver/"))
    landing = await client.get(link.removeprefix("http://testserver"))
    assert landing.status_code == 303
    token = dict(parse_qsl(urlsplit(landing.headers["location"]).fragment))["token"]
    widget = {"X-Widget-Workspace": "acme", "X-Widget-Token": token}
    sent = await client.post("/widget/api/messages", headers=widget,
                             json={"text": "채팅으로 이어서 문의드려요", "client_message_id": "web-0001"})
    assert sent.status_code == 201
    await dispatcher.drain()

    customer = await session.scalar(select(Customer))
    added = await client.post(f"/api/v1/customers/{customer.id}/identities",  # type: ignore[union-attr]
                              headers=owner.headers,
                              json={"kind": "email", "value": "minji@example.org"})
    assert added.status_code == 201  # the agent saved the email the customer gave in chat
    await smtp_sink(session_factory, adapter=ADAPTERS["email"], cipher=CIPHER)(
        MAIL, "minji@example.org", ["support@example.com"])
    await dispatcher.drain()

    assert len((await session.scalars(select(Customer))).all()) == 1
    [conversation] = (await session.scalars(select(Conversation).execution_options(
        populate_existing=True))).all()
    channels = (await session.scalars(select(Message.channel).order_by(Message.id))).all()
    # the chat link went out as an SMS from the voice number: a written reply of the voice channel
    assert list(dict.fromkeys(channels)) == ["voice", "web", "email"]
    assert conversation.assignee_id == agent and conversation.channel == "email"
    history = await client.get("/widget/api/messages", headers=widget)
    assert [m["text"] for m in history.json()["messages"]] == ["채팅으로 이어서 문의드려요"]
