"""`omnidesk bench` drives the real widget endpoint at a fixed rate and runs the raw reference
on the same PostgreSQL database, leaving nothing behind."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
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
    figures = await run_reference(db_url, rate=50, seconds=0.4)
    assert figures["sent"] == figures["accepted"] == 20 and figures["failed"] == 0
    async with engine.connect() as conn:  # temp tables: gone with their connections
        assert await conn.scalar(text("SELECT to_regclass('bench_messages')")) is None


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    """A live server on SQLite whose widget takes every message of the bench."""
    url = prepared_database(tmp_path / "bench.db")
    env = {**server_env(tmp_path, url), "OMNIDESK_WIDGET_RATE_LIMIT": "100000"}
    live = LiveServer(free_port(), env, tmp_path / "server.log")
    live.start()
    yield live
    live.stop()


def test_the_command_drives_the_widget_and_says_the_reference_needs_postgresql(
        server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMNIDESK_DATABASE_URL", server.env["OMNIDESK_DATABASE_URL"])
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["bench", "--url", server.url, "--rate", "20",
                                          "--seconds", "1", "--visitors", "3", "--json"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output.strip().splitlines()[-1])
    assert figures["widget"]["sent"] == figures["widget"]["accepted"] == 20
    assert figures["reference"] is None and "PostgreSQL" in figures["note"]
