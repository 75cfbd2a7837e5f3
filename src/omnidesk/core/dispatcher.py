"""The outbox dispatcher: fans events out to subscribers and runs deliveries with retries."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple, cast

from pydantic import ValidationError
from sqlalchemy import Row, Table, and_, bindparam, false, insert, not_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql import Executable

from omnidesk.core.db import rowcount, utcnow
from omnidesk.core.events import (
    DEAD,
    DONE,
    PENDING,
    RUNNING,
    DeliveredEvent,
    Event,
    EventDelivery,
    OutboxEvent,
    PermanentError,
    RetryLater,
    Subscriber,
    SubscriberRegistry,
)
from omnidesk.core.scheduler import Schedule, fire_due_schedules

log = logging.getLogger("omnidesk.dispatcher")
CLAIM_BATCH = 10  # small, so a slow handler cannot outlive the lease of deliveries behind it
# Background deliveries (schedules, reports) wait while other work is due, but no longer than
# this past their time, so a steady stream of messages cannot starve routing's tick.
BACKGROUND_YIELD_SECONDS = 5.0
# The lanes of a running dispatcher (``run_forever``): live deliveries (screens) and the rest.
LIVE, MAIN = "live", "main"
# Deliveries a running lane runs at once on a database with concurrent writers (PostgreSQL),
# unless ``Settings.dispatcher_concurrency`` says otherwise; SQLite runs one at a time.
DEFAULT_CONCURRENCY = 4
# A main-lane delivery waits up to this long for the live lane's deliveries in flight to end
# before it starts (screens first; bounded, so a stream of messages cannot starve the bot).
YIELD_TO_LIVE_SECONDS = 0.1
# The dispatcher's own statements are Core statements on its tables, built once (see
# ``Dispatcher._statement``): no ORM object is read or written, so the ORM's bulk-statement
# machinery (autoflush, synchronisation, annotated copies re-keyed on every run) is skipped.
_DELIVERY_TABLE = cast(Table, EventDelivery.__table__)
_OUTBOX_TABLE = cast(Table, OutboxEvent.__table__)
_DELIVERIES, _OUTBOX = _DELIVERY_TABLE.c, _OUTBOX_TABLE.c
_INSERT_DELIVERIES = insert(_DELIVERY_TABLE)


@dataclass
class DispatcherConfig:
    """Tuning of retries and polling."""

    max_attempts: int = 6
    backoff_base_seconds: float = 2.0
    backoff_cap_seconds: float = 600.0
    lease_seconds: float = 120.0
    batch_size: int = 100
    poll_seconds: float = 1.0
    # Deliveries a running lane (``run_forever``) runs at once, each of another partition
    # (``partition_of``: one conversation's, one sender's); 1 runs them one after another.
    concurrency: int = 1


class _EventRow(NamedTuple):
    """The columns of a claimed delivery's event that running it reads."""

    id: int
    name: str
    workspace_id: int | None
    payload: dict[str, Any]
    key: str | None
    created_at: dt.datetime


_EVENT_COLUMNS = tuple(_OUTBOX[name] for name in _EventRow._fields)


class _Claimed(NamedTuple):
    """A delivery this dispatcher holds the lease of, with its event's columns (None if gone)."""

    id: int
    subscriber: str
    attempts: int
    event: _EventRow | None


def partition_of(payload: Mapping[str, Any]) -> str:
    """Name the partition of an event: its deliveries run in claim order within it.

    One conversation's events form one partition, as do one sender's stored provider events
    (``partition`` in their payload); every other event shares the one unnamed partition, so
    such work keeps the one-at-a-time order it always had.
    """
    conversation = payload.get("conversation_id")
    if conversation is not None:
        return f"conversation:{conversation}"
    partition = payload.get("partition")
    return "" if partition is None else f"partition:{partition}"


class _Partitions:
    """Run claimed deliveries as tasks: up to ``limit`` at once, one at a time within a
    partition and in the order they were submitted there (each waits for the one before)."""

    def __init__(self, run: Callable[[_Claimed], Awaitable[None]], limit: int, *,
                 yield_to: Callable[[], _Partitions | None] | None = None) -> None:
        self._run, self._limit = run, limit
        self._slots = asyncio.Semaphore(limit)
        self._tails: dict[str, asyncio.Task[None]] = {}  # each partition's last task
        self._tasks: set[asyncio.Task[None]] = set()
        self.finished = asyncio.Event()  # set whenever a task ends (room to claim more)
        self.idle = asyncio.Event()  # set while nothing is in flight or fanned out for it
        self.idle.set()
        self._yield_to = yield_to  # the lane whose work goes first (the live one), if any

    def __len__(self) -> int:
        return len(self._tasks)

    @property
    def room(self) -> int:
        """How many more deliveries may be claimed: twice the limit ahead of what runs, not
        more (a claimed delivery holds its lease while it waits)."""
        return 2 * self._limit - len(self._tasks)

    def submit(self, claimed: _Claimed) -> None:
        """Run a delivery after the partition's earlier ones."""
        key = "" if claimed.event is None else partition_of(claimed.event.payload)
        task = asyncio.create_task(self._after(self._tails.get(key), claimed))
        self._tails[key] = task
        self._tasks.add(task)
        self.idle.clear()
        task.add_done_callback(functools.partial(self._done, key))

    async def _after(self, before: asyncio.Task[None] | None, claimed: _Claimed) -> None:
        if before is not None:
            await asyncio.wait((before,))  # its end, whatever its outcome
        first = self._yield_to() if self._yield_to is not None else None
        if first is not None and not first.idle.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(first.idle.wait(), YIELD_TO_LIVE_SECONDS)
        async with self._slots:
            await self._run(claimed)

    def _done(self, key: str, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if self._tails.get(key) is task:
            del self._tails[key]
        if not self._tasks:
            self.idle.set()
        self.finished.set()

    async def join(self) -> None:
        """Wait until every submitted delivery has run."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    def cancel(self) -> None:
        """Cancel what has not run (its leases expire and another pass runs it again)."""
        for task in self._tasks:
            task.cancel()


@dataclass
class _Look:
    """What a running lane's next pass must look at (see ``Dispatcher._pass``)."""

    fan_more: bool = False  # the last fan-out took a full batch: more events may wait
    claim_more: bool = False  # the last claim found work, or the lane was full: more may be due
    last_full: float = -1e9  # monotonic time of the last pass that looked at everything

    def due(self, every: float) -> bool:
        """Tell (and note) whether a pass that looks at everything is due."""
        now = time.monotonic()
        if now - self.last_full < every:
            return False
        self.last_full = now
        return True


class Dispatcher:
    """Deliver outbox events at least once; safe to run in several processes at once."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        registry: SubscriberRegistry,
        config: DispatcherConfig | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.registry = registry
        self.config = config or DispatcherConfig()
        self._wake = asyncio.Event()
        self._live_wake = asyncio.Event()  # the live lane's (run_forever only)
        # Whether background deliveries may be due (saves a claim statement on idle passes):
        # set when this process fans some out and after each idle poll (another process may have).
        self._background_maybe = True
        self._next_runs: dict[str, dt.datetime] = {}  # when each schedule is due, as last seen
        self._stopping = False
        self._statements: dict[tuple[Any, ...], Executable] = {}  # see _statement
        self._lanes: dict[str | None, _Partitions] = {}  # running lanes' deliveries in flight
        self._two_lanes = False  # running with a live lane: it alone fans out new events

    def wake(self) -> None:
        """Ask the loops to look for work now (called after commits that wrote events).

        With two lanes running, only the live one: it fans the events out and wakes the main
        lane when some of their deliveries are the main lane's.
        """
        self._live_wake.set()
        if not self._two_lanes:
            self._wake.set()

    def stop(self) -> None:
        """Ask the loops to finish their current pass and return."""
        self._stopping = True
        self._wake.set()
        self._live_wake.set()

    async def run_forever(self) -> None:
        """Process work until stopped, sleeping between idle polls.

        With live subscribers (screens) registered, two lanes run side by side: the live one
        fans out new events and runs only live deliveries; the main one runs everything else
        (the bot, routing, reports, schedules). A customer's message reaches the agents' screens
        while the bot's turn for the message before it is still running.
        """
        live = (asyncio.create_task(self._run_lane(LIVE)) if self.registry.live_names
                else None)
        self._two_lanes = live is not None
        try:
            await self._run_lane(MAIN if live is not None else None)
        finally:
            self._two_lanes = False
            if live is not None:
                if not self._stopping:  # cancelled rather than stopped: the live lane goes too
                    live.cancel()
                self._live_wake.set()
                with contextlib.suppress(asyncio.CancelledError):
                    await live

    async def _run_lane(self, lane: str | None) -> None:
        wake = self._live_wake if lane == LIVE else self._wake
        # Deliveries in flight, with ``concurrency`` > 1; passes called directly (tests, the
        # CLI) run theirs one at a time before returning.
        running = None
        if self.config.concurrency > 1:
            running = self._lanes[lane] = _Partitions(
                self._run_isolated, self.config.concurrency,
                yield_to=None if lane == LIVE else functools.partial(self._lanes.get, LIVE))
        look = _Look()
        try:
            while not self._stopping:
                if running is not None:
                    running.finished.clear()
                try:
                    worked = await self._pass(lane, running, look)
                except Exception:  # keep the loop alive; the error is logged with context
                    log.exception("dispatcher pass failed", extra={"lane": lane or "all"})
                    worked = 0
                if worked or self._stopping:
                    continue
                # Not cleared here: a commit during the pass (after fan-out cleared it) set it,
                # and its events are not fanned out yet, so the wait ends at once.
                if not await self._idle(wake, running) and lane != LIVE:
                    self._background_maybe = True
            if running is not None:  # stopped: what this lane claimed still runs
                await running.join()
        finally:
            if running is not None:
                running.cancel()  # cancelled: their leases expire; another pass runs them
                del self._lanes[lane]

    async def _idle(self, wake: asyncio.Event, running: _Partitions | None) -> bool:
        """Wait for a wake-up, or for a delivery in flight to end (room to claim more), at
        most a poll interval; tell whether anything happened."""
        waits = [asyncio.ensure_future(wake.wait())]
        if running is not None and len(running):
            waits.append(asyncio.ensure_future(running.finished.wait()))
        try:
            done, _ = await asyncio.wait(waits, timeout=self.config.poll_seconds,
                                         return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiting in waits:
                waiting.cancel()
        return bool(done)

    async def run_once(self, lane: str | None = None) -> int:
        """Fire due schedules, fan out new events and run due deliveries once (of one lane:
        ``LIVE`` fans out and runs live deliveries, ``MAIN`` the schedules and the rest; None,
        as tests and the CLI call it, everything)."""
        return await self._pass(lane, None)

    async def _pass(self, lane: str | None, running: _Partitions | None,
                    look: _Look | None = None) -> int:
        """One pass of a lane; with ``look`` (a running lane's), only the statements that
        can find something: new events after a wake-up (the live lane's job when there are
        two), deliveries after a wake-up or while the last claim found some, and everything
        once a poll interval (retries coming due, other processes' work)."""
        if self.registry.schedules and lane != LIVE:
            await fire_due_schedules(self.session_factory, [
                Schedule(name, seconds) for name, seconds in self.registry.schedules.items()],
                self._next_runs)
        wake = self._live_wake if lane == LIVE else self._wake
        woken = wake.is_set()
        if lane == MAIN:
            wake.clear()  # the live lane's fan-out set it; this pass claims what that made
        full = look is None or look.due(self.config.poll_seconds)
        fan_more, claim_more = (False, False) if look is None else (look.fan_more,
                                                                    look.claim_more)
        fanned = 0
        if full or ((woken or fan_more) and lane != MAIN):
            fanned = await self.fan_out(lane)
        ran = 0
        if full or woken or fanned or claim_more:
            ran = await self._run_due(lane, running)
        if look is not None:
            look.fan_more = fanned >= self.config.batch_size
            look.claim_more = bool(ran) or (running is not None and running.room <= 0)
        return fanned + ran

    async def drain(self, *, max_passes: int = 100) -> None:
        """Run passes until nothing is due now (tests and the CLI use this).

        Background work counts as maybe due again: another dispatcher (or this one's earlier
        passes) may have fanned some out since this one last found none.
        """
        self._background_maybe = True
        for _ in range(max_passes):
            if not await self.run_once():
                return

    async def fan_out(self, lane: str | None = None) -> int:
        """Create one delivery per subscriber that would act on each event not yet fanned out
        (either lane may; the other is woken when it got work)."""
        # what woke this lane is fanned out now; a later commit wakes it again
        (self._live_wake if lane == LIVE else self._wake).clear()
        async with self.session_factory() as session:
            connection = await session.connection()  # Core: no ORM object is involved
            claimed = (await connection.execute(
                self._statement(("fan_out",), self._fan_out_sql))).all()
            if claimed:
                await self._refresh_audiences(session, {row.name for row in claimed})
            rows = [
                {"event_id": row.id, "workspace_id": row.workspace_id, "subscriber": name,
                 "status": PENDING, "attempts": 0, "next_attempt_at": utcnow(),
                 "created_at": utcnow()}
                for row in sorted(claimed, key=_first)
                for name in self.interested(row.name, row.payload, row.workspace_id)
            ]
            if rows:
                await connection.execute(_INSERT_DELIVERIES, rows)
                background = self.registry.background_names
                self._background_maybe |= any(r["subscriber"] in background for r in rows)
            await session.commit()
        if rows and lane is not None:  # the other lane's deliveries: tell it
            live = self.registry.live_names
            live_lane = self._lanes.get(LIVE)
            if live_lane is not None and any(r["subscriber"] in live for r in rows):
                live_lane.idle.clear()  # due screens' work: the main lane's waits for it
            if any((r["subscriber"] in live) != (lane == LIVE) for r in rows):
                (self._wake if lane == LIVE else self._live_wake).set()
        return len(claimed)

    async def _refresh_audiences(self, session: AsyncSession, names: set[str]) -> None:
        """Reload, once for this pass, the audiences of subscribers of these event types.

        Subscribers may share one audience object (one query for several of them).
        """
        due = {id(s.audience): s.audience for s in self.registry.subscribers.values()
               if s.audience is not None and s.event_names & names}
        for audience in due.values():
            await audience.refresh(session)

    def interested(self, event_name: str, payload: dict[str, Any],
                   workspace_id: int | None = None) -> list[str]:
        """Name the subscribers whose declared types, audience and predicate take this event.

        A payload its model rejects still gets its deliveries, so the failure shows as a
        dead letter naming the error rather than as silence.
        """
        subscribers = [s for s in self.registry.for_name(event_name)
                       if s.audience is None or s.audience.wants(workspace_id, event_name)]
        if all(s.when is None for s in subscribers):
            return [s.name for s in subscribers]
        model = next(e for s in subscribers for e in s.events if e.name == event_name)
        try:
            event = model.model_validate(payload)
        except ValidationError:
            log.warning("unreadable event payload", extra={"event": event_name})
            return [s.name for s in subscribers]
        return [s.name for s in subscribers if _wants(s, event, workspace_id)]

    async def run_due(self, lane: str | None = None) -> int:
        """Claim due deliveries (of a lane) in small batches and run each in its own
        transaction, one after another."""
        return await self._run_due(lane, None)

    async def _run_due(self, lane: str | None, running: _Partitions | None) -> int:
        """As ``run_due``; with ``running`` (a running lane's, ``concurrency`` > 1) the claimed
        deliveries become its tasks, partitioned by conversation, and this returns once they
        are claimed."""
        handled = 0
        wake = self._live_wake if lane == LIVE else self._wake
        while handled < self.config.batch_size:
            size = CLAIM_BATCH
            if running is not None:
                size = min(size, running.room)
                if size <= 0:
                    break  # the lane waits for a delivery in flight to end
            claimed = await self._claim_batch(size, lane)
            for delivery in claimed:
                if running is not None:
                    running.submit(delivery)
                else:
                    await self._run_isolated(delivery)
            handled += len(claimed)
            if len(claimed) < size or wake.is_set():
                break  # nothing more, or new events to fan out first (a customer's message)
        if running is not None and not len(running):
            running.idle.set()  # claimed all that was due, and it has run
        return handled

    async def _claim_batch(self, size: int, lane: str | None = None) -> list[_Claimed]:
        """Mark up to `size` due deliveries as running under a lease; return them with events.

        Customers' work comes first; background work (``SubscriberRegistry.background_names``)
        is claimed one delivery at a time when nothing else is due, so a message that arrives
        meanwhile waits for one housekeeping job at most, not a batch of them; once it is
        ``BACKGROUND_YIELD_SECONDS`` overdue it is claimed with the rest (it cannot starve).
        The events are read in the claim's transaction: on PostgreSQL by the claim itself (its
        UPDATE in a WITH query, joined to the events), elsewhere by one query for the batch; so
        running a delivery costs its handler's statements plus one UPDATE and the commit.
        """
        now = utcnow()
        async with self.session_factory() as session:
            if lane == LIVE:
                claimed = await self._claim(session, "live", size, now)
            else:
                mine = "mine" if lane is not None and self.registry.live_names else "all"
                claimed = await self._claim(session, mine, size, now)
                if not claimed and self._background_maybe:  # nothing else: one background job
                    claimed = await self._claim(session, f"{mine}-background", 1, now)
                    self._background_maybe = bool(claimed)
            await session.commit()
        return sorted(claimed)

    async def _claim(self, session: AsyncSession, kind: str, size: int,
                     now: dt.datetime) -> list[_Claimed]:
        """Claim up to `size` due deliveries of a kind (see ``_claim_sql``) under a lease,
        with their events (None where the event is gone: the run dead-letters it)."""
        connection = await session.connection()
        joined = connection.dialect.name == "postgresql"  # UPDATE in WITH: PostgreSQL only
        statement = self._statement(("claim", kind, size, joined),
                                    lambda: self._claim_sql(kind, size, joined=joined))
        rows = (await connection.execute(statement, {
            "now": now, "locked_until": now + dt.timedelta(seconds=self.config.lease_seconds),
            "overdue_before": now - dt.timedelta(seconds=BACKGROUND_YIELD_SECONDS),
        })).all()
        if joined:
            return [_Claimed(row[0], row[2], row[3],
                             None if row[4] is None else _EventRow._make(row[4:]))
                    for row in rows]
        events: dict[int, _EventRow] = {}
        if rows:
            found = await connection.execute(self._statement(("events",), _events_sql),
                                             {"ids": sorted({row.event_id for row in rows})})
            events = {row[0]: _EventRow._make(row) for row in found.all()}
        return [_Claimed(row.id, row.subscriber, row.attempts, events.get(row.event_id))
                for row in rows]

    def _statement(self, key: tuple[Any, ...], build: Callable[[], Executable]) -> Executable:
        """Return a hot statement built once per registry state (SQLAlchemy then reuses its
        compiled form without building and keying the expression again on every pass)."""
        key = (*key, self.registry.live_names, self.registry.background_names)
        statement = self._statements.get(key)
        if statement is None:
            statement = self._statements[key] = build()
        return statement

    def _fan_out_sql(self) -> Executable:
        """Mark a batch of events fanned out, returning them."""
        candidates = (select(_OUTBOX.id).where(_OUTBOX.fanned_out.is_(False))
                      .order_by(_OUTBOX.id).limit(self.config.batch_size)
                      .scalar_subquery())
        return (update(_OUTBOX_TABLE)
                .where(_OUTBOX.id.in_(candidates), _OUTBOX.fanned_out.is_(False))
                .values(fanned_out=True)
                .returning(_OUTBOX.id, _OUTBOX.name, _OUTBOX.workspace_id, _OUTBOX.payload))

    def _claim_sql(self, kind: str, size: int, *, joined: bool = False) -> Executable:
        """Build the claim of one kind of due delivery: ``live`` (the live lane's), ``mine``
        (the main lane's: not live), ``all``; each but ``live`` takes background work only once
        overdue, and its ``-background`` form takes only background work. Rows: the delivery's
        id, event id, subscriber and attempts; ``joined`` (PostgreSQL), then its event's
        columns (``_EventRow``, all NULL where the event is gone)."""
        now = bindparam("now", type_=_DELIVERIES.next_attempt_at.type)
        due = or_(
            and_(_DELIVERIES.status == PENDING, _DELIVERIES.next_attempt_at <= now),
            and_(_DELIVERIES.status == RUNNING, _DELIVERIES.locked_until < now),
        )
        live = _DELIVERIES.subscriber.in_(sorted(self.registry.live_names))
        if kind == "live":
            where = and_(due, live)
        else:
            mine = and_(due, not_(live)) if kind.startswith("mine") else due
            background, overdue = self._background()
            where = (and_(mine, background) if kind.endswith("-background")
                     else and_(mine, or_(not_(background), overdue)))
        candidates = (select(_DELIVERIES.id).where(where)
                      .order_by(_DELIVERIES.next_attempt_at, _DELIVERIES.id)
                      .limit(size).scalar_subquery())
        claim = (update(_DELIVERY_TABLE)
                 .where(_DELIVERIES.id.in_(candidates), where)
                 .values(status=RUNNING, attempts=_DELIVERIES.attempts + 1,
                         locked_until=bindparam("locked_until",
                                                type_=_DELIVERIES.locked_until.type))
                 .returning(_DELIVERIES.id, _DELIVERIES.event_id, _DELIVERIES.subscriber,
                            _DELIVERIES.attempts))
        if not joined:
            return claim
        claimed = claim.cte("claimed")
        return (select(claimed.c.id, claimed.c.event_id, claimed.c.subscriber,
                       claimed.c.attempts, *_EVENT_COLUMNS)
                .select_from(claimed.outerjoin(_OUTBOX_TABLE,
                                               _OUTBOX.id == claimed.c.event_id)))

    def _background(self) -> tuple[Any, Any]:
        """Return (in SQL) whether a delivery is background work, and whether it has waited
        ``BACKGROUND_YIELD_SECONDS`` past its time (then it rides along with customers' work;
        the time is the ``overdue_before`` parameter)."""
        names = self.registry.background_names
        if not names:
            return false(), false()
        return (_DELIVERIES.subscriber.in_(sorted(names)),
                _DELIVERIES.next_attempt_at <= bindparam(
                    "overdue_before", type_=_DELIVERIES.next_attempt_at.type))

    async def _run_isolated(self, claimed: _Claimed) -> None:
        """Run one claimed delivery; whatever it raises, the rest of its batch still runs."""
        try:
            await self._run(claimed)
        except Exception:
            log.exception("delivery could not be run or marked",
                          extra={"delivery_id": claimed.id, "subscriber": claimed.subscriber})

    async def _run(self, claimed: _Claimed) -> None:
        row = claimed.event
        subscriber = self.registry.get(claimed.subscriber)
        if row is None or subscriber is None:
            await self._mark(claimed, DEAD, "subscriber or event no longer exists")
            return
        limit = subscriber.max_attempts or self.config.max_attempts
        if claimed.attempts > limit:  # its last attempt died with its process (lease expired)
            await self._mark(claimed, DEAD, "attempt limit reached: the last attempt "
                             "did not finish", attempts=limit)
            return
        try:
            data = _parse(subscriber, row.name, row.payload)
        except PermanentError as exc:
            await self._mark(claimed, DEAD, f"PermanentError: {exc}"[:2000])
            return
        event = DeliveredEvent(id=row.id, delivery_id=claimed.id, workspace_id=row.workspace_id,
                               data=data, key=row.key, attempt=claimed.attempts,
                               created_at=row.created_at)
        async with self.session_factory() as session:
            try:
                await asyncio.wait_for(
                    subscriber.handler(event, session), timeout=subscriber.timeout_seconds
                )
                await self._finish(session, claimed, DONE, None)
                return
            except Exception as exc:  # noqa: BLE001 - a handler or its commit failed
                await session.rollback()
                failure = exc
        # Marked in a separate transaction: the failed one cannot record its own outcome.
        await self._failed(claimed, limit, failure)

    async def _finish(
        self, session: AsyncSession, claimed: _Claimed, status: str, error: str | None,
        **values: Any,
    ) -> None:
        """Mark a delivery finished in the session's transaction (with the handler's writes)."""
        await self._settle(session, claimed, status=status, locked_until=None, last_error=error,
                           done_at=utcnow(), **values)

    async def _settle(self, session: AsyncSession, claimed: _Claimed, **values: Any) -> None:
        """Update and commit a delivery only while this attempt still holds it.

        A delivery whose lease expired and that another dispatcher took over is settled by
        that one; this attempt's writes roll back.
        """
        statement = self._statement(("settle", *sorted(values)), lambda: (
            update(_DELIVERY_TABLE)
            .where(_DELIVERIES.id == bindparam("delivery_id"), _DELIVERIES.status == RUNNING,
                   _DELIVERIES.attempts == bindparam("attempt"))
            .values({name: bindparam(f"v_{name}", type_=_DELIVERIES[name].type)
                     for name in values})))
        await session.flush()  # the handler's writes, then the delivery's row (Core)
        result = await (await session.connection()).execute(
            statement, {"delivery_id": claimed.id, "attempt": claimed.attempts,
                        **{f"v_{name}": value for name, value in values.items()}})
        if rowcount(result) != 1:  # taken over, or gone (its workspace was deleted)
            await session.rollback()
            return
        await session.commit()

    async def _mark(self, claimed: _Claimed, status: str, error: str, **values: Any) -> None:
        """Finish a delivery in a transaction of its own."""
        async with self.session_factory() as session:
            await self._finish(session, claimed, status, error, **values)

    async def _failed(self, claimed: _Claimed, limit: int, exc: Exception) -> None:
        """Count a failed attempt: retry it later with backoff, or dead-letter it."""
        error = f"{type(exc).__name__}: {exc}"[:2000]
        log.warning("delivery failed", extra={"delivery_id": claimed.id, "error": error,
                                              "subscriber": claimed.subscriber,
                                              "attempt": claimed.attempts})
        if isinstance(exc, PermanentError) or claimed.attempts >= limit:
            await self._mark(claimed, DEAD, error)
            return
        delay = self.backoff(claimed.attempts)
        if isinstance(exc, RetryLater):
            delay = max(exc.seconds, 0.0)
        async with self.session_factory() as session:
            await self._settle(session, claimed, status=PENDING, locked_until=None,
                               last_error=error,
                               next_attempt_at=utcnow() + dt.timedelta(seconds=delay))

    def backoff(self, attempt: int) -> float:
        """Capped exponential backoff with jitter for the given attempt number."""
        base = self.config.backoff_base_seconds * (2 ** max(attempt - 1, 0))
        capped = min(base, self.config.backoff_cap_seconds)
        return capped * random.uniform(0.5, 1.0)


def _events_sql() -> Executable:
    """Read claimed deliveries' events (the ``ids`` parameter)."""
    return (select(*_EVENT_COLUMNS)
            .where(_OUTBOX.id.in_(bindparam("ids", expanding=True))))


def _first(row: Row[Any]) -> int:
    """Order claimed events by id."""
    return int(row[0])


def _wants(subscriber: Subscriber, event: Event, workspace_id: int | None) -> bool:
    """Ask a subscriber's predicate; one that fails keeps its delivery (the run shows why)."""
    try:
        return subscriber.wants(event, workspace_id)
    except Exception:
        log.exception("subscriber predicate failed", extra={"subscriber": subscriber.name})
        return True


def _parse(subscriber: Subscriber, event_name: str, payload: dict[str, Any]) -> Event:
    """Read a stored payload as the subscriber's declared model; a mismatch cannot heal."""
    model = next((e for e in subscriber.events if e.name == event_name), None)
    if model is None:
        raise PermanentError(f"{subscriber.name} does not handle {event_name}")
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise PermanentError(f"payload does not match {model.__name__}: {exc}") from exc
