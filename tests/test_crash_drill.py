"""The kill -9 drill: the server and the worker die mid-stream; nothing acknowledged is lost,
nothing is stored twice, and every reply reaches the provider once.

A provider (this test) streams signed LINE webhooks into `omnidesk serve` and redelivers each
until it gets a 2xx, as LINE does; an agent posts replies through the API. A separate
`omnidesk worker` (the server's own dispatcher is off, as in production with workers) processes
the events and pushes the replies to a local LINE-like server. Both processes are killed with
SIGKILL at random points while messages flow, twice each, and restarted.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.crypto import SettingsCipher
from omnidesk.channels.inbox_port import do_connect_inbox
from omnidesk.channels.line.adapter import RETRY_KEY_NAMESPACE
from omnidesk.channels.registry import build_registry
from omnidesk.channels.signing import hmac_sha256_b64
from omnidesk.core.db import utcnow
from omnidesk.core.events import DEAD, PENDING, RUNNING, EventDelivery
from omnidesk.domains.conversations.actions import do_receive_inbound
from omnidesk.domains.conversations.models import RECEIVED, InboundEvent, Message
from omnidesk.domains.conversations.schemas import InboundMessage
from tests.channels.fake_provider import LINE_TOKEN, FakeProvider, free_port, serve
from tests.conftest import Persona

SECRET = "drill-secret"
LINE_SECRET = "line-channel-secret"
USERS = [f"U{n:032x}" for n in range(1, 5)]
ROUNDS = 2  # each kills both processes once
FLOWING = 4  # messages acknowledged before each kill, so it lands mid-stream
SEED = int(os.environ.get("OMNIDESK_DRILL_SEED", time.time_ns() % 10_000))
PUSH = "/v2/bot/message/push"


# Python start-up (imports) takes seconds on a busy 2-core machine, and the drill restarts
# processes four times. A preloaded parent forks each `omnidesk serve` / `omnidesk worker` the
# way `gunicorn --preload` does: each is still its own process running the real CLI command,
# killed with SIGKILL, but it is up in well under a second.
ZYGOTE = """
import json, os, signal, sys
import omnidesk.app.main, omnidesk.app.worker, uvicorn  # noqa: F401 - preload, no threads yet
from omnidesk.app.cli import app
from omnidesk.domains.bot.service import warm_up
warm_up()  # the intent model and Korean morphology once, not in each forked worker
signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
for line in sys.stdin:
    log, args = json.loads(line)
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(fd, 1), os.dup2(fd, 2)
        try:
            app(args)
        finally:
            os._exit(0)
    print(pid, flush=True)
"""


@dataclass
class Forker:
    """The preloaded parent process; it forks omnidesk commands on request."""

    env: dict[str, str]
    popen: subprocess.Popen[str] | None = None

    def __enter__(self) -> Self:
        self.popen = subprocess.Popen([sys.executable, "-c", ZYGOTE], env=self.env, text=True,
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.popen is not None and self.popen.stdin is not None
        self.popen.stdin.close()
        self.popen.wait(timeout=10)

    def fork(self, args: list[str], log: Path) -> int:
        """Run `omnidesk <args>` in a new process logging to `log`; return its pid."""
        assert self.popen is not None and self.popen.stdin and self.popen.stdout
        self.popen.stdin.write(json.dumps([str(log), args]) + "\n")
        self.popen.stdin.flush()
        return int(self.popen.stdout.readline())


def alive(pid: int) -> bool:
    """Tell whether a process still exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@dataclass
class Process:
    """One omnidesk process (`serve` or `worker`) that the drill kills and starts again."""

    forker: Forker
    args: list[str]
    log: Path
    ready_line: str
    pid: int | None = None

    def start(self) -> None:
        """Start it, logging to its file."""
        self.pid = self.forker.fork(self.args, self.log)

    async def wait_ready(self) -> None:
        """Wait until its log shows the ready line (or it exits, which fails the drill)."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            assert self.pid is not None and alive(self.pid), log
            if self.ready_line in log:
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"{self.args[0]} did not start: {self.log.read_text()}")

    async def kill(self, sig: int = signal.SIGKILL) -> None:
        """Send SIGKILL (no shutdown hook, no cleanup, as in a crash) and wait until gone."""
        if self.pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, sig)
        deadline = time.monotonic() + 10
        while alive(self.pid) and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        if alive(self.pid):
            os.kill(self.pid, signal.SIGKILL)
        self.pid = None


@dataclass
class Stream:
    """What the provider and the agent sent, and what was acknowledged."""

    acked: set[str] = field(default_factory=set)
    redeliveries: int = 0
    replies_acked: list[str] = field(default_factory=list)
    replies_unknown: list[str] = field(default_factory=list)
    done: bool = False


def line_webhook(n: int) -> bytes:
    """A LINE text-message webhook with its own event id and message id."""
    return json.dumps({"destination": "U" + "f" * 32, "events": [{
        "type": "message", "mode": "active", "timestamp": 1749416383000 + n,
        "source": {"type": "user", "userId": USERS[n % len(USERS)]},
        "webhookEventId": f"01DRILL{n:019d}", "deliveryContext": {"isRedelivery": False},
        "replyToken": f"token{n}", "message": {"id": f"{9000000 + n}", "type": "text",
                                               "text": f"고객 메시지 {n}"}}]}).encode()


async def post_until_acked(http: httpx.AsyncClient, url: str, body: bytes,
                           stream: Stream) -> None:
    """Deliver one webhook as a provider does: again and again until a 2xx."""
    headers = {"X-Line-Signature": hmac_sha256_b64(LINE_SECRET, body),
               "Content-Type": "application/json"}
    while True:
        try:
            answer = await http.post(url, content=body, headers=headers)
            if answer.is_success:
                return
            assert answer.status_code >= 500, answer.text  # a refusal would never heal
        except httpx.HTTPError:
            pass
        stream.redeliveries += 1
        await asyncio.sleep(0.1)


async def customer(http: httpx.AsyncClient, hook: str, user: int, stream: Stream) -> None:
    """One customer writing until the chaos is over, and a few messages more."""
    n, after = user, 2
    while not stream.done or after:
        after -= stream.done
        await post_until_acked(http, hook, line_webhook(n), stream)
        stream.acked.add(f"{9000000 + n}")
        n += len(USERS)


async def agent(http: httpx.AsyncClient, url: str, token: str, stream: Stream) -> None:
    """An agent answering now and then, until the chaos is over and a few times more.

    A refused connection reached no server, so that reply is posted again; one whose answer
    was lost may or may not be stored, and is not posted again.
    """
    n, after = 0, 3
    while not stream.done or after:
        after -= stream.done
        text = f"상담원 답장 {n}"
        n += 1
        while True:
            try:
                answer = await http.post(url, json={"text": text},
                                         headers={"Authorization": f"Bearer {token}"})
            except httpx.ConnectError:
                await asyncio.sleep(0.1)
                continue
            except httpx.HTTPError:  # the server died mid-request
                stream.replies_unknown.append(text)
                break
            assert answer.status_code == 201, answer.text
            stream.replies_acked.append(text)
            break


async def customers_and_agent(base: str, slug: str, token: str, conversation_id: int,
                              stream: Stream) -> None:
    """Stream customer messages (one writer per customer) and agent replies concurrently."""
    async with httpx.AsyncClient(timeout=10) as http:
        hook = f"{base}/channels/line/{slug}/webhook"
        await asyncio.gather(
            agent(http, f"{base}/api/v1/conversations/{conversation_id}/messages", token,
                  stream),
            *(customer(http, hook, user, stream) for user in range(len(USERS))))


async def chaos(processes: dict[str, Process], rng: random.Random, stream: Stream,
                kills: list[tuple[str, float]], started: float) -> None:
    """Each round, SIGKILL the worker and the server at random moments, then restart both."""
    for _ in range(ROUNDS):
        for name in rng.sample(sorted(processes), k=len(processes)):
            flowing = len(stream.acked) + FLOWING
            while len(stream.acked) < flowing and processes["server"].pid is not None:
                await asyncio.sleep(0.02)  # messages are streaming through (or the server is down)
            await asyncio.sleep(rng.uniform(0.0, 0.5))
            await processes[name].kill()
            kills.append((name, round(time.monotonic() - started, 2)))
        for process in processes.values():
            process.start()
        await asyncio.gather(*(p.wait_ready() for p in processes.values()))
    stream.done = True


async def drained(session: AsyncSession) -> bool:
    """Tell whether every stored event was processed and no delivery is due or running."""
    waiting = await session.scalar(select(func.count()).select_from(InboundEvent)
                                   .where(InboundEvent.status == RECEIVED))
    due = (EventDelivery.status == RUNNING) | (
        (EventDelivery.status == PENDING) & (EventDelivery.next_attempt_at <= utcnow()))
    unsettled = await session.scalar(select(func.count()).select_from(EventDelivery)
                                     .where(due))
    pending = await session.scalar(select(func.count()).select_from(Message).where(
        Message.direction == "outbound", Message.delivery_status == "pending"))
    await session.rollback()
    return waiting == 0 and unsettled == 0 and pending == 0


async def prepare(session: AsyncSession, owner: Persona, provider_url: str) -> int:
    """Connect LINE to the fake provider; open the conversation the agent answers in."""
    await do_connect_inbox(session, workspace_id=owner.workspace_id,
                             adapter=build_registry()["line"], name="LINE",
                             cipher=SettingsCipher(SECRET),
                             settings={"channel_secret": LINE_SECRET,
                                       "channel_access_token": LINE_TOKEN,
                                       "api_base_url": provider_url})
    first = await do_receive_inbound(session, workspace_id=owner.workspace_id,
                                     inbound=InboundMessage(
                                         channel="line", provider_message_id="opening",
                                         identity_kind="line", identity_value=USERS[0],
                                         text="안녕하세요"))
    await session.commit()
    return first.conversation_id


@pytest.fixture
def forker(db_url: str, tmp_path: Path) -> Iterator[Forker]:
    """The preloaded parent, started first so its imports overlap the database set-up."""
    env = {**os.environ, "OMNIDESK_DATABASE_URL": db_url, "OMNIDESK_SECRET_KEY": SECRET,
           "OMNIDESK_UPLOAD_DIR": str(tmp_path / "uploads"), "OMNIDESK_LOG_LEVEL": "INFO",
           "OMNIDESK_DISPATCHER_POLL_SECONDS": "0.1", "OMNIDESK_OUTBOX_LEASE_SECONDS": "3",
           "OMNIDESK_RUN_DISPATCHER": "false"}  # the worker does the work, as in production
    env.pop("OMNIDESK_REDIS_URL", None)
    with Forker(env) as parent:
        yield parent


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
@pytest.mark.timeout(120)
async def test_killing_the_server_and_the_worker_loses_and_doubles_nothing(
        forker: Forker, session: AsyncSession, owner: Persona, tmp_path: Path) -> None:
    provider = FakeProvider()
    port = free_port()
    processes = {
        "server": Process(forker, ["serve", "--port", str(port)], tmp_path / "server.log",
                          "Application startup complete"),
        "worker": Process(forker, ["worker"], tmp_path / "worker.log", "worker started"),
    }
    with contextlib.contextmanager(serve)(provider.app) as provider_url:
        provider.base_url = provider_url
        conversation_id = await prepare(session, owner, provider_url)
        started = time.monotonic()
        try:
            for process in processes.values():
                process.start()
            await asyncio.gather(*(p.wait_ready() for p in processes.values()))
            boot = time.monotonic() - started
            stream, kills, rng = Stream(), [], random.Random(SEED)
            await asyncio.gather(
                customers_and_agent(f"http://127.0.0.1:{port}", owner.slug, owner.token,
                                    conversation_id, stream),
                chaos(processes, rng, stream, kills, started))
            streamed = time.monotonic() - started
            deadline = time.monotonic() + 30
            while not await drained(session):
                assert time.monotonic() < deadline, "the restarted processes did not catch up"
                await asyncio.sleep(0.2)
            total = time.monotonic() - started
        finally:
            for process in processes.values():
                await process.kill(signal.SIGTERM)

    inbound = (await session.execute(
        select(Message.provider_message_id, func.count()).where(
            Message.direction == "inbound", Message.provider_message_id != "opening")
        .group_by(Message.provider_message_id))).all()
    assert {pid for pid, _ in inbound} == stream.acked  # every acknowledged message is stored
    assert {n for _, n in inbound} == {1}  # and none twice
    events = (await session.execute(select(InboundEvent.dedupe_key, func.count())
                                    .group_by(InboundEvent.dedupe_key))).all()
    assert len(events) == len(stream.acked) and {n for _, n in events} == {1}

    outbound = (await session.scalars(select(Message).where(
        Message.direction == "outbound"))).all()
    texts = [m.text for m in outbound]
    assert all(texts.count(t) == 1 for t in stream.replies_acked)
    assert all(texts.count(t) <= 1 for t in stream.replies_unknown)
    assert all(m.delivery_status == "sent" for m in outbound)
    keys = {str(uuid.uuid5(RETRY_KEY_NAMESPACE, f"omnidesk-msg-{m.workspace_id}-{m.id}"))
            for m in outbound}
    pushes = [r.headers.get("x-line-retry-key") for r in provider.to(PUSH)]
    assert set(provider.line_retry_keys) == keys == set(pushes)  # each accepted exactly once
    assert len(pushes) - len(keys) <= len(kills)  # a resend only when a kill cut a send short
    assert await session.scalar(select(func.count()).select_from(EventDelivery)
                                .where(EventDelivery.status == DEAD)) == 0
    print(f"\ncrash drill (seed {SEED}): boot {boot:.1f}s, stream ends {streamed:.1f}s, "
          f"drained {total:.1f}s, "
          f"{len(stream.acked)} messages acked ({stream.redeliveries} redeliveries), "
          f"{len(stream.replies_acked)}+{len(stream.replies_unknown)} replies posted "
          f"(acked+unknown), {len(outbound)} stored, {len(pushes)} pushes, kills at {kills}")
