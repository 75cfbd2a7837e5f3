"""The outbox: events commit with their change, are delivered at least once, dead-letter."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.core.audit import AuditEntry
from omnidesk.core.dispatcher import Dispatcher, DispatcherConfig
from omnidesk.core.events import (
    DEAD,
    DONE,
    DeliveredEvent,
    EventDelivery,
    OutboxEvent,
    PermanentError,
    RetryLater,
    Subscriber,
    SubscriberRegistry,
    emit,
)
from omnidesk.core.outbox import do_replay_delivery
from omnidesk.domains.workspaces.models import Workspace

FAST = DispatcherConfig(backoff_base_seconds=0, backoff_cap_seconds=0, max_attempts=4)


async def _workspace(session: AsyncSession) -> int:
    ws = Workspace(slug="outbox", name="outbox")
    session.add(ws)
    await session.commit()
    return ws.id


async def test_an_event_is_stored_only_when_its_transaction_commits(
    session: AsyncSession,
) -> None:
    ws_id = await _workspace(session)
    emit(session, "thing.happened", {"n": 1}, workspace_id=ws_id)
    await session.rollback()
    emit(session, "thing.happened", {"n": 2}, workspace_id=ws_id)
    await session.commit()
    payloads = (await session.scalars(select(OutboxEvent.payload))).all()
    assert payloads == [{"n": 2}]


async def test_a_handler_failing_twice_still_applies_each_event_exactly_once(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ws_id = await _workspace(session)
    registry = SubscriberRegistry()
    attempts: dict[int, int] = {}

    @registry.subscribe("order.placed", name="audit.copy")
    async def copy_to_audit(event: DeliveredEvent, db: AsyncSession) -> None:
        db.add(AuditEntry(workspace_id=event.workspace_id, action="copied",
                          object_id=str(event.id)))
        attempts[event.id] = attempts.get(event.id, 0) + 1
        if attempts[event.id] <= 2:
            await db.flush()  # the write is rolled back with the failure
            raise ConnectionError("downstream unavailable")

    for n in range(5):
        emit(session, "order.placed", {"n": n}, workspace_id=ws_id)
    emit(session, "unrelated.event", {}, workspace_id=ws_id)
    await session.commit()

    await Dispatcher(session_factory, registry, FAST).drain()

    copies = (await session.scalars(
        select(AuditEntry.object_id).where(AuditEntry.action == "copied"))).all()
    assert sorted(copies) == sorted({c for c in copies}) and len(copies) == 5
    assert set(attempts.values()) == {3}
    statuses = (await session.scalars(select(EventDelivery.status))).all()
    assert statuses == [DONE] * 5


async def test_a_failing_handler_is_dead_lettered_without_blocking_others(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ws_id = await _workspace(session)
    registry = SubscriberRegistry()
    seen: list[str] = []

    @registry.subscribe("ticket.opened", name="always.fails")
    async def broken(event: DeliveredEvent, db: AsyncSession) -> None:
        raise ValueError("bug in handler")

    @registry.subscribe("ticket.opened", name="works")
    async def works(event: DeliveredEvent, db: AsyncSession) -> None:
        seen.append(event.payload["id"])

    for n in ("a", "b"):
        emit(session, "ticket.opened", {"id": n}, workspace_id=ws_id)
    await session.commit()
    await Dispatcher(session_factory, registry, FAST).drain()

    assert sorted(seen) == ["a", "b"]
    dead = (await session.scalars(
        select(EventDelivery).where(EventDelivery.status == DEAD))).all()
    assert [d.subscriber for d in dead] == ["always.fails"] * 2
    assert all(d.attempts == FAST.max_attempts and "bug in handler" in d.last_error
               for d in dead)

    await do_replay_delivery(session, delivery_id=dead[0].id)
    await session.commit()
    registry.subscribers["always.fails"] = Subscriber(  # the bug is fixed; replay succeeds
        "always.fails", frozenset({"ticket.opened"}), works)
    await Dispatcher(session_factory, registry, FAST).drain()
    await session.refresh(dead[0])
    assert dead[0].status == DONE


async def test_permanent_errors_dead_letter_at_once_and_retry_later_waits(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ws_id = await _workspace(session)
    registry = SubscriberRegistry()

    @registry.subscribe("send.sms", name="permanent")
    async def permanent(event: DeliveredEvent, db: AsyncSession) -> None:
        raise PermanentError("invalid number")

    @registry.subscribe("send.sms", name="rate.limited")
    async def limited(event: DeliveredEvent, db: AsyncSession) -> None:
        raise RetryLater("429", seconds=3600)

    emit(session, "send.sms", {}, workspace_id=ws_id)
    await session.commit()
    await Dispatcher(session_factory, registry, FAST).drain()
    rows = {d.subscriber: d for d in (await session.scalars(select(EventDelivery))).all()}
    assert rows["permanent"].status == DEAD and rows["permanent"].attempts == 1
    assert rows["rate.limited"].status == "pending" and rows["rate.limited"].attempts == 1
    wait = rows["rate.limited"].next_attempt_at - rows["rate.limited"].created_at
    assert wait.total_seconds() > 3500


async def test_two_dispatchers_never_deliver_the_same_event_twice(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    import asyncio

    ws_id = await _workspace(session)
    registry = SubscriberRegistry()
    calls: list[int] = []

    @registry.subscribe("tick", name="count")
    async def count(event: DeliveredEvent, db: AsyncSession) -> None:
        calls.append(event.id)
        await asyncio.sleep(0)

    for n in range(30):
        emit(session, "tick", {"n": n}, workspace_id=ws_id)
    await session.commit()
    first, second = (Dispatcher(session_factory, registry, FAST) for _ in range(2))
    await asyncio.gather(first.drain(), second.drain())
    assert len(calls) == 30 and len(set(calls)) == 30
    total = await session.scalar(select(func.count(EventDelivery.id)))
    assert total == 30


async def test_a_delivery_whose_commit_fails_is_marked_apart_and_never_blocks_its_batch(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ws_id = await _workspace(session)
    registry = SubscriberRegistry()
    runs: list[int] = []

    @registry.subscribe("order.placed", name="copy")
    async def copy(event: DeliveredEvent, db: AsyncSession) -> None:
        runs.append(event.payload["n"])
        if event.payload["n"] == 0:  # its writes break a unique constraint at commit time
            db.add(Workspace(slug="outbox", name="duplicate slug"))
        else:
            db.add(AuditEntry(workspace_id=event.workspace_id, action="copied",
                              object_id=str(event.payload["n"])))

    for n in range(6):
        emit(session, "order.placed", {"n": n}, workspace_id=ws_id)
    await session.commit()
    await Dispatcher(session_factory, registry, FAST).drain()

    rows = (await session.scalars(select(EventDelivery).order_by(EventDelivery.id))).all()
    assert [r.status for r in rows] == [DEAD] + [DONE] * 5
    assert rows[0].attempts == FAST.max_attempts and rows[0].locked_until is None
    assert "IntegrityError" in rows[0].last_error
    assert sorted(runs) == [0] * FAST.max_attempts + [1, 2, 3, 4, 5]
    copies = (await session.scalars(select(AuditEntry.object_id))).all()
    assert sorted(copies) == ["1", "2", "3", "4", "5"]


async def test_a_delivery_whose_last_attempt_died_with_its_process_is_dead_lettered(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ws_id = await _workspace(session)
    registry = SubscriberRegistry()
    runs: list[int] = []

    @registry.subscribe("order.placed", name="copy")
    async def copy(event: DeliveredEvent, db: AsyncSession) -> None:
        runs.append(event.attempt)

    emit(session, "order.placed", {}, workspace_id=ws_id)
    await session.commit()
    dispatcher = Dispatcher(session_factory, registry, FAST)
    await dispatcher.fan_out()
    await session.execute(update(EventDelivery).values(  # a worker was killed mid-attempt
        status="running", attempts=FAST.max_attempts,
        locked_until=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    await session.commit()
    await dispatcher.drain()

    delivery = await session.scalar(select(EventDelivery))
    await session.refresh(delivery)
    assert runs == []
    assert delivery.status == DEAD and delivery.attempts == FAST.max_attempts
    assert "attempt limit" in delivery.last_error


async def test_an_attempt_whose_lease_was_taken_over_does_not_apply_its_writes(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ws_id = await _workspace(session)
    registry = SubscriberRegistry()
    other = Dispatcher(session_factory, registry, FAST)

    @registry.subscribe("order.placed", name="copy")
    async def copy(event: DeliveredEvent, db: AsyncSession) -> None:
        db.add(AuditEntry(workspace_id=event.workspace_id, action="copied",
                          object_id=str(event.attempt)))
        if event.attempt == 1:  # too slow: its lease expires and another dispatcher runs it
            async with session_factory() as expire:
                await expire.execute(update(EventDelivery).values(
                    locked_until=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
                await expire.commit()
            await other.run_due()

    emit(session, "order.placed", {}, workspace_id=ws_id)
    await session.commit()
    await Dispatcher(session_factory, registry, FAST).drain()

    copies = (await session.scalars(select(AuditEntry.object_id))).all()
    assert copies == ["2"]
    delivery = await session.scalar(select(EventDelivery))
    assert (delivery.status, delivery.attempts) == (DONE, 2)
