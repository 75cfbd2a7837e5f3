"""Run the `omnidesk` CLI against a test database from a test."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from omnidesk.app.cli import app
from omnidesk.config import get_settings


@contextlib.contextmanager
def cli_database(monkeypatch: pytest.MonkeyPatch, url: str) -> Iterator[None]:
    """Point the CLI's settings at ``url`` for the block (the settings are cached per process)."""
    monkeypatch.setenv("OMNIDESK_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        yield
    finally:
        get_settings.cache_clear()


async def run_cli(args: list[str], *, cli: Any = app, **kwargs: Any) -> Result:
    """Invoke a command from an async test: in a thread, since the command runs its own loop."""
    return await asyncio.to_thread(CliRunner().invoke, cli, args, **kwargs)
