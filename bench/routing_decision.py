"""Benchmark: routing decision latency, pure engine and through the database.

Run: .venv/bin/python bench/routing_decision.py [database-url] [--statements] [--profile]
(default: a temporary SQLite file; e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/routing_test)

A decision through the database is ``do_enqueue`` + ``do_assign_next`` + commit for one
conversation, in a fresh session as the event dispatcher runs it, in a workspace with a default SLA
policy and two rules that do not match (so every read of the enqueue path runs). The bench prints statements per decision (counted with a ``before_cursor_execute``
listener, the commit excluded), median/p99 wall time and median/p99 CPU time of this process
(its threads included, not the PostgreSQL server's), which a busy machine disturbs less;
``--statements`` adds where the time goes, per statement (its bookkeeping then adds to the
decision's CPU: compare figures without it); ``--profile`` profiles the decisions
(cProfile on this process's CPU time, only between a decision's start and its commit's end) and
prints the functions that cost most, by own and by cumulative time. On PostgreSQL each sample is followed by
the same work in hand-written SQL on a plain asyncpg connection (``reference_decision``), so every
run states its own floor and the product's ratio to it, whatever the load of the machine.

To compare two versions of the code, run this file from one checkout with ``PYTHONPATH`` pointing
at each version's ``src`` in turn (e.g. a ``git worktree`` of the old commit), interleaved and
repeated, each on its own database.
"""

from __future__ import annotations

import asyncio
import cProfile
import pstats
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import event

from omnidesk.domains.routing.assignment.engine import AgentState, QueuePolicy, WorkItem, match

AGENTS, WAITING, SAMPLES, WARMUP = 50, 200, 400, 20


def percentile(values: list[float], share: float) -> float:
    """Return the value below which ``share`` of the sorted values fall."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(name: str, seconds: list[float], extra: str = "") -> None:
    """Print median and p99 in milliseconds."""
    ms = [s * 1000 for s in seconds]
    print(
        f"{name:46s} median {statistics.median(ms):7.3f} ms   p99 {percentile(ms, 0.99):7.3f} ms"
        f"{extra}"
    )


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


class StatementLog:
    """Count (and optionally time) the statements a decision sends, while switched on."""

    def __init__(self, engine: Any, *, timed: bool = False) -> None:
        self.on, self.timed = False, timed
        self.count = 0
        self.per_statement: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
        event.listen(engine.sync_engine, "before_cursor_execute", self._before)
        if timed:  # normalising each statement's text costs CPU the decision would be charged
            event.listen(engine.sync_engine, "after_cursor_execute", self._after)

    def _before(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if self.on:
            self.count += 1
            if self.timed:
                conn.info["bench_started"] = time.perf_counter()

    def _after(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        started = conn.info.pop("bench_started", None)
        if self.on and started is not None:
            row = self.per_statement[" ".join(statement.split())[:110]]
            row[0] += 1
            row[1] += time.perf_counter() - started

    def print_breakdown(self, decisions: int) -> None:
        """Print statements by total time, per decision."""
        rows = sorted(self.per_statement.items(), key=lambda kv: -kv[1][1])
        for text, (count, seconds) in rows:
            print(f"  {count / decisions:5.2f}/decision {seconds * 1000 / count:7.3f} ms  {text}")


def print_profile(profiler: cProfile.Profile, decisions: int) -> None:
    """Print CPU time per decision by source file (own time), then the costliest functions."""
    stats = pstats.Stats(profiler)
    by_file: dict[str, float] = defaultdict(float)
    for (filename, _, _), (_, _, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        parts = Path(filename).parts
        by_file["/".join(parts[-3:]) if len(parts) > 2 else filename] += own
    print(f"own CPU ms per decision by file (profiled, so inflated), {decisions} decisions:")
    for name, own in sorted(by_file.items(), key=lambda kv: -kv[1])[:25]:
        print(f"  {own * 1000 / decisions:7.3f}  {name}")
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(50)


REFERENCE_STATEMENTS = (
    # facts: the conversation, the workspace's zone, the default queue and SLA targets
    """SELECT c.customer_id, c.channel, c.language, c.priority, w.timezone,
              (SELECT q.id FROM routing_queues q WHERE q.workspace_id = $1 AND q.is_default
               ORDER BY q.id LIMIT 1),
              (SELECT p.targets FROM sla_policies p WHERE p.workspace_id = $1 AND p.is_default
               ORDER BY p.id LIMIT 1)
       FROM conversations c JOIN workspaces w ON w.id = c.workspace_id
       WHERE c.id = $2 AND c.workspace_id = $1""",
    """INSERT INTO queue_entries (workspace_id, conversation_id, customer_id, queue_id, status,
              channel, language, required_skills, priority, vip, sentiment, enqueued_at,
              sla_due_at)
       VALUES ($1, $2, $3, $4, 'waiting', 'chat', $5, '{}', 1, false, 0, $6, $7)
       ON CONFLICT (conversation_id) DO NOTHING RETURNING id""",
    """INSERT INTO outbox_events (workspace_id, name, payload, fanned_out, created_at)
       VALUES ($1, $2, $3::jsonb, false, $4)""",
    """SELECT user_id, chat_load, chat_capacity, idle_since FROM agent_states
       WHERE workspace_id = $1 AND presence = 'online' ORDER BY user_id FOR UPDATE""",
    """SELECT id FROM queue_entries WHERE workspace_id = $1 AND queue_id = $2
       AND status = 'waiting' ORDER BY enqueued_at, id LIMIT 500""",
    """UPDATE queue_entries SET status = 'assigned', agent_id = $2, assigned_at = $3
       WHERE id = $1 AND status = 'waiting' RETURNING conversation_id""",
    """UPDATE agent_states SET chat_load = chat_load + 1, last_assignment_at = $3
       WHERE workspace_id = $1 AND user_id = $2 AND presence = 'online'
       AND chat_load < chat_capacity""",
    """UPDATE conversations SET assignee_id = $2, owner = 'agent', assigned_at = $3,
       updated_at = $3 WHERE id = $1""",
    """INSERT INTO conversation_events (workspace_id, conversation_id, kind, actor_kind, data,
              created_at) VALUES ($1, $2, 'assigned', 'system', $3::jsonb, $4)""",
)


async def reference_decision(conn: Any, ws_id: int, conversation_id: int) -> None:
    """The same decision's work in hand-written SQL on asyncpg (prepared statements): read the
    facts, insert the entry and its event, lock the online agents, read the waiting entries,
    claim the entry and the longest-idle agent's capacity, assign the conversation, log and
    emit, commit. No rules, standing, calendar or engine: the floor the product is measured by."""
    import datetime as dt
    import json

    facts, insert, emit, agents, waiting, claim, capacity, assign, log = REFERENCE_STATEMENTS
    now = dt.datetime.now(dt.UTC)
    async with conn.transaction():
        customer_id, _, language, _, _, queue_id, targets = await conn.fetchrow(
            facts, ws_id, conversation_id)
        due = now + dt.timedelta(seconds=json.loads(targets)["normal"]["first_response"])
        await conn.fetchval(insert, ws_id, conversation_id, customer_id, queue_id, language, now,
                            due)
        await conn.execute(emit, ws_id, "routing.enqueued",
                           json.dumps({"conversation_id": conversation_id}), now)
        free = [row for row in await conn.fetch(agents, ws_id) if row[1] < row[2]]
        items = await conn.fetch(waiting, ws_id, queue_id)
        if not free or not items:
            return
        agent = min(free, key=lambda row: row[3])[0]
        claimed = await conn.fetchval(claim, items[0][0], agent, now)
        if claimed is None or await conn.execute(capacity, ws_id, agent, now) == "UPDATE 0":
            return
        await conn.execute(assign, claimed, agent, now)
        data = json.dumps({"to_assignee_id": agent, "reason": "routing"})
        await conn.execute(log, ws_id, claimed, data, now)
        await conn.execute(emit, ws_id, "conversation.assigned", data, now)


async def bench_database(url: str, *, breakdown: bool = False, profile: bool = False) -> None:
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
    from omnidesk.domains.routing.models import RoutingQueue, RoutingRuleRow, SlaPolicyRow
    from omnidesk.domains.workspaces.actions import do_create_workspace
    from omnidesk.domains.workspaces.schemas import WorkspaceCreate

    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.drop_all)
        await conn.run_sync(metadata.create_all)
    log = StatementLog(engine, timed=breakdown)
    factory = create_session_factory(engine)
    async with factory() as session:
        ws = await do_create_workspace(
            session, workspace_in=WorkspaceCreate(slug="bench", name="bench")
        )
        actor = system_actor(ws.id)
        queue = RoutingQueue(workspace_id=ws.id, name="general", is_default=True)
        email_queue = RoutingQueue(workspace_id=ws.id, name="email")
        session.add_all([queue, email_queue])
        await session.flush()
        session.add_all([
            RoutingRuleRow(workspace_id=ws.id, name="email", position=0, queue_id=email_queue.id,
                           conditions={"channel": ["email"]}),
            RoutingRuleRow(workspace_id=ws.id, name="refunds", position=1, queue_id=email_queue.id,
                           conditions={"keywords": ["refund"]}, priority="high"),
            SlaPolicyRow(workspace_id=ws.id, name="default", is_default=True,
                         targets={"normal": {"first_response": 3600}}),
        ])  # fmt: skip
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
        ws_id, customer_id, queue_id = ws.id, customer.id, queue.id
    raw = None
    if engine.dialect.name == "postgresql":
        import asyncpg

        raw = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    timings, cpu, statements = [], [], []
    profiler = cProfile.Profile(time.process_time) if profile else None
    raw_timings, raw_cpu = [], []
    for sample in range(WARMUP + SAMPLES):
        async with factory() as session:
            conv = await do_open_conversation(
                session, workspace_id=ws_id, customer_id=customer_id, channel="web"
            )
            await session.commit()
            conversation_id = conv.id
        async with factory() as session:
            log.count, log.on = 0, sample >= WARMUP
            if profiler is not None and sample >= WARMUP:
                profiler.enable()
            started, cpu_started = time.perf_counter(), time.process_time()
            await do_enqueue(session, workspace_id=ws_id, conversation_id=conversation_id)
            await do_assign_next(session, workspace_id=ws_id, queue_id=queue_id)
            await session.flush()
            counted = log.count
            await session.commit()
            elapsed = time.perf_counter() - started
            cpu_used = time.process_time() - cpu_started
            log.on = False
            if profiler is not None:
                profiler.disable()
        if sample >= WARMUP:
            timings.append(elapsed)
            cpu.append(cpu_used)
            statements.append(counted)
        async with factory() as session:
            await do_release(session, workspace_id=ws_id, conversation_id=conversation_id)
            await session.commit()
        if raw is None:
            continue
        async with factory() as session:  # the reference decides for its own conversation
            conv = await do_open_conversation(
                session, workspace_id=ws_id, customer_id=customer_id, channel="web"
            )
            await session.commit()
            conversation_id = conv.id
        started, cpu_started = time.perf_counter(), time.process_time()
        await reference_decision(raw, ws_id, conversation_id)
        if sample >= WARMUP:
            raw_timings.append(time.perf_counter() - started)
            raw_cpu.append(time.process_time() - cpu_started)
        async with factory() as session:
            await do_release(session, workspace_id=ws_id, conversation_id=conversation_id)
            await session.commit()
    if raw is not None:
        await raw.close()
    await engine.dispose()
    per_decision = (
        f"   cpu median {statistics.median(cpu) * 1000:.3f} ms p99 {percentile(cpu, 0.99) * 1000:.3f} ms"
        f"   {statistics.mean(statements):.1f} statements + commit"
    )
    report(f"enqueue+assign+commit ({engine.dialect.name}, {AGENTS} agents)", timings, per_decision)
    if raw_timings:
        report("  raw SQL reference, same run (asyncpg)", raw_timings,
               f"   cpu median {statistics.median(raw_cpu) * 1000:.3f} ms"
               f" p99 {percentile(raw_cpu, 0.99) * 1000:.3f} ms"
               f"   {len(REFERENCE_STATEMENTS) + 1} statements + commit;"  # its emit runs twice
               f" product/reference median {statistics.median(timings) / statistics.median(raw_timings):.1f}x")
    if breakdown:
        log.print_breakdown(len(timings))
    if profiler is not None:
        print_profile(profiler, len(timings))


if __name__ == "__main__":
    flags = {arg for arg in sys.argv[1:] if arg.startswith("--")}
    urls = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    bench_engine()
    with tempfile.TemporaryDirectory() as folder:
        target = urls[0] if urls else f"sqlite+aiosqlite:///{Path(folder) / 'b.db'}"
        asyncio.run(bench_database(target, breakdown="--statements" in flags,
                                   profile="--profile" in flags))
