"""The IVR deflection job texts the caller a chat link once, whatever fails after the send."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.channels.actions import do_store_webhook
from omnidesk.channels.base import ParsedWebhook, WebhookEvent
from omnidesk.channels.crypto import SettingsCipher
from omnidesk.channels.inbox_port import do_connect_inbox
from omnidesk.channels.registry import build_registry
from omnidesk.channels.tasks import ChannelJobs
from omnidesk.core.dispatcher import Dispatcher
from omnidesk.core.events import EventDelivery, SubscriberRegistry
from omnidesk.domains.conversations.actions import do_receive_inbound
from omnidesk.domains.conversations.models import InboundEvent, Message
from omnidesk.domains.conversations.schemas import InboundMessage
from omnidesk.domains.inboxes.models import Inbox
from tests.channels.conftest import raw_request
from tests.channels.contract_configs import CONFIGS
from tests.channels.fake_provider import TWILIO_SID, TWILIO_TOKEN, FakeProvider, Scripted
from tests.conftest import Persona

ADAPTERS = build_registry()
CIPHER = SettingsCipher("test-secret")
CALLER = "+821012345678"
SENDS = f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json"


async def voice_inbox(session: AsyncSession, owner: Persona, provider: FakeProvider) -> Inbox:
    """Connect a Twilio voice number whose API is the fake provider."""
    return await do_connect_inbox(
        session, workspace_id=owner.workspace_id, adapter=ADAPTERS["voice"], name="IVR",
        cipher=CIPHER, settings={**CONFIGS["voice"], "account_sid": TWILIO_SID,
                                 "auth_token": TWILIO_TOKEN, "api_base_url": provider.base_url})


async def test_a_deflection_text_whose_record_fails_is_not_sent_again(
        session: AsyncSession, owner: Persona, provider: FakeProvider,
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    inbox = await voice_inbox(session, owner, provider)
    await do_receive_inbound(session, workspace_id=owner.workspace_id, inbound=InboundMessage(
        channel="sms", provider_message_id="SM" + "c" * 32, identity_kind="phone",
        identity_value=CALLER, text="전화 드렸어요"))
    await do_store_webhook(session, inbox=inbox, request=raw_request(
        "https://acme.example/channels/voice/acme/webhook"), parsed=ParsedWebhook(events=[
            WebhookEvent(dedupe_key="CA1:deflect", kind="ivr_deflection",
                         data={"to": CALLER, "language": "ko",
                               "link": "https://acme.example/chat"})]))
    await session.commit()
    provider.script(SENDS, Scripted(201, {  # the sid of the caller's own text: recording collides
        "sid": "SM" + "c" * 32, "status": "queued", "to": CALLER}))
    registry = SubscriberRegistry()
    ChannelJobs(ADAPTERS, CIPHER, max_delivery_attempts=3).register(registry)
    jobs = Dispatcher(session_factory, registry)

    await jobs.drain()
    await session.execute(update(EventDelivery).values(next_attempt_at=dt.datetime.now(dt.UTC)))
    await session.commit()
    await jobs.drain()

    assert len(provider.to(SENDS)) == 1
    assert "https://acme.example/chat" in dict(provider.to(SENDS)[0].form())["Body"]
    assert await session.scalar(select(InboundEvent.status)) == "processed"
    statuses = (await session.scalars(select(EventDelivery.status))).all()
    assert "pending" not in statuses and "running" not in statuses


async def test_the_deflection_text_goes_out_through_the_delivery_job_of_the_callers_thread(
        session: AsyncSession, owner: Persona, provider: FakeProvider,
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    inbox = await voice_inbox(session, owner, provider)
    await do_store_webhook(session, inbox=inbox, request=raw_request(
        "https://acme.example/channels/voice/acme/webhook", received_at=dt.datetime.now(dt.UTC)),
        parsed=ParsedWebhook(events=[
            WebhookEvent(dedupe_key="CA2:deflect", kind="ivr_deflection",
                         data={"to": CALLER, "language": "ko",
                               "link": "https://acme.example/chat"})]))
    await session.commit()
    registry = SubscriberRegistry()
    ChannelJobs(ADAPTERS, CIPHER, max_delivery_attempts=3).register(registry)
    jobs = Dispatcher(session_factory, registry)
    await jobs.drain()  # the call's own message is not stored yet: nothing is texted
    assert provider.to(SENDS) == []

    call = await do_receive_inbound(session, workspace_id=owner.workspace_id,
                                    inbound=InboundMessage(
        channel="voice", provider_message_id="CA2:start", identity_kind="phone",
        identity_value=CALLER, text="(call)", inbox_id=inbox.id))
    await session.commit()
    await session.execute(update(EventDelivery).values(next_attempt_at=dt.datetime.now(dt.UTC)))
    await session.commit()
    await jobs.drain()

    [sent] = provider.to(SENDS)
    assert "https://acme.example/chat" in dict(sent.form())["Body"]
    text = await session.scalar(select(Message).where(
        Message.conversation_id == call.conversation_id, Message.direction == "outbound"))
    assert text is not None and text.meta.get("ivr_deflection") and text.meta.get("sent")
    assert text.inbox_id == inbox.id and text.provider_message_id is not None
    deliveries = (await session.execute(select(EventDelivery.subscriber, EventDelivery.status)
                                        )).all()
    assert ("channels.deliver_message", "done") in [tuple(d) for d in deliveries]
