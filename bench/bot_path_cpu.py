"""CPU and SQL cost of one customer message on the full path, with the bot answering.

Loads the demo workspace (bot on, help-center articles, routing, 90 days of reporting history)
into a PostgreSQL database once (a template), then for each run copies it, and sends widget
messages of anonymous visitors (each sends `--per-visitor`, the first opening a conversation)
through the real way in (`do_receive_visitor_message`, commit) and drains the real dispatcher
with the application's subscribers after each message, as a running server does (with an
in-process realtime hub, so the screens' pushes do their reads). It prints, per message: the
process's CPU ms (`time.process_time`, intake and dispatcher together), SQL statements, and
the CPU ms of each subscriber (the dispatcher's `_run` timed around each delivery) and of the
dispatcher's own fan-out and claims, plus the bot's reply rate (a sanity check that the path
did its work). With `--profile FILE` it writes a cProfile (CPU time) of the measured messages.

Run: .venv/bin/python bench/bot_path_cpu.py [--messages 60] [--runs 3] [--rebuild]
The machine is shared: repeat runs and read the spread; CPU time is steadier than wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import datetime as dt
import os
import statistics
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
from sqlalchemy import event, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from omnidesk.all_models import metadata
from omnidesk.app.subscribers import build_registry
from omnidesk.config import Settings
from omnidesk.core.db import create_engine, create_session_factory, utcnow
from omnidesk.core.dispatcher import Dispatcher, DispatcherConfig, _Claimed
from omnidesk.core.scheduler import ScheduleState
from omnidesk.demo.extras import load_demo_extras
from omnidesk.demo.loader import load_demo
from omnidesk.domains.conversations.models import Message
from omnidesk.domains.conversations.schemas import RawInbound
from omnidesk.domains.engagement.actions import (
    do_receive_visitor_message,
    do_start_widget_session,
)
from omnidesk.domains.engagement.schemas import WidgetSessionCreate
from omnidesk.domains.workspaces.models import Workspace
from omnidesk.realtime.broker import build_broker
from omnidesk.realtime.hub import Hub

PG = "postgresql://postgres@127.0.0.1:5432"
TEMPLATE, RUN = "omnidesk_cpu_bench_tpl", f"omnidesk_cpu_bench_run_{os.getpid()}"
TEXTS = [  # what widget visitors ask: the bot answers from the help center or hands off
    "배송은 보통 며칠 걸리나요?",
    "환불은 어떻게 신청하나요?",
    "교환하고 싶은데 방법 알려주세요",
    "영업시간이 어떻게 되나요?",
    "How long does shipping take?",
    "비밀번호를 잊어버렸어요",
    "쿠폰은 어디서 쓰나요?",
    "상담원 연결해 주세요",
]


async def _admin(sql: str) -> None:
    conn = await asyncpg.connect(f"{PG}/postgres")
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def _build_template() -> None:
    """Create the template database with the demo workspace (slow: once)."""
    await _admin(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
    await _admin(f"CREATE DATABASE {TEMPLATE}")
    engine = create_engine(f"postgresql+asyncpg://postgres@127.0.0.1:5432/{TEMPLATE}")
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    factory = create_session_factory(engine)
    async with factory() as session:
        report = await load_demo(session)
        await session.flush()
        await load_demo_extras(session, report.workspace_id)
        await session.commit()
    dispatcher = Dispatcher(factory, build_registry(_settings(TEMPLATE)),
                            DispatcherConfig(backoff_base_seconds=0))
    await dispatcher.drain(max_passes=100_000)  # the demo's own events
    await engine.dispose()


def _settings(db: str) -> Settings:
    return Settings(database_url=f"postgresql+asyncpg://postgres@127.0.0.1:5432/{db}")


async def _template_exists() -> bool:
    conn = await asyncpg.connect(f"{PG}/postgres")
    try:
        return bool(await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1",
                                        TEMPLATE))
    finally:
        await conn.close()


class Meter:
    """Statement counts and per-subscriber CPU of the measured part."""

    def __init__(self) -> None:
        self.on = False
        self.statements = 0
        self.by_subscriber: dict[str, float] = defaultdict(float)
        self.deliveries: dict[str, int] = defaultdict(int)
        self.texts: dict[str, int] = defaultdict(int)

    def count(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        """Count one statement (a `before_cursor_execute` listener)."""
        if self.on:
            self.statements += 1
            self.texts[" ".join(statement.split())[:110]] += 1

    def wrap(self, dispatcher: Dispatcher) -> None:
        """Time each delivery of this dispatcher by its subscriber."""
        run = dispatcher._run

        async def timed(claimed: _Claimed) -> None:
            started = time.process_time()
            try:
                await run(claimed)
            finally:
                if self.on:
                    self.by_subscriber[claimed.subscriber] += time.process_time() - started
                    self.deliveries[claimed.subscriber] += 1

        dispatcher._run = timed  # type: ignore[method-assign]
        for name in ("fan_out", "_claim_batch"):
            setattr(dispatcher, name, self._timed(f"(dispatcher.{name.strip('_')})",
                                                  getattr(dispatcher, name)))

    def _timed(self, label: str, call: Any) -> Any:
        async def timed(*args: Any) -> Any:
            started = time.process_time()
            try:
                return await call(*args)
            finally:
                if self.on:
                    self.by_subscriber[label] += time.process_time() - started
                    self.deliveries[label] += 1

        return timed


async def _send(factory: async_sessionmaker[AsyncSession], workspace: Workspace,
                visitor: int, n: int, token: str | None) -> tuple[int, str]:
    async with factory() as session:
        ws = await session.get(Workspace, workspace.id)
        assert ws is not None
        widget, token = await do_start_widget_session(
            session, workspace=ws, session_in=WidgetSessionCreate(
                workspace=ws.slug, token=token, locale="ko"))
        text = TEXTS[n % len(TEXTS)]
        cid = f"bench-{visitor}-{n}"
        msg = await do_receive_visitor_message(
            session, widget_session=widget, text=text, client_message_id=cid,
            raw=RawInbound.of_json({"text": text, "client_message_id": cid}))
        await session.commit()
        return msg.id, token


async def measured(meter: Meter, one: Callable[[int], Awaitable[None]], numbers: range,
                   profile: str | None) -> tuple[float, float]:
    """Send the numbered messages with the meter on (and a CPU-time cProfile written to
    ``profile`` when given); return the CPU and wall seconds they took."""
    profiler = cProfile.Profile(time.process_time) if profile else None
    meter.on = True
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    for n in numbers:
        await one(n)
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    meter.on = False
    return cpu, wall


async def run(args: argparse.Namespace) -> dict[str, Any]:
    """Copy the template, send the messages, return the figures."""
    await _admin(f"DROP DATABASE IF EXISTS {RUN} WITH (FORCE)")
    await _admin(f"CREATE DATABASE {RUN} TEMPLATE {TEMPLATE}")
    settings = _settings(RUN)
    engine = create_engine(settings.database_url)
    factory = create_session_factory(engine)
    hub = Hub(build_broker(None))  # the screens' pushes read what a running server's do
    await hub.start()
    factory.kw["info"] = {"realtime": hub}
    meter = Meter()
    event.listen(engine.sync_engine, "before_cursor_execute", meter.count)
    dispatcher = Dispatcher(factory, build_registry(settings),
                            DispatcherConfig(backoff_base_seconds=0))
    meter.wrap(dispatcher)
    async with factory() as session:
        ws = await session.scalar(select(Workspace).where(Workspace.slug == "hanbit"))
        assert ws is not None
        await session.execute(update(ScheduleState).values(
            next_run_at=utcnow() + dt.timedelta(days=1)))  # periodic work is not the path
        await session.commit()
    await dispatcher.drain(max_passes=1000)
    tokens: dict[int, str | None] = {}
    first_id = None

    async def one(n: int) -> None:
        nonlocal first_id
        visitor = n // args.per_visitor  # a new visitor (conversation) every few messages
        started = time.process_time()
        msg_id, tokens[visitor] = await _send(factory, ws, visitor, n, tokens.get(visitor))
        if meter.on:
            meter.by_subscriber["(intake)"] += time.process_time() - started
            meter.deliveries["(intake)"] += 1
        first_id = first_id or msg_id
        await dispatcher.drain(max_passes=1000)

    for n in range(args.warmup):  # models, caches, the first turn's imports
        await one(n)
    first_id = None
    cpu, wall = await measured(meter, one, range(args.warmup, args.warmup + args.messages),
                               args.profile)
    async with factory() as session:
        replies = await session.scalar(select(func.count()).select_from(Message).where(
            Message.id > first_id, Message.author_kind == "bot", Message.is_private.is_(False)))
    await hub.stop()
    await engine.dispose()
    await _admin(f"DROP DATABASE IF EXISTS {RUN} WITH (FORCE)")
    n = args.messages
    return {"cpu_ms": cpu * 1000 / n, "wall_ms": wall * 1000 / n,
            "statements": meter.statements / n, "texts": meter.texts, "bot_replies": (replies or 0) / n,
            "subscribers": {k: (v * 1000 / n, meter.deliveries[k] / n)
                            for k, v in meter.by_subscriber.items()}}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=60)
    parser.add_argument("--per-visitor", type=int, default=3,
                        help="messages each visitor sends (the first opens a conversation)")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the demo template")
    parser.add_argument("--statements", action="store_true", help="list statements per msg")
    parser.add_argument("--profile", help="write a cProfile of the measured messages here")
    args = parser.parse_args()
    if args.rebuild or not await _template_exists():
        await _build_template()
    results = []
    for r in range(args.runs):
        res = await run(args)
        results.append(res)
        print(f"run {r + 1}: {res['cpu_ms']:.1f} ms CPU/msg  {res['wall_ms']:.1f} ms wall/msg  "
              f"{res['statements']:.1f} stmt/msg  {res['bot_replies']:.2f} bot replies/msg")
        for name, (ms, count) in sorted(res["subscribers"].items(), key=lambda kv: -kv[1][0]):
            print(f"    {name:<34} {ms:7.1f} ms CPU/msg  {count:5.2f} deliveries/msg")
        if args.statements:
            for text, count in sorted(res["texts"].items(), key=lambda kv: -kv[1]):
                print(f"    {count / args.messages:6.2f}  {text}")
    if len(results) > 1:
        cpus = [r["cpu_ms"] for r in results]
        print(f"CPU ms/msg: median {statistics.median(cpus):.1f}, "
              f"min {min(cpus):.1f}, max {max(cpus):.1f}")


if __name__ == "__main__":
    asyncio.run(main())
