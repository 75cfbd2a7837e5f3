"""New events wake the dispatchers of other processes at once (PostgreSQL LISTEN/NOTIFY), so a
worker starts on a message a web process stored without waiting for its next poll."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, ClassVar

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from omnidesk.app.bootstrap import build_runtime
from omnidesk.config import Settings
from omnidesk.core.db import create_engine, create_session_factory
from omnidesk.core.dispatcher import Dispatcher, DispatcherConfig
from omnidesk.core.events import DeliveredEvent, Event, SubscriberRegistry, emit
from omnidesk.core.wakeup import OutboxListener, track_backends
from omnidesk.domains.workspaces.models import Workspace
from tests.conftest import PG_URL
from tests.waiting import until


class Pinged(Event):
    name: ClassVar[str] = "test.pinged"
    example: ClassVar[dict[str, Any]] = {"n": 1}

    n: int


@pytest.fixture
def db_url() -> str:
    """LISTEN/NOTIFY is PostgreSQL's (SQLite has one writing process): PostgreSQL only."""
    return PG_URL


@pytest.fixture
def pg_url(db_url: str) -> str:
    return db_url


async def _listening(listener: OutboxListener) -> None:
    """Wait until the listener listens, then forget its wake-up on connecting."""
    await asyncio.wait_for(listener.listening.wait(), timeout=10)
    await asyncio.sleep(0.1)


async def _workspace(factory: async_sessionmaker[AsyncSession]) -> int:
    async with factory() as session:
        ws = Workspace(slug="wakeup", name="wakeup")
        session.add(ws)
        await session.commit()
        return ws.id


async def _store(factory: async_sessionmaker[AsyncSession], ws_id: int, n: int, *,
                 commit: bool = True) -> None:
    async with factory() as session:  # another process's session: no in-process wake-up
        emit(session, Pinged(n=n), workspace_id=ws_id)
        await (session.commit() if commit else session.rollback())


async def _woken_by_the_second_only(listener: OutboxListener, wakes: list[int],
                                    first: Callable[[], Awaitable[None]],
                                    second: Callable[[], Awaitable[None]]) -> None:
    """Listen; the first store wakes nobody (0.5 s), the second wakes the listener once."""
    listener.start()
    try:
        await _listening(listener)
        wakes.clear()  # the one call on connecting (events stored while not listening)
        await first()
        await asyncio.sleep(0.5)
        assert wakes == []
        await second()
        await until(lambda: wakes == [1])
    finally:
        await listener.stop()


async def test_a_worker_starts_on_another_processes_event_without_waiting_for_its_poll(
        pg_url: str, engine: AsyncEngine) -> None:
    web = create_session_factory(engine)  # the web process: stores, does not dispatch
    ws_id = await _workspace(web)
    worker_engine = create_engine(pg_url)
    seen: list[int] = []
    registry = SubscriberRegistry()

    async def handle(event: DeliveredEvent[Pinged], _: AsyncSession) -> None:
        seen.append(event.data.n)

    registry.subscribe(Pinged, name="test.handle")(handle)
    dispatcher = Dispatcher(create_session_factory(worker_engine), registry,
                            DispatcherConfig(poll_seconds=60, concurrency=2))
    listener = OutboxListener(pg_url, dispatcher.wake)
    listener.start()
    running = asyncio.create_task(dispatcher.run_forever())
    try:
        await asyncio.wait_for(listener.listening.wait(), timeout=10)
        await asyncio.sleep(0.2)  # the worker's first pass found nothing and waits its poll
        await _store(web, ws_id, 1)
        await until(lambda: seen == [1])  # far less than the 60 s poll
        # the database drops the listening connection: it is opened again and still wakes
        listener.retry_seconds = 0.1
        async with engine.connect() as conn:
            await conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"))
        await until(lambda: not listener.listening.is_set())
        await _listening(listener)
        await _store(web, ws_id, 2)
        await until(lambda: seen == [1, 2])
    finally:
        dispatcher.stop()
        await asyncio.wait_for(running, timeout=10)
        await listener.stop()
        await worker_engine.dispose()


async def test_only_committed_events_wake_a_listener(pg_url: str, engine: AsyncEngine) -> None:
    factory = create_session_factory(engine)
    ws_id = await _workspace(factory)
    wakes: list[int] = []
    listener = OutboxListener(pg_url, lambda: wakes.append(1))
    await _woken_by_the_second_only(
        listener, wakes, partial(_store, factory, ws_id, 1, commit=False),
        partial(_store, factory, ws_id, 2))


async def test_a_postgresql_runtime_listens_and_a_sqlite_one_does_not() -> None:
    sqlite = build_runtime(Settings(database_url="sqlite+aiosqlite:///:memory:"))
    postgres = build_runtime(Settings(
        database_url="postgresql+asyncpg://someone:secret@127.0.0.1:5432/desk"))
    try:
        assert sqlite.listener is None
        assert postgres.listener is not None
        assert postgres.listener.dsn == "postgresql://someone:secret@127.0.0.1:5432/desk"
    finally:
        await sqlite.dispose()
        await postgres.dispose()


async def test_a_listener_ignores_what_its_own_process_stored(
        pg_url: str, engine: AsyncEngine) -> None:
    """Its own commits woke the dispatcher already; only other processes' events wake it."""
    mine = create_engine(pg_url)
    own = track_backends(mine)
    factory, others = create_session_factory(mine), create_session_factory(engine)
    ws_id = await _workspace(others)
    wakes: list[int] = []
    listener = OutboxListener(pg_url, lambda: wakes.append(1), own=own)
    try:
        await _woken_by_the_second_only(listener, wakes, partial(_store, factory, ws_id, 1),
                                        partial(_store, others, ws_id, 2))
        assert own  # the connection it stored through is known
    finally:
        await mine.dispose()


async def test_on_postgresql_the_dispatcher_has_a_pool_of_its_own(engine: AsyncEngine) -> None:
    """Requests never wait for a connection behind the bot's turns, and the intake gate's pool
    check counts requests only; on SQLite one engine serves both (one file, one writer)."""
    postgres = build_runtime(Settings(database_url=PG_URL, dispatcher_concurrency=3))
    sqlite = build_runtime(Settings(database_url="sqlite+aiosqlite:///:memory:"))
    try:
        assert postgres.dispatch_engine is not None
        assert postgres.dispatch_engine is not postgres.engine
        assert postgres.dispatcher.session_factory.kw["bind"] is postgres.dispatch_engine
        assert postgres.session_factory.kw["bind"] is postgres.engine
        assert postgres.dispatch_engine.pool.size() == 9  # type: ignore[attr-defined]
        # the dispatcher's sessions still wake it and reach the screens
        assert postgres.dispatcher.session_factory.kw["info"]["wake"] == postgres.dispatcher.wake
        assert "realtime" in postgres.dispatcher.session_factory.kw["info"]
        async with postgres.dispatcher.session_factory() as session:
            assert (await session.execute(text("SELECT 1"))).scalar() == 1
        assert postgres.dispatch_engine.pool.checkedin() == 1  # type: ignore[attr-defined]
        assert postgres.engine.pool.checkedin() == 0  # type: ignore[attr-defined]
        assert sqlite.dispatcher.session_factory is sqlite.session_factory
    finally:
        await postgres.dispose()
        await sqlite.dispose()
