"""Call recordings Twilio keeps are deleted there when the retention purge or an erasure removes
the messages that refer to them (retried until Twilio has, harmless when already gone)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.channels.base import ChannelError
from omnidesk.channels.tasks import ChannelJobs
from omnidesk.channels.voice.adapter import TwilioVoiceAdapter
from omnidesk.core.dispatcher import Dispatcher
from omnidesk.core.events import EventDelivery, SubscriberRegistry
from omnidesk.domains.conversations.actions import do_receive_inbound
from omnidesk.domains.conversations.models import Conversation, Message
from omnidesk.domains.retention.erasure_actions import do_erase_customer
from omnidesk.domains.retention.purge_actions import do_purge
from omnidesk.domains.retention.schemas import RetentionSettings
from tests.channels.fake_provider import TWILIO_SID, FakeProvider, Scripted
from tests.channels.voice.test_deflection_job import ADAPTERS, CIPHER, voice_inbox
from tests.channels.voice.test_voice_adapter import config, step
from tests.conftest import Persona

ADAPTER = TwilioVoiceAdapter()
FIRST, SECOND = "RE" + "a" * 32, "RE" + "b" * 32


def recording_path(sid: str) -> str:
    return f"/2010-04-01/Accounts/{TWILIO_SID}/Recordings/{sid}.json"


async def test_the_adapter_deletes_a_recording_once_and_knows_when_it_is_gone(
        provider: FakeProvider, http: httpx.AsyncClient) -> None:
    settings = config(provider.base_url)
    assert await ADAPTER.delete_recording(FIRST, settings, http) is True
    assert await ADAPTER.delete_recording(FIRST, settings, http) is False  # 404: already gone
    assert [r.method for r in provider.to(recording_path(FIRST))] == ["DELETE", "DELETE"]
    wrong = settings.model_validate({**settings.model_dump(), "auth_token": "not-the-token"})
    with pytest.raises(ChannelError) as refused:
        await ADAPTER.delete_recording(SECOND, wrong, http)
    assert refused.value.permanent and refused.value.status_code == 401
    with pytest.raises(ChannelError) as odd:  # never put a stranger's text into the URL path
        await ADAPTER.delete_recording("../Calls/CA1", settings, http)
    assert odd.value.permanent and len(provider.received) == 3


async def _transcribed_call(session: AsyncSession, owner: Persona, inbox_id: int,
                            call: str, recording: str, caller: str, age_days: int) -> int:
    """Store a call's transcription as the Twilio webhook brings it (RecordingSid included)."""
    parsed = ADAPTER.parse_inbound(step("?step=transcription", CallSid=call, From=caller,
                                        TranscriptionSid="TR" + call[2:],
                                        TranscriptionText="배송 문의드립니다",
                                        RecordingSid=recording), config())
    inbound = parsed.events[0].inbound
    assert inbound is not None and inbound.meta["recording_sid"] == recording
    message = await do_receive_inbound(session, workspace_id=owner.workspace_id,
                                       inbound=inbound.model_copy(update={"inbox_id": inbox_id}))
    await session.execute(update(Message).where(Message.id == message.id).values(
        created_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=age_days)))
    await session.commit()
    return message.id


async def _run_jobs(session: AsyncSession, jobs: Dispatcher) -> None:
    await jobs.drain()
    await session.execute(update(EventDelivery).values(next_attempt_at=dt.datetime.now(dt.UTC)))
    await session.commit()
    await jobs.drain()


async def test_the_recordings_purge_and_an_erasure_delete_them_at_twilio(
        session: AsyncSession, owner: Persona, provider: FakeProvider, tmp_path: Path,
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    inbox = await voice_inbox(session, owner, provider)
    old = await _transcribed_call(session, owner, inbox.id, "CA" + "1" * 32, FIRST,
                                  "+821011112222", 60)
    fresh = await _transcribed_call(session, owner, inbox.id, "CA" + "2" * 32, SECOND,
                                    "+821033334444", 1)
    registry = SubscriberRegistry()
    ChannelJobs(ADAPTERS, CIPHER, max_delivery_attempts=3).register(registry)
    jobs = Dispatcher(session_factory, registry)
    await jobs.drain()  # what the calls themselves started
    provider.script(recording_path(FIRST), Scripted(503, {"code": 20503, "status": 503}))

    report = await do_purge(session, workspace_id=owner.workspace_id,
                            policy=RetentionSettings(recordings=30), upload_dir=tmp_path)
    await session.commit()
    assert report.removed == {"recordings": 0, "provider_recordings": 1}
    await _run_jobs(session, jobs)  # Twilio was down once: the job tried again

    assert provider.recordings_deleted == {FIRST}
    assert len(provider.to(recording_path(FIRST))) == 2
    session.expire_all()
    kept = dict((await session.execute(select(Message.id, Message.meta))).all())
    assert "recording_sid" not in kept[old] and kept[fresh]["recording_sid"] == SECOND
    again = await do_purge(session, workspace_id=owner.workspace_id,
                           policy=RetentionSettings(recordings=30), upload_dir=tmp_path)
    assert again.removed == {"recordings": 0}  # asked once: our reference is gone

    customer_id = await session.scalar(select(Conversation.customer_id).join(
        Message, Message.conversation_id == Conversation.id).where(Message.id == fresh))
    assert customer_id is not None
    certificate = await do_erase_customer(session, actor=owner.admin, customer_id=customer_id,
                                          upload_dir=tmp_path)
    await session.commit()
    assert certificate.rows["provider_recordings"] == 1
    await _run_jobs(session, jobs)
    assert provider.recordings_deleted == {FIRST, SECOND}
