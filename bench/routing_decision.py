"""Benchmark: routing decision latency, pure engine and through the database.

Run: .venv/bin/python bench/routing_decision.py [database-url]
(default: a temporary SQLite file; e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/routing_test)
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from omnidesk.domains.routing.engine import AgentState, QueuePolicy, WorkItem, match

AGENTS, WAITING, SAMPLES = 50, 200, 300


def percentile(values: list[float], share: float) -> float:
    """Return the value below which ``share`` of the sorted values fall."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(name: str, seconds: list[float]) -> None:
    """Print median and p99 in milliseconds."""
    ms = [s * 1000 for s in seconds]
    print(f"{name:44s} median {statistics.median(ms):7.3f} ms   p99 {percentile(ms, 0.99):7.3f} ms")


def bench_engine() -> None:
    """Time one match() over WAITING items and AGENTS agents with skills and languages."""
    rng = random.Random(1)
    agents = [
        AgentState(id=i, languages=frozenset(rng.sample(["ko", "en", "ja"], 2)),
                   skills={s: rng.randint(1, 5) for s in rng.sample("abcde", 3)},
                   capacity={"chat": 3}, load={"chat": rng.randint(0, 3)}, idle_since=rng.random())
        for i in range(AGENTS)
    ]  # fmt: skip
    items = [
        WorkItem(id=i, language=rng.choice(["ko", "en", "ja"]), skills={rng.choice("abcde"): 2},
                 priority=rng.randrange(4), enqueued_at=rng.random() * 100)
        for i in range(WAITING)
    ]  # fmt: skip
    timings = []
    for _ in range(SAMPLES):
        started = time.perf_counter()
        match(items, agents, QueuePolicy(), now=200.0)
        timings.append(time.perf_counter() - started)
    report(f"engine match ({WAITING} waiting, {AGENTS} agents)", timings)


async def bench_database(url: str) -> None:
    """Time do_enqueue + do_assign_next + commit for one conversation at a time."""
    from omnidesk.all_models import metadata
    from omnidesk.core.context import system_actor
    from omnidesk.core.db import create_engine, create_session_factory
    from omnidesk.domains.agents.actions import do_create_user
    from omnidesk.domains.agents.schemas import UserCreate
    from omnidesk.domains.conversations.actions import do_open_conversation
    from omnidesk.domains.customers.actions import do_create_customer
    from omnidesk.domains.customers.schemas import CustomerCreate
    from omnidesk.domains.routing.actions import (
        do_assign_next,
        do_enqueue,
        do_release,
        do_set_presence,
    )
    from omnidesk.domains.routing.models import RoutingQueue
    from omnidesk.domains.workspaces.actions import do_create_workspace
    from omnidesk.domains.workspaces.schemas import WorkspaceCreate

    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.drop_all)
        await conn.run_sync(metadata.create_all)
    factory = create_session_factory(engine)
    async with factory() as session:
        ws = await do_create_workspace(
            session, workspace_in=WorkspaceCreate(slug="bench", name="bench")
        )
        actor = system_actor(ws.id)
        queue = RoutingQueue(workspace_id=ws.id, name="general", is_default=True)
        session.add(queue)
        for i in range(AGENTS):
            user = await do_create_user(
                session,
                actor=actor,
                user_in=UserCreate(
                    email=f"bench{i}@b.example", name=f"bench{i}", capacity={"chat": 3}
                ),
            )
            await do_set_presence(session, workspace_id=ws.id, user_id=user.id, presence="online")
        customer = await do_create_customer(session, actor=actor, customer_in=CustomerCreate())
        await session.commit()
        timings = []
        for _ in range(SAMPLES):
            conv = await do_open_conversation(
                session, workspace_id=ws.id, customer_id=customer.id, channel="web"
            )
            await session.commit()
            started = time.perf_counter()
            await do_enqueue(session, workspace_id=ws.id, conversation_id=conv.id)
            await do_assign_next(session, workspace_id=ws.id, queue_id=queue.id)
            await session.commit()
            timings.append(time.perf_counter() - started)
            await do_release(session, workspace_id=ws.id, conversation_id=conv.id)
            await session.commit()
    await engine.dispose()
    report(f"enqueue+assign+commit ({engine.dialect.name}, {AGENTS} agents)", timings)


if __name__ == "__main__":
    bench_engine()
    with tempfile.TemporaryDirectory() as folder:
        target = (
            sys.argv[1] if len(sys.argv) > 1 else f"sqlite+aiosqlite:///{Path(folder) / 'b.db'}"
        )
        asyncio.run(bench_database(target))
