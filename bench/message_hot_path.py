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
Figures vary with the machine's load; run it a few times and report the spread.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from omnidesk.all_models import metadata
from omnidesk.core.db import create_engine, create_session_factory
from omnidesk.core.dispatcher import Dispatcher, DispatcherConfig
from omnidesk.core.events import DeliveredEvent, SubscriberRegistry
from omnidesk.domains.conversations.actions import do_receive_inbound
from omnidesk.domains.conversations.events import MessageCreated
from omnidesk.domains.conversations.schemas import InboundMessage
from omnidesk.domains.workspaces.models import Workspace

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


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--customers", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=16,
                        help="tasks pushing messages at once (1 = sequential only)")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
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
