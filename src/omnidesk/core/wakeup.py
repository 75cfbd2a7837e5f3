"""Waking the dispatchers of other processes when events are stored (PostgreSQL LISTEN/NOTIFY).

A commit that wrote outbox events wakes its own process's dispatcher through the session's
``after_commit`` hook (``core/events:install_commit_wakeup``). Another process (a worker beside
web processes that do not dispatch, or a second worker) learnt of them only by polling, so every
message a web process stored waited up to a poll interval (1 s) before a worker began on it.

On PostgreSQL a statement-level trigger on ``outbox_events`` sends ``NOTIFY omnidesk_outbox``
in the inserting transaction: the server delivers it at commit (never for a rollback), folds
repeats within one transaction into one, and sends it only to sessions of the same database.
Each running dispatcher holds one connection of its own (not the pool's) that LISTENs and wakes
it; polling stays as the fallback, and a lost connection is opened again. SQLite needs none of
it (one process writes).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Container
from typing import Any

from sqlalchemy import Connection, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from omnidesk.core.db import run_ddl

log = logging.getLogger("omnidesk.wakeup")
CHANNEL = "omnidesk_outbox"
POSTGRES_DDL = (
    ("CREATE OR REPLACE FUNCTION omnidesk_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS "
     f"$$ BEGIN PERFORM pg_notify('{CHANNEL}', ''); RETURN NULL; END $$"),
    "DROP TRIGGER IF EXISTS outbox_events_notify ON outbox_events",
    ("CREATE TRIGGER outbox_events_notify AFTER INSERT ON outbox_events "
     "FOR EACH STATEMENT EXECUTE FUNCTION omnidesk_outbox_notify()"),
)
POSTGRES_DROP = (
    "DROP TRIGGER IF EXISTS outbox_events_notify ON outbox_events",
    "DROP FUNCTION IF EXISTS omnidesk_outbox_notify()",
)


def ensure_outbox_notify(connection: Connection) -> None:
    """Create the trigger that announces new outbox events (PostgreSQL; idempotent)."""
    run_ddl(connection, {"postgresql": POSTGRES_DDL})


def drop_outbox_notify(connection: Connection) -> None:
    """Drop the trigger and its function (PostgreSQL)."""
    run_ddl(connection, {"postgresql": POSTGRES_DROP})


def track_backends(*engines: AsyncEngine) -> set[int]:
    """Return the (live) set of the server process ids of the engines' connections, so a
    listener can ignore what its own process stored (its commits woke it already)."""
    pids: set[int] = set()

    def connected(dbapi_connection: Any, _record: Any) -> None:
        pids.add(_server_pid(dbapi_connection))

    def closed(dbapi_connection: Any, _record: Any) -> None:
        pids.discard(_server_pid(dbapi_connection))

    for engine in dict.fromkeys(engines):
        event.listen(engine.sync_engine, "connect", connected)
        event.listen(engine.sync_engine, "close", closed)
    return pids


def _server_pid(dbapi_connection: Any) -> int:
    """Return the server process id of a pooled asyncpg connection (-1 for other drivers)."""
    driver = getattr(dbapi_connection, "driver_connection", None)
    pid = getattr(driver, "get_server_pid", None)
    return -1 if pid is None else int(pid())


class OutboxListener:
    """Hold a LISTEN connection and call ``wake`` for every announcement, reconnecting.

    Announcements from ``own`` server processes (this process's connections, see
    ``track_backends``) are ignored: the commit's own hook woke the dispatcher already.
    """

    def __init__(self, url: str | URL, wake: Callable[[], None], *,
                 own: Container[int] = frozenset(), retry_seconds: float = 5.0) -> None:
        self.dsn = make_url(url).set(drivername="postgresql").render_as_string(
            hide_password=False)
        self.wake, self.own, self.retry_seconds = wake, own, retry_seconds
        self.listening = asyncio.Event()  # set while the connection listens (tests, health)
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Listen in the background until ``stop``."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Stop listening and close the connection."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        while True:
            try:
                await self._listen_until_lost()
            except Exception as exc:  # noqa: BLE001 - refused, dropped, timed out: poll, retry
                log.warning("outbox wake-ups unavailable; polling meanwhile",
                            extra={"error": type(exc).__name__})
            self.listening.clear()
            await asyncio.sleep(self.retry_seconds)

    async def _listen_until_lost(self) -> None:
        import asyncpg  # type: ignore[import-untyped]  # the driver, loaded where one listens

        lost = asyncio.Event()
        connection = await asyncpg.connect(self.dsn, timeout=10)
        try:
            connection.add_termination_listener(lambda _connection: lost.set())
            await connection.add_listener(CHANNEL, self._announced)
            self.listening.set()
            self.wake()  # events stored while this was not listening
            await lost.wait()
        finally:
            self.listening.clear()
            with contextlib.suppress(Exception):
                await asyncio.shield(connection.close(timeout=2))

    def _announced(self, _connection: Any, pid: int, *_: Any) -> None:
        if pid not in self.own:
            self.wake()
