"""`omnidesk bench --processes N`: the multi-process set-up the bench drives.

``omnidesk serve --workers N`` on a free local port with the dispatcher off
(``OMNIDESK_RUN_DISPATCHER=false``) plus ``--worker-processes`` ``omnidesk worker`` processes, on
the configured PostgreSQL database and Redis, each in its own process group; stopped (SIGTERM,
then SIGKILL after 10 s) when the bench ends. Their output goes to files in a temp directory,
named when they fail to start. ``bench --processes N --scaling`` first starts one web process
that runs the dispatcher itself (no worker), the plain `omnidesk serve`, to compare with.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from omnidesk.app.commands.runtime import fail
from omnidesk.config import get_settings

READY_SECONDS = 180.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", "omnidesk.app.cli", *args], env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:  # each leads its own group: uvicorn's children go with it
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_ready(url: str, web: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if web.poll() is not None:
            fail(f"`omnidesk serve` exited while starting; see {log}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        time.sleep(0.5)
    fail(f"`omnidesk serve` was not ready within {READY_SECONDS:g} s; see {log}")


@dataclass(frozen=True)
class Serving:
    """The started set-up: its URL and the process groups its processes lead."""

    url: str
    groups: set[int]


@contextlib.contextmanager
def serving(processes: int, workers: int) -> Iterator[Serving]:
    """Start ``processes`` web processes and ``workers`` workers (none: the web process runs
    the dispatcher itself, as `omnidesk serve` alone does); yield their URL and process
    groups."""
    settings = get_settings()
    if not settings.database_url.startswith("postgresql") or not settings.redis_url:
        fail("--processes needs OMNIDESK_DATABASE_URL on PostgreSQL and OMNIDESK_REDIS_URL")
    logs = Path(tempfile.mkdtemp(prefix="omnidesk-bench-"))
    port = _free_port()
    env = {**os.environ, "OMNIDESK_RUN_DISPATCHER": "false" if workers else "true"}
    started: list[subprocess.Popen[bytes]] = []
    try:
        web = _start(["serve", "--host", "127.0.0.1", "--port", str(port), "--workers",
                      str(processes)], env, logs / "web.log")
        started.append(web)
        worker_env = {k: v for k, v in env.items() if k != "OMNIDESK_RUN_DISPATCHER"}
        started += [_start(["worker"], worker_env, logs / f"worker-{n}.log")
                    for n in range(workers)]
        url = f"http://127.0.0.1:{port}"
        _wait_ready(url, web, logs / "web.log")
        yield Serving(url, {process.pid for process in started})
    finally:
        _stop(started)
