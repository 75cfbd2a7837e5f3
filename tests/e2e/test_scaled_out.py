"""Two web processes behind Debian's nginx and two workers on PostgreSQL + Redis: a visitor and
an agent chat through the proxy in Chromium while one web process and one worker are killed
with SIGKILL; every message is stored once and shown once on both sides.

The web processes do not dispatch (the workers do, as in production); realtime fan-out, rate
limits and presence go through Redis, so the agent's socket on one process sees what the
visitor sent through the other.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from omnidesk.core.db import create_engine, create_session_factory
from omnidesk.core.events import DEAD, EventDelivery
from omnidesk.domains.conversations.models import Message
from tests.conftest import make_persona
from tests.e2e.conftest import ARTIFACTS, free_port, log_in, run_async, visitor_says
from tests.realtime.test_hub import REDIS_URL, require_redis
from tests.test_crash_drill import Forker, Process, drained

T = TypeVar("T")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BEFORE = [f"첫 질문 {n}" for n in range(3)]
AFTER = [f"죽은 뒤 질문 {n}" for n in range(3)]
REPLY = "두 프로세스 뒤에서도 답장이 한 번 갑니다"
NGINX_CONF = """
{user}
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/nginx-body;
  proxy_temp_path {tmp}/nginx-proxy;
  fastcgi_temp_path {tmp}/nginx-fastcgi;
  uwsgi_temp_path {tmp}/nginx-uwsgi;
  scgi_temp_path {tmp}/nginx-scgi;
  map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
  upstream omnidesk {{
    server 127.0.0.1:{a} max_fails=1 fail_timeout=30s;
    server 127.0.0.1:{b} max_fails=1 fail_timeout=30s;
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://omnidesk;
      proxy_http_version 1.1;
      proxy_set_header Host $http_host;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_next_upstream error timeout http_502;
      proxy_connect_timeout 2s;
      proxy_read_timeout 3600s;
    }}
  }}
}}
"""


@pytest.fixture
def nginx_path() -> str:
    """Debian's nginx (make system-deps installs it)."""
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (make system-deps)")
    return NGINX


def start_nginx(tmp: Path, ports: tuple[int, int], port: int) -> subprocess.Popen[bytes]:
    """Run nginx as this user with a temp config that balances the two web processes."""
    user = "user root;" if os.geteuid() == 0 else ""  # as root its workers would be nobody
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(user=user, tmp=tmp, a=ports[0], b=ports[1], port=port))
    proxy = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(tmp)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proxy
        except httpx.HTTPError:
            time.sleep(0.05)
    proxy.kill()
    raise RuntimeError((tmp / "nginx-error.log").read_text(errors="replace"))


async def wait_ready(web: Process, port: int) -> None:
    """Wait until the web process has loaded the app (/readyz)."""
    deadline = time.monotonic() + 40
    async with httpx.AsyncClient(timeout=2) as http:
        while time.monotonic() < deadline:
            try:
                if (await http.get(f"http://127.0.0.1:{port}/readyz")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(web.log.read_text(errors="replace"))


@pytest.fixture
def forker(db_url: str, tmp_path: Path) -> Iterator[Forker]:
    """The preloaded parent of the four omnidesk processes, sharing PostgreSQL and Redis."""
    env = {**os.environ, "OMNIDESK_DATABASE_URL": db_url, "OMNIDESK_SECRET_KEY": "e2e-secret",
           "OMNIDESK_UPLOAD_DIR": str(tmp_path / "uploads"), "OMNIDESK_LOG_LEVEL": "INFO",
           "OMNIDESK_REDIS_URL": REDIS_URL,
           "OMNIDESK_REDIS_CHANNEL_PREFIX": f"omnidesk:e2e-{secrets.token_hex(4)}:rt:",
           "OMNIDESK_DISPATCHER_POLL_SECONDS": "0.2", "OMNIDESK_OUTBOX_LEASE_SECONDS": "3",
           "OMNIDESK_RUN_DISPATCHER": "false"}  # the workers dispatch
    with Forker(env) as parent:
        yield parent


def _count(locator: Any, text: str) -> int:
    return locator.filter(has_text=text).count()


async def _prepare(url: str) -> None:
    engine = create_engine(url)
    async with create_session_factory(engine)() as session:
        await make_persona(session, "hanbit")  # the demo store's widget talks to this workspace
    await engine.dispose()


async def _settled(url: str) -> tuple[dict[str, int], int]:
    """Wait until the workers drained the outbox; return stored texts and dead deliveries."""
    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session:
            deadline = time.monotonic() + 30
            while not await drained(session):
                assert time.monotonic() < deadline, "the surviving worker did not catch up"
                await asyncio.sleep(0.2)
            stored = dict((await session.execute(select(Message.text, func.count()).where(
                Message.text.in_([*BEFORE, *AFTER, REPLY])).group_by(Message.text))).all())
            dead = await session.scalar(select(func.count()).select_from(EventDelivery)
                                        .where(EventDelivery.status == DEAD))
            return stored, int(dead or 0)
    finally:
        await engine.dispose()


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
@pytest.mark.timeout(120)
def test_a_chat_through_the_proxy_survives_killing_a_web_process_and_a_worker(
        forker: Forker, engine: AsyncEngine, db_url: str, nginx_path: str, browser: Any,
        tmp_path: Path) -> None:
    run_async(require_redis())
    run_async(_prepare(db_url))
    ports = (free_port(), free_port())
    webs = [Process(forker, ["serve", "--port", str(p)], tmp_path / f"web{n}.log", "")
            for n, p in enumerate(ports)]
    workers = [Process(forker, ["worker"], tmp_path / f"worker{n}.log", "worker started")
               for n in range(2)]
    processes = (*webs, *workers)
    for process in processes:
        process.start()
    proxy = None
    try:
        run_async(_all_ready(webs, ports, workers))
        port = free_port()
        proxy = start_nginx(tmp_path, ports, port)
        chat(browser, f"http://127.0.0.1:{port}", webs, workers)
        stored, dead = run_async(_settled(db_url))
    finally:
        if proxy is not None:
            proxy.terminate()
            proxy.wait(timeout=10)
        run_async(_stop(processes))
    assert stored == dict.fromkeys([*BEFORE, *AFTER, REPLY], 1)  # each stored once
    assert dead == 0


async def _all_ready(webs: list[Process], ports: tuple[int, int],
                     workers: list[Process]) -> None:
    await asyncio.gather(*(wait_ready(w, p) for w, p in zip(webs, ports, strict=True)),
                         *(w.wait_ready() for w in workers))


async def _stop(processes: tuple[Process, ...]) -> None:
    for process in processes:
        await process.kill(signal.SIGTERM)


def chat(browser: Any, base: str, webs: list[Process], workers: list[Process]) -> None:
    """The visitor writes, a web process and a worker die, the visitor writes on, the agent
    answers; both screens show every message once."""
    agent = browser.new_context(locale="ko-KR", viewport={"width": 1440, "height": 900}).new_page()
    log_in(agent, base, "agent@hanbit.example")
    agent.click("#views a[data-view=unassigned]")
    visitor = browser.new_context(locale="ko-KR").new_page()
    widget = visitor_says(visitor, base, BEFORE[0])
    agent.locator("#conv-list .conv-item").filter(has_text=BEFORE[0]).locator("a").click(
        timeout=30000)
    for text in BEFORE[1:]:
        say(widget, text)
    agent.locator("#messages .msg.customer").filter(has_text=BEFORE[-1]).wait_for(timeout=30000)

    for web in webs:  # the proxy spread the traffic: both web processes served it
        assert '" 200' in web.log.read_text(errors="replace"), web.log
    for process in (webs[0], workers[0]):  # SIGKILL: no shutdown, sockets cut mid-stream
        assert process.pid is not None
        os.kill(process.pid, signal.SIGKILL)
    for text in AFTER:
        say(widget, text)
    agent.wait_for_selector("#live-status.on", timeout=30000)
    for text in AFTER:
        agent.locator("#messages .msg.customer").filter(has_text=text).wait_for(timeout=30000)
    agent.fill("#reply-text", REPLY)
    agent.press("#reply-text", "Enter")
    widget.locator(".msg.agent[data-id]").filter(has_text=REPLY).wait_for(timeout=30000)

    visitor.wait_for_timeout(500)
    agent.screenshot(path=str(ARTIFACTS / "scaled-out-agent.png"))
    for text in (*BEFORE, *AFTER, REPLY):
        assert _count(widget.locator(".msg[data-id]"), text) == 1, text
        assert _count(agent.locator("#messages .msg"), text) == 1, text


def say(widget: Any, text: str) -> None:
    """Send one message from the open widget and wait until the server stored it."""
    widget.locator("#text").fill(text)
    widget.locator("#text").press("Enter")
    widget.locator(".msg.me[data-id]").filter(has_text=text).wait_for(timeout=30000)
