"""The browser tests' servers: ready when /healthz answers, and never left running."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from tests.e2e import conftest
from tests.e2e.conftest import LiveServer, free_port, prepared_database, server_env


def test_a_server_that_misses_its_deadline_is_stopped_with_its_process_group(
    tmp_path: Path,
) -> None:
    server = LiveServer(free_port(), server_env(tmp_path, prepared_database(tmp_path / "a.db")),
                        tmp_path / "server.log")
    before = set(conftest._SPAWNED)
    with pytest.raises(RuntimeError, match="did not answer /healthz"):
        server.start(timeout=0.01)  # no server imports and binds that fast
    assert set(conftest._SPAWNED) == before and server.pid is None
    with pytest.raises(httpx.ConnectError):
        httpx.get(server.url + "/healthz", timeout=2)


def test_a_started_server_answers_and_is_gone_after_stop(live_server: LiveServer) -> None:
    assert httpx.get(live_server.url + "/healthz").json()["status"] == "ok"
    pid = live_server.pid
    assert pid is not None and os.getpgid(pid) == pid  # its own process group
    live_server.stop()
    with pytest.raises(ProcessLookupError):
        os.killpg(pid, 0)
    with pytest.raises(httpx.ConnectError):
        httpx.get(live_server.url + "/healthz", timeout=2)
