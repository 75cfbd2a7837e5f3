"""Pooled PostgreSQL connections are checked before use only after sitting idle, and a dead one
is replaced before anyone uses it (a restarted database, a proxy's idle timeout)."""

from __future__ import annotations

import os
from typing import Any

import pytest
from sqlalchemy import text

from omnidesk.core import db as core_db
from omnidesk.core.db import create_engine
from tests.conftest import PG_URL

SERVER = PG_URL.rsplit("/", 1)[0] + "/postgres"  # the server's own database: nothing to create


async def _backend(engine: Any) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(text("SELECT pg_backend_pid()")))


async def test_a_connection_killed_while_idle_is_replaced_and_a_busy_one_is_not_pinged(
        monkeypatch: pytest.MonkeyPatch) -> None:
    engine = create_engine(SERVER, pool_size=1, max_overflow=0)
    other = create_engine(SERVER, pool_size=1, max_overflow=0)
    pings: list[int] = []
    dialect = engine.sync_engine.dialect
    real_ping = dialect.do_ping

    def counted(dbapi: Any) -> bool:
        pings.append(1)
        return bool(real_ping(dbapi))

    monkeypatch.setattr(dialect, "do_ping", counted)
    try:
        try:
            first = await _backend(engine)
        except OSError as exc:
            if os.environ.get("CI"):
                raise
            pytest.skip(f"PostgreSQL not reachable: {exc}")
        assert await _backend(engine) == first and pings == []  # reused at once: no round trip
        async with other.connect() as conn:  # the server ends the pooled connection
            await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        monkeypatch.setattr(core_db, "IDLE_PING_SECONDS", 0.0)  # it has now been idle long enough
        replaced = await _backend(engine)  # no error reaches the caller
        assert replaced != first and len(pings) == 1
    finally:
        await engine.dispose()
        await other.dispose()
