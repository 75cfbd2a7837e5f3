"""A real omnidesk server (uvicorn subprocess, temp SQLite) and Debian's Chromium via Playwright."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy

from omnidesk.all_models import metadata
from omnidesk.core.db import create_engine, create_session_factory
from tests.conftest import make_persona

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "correct horse battery"  # make_persona's users


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _prepare(url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    async with create_session_factory(engine)() as session:
        await make_persona(session, "hanbit")
        await make_persona(session, "globex")
    await engine.dispose()


_TEMPLATE: dict[str, Path] = {}


def run_async(coro: Any) -> Any:
    """Run a coroutine to its end from a browser test: in a thread of its own, because
    Playwright's sync API keeps an event loop running in the test's thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def prepared_database(target: Path) -> str:
    """Copy the two-workspace database (made once per test process) to ``target``; its URL."""
    if "personas" not in _TEMPLATE:
        template = Path(tempfile.mkdtemp(prefix="omnidesk-e2e-")) / "personas.db"
        run_async(_prepare(f"sqlite+aiosqlite:///{template}"))
        _TEMPLATE["personas"] = template
    shutil.copyfile(_TEMPLATE["personas"], target)
    return f"sqlite+aiosqlite:///{target}"


# Importing the app takes seconds, and tens of seconds while the suite keeps both cores busy. A
# preloaded parent (one per test process) forks each server the way `gunicorn --preload` does:
# every server is still its own process running the real app under uvicorn, in its own process
# group, and is up in well under a second. A server dies with its parent (PR_SET_PDEATHSIG), and
# the parent with the test process, so nothing is left serving after the suite.
ZYGOTE = """
import ctypes, json, os, signal, sys
libc = ctypes.CDLL(None)
libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG: go when the test process goes
import uvicorn, omnidesk.app.main  # noqa: F401 - preload, no threads yet
from omnidesk.domains.bot.service import warm_up
warm_up()  # the shipped intent model and Korean morphology, trained once for every server
# what the first knowledge-base search fits its article model with (search/learned.py)
import sklearn.feature_extraction.text, sklearn.linear_model, sklearn.pipeline, threadpoolctl  # noqa
signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # servers are reaped by the kernel
for line in sys.stdin:
    request = json.loads(line)
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()
        libc.prctl(1, signal.SIGTERM)
        os.environ.clear()
        os.environ.update(request["env"])
        fd = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        os.dup2(fd, 1), os.dup2(fd, 2)
        try:
            uvicorn.run("omnidesk.app.main:create_app", factory=True, host="127.0.0.1",
                        port=request["port"], log_level="info")  # the requests in its log
        finally:
            os._exit(0)
    print(pid, flush=True)
"""
_SPAWNED: set[int] = set()
_ZYGOTE: list[subprocess.Popen[str]] = []


def _spawn(log: Path, env: dict[str, str], port: int) -> int:
    """Fork a server from the preloaded parent (started on first use); return its pid."""
    if not _ZYGOTE or _ZYGOTE[0].poll() is not None:
        _ZYGOTE[:] = [subprocess.Popen([sys.executable, "-c", ZYGOTE], text=True,
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       env={**os.environ, "OPENBLAS_NUM_THREADS": "1",
                                            "OMP_NUM_THREADS": "1"})]
    zygote = _ZYGOTE[0]
    assert zygote.stdin is not None and zygote.stdout is not None
    zygote.stdin.write(json.dumps({"log": str(log), "env": env, "port": port}) + "\n")
    zygote.stdin.flush()
    answer = zygote.stdout.readline()
    if not answer:
        raise RuntimeError("the server parent died while preloading the app")
    pid = int(answer)
    _SPAWNED.add(pid)
    return pid


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _kill_group(pid: int, grace: float = 10) -> None:
    """SIGTERM the server's process group, SIGKILL it when it has not gone after ``grace``."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
    _SPAWNED.discard(pid)


@atexit.register
def _stop_everything() -> None:
    for pid in list(_SPAWNED):
        _kill_group(pid, grace=2)
    for zygote in _ZYGOTE:
        zygote.kill()
        zygote.wait()


@dataclass
class LiveServer:
    """A uvicorn process serving omnidesk that tests can stop and start again."""

    port: int
    env: dict[str, str]
    log: Path
    pid: int | None = None

    @property
    def url(self) -> str:
        """Return the base URL."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> None:
        """Start the server and wait until /healthz answers; stop it when it does not."""
        self.pid = _spawn(self.log, self.env, self.port)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not _alive(self.pid):
                self.pid = None
                raise RuntimeError(f"server exited while starting:\n{self.log_tail()}")
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"server did not answer /healthz in {timeout:.0f} s (stopped):\n"
                           f"{self.log_tail()}")

    def database(self) -> Any:
        """A plain (sync) engine on the server's SQLite file: Playwright owns the event loop.
        It waits up to 30 s for the server's own writes (start-up jobs on a busy machine)."""
        url = self.env["OMNIDESK_DATABASE_URL"].replace("+aiosqlite", "")
        return sqlalchemy.create_engine(url, connect_args={"timeout": 30})

    def stop(self) -> None:
        """Stop the server's process group (SIGTERM, then SIGKILL)."""
        if self.pid is not None:
            _kill_group(self.pid)
            self.pid = None

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-6000:] if self.log.exists() else ""


def server_env(tmp_path: Path, url: str) -> dict[str, str]:
    """The environment of a test server on ``url`` (dispatcher polling fast, no Redis)."""
    env = {**os.environ, "OMNIDESK_DATABASE_URL": url, "OMNIDESK_SECRET_KEY": "e2e-secret",
           "OMNIDESK_UPLOAD_DIR": str(tmp_path / "uploads"),
           "OMNIDESK_DISPATCHER_POLL_SECONDS": "0.2", "OMNIDESK_LOG_LEVEL": "WARNING"}
    env.pop("OMNIDESK_REDIS_URL", None)
    return env


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A failed browser test's report ends with the tail of its server's log (what the server
    said while the page waited is often the whole story on a loaded CI machine)."""
    report = yield
    if not report.failed:
        return report
    for name, server in getattr(item, "funcargs", {}).items():
        if not isinstance(server, LiveServer):
            continue
        tail = server.log_tail() or "(empty)"
        report.sections.append((f"server log of {name} (tail)", tail))
        # CI prints only the start and the end of the output: the short summary at the end shows
        # the crash message, so the last lines the server said go there too.
        crash = getattr(report.longrepr, "reprcrash", None)
        if crash is not None:
            crash.message += f"\n[{name} log, last lines]\n" + "\n".join(
                tail.splitlines()[-25:])[-2500:]
    return report


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    """Serve omnidesk on a free port against a temp SQLite database with two workspaces."""
    url = prepared_database(tmp_path / "e2e.db")
    server = LiveServer(free_port(), server_env(tmp_path, url), tmp_path / "server.log")
    server.start()
    yield server
    server.stop()


class _Chromium:
    """Debian's Chromium for one test module, launched when a test first asks for it (after
    that test's own async fixtures: while Playwright's sync API is up it keeps an event loop
    running in this thread) and closed with the module (the async tests that follow in this
    process need the thread free)."""

    def __init__(self) -> None:
        self._playwright: Any = None
        self.browser: Any = None

    def get(self) -> Any:
        if self.browser is None:
            playwright_api = pytest.importorskip("playwright.sync_api")
            if not Path(CHROMIUM).exists():
                pytest.skip("Chromium is not installed at /usr/bin/chromium")
            ARTIFACTS.mkdir(exist_ok=True)
            self._playwright = playwright_api.sync_playwright().start()
            self.browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        return self.browser

    def close(self) -> None:
        if self.browser is not None:
            self.browser.close()
            self._playwright.stop()
            self.browser = self._playwright = None


@pytest.fixture(scope="module")
def _chromium() -> Iterator[_Chromium]:
    holder = _Chromium()
    yield holder
    holder.close()


ASYNC_FIXTURES = frozenset({"engine", "session_factory", "session", "client"})


@pytest.fixture
def browser(request: pytest.FixtureRequest, _chromium: _Chromium) -> Iterator[Any]:
    """The module's headless Chromium; every context (cookies, storage, pages) a test opened
    is closed after it, so each test starts as a new visitor. A test that also uses async
    fixtures (named before ``browser``) gets Chromium closed before their teardown runs."""
    chromium = _chromium.get()
    yield chromium
    for context in list(chromium.contexts):
        context.close()
    if ASYNC_FIXTURES & set(request.fixturenames):
        _chromium.close()


def log_in(page: Any, base: str, email: str, password: str = PASSWORD) -> None:
    """Log in to the agent workspace and wait until its live connection is up."""
    page.goto(base + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/inbox")
    page.wait_for_selector("#live-status.on")


def visitor_says(page: Any, base: str, text: str) -> Any:
    """Open the demo store's chat widget, send ``text`` and wait until it is stored."""
    page.goto(base + "/demo/store")
    page.click("#omnidesk-widget >> .launcher")
    chat = page.frame_locator("#omnidesk-frame")
    chat.locator("#text").fill(text)
    chat.locator("#text").press("Enter")
    chat.locator(".msg.me[data-id]").filter(has_text=text).wait_for()
    return chat
