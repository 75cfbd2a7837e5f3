"""A real omnidesk server (uvicorn subprocess, temp SQLite) and Debian's Chromium via Playwright."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

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


@dataclass
class LiveServer:
    """A uvicorn process serving omnidesk that tests can stop and start again."""

    port: int
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Return the base URL."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start the server and wait until it answers."""
        command = [sys.executable, "-m", "uvicorn", "omnidesk.app.main:create_app", "--factory",
                   "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(command, env=self.env, stdout=out, stderr=out)
        deadline = time.monotonic() + 60  # a loaded CI box can take 20 s to import the app
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError(f"server did not start; see {self.log}")

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL)."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    """Serve omnidesk on a free port against a temp SQLite database with two workspaces."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'e2e.db'}"
    asyncio.run(_prepare(url))
    env = {**os.environ, "OMNIDESK_DATABASE_URL": url, "OMNIDESK_SECRET_KEY": "e2e-secret",
           "OMNIDESK_UPLOAD_DIR": str(tmp_path / "uploads"),
           "OMNIDESK_DISPATCHER_POLL_SECONDS": "0.2", "OMNIDESK_LOG_LEVEL": "WARNING"}
    env.pop("OMNIDESK_REDIS_URL", None)
    server = LiveServer(free_port(), env, tmp_path / "server.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def browser() -> Iterator[object]:
    """Launch Debian's Chromium headless."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield browser
        browser.close()


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
