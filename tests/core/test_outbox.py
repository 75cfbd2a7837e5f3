"""The outbox: events commit with their change, are delivered at least once, dead-letter."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any, ClassVar

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.core.audit import AuditEntry
from omnidesk.core.dispatcher import Dispatcher, DispatcherConfig
from omnidesk.core.events import (
    DEAD,
    DONE,
    DeliveredEvent,
    Event,
    EventDelivery,
    OutboxEvent,
    PermanentError,
    RetryLater,
    Subscriber,
    SubscriberRegistry,
    emit,
    install_commit_wakeup,
)
from omnidesk.core.outbox import do_replay_delivery
from omnidesk.domains.workspaces.models import Workspace
from tests.waiting import until

FAST = DispatcherConfig(backoff_base_seconds=0, backoff_cap_seconds=0, max_attempts=4)


class ThingHappened(Event):
    name: ClassVar[str] = "test.thing_happened"
    example: ClassVar[dict[str, Any]] = {"n": 1}

    n: int


class TicketOpened(Event):
    name: ClassVar[str] = "test.ticket_opened"
    example: ClassVar[dict[str, Any]] = {"id": "a"}

    id: str


class Nothing(Event):
    name: ClassVar[str] = "test.nothing"
    example: ClassVar[dict[str, Any]] = {}


async def _workspace(session: AsyncSession) -> int:
    ws = Workspace(slug="outbox", name="outbox")
    session.add(ws)
    await session.commit()
    return ws.id


async def test_an_event_is_stored_only_when_its_transaction_commits(
    session: AsyncSession,
) -> None:
    ws_id = await _workspace(session)
    emit(session, ThingHappened(n=1), workspace_id=ws_id)
    await session.rollback()
    emit(session, ThingHappened(n=2), workspace_id=ws_id)
    await session.commit()
    payloads = (await session.scalars(select(OutboxEvent.payload))).all()
    assert payloads == [{"n": 2}]


async def test_a_handler_failing_twice_still_applies_each_event_exactly_once(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ws_id = await _workspace(session)
    registry = SubscriberRegistry()
    attempts: dict[int, int] = {}

    @registry.subscribe(ThingHappened, name="audit.copy")
    async def copy_to_audit(event: DeliveredEvent, db: AsyncSession) -> None:
        db.add(AuditEntry(workspace_id=event.workspace_id, action="copied",
                          object_id=str(event.id)))
        attempts[event.id] = attempts.get(event.id, 0) + 1
        if attempts[event.id] <= 2:
            await db.flush()  # the write is rolled back with the failure
            raise ConnectionError("downstream unavailable")

    for n in range(5):
        emit(session, ThingHappened(n=n), workspace_id=ws_id)
    emit(session, Nothing(), workspace_id=ws_id)
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

    @registry.subscribe(TicketOpened, name="always.fails")
    async def broken(event: DeliveredEvent, db: AsyncSession) -> None:
        raise ValueError("bug in handler")

    @registry.subscribe(TicketOpened, name="works", reads=("id",))
    async def works(event: DeliveredEvent[TicketOpened], db: AsyncSession) -> None:
        seen.append(event.data.id)

    for n in ("a", "b"):
        emit(session, TicketOpened(id=n), workspace_id=ws_id)
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
        "always.fails", (TicketOpened,), works)
    await Dispatcher(session_factory, registry, FAST).drain()
    await session.refresh(dead[0])
    assert dead[0].status == DONE


async def test_permanent_errors_dead_letter_at_once_and_retry_later_waits(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ws_id = await _workspace(session)
    registry = SubscriberRegistry()

    @registry.subscribe(Nothing, name="permanent")
    async def permanent(event: DeliveredEvent, db: AsyncSession) -> None:
        raise PermanentError("invalid number")

    @registry.subscribe(Nothing, name="rate.limited")
    async def limited(event: DeliveredEvent, db: AsyncSession) -> None:
        raise RetryLater("429", seconds=3600)

    emit(session, Nothing(), workspace_id=ws_id)
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

    @registry.subscribe(ThingHappened, name="count")
    async def count(event: DeliveredEvent, db: AsyncSession) -> None:
        calls.append(event.id)
        await asyncio.sleep(0)

    for n in range(30):
        emit(session, ThingHappened(n=n), workspace_id=ws_id)
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

    @registry.subscribe(ThingHappened, name="copy", reads=("n",))
    async def copy(event: DeliveredEvent[ThingHappened], db: AsyncSession) -> None:
        runs.append(event.data.n)
        if event.data.n == 0:  # its writes break a unique constraint at commit time
            db.add(Workspace(slug="outbox", name="duplicate slug"))
        else:
            db.add(AuditEntry(workspace_id=event.workspace_id, action="copied",
                              object_id=str(event.data.n)))

    for n in range(6):
        emit(session, ThingHappened(n=n), workspace_id=ws_id)
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

    @registry.subscribe(Nothing, name="copy")
    async def copy(event: DeliveredEvent, db: AsyncSession) -> None:
        runs.append(event.attempt)

    emit(session, Nothing(), workspace_id=ws_id)
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

    @registry.subscribe(Nothing, name="copy")
    async def copy(event: DeliveredEvent, db: AsyncSession) -> None:
        db.add(AuditEntry(workspace_id=event.workspace_id, action="copied",
                          object_id=str(event.attempt)))
        if event.attempt == 1:  # too slow: its lease expires and another dispatcher runs it
            async with session_factory() as expire:
                await expire.execute(update(EventDelivery).values(
                    locked_until=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
                await expire.commit()
            await other.run_due()

    emit(session, Nothing(), workspace_id=ws_id)
    await session.commit()
    await Dispatcher(session_factory, registry, FAST).drain()

    copies = (await session.scalars(select(AuditEntry.object_id))).all()
    assert copies == ["2"]
    delivery = await session.scalar(select(EventDelivery))
    assert (delivery.status, delivery.attempts) == (DONE, 2)


async def test_no_delivery_is_written_for_an_event_the_subscribers_predicate_refuses(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ws_id = await _workspace(session)
    registry = SubscriberRegistry()
    seen: list[int] = []

    @registry.subscribe(ThingHappened, name="evens", reads=("n",), when=lambda e: e.n % 2 == 0)
    async def evens(event: DeliveredEvent[ThingHappened], db: AsyncSession) -> None:
        seen.append(event.data.n)

    for n in range(4):
        emit(session, ThingHappened(n=n), workspace_id=ws_id)
    await session.commit()
    await Dispatcher(session_factory, registry, FAST).drain()
    assert sorted(seen) == [0, 2]
    assert await session.scalar(select(func.count(EventDelivery.id))) == 2


def test_a_subscriber_cannot_read_a_field_its_events_do_not_carry() -> None:
    registry = SubscriberRegistry()

    async def handler(event: DeliveredEvent[Any], db: AsyncSession) -> None:
        return None

    with pytest.raises(ValueError, match="test.ticket_opened.*'n'"):
        registry.subscribe(ThingHappened, TicketOpened, name="both", reads=("n",))(handler)


async def test_a_stored_payload_its_model_rejects_is_dead_lettered_with_the_reason(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ws_id = await _workspace(session)
    registry = SubscriberRegistry()

    @registry.subscribe(ThingHappened, name="reader", reads=("n",), when=lambda e: e.n > 0)
    async def reader(event: DeliveredEvent[ThingHappened], db: AsyncSession) -> None:
        return None

    session.add(OutboxEvent(workspace_id=ws_id, name=ThingHappened.name, payload={"n": "x"}))
    await session.commit()
    await Dispatcher(session_factory, registry, FAST).drain()
    [delivery] = (await session.scalars(select(EventDelivery))).all()
    assert delivery.status == DEAD and delivery.attempts == 1
    assert "ThingHappened" in (delivery.last_error or "")


async def test_a_delivery_whose_event_is_gone_is_dead_lettered_and_the_rest_still_run(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ws_id = await _workspace(session)
    registry = SubscriberRegistry()
    seen: list[int] = []

    @registry.subscribe(ThingHappened, name="copy", reads=("n",))
    async def copy(event: DeliveredEvent[ThingHappened], db: AsyncSession) -> None:
        seen.append(event.data.n)

    for n in (1, 2):
        emit(session, ThingHappened(n=n), workspace_id=ws_id)
    await session.commit()
    dispatcher = Dispatcher(session_factory, registry, FAST)
    await dispatcher.fan_out()
    first = await session.scalar(select(func.min(OutboxEvent.id)))
    async with session_factory() as raw:  # the event vanishes under its delivery
        if raw.get_bind().dialect.name == "postgresql":
            await raw.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            await raw.execute(text("PRAGMA foreign_keys=OFF"))
        await raw.execute(delete(OutboxEvent).where(OutboxEvent.id == first))
        await raw.commit()
    await dispatcher.drain()

    rows = {d.event_id: d for d in (await session.scalars(select(EventDelivery))).all()}
    assert seen == [2]
    assert rows[first].status == DEAD and "no longer exists" in (rows[first].last_error or "")
    assert [d.status for e, d in rows.items() if e != first] == [DONE]


async def test_background_work_yields_to_customers_work_until_it_is_overdue(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ws_id = await _workspace(session)
    ran: list[str] = []
    registry = SubscriberRegistry()

    async def report(event: DeliveredEvent[ThingHappened], _: AsyncSession) -> None:
        ran.append(f"report {event.data.n}")

    async def answer(event: DeliveredEvent[TicketOpened], _: AsyncSession) -> None:
        ran.append(f"answer {event.data.id}")

    registry.subscribe(ThingHappened, name="test.report", background=True)(report)
    registry.subscribe(TicketOpened, name="test.answer")(answer)
    assert registry.background_names == {"test.report"}
    dispatcher = Dispatcher(session_factory, registry, FAST)
    emit(session, ThingHappened(n=1), workspace_id=ws_id)  # older, but housekeeping
    emit(session, TicketOpened(id="a"), workspace_id=ws_id)
    await session.commit()
    await dispatcher.drain()
    assert ran == ["answer a", "report 1"]

    ran.clear()
    emit(session, ThingHappened(n=2), workspace_id=ws_id)
    await session.commit()
    await dispatcher.fan_out()
    await session.execute(update(EventDelivery).where(EventDelivery.subscriber == "test.report")
                          .values(next_attempt_at=dt.datetime.now(dt.UTC)
                                  - dt.timedelta(seconds=30)))  # waited long enough
    emit(session, TicketOpened(id="b"), workspace_id=ws_id)
    await session.commit()
    await dispatcher.fan_out()
    await dispatcher.run_due()
    assert ran == ["report 2", "answer b"]


async def test_a_running_dispatcher_pushes_to_screens_while_the_bot_is_still_busy(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ws_id = await _workspace(session)
    ran: list[str] = []
    registry = SubscriberRegistry()
    bot_started, bot_may_finish = asyncio.Event(), asyncio.Event()

    async def slow_bot(event: DeliveredEvent[TicketOpened], _: AsyncSession) -> None:
        ran.append(f"bot {event.data.id} starts")
        bot_started.set()
        await bot_may_finish.wait()  # a long turn (the model, the store, the knowledge base)
        ran.append(f"bot {event.data.id} done")

    async def screens(event: DeliveredEvent[TicketOpened], _: AsyncSession) -> None:
        ran.append(f"screens {event.data.id}")

    registry.subscribe(TicketOpened, name="test.bot")(slow_bot)
    registry.subscribe(TicketOpened, name="test.screens", live=True)(screens)
    assert registry.live_names == {"test.screens"}
    dispatcher = Dispatcher(session_factory, registry, DispatcherConfig(poll_seconds=0.05))
    dispatcher.session_factory.kw["info"] = {"wake": dispatcher.wake}
    running = asyncio.create_task(dispatcher.run_forever())
    try:
        emit(session, TicketOpened(id="a"), workspace_id=ws_id)
        await session.commit()
        await asyncio.wait_for(bot_started.wait(), timeout=10)
        emit(session, TicketOpened(id="b"), workspace_id=ws_id)  # while a's turn runs
        await session.commit()
        for _ in range(200):
            if "screens b" in ran:
                break
            await asyncio.sleep(0.05)
        assert "screens b" in ran and "bot a done" not in ran, ran
        bot_may_finish.set()
        for _ in range(200):
            if "bot b done" in ran:
                break
            await asyncio.sleep(0.05)
    finally:
        bot_may_finish.set()
        dispatcher.stop()
        await asyncio.wait_for(running, timeout=10)
    assert ran.count("screens a") == ran.count("screens b") == 1
    assert ran.count("bot a done") == ran.count("bot b done") == 1
    assert ran.index("bot a done") < ran.index("bot b starts")  # the bot's lane keeps its order


async def test_cancelling_a_running_dispatcher_ends_both_lanes(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    registry = SubscriberRegistry()

    async def screens(event: DeliveredEvent[TicketOpened], _: AsyncSession) -> None:
        return None

    registry.subscribe(TicketOpened, name="test.screens", live=True)(screens)
    dispatcher = Dispatcher(session_factory, registry, DispatcherConfig(poll_seconds=0.05))
    running = asyncio.create_task(dispatcher.run_forever())
    await asyncio.sleep(0.3)
    lanes = len(asyncio.all_tasks())
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(running, timeout=5)
    await asyncio.sleep(0.1)
    assert len(asyncio.all_tasks()) <= lanes - 2  # neither lane is left running


class NoteAdded(Event):
    name: ClassVar[str] = "test.note_added"
    example: ClassVar[dict[str, Any]] = {"conversation_id": 1, "n": 1}

    conversation_id: int
    n: int



async def test_a_running_dispatcher_serves_other_conversations_while_one_waits_in_order(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """A slow turn (a model or a store that takes seconds) holds up its own conversation only;
    each conversation's deliveries still run one at a time, in order, once each."""
    ws_id = await _workspace(session)
    ran: list[tuple[int, int, str]] = []
    first_may_finish = asyncio.Event()
    registry = SubscriberRegistry()

    async def bot(event: DeliveredEvent[NoteAdded], _: AsyncSession) -> None:
        data = event.data
        ran.append((data.conversation_id, data.n, "start"))
        if (data.conversation_id, data.n) == (1, 1):
            await first_may_finish.wait()
        ran.append((data.conversation_id, data.n, "end"))

    registry.subscribe(NoteAdded, name="test.bot")(bot)
    dispatcher = Dispatcher(session_factory, registry,
                            DispatcherConfig(poll_seconds=0.05, concurrency=4))
    dispatcher.session_factory.kw["info"] = {"wake": dispatcher.wake}
    running = asyncio.create_task(dispatcher.run_forever())
    try:
        for n in (1, 2, 3):
            for conversation in (1, 2, 3):
                emit(session, NoteAdded(conversation_id=conversation, n=n), workspace_id=ws_id)
        await session.commit()
        await until(lambda: sum(1 for c, _, s in ran if c != 1 and s == "end") == 6)
        assert (1, 1, "end") not in ran and (1, 2, "start") not in ran, ran
        first_may_finish.set()
        await until(lambda: len(ran) == 18)
    finally:
        first_may_finish.set()
        dispatcher.stop()
        await asyncio.wait_for(running, timeout=10)
    for conversation in (1, 2, 3):
        mine = [(n, step) for c, n, step in ran if c == conversation]
        assert mine == [(1, "start"), (1, "end"), (2, "start"), (2, "end"),
                        (3, "start"), (3, "end")], (conversation, ran)
    done = await session.scalar(select(func.count()).select_from(EventDelivery)
                                .where(EventDelivery.status == DONE))
    assert done == 9


async def test_stopping_a_running_dispatcher_finishes_what_it_claimed(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    ws_id = await _workspace(session)
    ran: list[int] = []
    started = asyncio.Event()
    registry = SubscriberRegistry()

    async def slow(event: DeliveredEvent[NoteAdded], _: AsyncSession) -> None:
        started.set()
        await asyncio.sleep(0.2)
        ran.append(event.data.conversation_id)

    registry.subscribe(NoteAdded, name="test.slow")(slow)
    dispatcher = Dispatcher(session_factory, registry,
                            DispatcherConfig(poll_seconds=0.05, concurrency=3))
    for conversation in (1, 2, 3):
        emit(session, NoteAdded(conversation_id=conversation, n=1), workspace_id=ws_id)
    await session.commit()
    running = asyncio.create_task(dispatcher.run_forever())
    await asyncio.wait_for(started.wait(), timeout=10)
    dispatcher.stop()
    await asyncio.wait_for(running, timeout=10)
    assert sorted(ran) == [1, 2, 3]  # claimed before the stop: run, not abandoned to the lease
    pending = await session.scalar(select(func.count()).select_from(EventDelivery)
                                   .where(EventDelivery.status != DONE))
    assert pending == 0


@pytest.mark.parametrize("screens_finish", [True, False])
async def test_the_bot_waits_for_the_screens_but_not_for_ever(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch, screens_finish: bool,
) -> None:
    """Side by side, a customer's message reaches the screens before the bot's turn starts;
    screens that never finish hold the bot up only for the bounded wait."""
    import omnidesk.core.dispatcher as dispatcher_module

    monkeypatch.setattr(dispatcher_module, "YIELD_TO_LIVE_SECONDS", 60 if screens_finish else 0.05)
    ws_id = await _workspace(session)
    ran: list[str] = []
    screens_started, screens_may_finish = asyncio.Event(), asyncio.Event()
    registry = SubscriberRegistry()

    async def screens(event: DeliveredEvent[TicketOpened], _: AsyncSession) -> None:
        ran.append("screens start")
        screens_started.set()
        await screens_may_finish.wait()
        ran.append("screens end")

    async def bot(event: DeliveredEvent[TicketOpened], _: AsyncSession) -> None:
        ran.append("bot")

    registry.subscribe(TicketOpened, name="test.screens", live=True)(screens)
    registry.subscribe(TicketOpened, name="test.bot")(bot)
    dispatcher = Dispatcher(session_factory, registry,
                            DispatcherConfig(poll_seconds=0.05, concurrency=2))
    dispatcher.session_factory.kw["info"] = {"wake": dispatcher.wake}
    running = asyncio.create_task(dispatcher.run_forever())
    try:
        emit(session, TicketOpened(id="a"), workspace_id=ws_id)
        await session.commit()
        await asyncio.wait_for(screens_started.wait(), timeout=10)
        if screens_finish:
            await asyncio.sleep(0.5)  # the bot's delivery is claimed and waiting meanwhile
            assert ran == ["screens start"]
            screens_may_finish.set()
            await until(lambda: "bot" in ran)
            assert ran == ["screens start", "screens end", "bot"]
        else:
            await until(lambda: "bot" in ran)
            assert ran == ["screens start", "bot"]
    finally:
        screens_may_finish.set()
        dispatcher.stop()
        await asyncio.wait_for(running, timeout=10)


async def test_a_message_committed_during_an_idle_pass_is_not_left_to_the_poll(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """A commit that lands while a pass finds nothing wakes the next pass, not the poll's."""
    ws_id = await _workspace(session)
    seen: list[int] = []
    registry = SubscriberRegistry()

    async def handle(event: DeliveredEvent[ThingHappened], _: AsyncSession) -> None:
        seen.append(event.data.n)

    registry.subscribe(ThingHappened, name="test.handle")(handle)
    install_commit_wakeup()  # as every process does (app/bootstrap.py)
    dispatcher = Dispatcher(session_factory, registry, DispatcherConfig(poll_seconds=60))
    dispatcher.session_factory.kw["info"] = {"wake": dispatcher.wake}
    claim, arrived = dispatcher._claim_batch, []

    async def claim_while_a_message_arrives(size: int, lane: str | None = None) -> Any:
        claimed = await claim(size, lane)
        if not arrived:  # the first, empty pass: a customer's message commits meanwhile
            arrived.append(1)
            async with session_factory() as other:
                emit(other, ThingHappened(n=1), workspace_id=ws_id)
                await other.commit()
        return claimed

    dispatcher._claim_batch = claim_while_a_message_arrives  # type: ignore[method-assign]
    running = asyncio.create_task(dispatcher.run_forever())
    try:
        await until(lambda: seen == [1])  # long before the 60 s poll
    finally:
        dispatcher.stop()
        await asyncio.wait_for(running, timeout=10)


async def test_a_running_dispatcher_sends_only_the_statements_that_can_find_work(
    session: AsyncSession, session_factory: async_sessionmaker[AsyncSession],
    engine: Any,
) -> None:
    """Idle between polls it sends nothing; a message costs its fan-out, claims and settles,
    not a fan-out per lane and per wake-up (each an UPDATE and a commit)."""
    from sqlalchemy import event as sa_event

    ws_id = await _workspace(session)
    ran: list[str] = []
    statements: list[str] = []
    registry = SubscriberRegistry()

    async def screens(event: DeliveredEvent[TicketOpened], _: AsyncSession) -> None:
        ran.append("screens")

    async def bot(event: DeliveredEvent[TicketOpened], _: AsyncSession) -> None:
        ran.append("bot")

    registry.subscribe(TicketOpened, name="test.screens", live=True)(screens)
    registry.subscribe(TicketOpened, name="test.bot")(bot)
    install_commit_wakeup()
    dispatcher = Dispatcher(session_factory, registry, DispatcherConfig(poll_seconds=30))
    dispatcher.session_factory.kw["info"] = {"wake": dispatcher.wake}

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.split(None, 1)[0].upper() in {"SELECT", "UPDATE", "INSERT", "DELETE",
                                                    "WITH"}:
            statements.append(statement)

    running = asyncio.create_task(dispatcher.run_forever())
    sa_event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        await asyncio.sleep(0.5)  # the first passes look at everything, then both lanes wait
        statements.clear()
        await asyncio.sleep(0.5)
        assert statements == []  # idle: nothing until the poll
        async with session_factory() as other:
            emit(other, TicketOpened(id="a"), workspace_id=ws_id)
            await other.commit()
        await until(lambda: sorted(ran) == ["bot", "screens"])
        await asyncio.sleep(0.5)
        statements[:] = [s for s in statements if not s.startswith("INSERT INTO outbox_events")]
        fan_outs = [s for s in statements if "fanned_out" in s and s.lstrip().startswith("UPDATE")]
        assert len(fan_outs) == 1, fan_outs  # the live lane's, once
        # fan-out (UPDATE, INSERT), per lane a claim that finds work, its settle and a claim
        # that finds none (SQLite reads the claimed events apart: one more each)
        most = 8 if engine.dialect.name == "postgresql" else 10
        assert len(statements) <= most, statements
    finally:
        sa_event.remove(engine.sync_engine, "before_cursor_execute", count)
        dispatcher.stop()
        await asyncio.wait_for(running, timeout=10)
