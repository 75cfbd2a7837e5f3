"""Benchmark: report queries at 1,000,000 conversations on PostgreSQL (p50/p95 per query).

Run: .venv/bin/python bench/reports_at_scale.py [postgresql-url] [--conversations N] [--runs R]
[--reuse | --rollups] (``--reuse``: time the queries again on the data a previous run generated;
``--rollups``: keep its conversations and facts, rebuild the rollup tables, then time)
(default: postgresql+asyncpg://postgres@127.0.0.1:5432/omnidesk_bench_reports, recreated)

Generation (not timed as a report): customers and conversations with ``generate_series`` over
the last 365 days, one analytics fact per conversation written by SQL with plausible values,
and the hourly and daily rollups summed from the facts with the application's own counter
expressions (``analytics.counters``; daily rows per local day of Asia/Seoul, the pair rows of
``models.PAIRS`` and the monthly rows of every daily cell). ``--reuse`` brings an older bench
database to the schema (the wider ``dimension``, the facts' agent and intent indexes) and sums
the rollups again when they lack the monthly rows. The rebuild path (``do_rebuild``: snapshots
→ ``facts.derive`` → rollups) is timed separately on a sample of real conversations and
printed as conversations/s. Then every report query the API and /reports run is timed
``--runs`` times over the last 30, 90 and 365 whole local days (as the API asks): the KPIs
(rollup sums + percentiles from the facts), by agent (whole months from monthly rows) and by
channel, a filter on two slices and one slice grouped by another (pair rows), a slice of agent
and channel (facts, the agent index), the daily series, the heatmap (also of two slices), a
drill-down page, the bot page, the survey distributions, the backlog, and agent occupancy (the
workspace, ``--by agent`` and one agent, over ``OCCUPANCY_AGENTS`` agents × 365 local days of
``analytics_agent_occupancy`` rows, written by SQL; ``--reuse`` adds them to an older bench
database that has none). Target: p95 <
300 ms for each.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from sqlalchemy import Date, String, cast, delete, func, insert, literal, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.all_models import metadata
from omnidesk.core.db import create_engine, create_session_factory, utcnow
from omnidesk.domains.analytics import tables
from omnidesk.domains.analytics.actions import do_rebuild
from omnidesk.domains.analytics.counters import summed_counters
from omnidesk.domains.analytics.models import (
    COUNTERS,
    DAILY_COUNTERS,
    DIMENSIONS,
    MONTHLY_PREFIX,
    PAIR_SEPARATOR,
    PAIRS,
    AgentOccupancy,
    KpiRollup,
    daily_rollups,
    pair_name,
)
from omnidesk.domains.analytics.models import ConversationFact as F
from omnidesk.domains.analytics.occupancy import occupancy
from omnidesk.domains.analytics.reports import backlog, day_filter, kpis
from omnidesk.domains.workspaces.models import Workspace
from omnidesk.domains.workspaces.service import workspace_calendar

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/omnidesk_bench_reports"
CHANNELS = ("web", "kakao", "email", "sms", "naver", "line", "voice", "api")
INTENTS = ("shipping_status", "refund", "order_cancel", "exchange", "payment", "coupon",
           "installation_booking", "repair", "product_question", "account")
AGENTS, TEAMS, CUSTOMERS = 60, 6, 200_000
OCCUPANCY_AGENTS = 50  # agents with a row per local day of the last 365 days
OCCUPANCY = (  # 6-9 h online a day, 30-80 % of it at capacity
    "INSERT INTO analytics_agent_occupancy (workspace_id, agent_id, day, available_seconds,"
    " at_capacity_seconds) SELECT 1, a, (now() AT TIME ZONE 'Asia/Seoul')::date - i,"
    " 21600 + (a * 7 + i) % 10800,"
    " (21600 + (a * 7 + i) % 10800) * (0.3 + ((a * 13 + i) % 50) / 100.0)"
    " FROM generate_series(1, :agents) a, generate_series(0, 364) i")


def arg(name: str, default: int) -> int:
    """Read ``--name N`` from the command line."""
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


async def recreate(url: str) -> None:
    """Drop and create the bench database, then its schema."""
    base, name = url.rsplit("/", 1)
    admin = create_engine(base + "/postgres")
    async with admin.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    await engine.dispose()


GENERATE = [
    ("INSERT INTO workspaces (id, slug, name, default_locale, timezone, settings, business_hours,"
    " secret, created_at, updated_at) VALUES (1, 'bench', 'Bench', 'ko', 'Asia/Seoul', '{}',"
    " '{\"weekly\": {\"mon\": [[\"09:00\", \"18:00\"]], \"tue\": [[\"09:00\", \"18:00\"]],"
    " \"wed\": [[\"09:00\", \"18:00\"]], \"thu\": [[\"09:00\", \"18:00\"]],"
    " \"fri\": [[\"09:00\", \"18:00\"]]}, \"holidays\": []}', 'x', now(), now())"),
    ("INSERT INTO customers (workspace_id, name, attributes, tags, created_at, updated_at)"
    " SELECT 1, 'c' || g, '{}', '[]', now(), now() FROM generate_series(1, :customers) g"),
    # one conversation every ~31.5 s over the last 365 days, busier in the day
    ("INSERT INTO conversations (workspace_id, customer_id, channel, status, priority, owner,"
    " attributes, created_at, updated_at, reopened_count, message_count, intent, language)"
    " SELECT 1, 1 + (g::bigint * 7919) % :customers, (CAST(:channels AS text[]))[1 + g % 8], 'resolved', 'normal',"
    " 'resolved', '{}', now() - (g * (31536000.0 / :n)) * interval '1 second',"
    " now(), 0, 4, (CAST(:intents AS text[]))[1 + (g / 7) % 10], CASE WHEN g % 9 = 0 THEN 'en' ELSE 'ko' END"
    " FROM generate_series(1, :n) g"),
    ("INSERT INTO analytics_conversation_facts (workspace_id, conversation_id, customer_id,"
    " channel, inbox_id, team_id, agent_id, intent, language, status, created_at, hour_of_week,"
    " first_response_at, first_response_seconds, first_response_business_seconds,"
    " first_response_within_target, resolved_at, resolution_seconds,"
    " resolution_business_seconds, agent_replies, reopened, bot_handled, handed_off,"
    " handoff_reason, bot_last_reply_at, bot_article, self_service, recontact_at, fcr, sla_met,"
    " csat, nps, ces, settles_at, updated_at)"
    " SELECT 1, c.id, c.customer_id, c.channel, 1 + c.id % 8, 1 + c.id % :teams,"
    " CASE WHEN c.id % 3 = 0 THEN NULL ELSE 1 + c.id % :agents END, c.intent, c.language,"
    " 'resolved', c.created_at,"
    " ((extract(isodow FROM c.created_at AT TIME ZONE 'Asia/Seoul') - 1) * 24"
    " + extract(hour FROM c.created_at AT TIME ZONE 'Asia/Seoul'))::int,"
    " c.created_at + (30 + c.id % 900) * interval '1 second', 30 + c.id % 900,"
    " (30 + c.id % 900) * 0.6, c.id % 11 <> 0,"
    " c.created_at + (600 + c.id % 7200) * interval '1 second', 600 + c.id % 7200,"
    " (600 + c.id % 7200) * 0.5, 1 + c.id % 4, CASE WHEN c.id % 29 = 0 THEN 1 ELSE 0 END,"
    " c.id % 3 = 0, c.id % 12 = 0, CASE WHEN c.id % 12 = 0 THEN 'customer_request' END,"
    " CASE WHEN c.id % 3 = 0 THEN c.created_at END,"
    " CASE WHEN c.id % 3 = 0 THEN '/help/bench/ko/articles/a' || (c.id % 40) END,"
    " CASE WHEN c.id % 6 = 0 THEN 'confirmed' WHEN c.id % 9 = 0 THEN 'assumed' END, NULL,"
    " c.id % 5 <> 0, c.id % 13 <> 0,"
    " CASE WHEN c.id % 4 = 0 THEN 1 + c.id % 5 END, CASE WHEN c.id % 10 = 1 THEN c.id % 11 END,"
    " CASE WHEN c.id % 10 = 2 THEN 1 + c.id % 7 END, NULL, now()"
    " FROM conversations c"),
]


async def generate(session: AsyncSession, n: int) -> None:
    """Write the workspace, customers, conversations and facts, then the rollups."""
    params = {"customers": min(CUSTOMERS, n), "n": n, "channels": list(CHANNELS),
              "intents": list(INTENTS), "teams": TEAMS, "agents": AGENTS}
    for statement in GENERATE:
        started = time.perf_counter()
        await session.execute(text(statement), params)
        print(f"  {statement[:60]}… {time.perf_counter() - started:.1f} s")
    await session.commit()
    await sum_rollups(session)


async def sum_rollups(session: AsyncSession) -> None:
    """Sum the facts into the hourly and daily rollups (by SQL, with the app's expressions):
    each dimension, each pair of ``PAIRS``, then the monthly rows from the daily rows."""
    await session.execute(delete(KpiRollup))
    await session.execute(delete(daily_rollups))
    columns = {"all": None, "channel": F.channel, "inbox": F.inbox_id, "team": F.team_id,
               "agent": F.agent_id, "intent": F.intent, "language": F.language,
               "handoff_reason": F.handoff_reason, "bot_article": F.bot_article}

    def text_key(column: Any) -> Any:
        return func.coalesce(cast(column, String), "")

    def component(column: Any) -> Any:  # models.pair_component in SQL
        return func.replace(func.replace(text_key(column), "%", "%25"), PAIR_SEPARATOR, "%7C")

    keys: dict[str, Any] = {name: literal("") if column is None else text_key(column)
                            for name, column in columns.items()}
    keys.update({pair_name(a, b): component(columns[a]).concat(PAIR_SEPARATOR).concat(
        component(columns[b])) for a, b in PAIRS})
    hour = func.date_trunc("hour", F.created_at)
    day = func.date(func.timezone("Asia/Seoul", F.created_at))
    for dimension, key in keys.items():
        started = time.perf_counter()
        if dimension in DIMENSIONS:
            query = select(literal(1), literal(dimension), key, hour, *summed_counters()).where(
                F.workspace_id == 1).group_by(key, hour)
            await session.execute(insert(KpiRollup).from_select(
                ["workspace_id", "dimension", "key", "hour", *COUNTERS], query))
        query = select(literal(1), literal(dimension), key, day,
                       *summed_counters(daily=True)).where(F.workspace_id == 1).group_by(key, day)
        await session.execute(insert(daily_rollups).from_select(
            ["workspace_id", "dimension", "key", "day", *DAILY_COUNTERS], query))
        await session.commit()
        print(f"  rollups of {dimension}: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    month = cast(func.date_trunc("month", daily_rollups.c.day), Date)
    await session.execute(insert(daily_rollups).from_select(
        ["workspace_id", "dimension", "key", "day", *DAILY_COUNTERS],
        select(daily_rollups.c.workspace_id, literal(MONTHLY_PREFIX).concat(
            daily_rollups.c.dimension), daily_rollups.c.key, month,
               *[func.sum(daily_rollups.c[name]) for name in DAILY_COUNTERS])
        .group_by(daily_rollups.c.workspace_id, daily_rollups.c.dimension,
                  daily_rollups.c.key, month)))
    await session.commit()
    print(f"  monthly rows: {time.perf_counter() - started:.1f} s")
    await session.execute(text("ANALYZE"))
    await session.commit()  # statistics are transactional: not committed, the planner never
    # saw the rollups (a year by agent or of the bot page was planned for ~100 rows, not ~1,700)


async def upgrade_schema(session: AsyncSession) -> bool:
    """Bring an older bench database to the models (20261212_pair_rollups: the wider dimension
    and the facts' agent and intent indexes); tell whether its rollups lack the pair and monthly
    rows."""
    await session.execute(text(
        "ALTER TABLE analytics_daily_rollups ALTER COLUMN dimension TYPE varchar(40)"))
    for name, column in (("ix_analytics_facts_ws_agent", "agent_id"),
                         ("ix_analytics_facts_ws_intent", "intent")):
        started = time.perf_counter()
        await session.execute(text(
            f"CREATE INDEX IF NOT EXISTS {name} ON analytics_conversation_facts"
            f" (workspace_id, {column}, created_at)"))
        print(f"  index {name}: {time.perf_counter() - started:.1f} s")
    await session.commit()
    return not await session.scalar(select(func.count()).select_from(daily_rollups).where(
        daily_rollups.c.dimension == MONTHLY_PREFIX + "all"))


LOCAL_HOUR_OF_WEEK = (  # the fact's rule (facts.hour_of_week) in the bench's zone
    "UPDATE analytics_conversation_facts SET hour_of_week ="
    " ((extract(isodow FROM created_at AT TIME ZONE 'Asia/Seoul') - 1) * 24"
    " + extract(hour FROM created_at AT TIME ZONE 'Asia/Seoul'))::int")


async def add_daily_columns(session: AsyncSession) -> bool:
    """Add the daily rollup columns an older bench database lacks; tell whether any were."""
    found = set(await session.scalars(text(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_name = 'analytics_daily_rollups'")))
    missing = [name for name in DAILY_COUNTERS if name not in found]
    for name in missing:
        kind = "double precision" if name.endswith("_sum") else "bigint"
        await session.execute(text(
            f"ALTER TABLE analytics_daily_rollups ADD COLUMN {name} {kind} NOT NULL DEFAULT 0"))
    if missing:  # older generations took the hour of the week in UTC
        await session.execute(text(LOCAL_HOUR_OF_WEEK))
        await session.commit()
        print(f"  added {len(missing)} daily rollup columns; hours of the week made local")
    return bool(missing)


async def add_occupancy(session: AsyncSession) -> None:
    """Write the agents' daily occupancy rows unless the bench database has them."""
    if await session.scalar(select(func.count()).select_from(AgentOccupancy)):
        return
    started = time.perf_counter()
    await session.execute(text(OCCUPANCY), {"agents": OCCUPANCY_AGENTS})
    await session.commit()
    await session.execute(text("ANALYZE analytics_agent_occupancy"))
    print(f"  occupancy rows ({OCCUPANCY_AGENTS} agents × 365 days):"
          f" {time.perf_counter() - started:.1f} s")


async def timed(name: str, runs: int, work: Callable[[], Awaitable[Any]]) -> tuple[str, float]:
    """Run a query ``runs`` times (after one warm-up) and print p50/p95 in ms."""
    await work()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        await work()
        samples.append((time.perf_counter() - started) * 1000)
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    print(f"  {name:<44} p50 {statistics.median(samples):7.1f} ms   p95 {p95:7.1f} ms")
    return name, p95


async def queries(session: AsyncSession, days: int, runs: int) -> list[tuple[str, float]]:
    """Time each report query over the last ``days`` days."""
    workspace = await session.get(Workspace, 1)
    assert workspace is not None
    calendar = workspace_calendar(workspace)
    now = utcnow()
    today = now.astimezone(calendar.tz).date()
    flt = day_filter(calendar, today - dt.timedelta(days=days - 1), today)
    sliced = day_filter(calendar, today - dt.timedelta(days=days - 1), today, channel="kakao",
                        team_id=2)
    one_channel = replace(sliced, team_id=None)
    agent_channel = replace(sliced, team_id=None, agent_id=7)
    print(f"last {days} days:")
    jobs: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
        ("kpis (rollups + percentiles)", lambda: kpis(session, workspace_id=1, flt=flt)),
        ("kpis by agent", lambda: kpis(session, workspace_id=1, flt=flt, by="agent")),
        ("kpis by channel", lambda: kpis(session, workspace_id=1, flt=flt, by="channel")),
        ("kpis, channel + team (pair rows)", lambda: kpis(session, workspace_id=1, flt=sliced)),
        ("kpis of a channel by team (pair rows)", lambda: kpis(
            session, workspace_id=1, flt=one_channel, by="team")),
        ("kpis, agent + channel (facts)", lambda: kpis(session, workspace_id=1,
                                                         flt=agent_channel)),
        ("previous period kpis", lambda: kpis(session, workspace_id=1, flt=flt.previous())),
        ("daily series", lambda: tables.daily_series(session, workspace_id=1, flt=flt,
                                                       calendar=calendar)),
        ("hour-of-week heatmap", lambda: tables.heatmap(session, workspace_id=1, flt=flt,
                                                          calendar=calendar)),
        ("heatmap, channel + team (pair rows)", lambda: tables.heatmap(
            session, workspace_id=1, flt=sliced, calendar=calendar)),
        ("drill-down (not FCR, 200 rows)", lambda: tables.drill_down(
            session, workspace_id=1, flt=flt, drill=tables.Drill(only="not_fcr"))),
        ("bot page", lambda: tables.bot_report(session, workspace_id=1, flt=flt)),
        ("survey distributions", lambda: tables.survey_distribution(session, workspace_id=1,
                                                                      flt=flt)),
        ("backlog", lambda: backlog(session, workspace_id=1, now=now)),
        ("occupancy (workspace)", lambda: occupancy(session, workspace_id=1, flt=flt)),
        ("occupancy by agent", lambda: occupancy(session, workspace_id=1, flt=flt,
                                                 by="agent")),
        ("occupancy of one agent", lambda: occupancy(session, workspace_id=1, flt=replace(
            flt, agent_id=7))),
    ]
    return [await timed(name, runs, job) for name, job in jobs]


async def rebuild_rate(url: str) -> None:
    """Time the real rebuild path on a sample of conversations of a second workspace."""
    engine = create_engine(url)
    async with create_session_factory(engine)() as session:
        await session.execute(text(
            "INSERT INTO workspaces (id, slug, name, default_locale, timezone, settings,"
            " business_hours, secret, created_at, updated_at) VALUES (2, 'sample', 'Sample',"
            " 'ko', 'Asia/Seoul', '{}', '{}', 'y', now(), now())"))
        await session.execute(text(
            "INSERT INTO conversations (workspace_id, customer_id, channel, status, priority,"
            " owner, attributes, created_at, updated_at, reopened_count, message_count,"
            " first_customer_message_at, first_response_at, resolved_at)"
            " SELECT 2, 1 + g % 1000, 'web', 'resolved', 'normal', 'resolved', '{}',"
            " now() - g * interval '1 minute', now(), 0, 2, now() - g * interval '1 minute',"
            " now() - g * interval '1 minute' + interval '90 seconds',"
            " now() - g * interval '1 minute' + interval '20 minutes'"
            " FROM generate_series(1, 20000) g"))
        await session.commit()
        started = time.perf_counter()
        count = await do_rebuild(session, workspace_id=2)
        await session.commit()
        seconds = time.perf_counter() - started
        print(f"rebuild (snapshots → facts → rollups): {count} conversations in {seconds:.1f} s"
              f" = {count / seconds:.0f} conversations/s")
    await engine.dispose()


async def main() -> None:
    """Generate, then time every report query."""
    url = next((a for a in sys.argv[1:] if a.startswith("postgresql")), DEFAULT_URL)
    n, runs = arg("--conversations", 1_000_000), arg("--runs", 20)
    reuse = "--reuse" in sys.argv  # time the queries on the data of a previous run
    only_rollups = "--rollups" in sys.argv  # keep the facts, rebuild the rollup tables
    started = time.perf_counter()
    if not reuse and not only_rollups:
        print(f"generating {n:,} conversations in {url.rsplit('/', 1)[1]} …")
        await recreate(url)
    engine = create_engine(url)
    if only_rollups or reuse:
        async with engine.begin() as conn:  # tables added since the data was generated
            await conn.run_sync(metadata.create_all)
    async with create_session_factory(engine)() as session:
        if reuse or only_rollups:
            stale = await upgrade_schema(session)
            if await add_daily_columns(session) or stale or only_rollups:
                await sum_rollups(session)
        elif not reuse:
            await generate(session, n)
        await add_occupancy(session)
        facts = await session.scalar(select(func.count()).select_from(F))
        rollups = await session.scalar(select(func.count()).select_from(KpiRollup))
        print(f"generated in {time.perf_counter() - started:.0f} s: {facts:,} facts,"
              f" {rollups:,} rollup rows")
        worst = [row for days in (30, 90, 365) for row in await queries(session, days, runs)]
    await engine.dispose()
    if not reuse and not only_rollups:
        await rebuild_rate(url)
    slowest = max(worst, key=lambda row: row[1])
    print(f"slowest p95: {slowest[0]} {slowest[1]:.1f} ms (target < 300 ms)")


if __name__ == "__main__":
    asyncio.run(main())
