"""`omnidesk bench` drives the real endpoints (widget, API channel, signed LINE webhook) with agent
sockets connected, and runs the raw reference on the same PostgreSQL database, leaving nothing
behind."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sqlite3
from collections.abc import Iterator

import pytest
from sqlalchemy import insert, text, update
from sqlalchemy.ext.asyncio import AsyncEngine
from typer.testing import CliRunner

from omnidesk.app.cli import app
from omnidesk.app.commands.bench import open_loop, run_reference
from omnidesk.config import get_settings
from tests.e2e.conftest import LiveServer, free_port, prepared_database, server_env


async def test_the_open_loop_keeps_its_rate_and_counts_refusals_and_failures() -> None:
    async def send(n: int) -> tuple[int, bool]:
        if n % 5 == 4:
            raise OSError("connection refused")
        return (503, n % 10 == 3) if n % 5 == 3 else (201, False)

    figures = await open_loop(send, rate=100, seconds=0.2)
    assert (figures["sent"], figures["accepted"], figures["refused"], figures["failed"]) == (
        20, 12, 4, 4)
    assert figures["refused_with_retry_after"] == 2  # two of the four refusals said when
    assert figures["max_wait_ms"] >= figures["refused_max_ms"] >= 0
    assert figures["p50_ms"] is not None and figures["p50_ms"] <= figures["p99_ms"]


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
async def test_the_reference_stores_every_message_and_leaves_no_table(
        engine: AsyncEngine, db_url: str) -> None:
    figures = await run_reference(db_url, rate=50, seconds=0.4, sockets=2)
    assert figures["sent"] == figures["accepted"] == 20 and figures["failed"] == 0
    assert figures["delivered"] == 40 and figures["undelivered"] == 0  # both sockets, each one
    async with engine.connect() as conn:  # temp tables: gone with their connections
        assert await conn.scalar(text("SELECT to_regclass('bench_messages')")) is None


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A live server on SQLite whose widget takes every message of the bench, its bot on (one
    for the module: each run has its own messages)."""
    tmp_path = tmp_path_factory.mktemp("bench")
    url = prepared_database(tmp_path / "bench.db")
    with sqlite3.connect(tmp_path / "bench.db") as db:
        db.execute("UPDATE workspaces SET settings = json_set(coalesce(settings, '{}'), "
                   "'$.bot', json('{\"enabled\": true, \"handoff_vip\": false}')) "
                   "WHERE slug = 'hanbit'")
    env = {**server_env(tmp_path, url), "OMNIDESK_WIDGET_RATE_LIMIT": "100000"}
    live = LiveServer(free_port(), env, tmp_path / "server.log")
    live.start()
    yield live
    live.stop()


@pytest.mark.parametrize("endpoint", ["widget", "api", "webhook"])
def test_the_command_delivers_every_accepted_message_to_every_socket(
        server: LiveServer, endpoint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OMNIDESK_DATABASE_URL", "OMNIDESK_SECRET_KEY"):  # the server's: its inboxes
        monkeypatch.setenv(name, server.env[name])
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, [
            "bench", "--url", server.url, "--endpoint", endpoint, "--rate", "20", "--seconds",
            "0.5", "--visitors", "3", "--sockets", "2", "--delivery-timeout", "15", "--json"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output.strip().splitlines()[-1])
    product = figures["product"]
    assert figures["endpoint"] == endpoint and figures["sockets"] == product["sockets"] == 2
    assert product["sent"] == product["accepted"] == product["stored"] == 10
    assert (product["lost"], product["duplicated"], product["unprocessed"]) == (0, 0, 0)
    assert product["delivered_everywhere"] == 10 and product["delivered"] == 20
    if endpoint != "widget":  # the bot's answers reached the provider's side (the sink)
        assert product["replies"] >= 3 and product["replies_per_s"] > 0  # each customer
    assert product["undelivered"] == 0
    assert product["delivery_p50_ms"] is not None and product["p99_ms"] is not None
    assert figures["reference"] is None and "PostgreSQL" in figures["note"]


def test_processes_need_postgresql_and_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMNIDESK_DATABASE_URL", "sqlite+aiosqlite:///unused.db")
    monkeypatch.delenv("OMNIDESK_REDIS_URL", raising=False)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["bench", "--processes", "2"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1 and "OMNIDESK_REDIS_URL" in result.output


async def test_the_bench_waits_for_an_earlier_runs_backlog_to_be_worked_off(
        engine: AsyncEngine) -> None:
    from omnidesk.app.commands.bench import settle
    from omnidesk.core.db import utcnow
    from omnidesk.core.events import OutboxEvent

    assert await settle(engine, 0) is not None  # nothing due: settled without waiting
    async with engine.begin() as conn:  # an event left un-fanned-out a minute ago
        await conn.execute(insert(OutboxEvent).values(
            name="message.created", payload={}, fanned_out=False,
            created_at=utcnow() - dt.timedelta(minutes=1)))
    assert await settle(engine, 0.6) is None  # still due: the run would start on a backlog

    async def work_it_off() -> None:
        await asyncio.sleep(0.7)
        async with engine.begin() as conn:
            await conn.execute(update(OutboxEvent).values(fanned_out=True))

    worker = asyncio.create_task(work_it_off())
    waited = await settle(engine, 10.0)
    await worker
    assert waited is not None and 0.5 <= waited < 10
