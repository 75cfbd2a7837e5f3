"""Benchmark the message hot path: intake -> store -> outbox -> dispatcher delivery.

For each backend (SQLite, PostgreSQL) it prints:
- sequential intake: `do_receive_inbound` + commit, one message at a time (msg/s, p50/p99 ms);
- concurrent intake (`--concurrency N`): N tasks, each with its own session per message, pushing
  messages for the same customers at once (total msg/s, p50/p99 ms per message);
- SQL statements per message (BEGIN/COMMIT not counted), for a first contact and steady state,
  and the benchmark process's CPU time per message (the Python cost, without waits);
- dispatch: the dispatcher fanning out and delivering the resulting events to a no-op
  `message.created` subscriber (deliveries/s, and statements per delivery).
Run: .venv/bin/python bench/message_hot_path.py [--messages 3000] [--concurrency 16]

`--api-path` measures instead what a running server does for a message of the API channel with
the bot off, on a PostgreSQL copy of the demo (`bench/bot_path_cpu.py`'s template): the webhook's
store (`channels.webhooks.handle`: verify, parse, raw event, commit) and then the real
dispatcher with the application's subscribers, drained after each message, with an in-process
realtime hub and one supervisor's queue. `--visitors` customers write in turn (their first
messages open the conversations, unmeasured). It prints CPU ms and statements per message,
the CPU ms of the store, of each subscriber and of the dispatcher's fan-out and claims, and
with `--profile FILE` writes a CPU-time cProfile of the measured messages.
Run: .venv/bin/python bench/message_hot_path.py --api-path [--messages 200] [--runs 3]
Figures vary with the machine's load; run it a few times and report the spread.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import bot_path_cpu  # the demo template, its statement counter and per-subscriber timer
from sqlalchemy import event, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from omnidesk.all_models import metadata
from omnidesk.app.commands.bench_setup import _prepare
from omnidesk.app.subscribers import build_registry
from omnidesk.channels.api.manifest import MANIFEST as API
from omnidesk.channels.base import RawRequest
from omnidesk.channels.crypto import SettingsCipher
from omnidesk.channels.registry import build_registry as build_adapters
from omnidesk.channels.webhooks import handle
from omnidesk.core.db import create_engine, create_session_factory, utcnow
from omnidesk.core.dispatcher import Dispatcher, DispatcherConfig
from omnidesk.core.events import DeliveredEvent, SubscriberRegistry
from omnidesk.core.scheduler import ScheduleState
from omnidesk.domains.conversations.actions import do_receive_inbound
from omnidesk.domains.conversations.events import MessageCreated
from omnidesk.domains.conversations.models import Message
from omnidesk.domains.conversations.schemas import InboundMessage
from omnidesk.domains.inboxes.service import get_inbox_by_key
from omnidesk.domains.workspaces.models import Workspace
from omnidesk.realtime.broker import build_broker
from omnidesk.realtime.hub import Hub
from omnidesk.realtime.topics import supervisors_topic

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/omnidesk_bench"


async def _fresh_postgres() -> str:
    conn = await asyncpg.connect(PG_ADMIN)
    await conn.execute("DROP DATABASE IF EXISTS omnidesk_bench WITH (FORCE)")
    await conn.execute("CREATE DATABASE omnidesk_bench")
    await conn.close()
    return PG_URL


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass
class StatementCounter:
    """Count SQL statements the engine sends (a `before_cursor_execute` listener)."""

    count: int = 0

    def __call__(self, *args: Any) -> None:
        self.count += 1

    @contextmanager
    def counting(self) -> Iterator[StatementCounter]:
        """Reset the count and return the counter."""
        self.count = 0
        yield self


@dataclass
class Phase:
    """Figures of one intake run."""

    messages: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    statements: int = 0
    cpu_seconds: float = 0.0

    def row(self, label: str) -> str:
        """Format one line of the report."""
        return (f"  {label:<22} {self.messages / self.seconds:>8.0f} msg/s  "
                f"p50 {statistics.median(self.latencies):>6.2f} ms  "
                f"p99 {_percentile(self.latencies, 0.99):>6.2f} ms  "
                f"{self.statements / self.messages:>5.2f} stmt/msg  "
                f"{self.cpu_seconds * 1000 / self.messages:>5.2f} ms CPU/msg")


def _inbound(n: int, customers: int, prefix: str) -> InboundMessage:
    return InboundMessage(channel="sms", provider_message_id=f"{prefix}{n}",
                          identity_kind="phone", identity_value=f"+8210{n % customers:08d}",
                          text="배송이 언제 오나요?")


async def _receive(factory: async_sessionmaker[AsyncSession], ws_id: int,
                   inbound: InboundMessage) -> float:
    t0 = time.perf_counter()
    async with factory() as session:
        await do_receive_inbound(session, workspace_id=ws_id, inbound=inbound)
        await session.commit()
    return (time.perf_counter() - t0) * 1000


async def _sequential(factory: async_sessionmaker[AsyncSession], ws_id: int,
                      messages: int, customers: int, prefix: str,
                      counter: StatementCounter) -> Phase:
    with counter.counting():
        started, cpu = time.perf_counter(), time.process_time()
        latencies = [await _receive(factory, ws_id, _inbound(n, customers, prefix))
                     for n in range(messages)]
        return Phase(messages, time.perf_counter() - started, latencies, counter.count,
                     time.process_time() - cpu)


async def _concurrent(factory: async_sessionmaker[AsyncSession], ws_id: int, messages: int,
                      customers: int, concurrency: int, counter: StatementCounter) -> Phase:
    latencies: list[float] = []

    async def worker(first: int) -> None:
        for n in range(first, messages, concurrency):
            latencies.append(await _receive(factory, ws_id, _inbound(n, customers, "CC")))

    with counter.counting():
        started, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(worker(i) for i in range(concurrency)))
        return Phase(messages, time.perf_counter() - started, latencies, counter.count,
                     time.process_time() - cpu)


async def _dispatch(factory: async_sessionmaker[AsyncSession],
                    counter: StatementCounter) -> tuple[int, float, int]:
    """Deliver everything in the outbox to a no-op subscriber; return deliveries, s, stmts."""
    registry = SubscriberRegistry()
    delivered = 0

    @registry.subscribe(MessageCreated, name="bench.noop")
    async def noop(event: DeliveredEvent, session: object) -> None:
        nonlocal delivered
        delivered += 1

    with counter.counting():
        t0 = time.perf_counter()
        await Dispatcher(factory, registry, DispatcherConfig(batch_size=500)).drain(
            max_passes=100_000)
        return delivered, time.perf_counter() - t0, counter.count


async def _setup(url: str) -> tuple[AsyncEngine, async_sessionmaker[AsyncSession], int]:
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    factory = create_session_factory(engine)
    async with factory() as session:
        ws = Workspace(slug="bench", name="bench")
        session.add(ws)
        await session.commit()
        return engine, factory, ws.id


async def run(url: str, args: argparse.Namespace) -> None:
    """Push messages through intake (sequential, then concurrent) and the dispatcher."""
    engine, factory, ws_id = await _setup(url)
    counter = StatementCounter()
    event.listen(engine.sync_engine, "before_cursor_execute", counter)
    # First contacts (a new customer and conversation) and then steady state, for the counts.
    first = await _sequential(factory, ws_id, args.customers, args.customers, "FIRST", counter)
    seq = await _sequential(factory, ws_id, args.messages, args.customers, "SEQ", counter)
    print(f"  first contact: {first.statements / first.messages:.2f} stmt/msg")
    print(seq.row("sequential"))
    if args.concurrency > 1:
        conc = await _concurrent(factory, ws_id, args.messages, args.customers,
                                 args.concurrency, counter)
        print(conc.row(f"concurrency {args.concurrency}"))
    delivered, seconds, statements = await _dispatch(factory, counter)
    print(f"  {'dispatch':<22} {delivered / seconds:>8.0f} deliveries/s "
          f"({delivered} deliveries, {statements / max(delivered, 1):.2f} stmt/delivery)")
    await engine.dispose()


API_RUN = f"omnidesk_api_path_run_{os.getpid()}"


async def _api_setup(factory: async_sessionmaker[AsyncSession]) -> tuple[int, str, str]:
    """Turn the demo's bot off and connect the bench's API inbox; return workspace, key, token."""
    async with factory() as session:
        ws = await session.scalar(select(Workspace).where(Workspace.slug == "hanbit"))
        assert ws is not None
        ws.settings = {**ws.settings, "bot": {**ws.settings.get("bot", {}), "enabled": False}}
        await session.execute(update(ScheduleState).values(
            next_run_at=utcnow() + dt.timedelta(days=1)))  # periodic work is not the path
        await session.commit()
        target = await _prepare(session, "hanbit", "api")
        assert target.path is not None and target.secret is not None
        return ws.id, target.path.rsplit("/", 1)[-1], target.secret


def _api_request(key: str, secret: str, n: int, visitors: int) -> RawRequest:
    body = json.dumps({"id": f"api-path-{n}", "type": "message", "text": f"배송이 언제 오나요? {n}",
                       "user": {"id": f"api-path-{n % visitors}", "name": f"Bench {n % visitors}"}})
    return RawRequest(method="POST", url=f"http://bench/webhooks/api/{key}",
                      headers={"authorization": f"Bearer {secret}",
                               "content-type": "application/json"},
                      query={}, body=body.encode(), received_at=utcnow())


async def _api_run(args: argparse.Namespace) -> dict[str, Any]:
    """Copy the demo, send API-channel messages with the bot off; return the figures."""
    await bot_path_cpu._admin(f"DROP DATABASE IF EXISTS {API_RUN} WITH (FORCE)")
    await bot_path_cpu._admin(f"CREATE DATABASE {API_RUN} TEMPLATE {bot_path_cpu.TEMPLATE}")
    settings = bot_path_cpu._settings(API_RUN)
    engine = create_engine(settings.database_url)
    factory = create_session_factory(engine)
    hub = Hub(build_broker(None))
    await hub.start()
    factory.kw["info"] = {"realtime": hub}
    ws_id, key, secret = await _api_setup(factory)
    hub.attach("bench", {supervisors_topic(ws_id)}, None, 0)  # one supervisor's screen
    meter = bot_path_cpu.Meter()
    event.listen(engine.sync_engine, "before_cursor_execute", meter.count)
    dispatcher = Dispatcher(factory, build_registry(settings),
                            DispatcherConfig(backoff_base_seconds=0))
    meter.wrap(dispatcher)
    adapter = build_adapters()[API.kind]
    cipher = SettingsCipher(settings.effective_secret_key)
    await dispatcher.drain(max_passes=1000)

    async def one(n: int) -> None:
        started = time.process_time()
        async with factory() as session:
            inbox = await get_inbox_by_key(session, kind=API.kind, key=key)
            answer = await handle(session, adapter, inbox, _api_request(key, secret, n,
                                                                        args.visitors), cipher)
            assert answer.status_code == 200, answer.body
        if meter.on:
            meter.by_subscriber["(webhook store)"] += time.process_time() - started
            meter.deliveries["(webhook store)"] += 1
        await dispatcher.drain(max_passes=1000)

    for n in range(args.visitors):  # first contacts: customers and conversations
        await one(n)
    cpu, _wall = await bot_path_cpu.measured(
        meter, one, range(args.visitors, args.visitors + args.messages), args.profile)
    async with factory() as session:
        stored = await session.scalar(select(func.count()).select_from(Message).where(
            Message.workspace_id == ws_id, Message.text.like("배송이 언제 오나요? %")))
    await hub.stop()
    await engine.dispose()
    await bot_path_cpu._admin(f"DROP DATABASE IF EXISTS {API_RUN} WITH (FORCE)")
    n = args.messages
    return {"cpu_ms": cpu * 1000 / n, "statements": meter.statements / n, "texts": meter.texts,
            "stored": stored, "subscribers": {k: (v * 1000 / n, meter.deliveries[k] / n)
                                              for k, v in meter.by_subscriber.items()}}


async def api_path(args: argparse.Namespace) -> None:
    """Run `--api-path` `--runs` times and print each run's figures."""
    if not await bot_path_cpu._template_exists():
        await bot_path_cpu._build_template()
    for r in range(args.runs):
        res = await _api_run(args)
        print(f"run {r + 1}: {res['cpu_ms']:.2f} ms CPU/msg  {res['statements']:.2f} stmt/msg  "
              f"({res['stored']} messages stored of {args.visitors + args.messages})")
        for name, (ms, count) in sorted(res["subscribers"].items(), key=lambda kv: -kv[1][0]):
            print(f"    {name:<34} {ms:7.2f} ms CPU/msg  {count:5.2f} deliveries/msg")
        if args.statements:
            for text, count in sorted(res["texts"].items(), key=lambda kv: -kv[1]):
                print(f"    {count / args.messages:6.2f}  {text}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--customers", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=16,
                        help="tasks pushing messages at once (1 = sequential only)")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--api-path", action="store_true",
                        help="the API channel's full path with the bot off (see above)")
    parser.add_argument("--visitors", type=int, default=20, help="--api-path: customers")
    parser.add_argument("--runs", type=int, default=1, help="--api-path: runs")
    parser.add_argument("--statements", action="store_true",
                        help="--api-path: list the statements per message")
    parser.add_argument("--profile", help="--api-path: write a CPU-time cProfile here")
    args = parser.parse_args()
    if args.api_path:
        await api_path(args)
        return
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("sqlite", "postgresql"):
            if args.backend not in (name, "both"):
                continue
            url = (f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}" if name == "sqlite"
                   else await _fresh_postgres())
            print(f"{name} ({args.messages} messages, {args.customers} customers)")
            await run(url, args)


if __name__ == "__main__":
    asyncio.run(main())
