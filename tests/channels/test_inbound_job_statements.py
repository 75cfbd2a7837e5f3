"""The intake job's statement budget: a stored provider event becomes a message in a constant,
small number of statements (counts, never timings; `bench/message_hot_path.py --api-path`
measures the CPU)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from omnidesk.channels.crypto import SettingsCipher
from omnidesk.channels.events import ChannelEventReceived
from omnidesk.channels.registry import build_registry
from omnidesk.channels.tasks import ChannelJobs
from omnidesk.core.events import DeliveredEvent
from omnidesk.domains.conversations.actions import do_store_raw_event
from omnidesk.domains.conversations.models import InboundEvent, Message
from omnidesk.domains.conversations.schemas import InboundMessage, RawInbound
from tests.conftest import Persona
from tests.domains.conversations.test_intake_statements import counting

# claim the event, dedupe, touch the customer, find the conversation, INSERT the message,
# then the commit's flush: UPDATE the conversation, INSERT the outbox row
STEADY_STATEMENTS = 7
TAKEN_STATEMENTS = 1  # the claim finds the event processed already: nothing else


async def store(factory: async_sessionmaker[AsyncSession], owner: Persona, n: int) -> int:
    inbound = InboundMessage(channel="api", identity_kind="api", identity_value="app-user-1",
                             provider_message_id=f"evt_{n}", text="주문 문의드려요")
    async with factory() as session:
        row_id = await do_store_raw_event(
            session, workspace_id=owner.workspace_id, inbox_id=None, channel="api",
            dedupe_key=f"evt_{n}", kind="message", raw=RawInbound.of_json({"id": n}),
            parsed={"inbound": inbound.model_dump(mode="json"), "delivery": None, "data": {}})
        await session.commit()
        assert row_id is not None
        return row_id


async def process(factory: async_sessionmaker[AsyncSession], owner: Persona,
                  row_id: int) -> None:
    jobs = ChannelJobs(build_registry(), SettingsCipher("test-secret"))
    event = DeliveredEvent(id=0, delivery_id=0, workspace_id=owner.workspace_id,
                           data=ChannelEventReceived(inbound_event_id=row_id, channel="api",
                                                     inbox_id=None, kind="message"),
                           key=None, attempt=1, created_at=dt.datetime.now(dt.UTC))
    async with factory() as session:
        await jobs.process_inbound_event(event, session)
        await session.commit()


async def test_a_stored_message_event_becomes_a_message_in_a_constant_number_of_statements(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession],
    session: AsyncSession, owner: Persona,
) -> None:
    await process(session_factory, owner, await store(session_factory, owner, 1))  # first contact
    for n in range(2, 5):
        row_id = await store(session_factory, owner, n)
        with counting(engine) as steady:
            await process(session_factory, owner, row_id)
        assert len(steady) <= STEADY_STATEMENTS, steady
    with counting(engine) as taken:  # a second delivery of the same event
        await process(session_factory, owner, row_id)
    assert len(taken) <= TAKEN_STATEMENTS, taken
    statuses = (await session.scalars(select(InboundEvent.status))).all()
    assert statuses == ["processed"] * 4
    texts = (await session.scalars(select(Message.provider_message_id))).all()
    assert sorted(texts) == ["evt_1", "evt_2", "evt_3", "evt_4"]
