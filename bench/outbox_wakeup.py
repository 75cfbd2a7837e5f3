"""How long an event stored by one process waits before another process's dispatcher runs it.

A "web" engine stores events (no in-process wake-up: as a web process that does not dispatch)
and a "worker" engine runs a dispatcher on the same PostgreSQL database, with its poll at the
server's default (1 s), once without and once with the LISTEN/NOTIFY listener
(``core/wakeup.py``). Events are stored at random moments (0.05-0.4 s apart); the figure is the
time from the storing commit to the handler starting. Prints p50/p90/p99/max in ms per mode.

Run: .venv/bin/python bench/outbox_wakeup.py [--events 60] [--rounds 2]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from typing import Any, ClassVar

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.all_models import metadata
from omnidesk.core.db import create_engine, create_session_factory
from omnidesk.core.dispatcher import Dispatcher, DispatcherConfig
from omnidesk.core.events import DeliveredEvent, Event, SubscriberRegistry, emit
from omnidesk.core.wakeup import OutboxListener
from omnidesk.domains.workspaces.models import Workspace

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/omnidesk_bench_wakeup"


class Stored(Event):
    name: ClassVar[str] = "bench.stored"
    example: ClassVar[dict[str, Any]] = {"n": 1, "at": 0.0}

    n: int
    at: float


async def _fresh() -> None:
    conn = await asyncpg.connect(PG_ADMIN)
    await conn.execute("DROP DATABASE IF EXISTS omnidesk_bench_wakeup WITH (FORCE)")
    await conn.execute("CREATE DATABASE omnidesk_bench_wakeup")
    await conn.close()


async def _measure(listen: bool, events: int) -> list[float]:
    web_engine, worker_engine = create_engine(PG_URL), create_engine(PG_URL)
    web = create_session_factory(web_engine)
    async with web() as session:
        workspace = Workspace(slug=f"wakeup-{listen}-{time.time_ns()}", name="wakeup")
        session.add(workspace)
        await session.commit()
        ws_id = workspace.id
    waits: list[float] = []
    done = asyncio.Event()
    registry = SubscriberRegistry()

    async def handle(event: DeliveredEvent[Stored], _: AsyncSession) -> None:
        waits.append(time.monotonic() - event.data.at)
        if len(waits) == events:
            done.set()

    registry.subscribe(Stored, name="bench.handle")(handle)
    dispatcher = Dispatcher(create_session_factory(worker_engine), registry,
                            DispatcherConfig(poll_seconds=1.0))
    listener = OutboxListener(PG_URL, dispatcher.wake) if listen else None
    if listener is not None:
        listener.start()
        await asyncio.wait_for(listener.listening.wait(), timeout=10)
    running = asyncio.create_task(dispatcher.run_forever())
    try:
        for n in range(events):
            await asyncio.sleep(random.uniform(0.05, 0.4))
            async with web() as session:
                emit(session, Stored(n=n, at=time.monotonic()), workspace_id=ws_id)
                await session.commit()
        await asyncio.wait_for(done.wait(), timeout=30)
    finally:
        dispatcher.stop()
        await asyncio.wait_for(running, timeout=10)
        if listener is not None:
            await listener.stop()
        await web_engine.dispose()
        await worker_engine.dispose()
    return waits


def _summary(waits: list[float]) -> str:
    ms = sorted(w * 1000 for w in waits)
    pick = [ms[min(len(ms) - 1, int(q * len(ms)))] for q in (0.5, 0.9, 0.99)]
    return (f"p50 {pick[0]:7.1f}  p90 {pick[1]:7.1f}  p99 {pick[2]:7.1f}  max {ms[-1]:7.1f} ms"
            f"  (mean {statistics.fmean(ms):.1f}, n={len(ms)})")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    await _fresh()
    engine = create_engine(PG_URL)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)  # with the NOTIFY trigger (core/events.py)
    await engine.dispose()
    for round_ in range(1, args.rounds + 1):
        for listen in (False, True):
            waits = await _measure(listen, args.events)
            mode = "LISTEN/NOTIFY" if listen else "poll only    "
            print(f"round {round_}  {mode}  {_summary(waits)}")
    conn = await asyncpg.connect(PG_ADMIN)
    await conn.execute("DROP DATABASE IF EXISTS omnidesk_bench_wakeup WITH (FORCE)")
    await conn.close()


if __name__ == "__main__":
    asyncio.run(main())
