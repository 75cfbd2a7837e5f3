"""Benchmark the message hot path: intake -> store -> outbox -> dispatcher fan-out.

Prints messages/s and p50/p99 latencies of `do_receive_inbound` + commit, and how long the
dispatcher takes to deliver the resulting events, on SQLite and PostgreSQL.
Run: .venv/bin/python bench/message_hot_path.py [--messages 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import asyncpg

from omnidesk.all_models import metadata
from omnidesk.core.db import create_engine, create_session_factory
from omnidesk.core.dispatcher import Dispatcher, DispatcherConfig
from omnidesk.core.events import DeliveredEvent, SubscriberRegistry
from omnidesk.domains.conversations.actions import do_receive_inbound
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


async def run(url: str, messages: int, customers: int) -> dict[str, float]:
    """Push messages through intake and the dispatcher; return the figures."""
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    factory = create_session_factory(engine)
    async with factory() as session:
        ws = Workspace(slug="bench", name="bench")
        session.add(ws)
        await session.commit()
        ws_id = ws.id
    latencies: list[float] = []
    started = time.perf_counter()
    for n in range(messages):
        inbound = InboundMessage(channel="sms", provider_message_id=f"SM{n}",
                                 identity_kind="phone", identity_value=f"+8210{n % customers:08d}",
                                 text="배송이 언제 오나요?")
        t0 = time.perf_counter()
        async with factory() as session:
            await do_receive_inbound(session, workspace_id=ws_id, inbound=inbound)
            await session.commit()
        latencies.append((time.perf_counter() - t0) * 1000)
    intake_seconds = time.perf_counter() - started

    registry = SubscriberRegistry()

    @registry.subscribe("message.created", name="bench.noop")
    async def noop(event: DeliveredEvent, session: object) -> None:
        return None

    t0 = time.perf_counter()
    await Dispatcher(factory, registry, DispatcherConfig(batch_size=500)).drain(max_passes=10_000)
    dispatch_seconds = time.perf_counter() - t0
    await engine.dispose()
    return {
        "intake_msgs_per_s": messages / intake_seconds,
        "intake_p50_ms": statistics.median(latencies),
        "intake_p99_ms": _percentile(latencies, 0.99),
        "dispatch_events_per_s": messages / dispatch_seconds,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--customers", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        backends = {"sqlite": f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}",
                    "postgresql": await _fresh_postgres()}
        print(f"{'backend':<11} {'intake msg/s':>13} {'p50 ms':>8} {'p99 ms':>8} "
              f"{'dispatch ev/s':>14}")
        for name, url in backends.items():
            r = await run(url, args.messages, args.customers)
            print(f"{name:<11} {r['intake_msgs_per_s']:>13.0f} {r['intake_p50_ms']:>8.2f} "
                  f"{r['intake_p99_ms']:>8.2f} {r['dispatch_events_per_s']:>14.0f}")


if __name__ == "__main__":
    asyncio.run(main())
