"""`omnidesk bench`: the real widget endpoint at a fixed offered rate, beside a raw reference.

The widget side posts customer messages to a running server (``--url``) from ``--visitors``
visitors, open loop: message *i* leaves at ``i / rate`` seconds whatever the answers before it,
so a slow server shows up as latency, not as a lower offered rate. The reference side runs the
least a message needs on the same PostgreSQL database with raw asyncpg: one transaction storing
the message and its outbox row (temp tables, nothing left behind), offered at the same rate.
Both print accepted msg/s and latency p50/p99; the ratio says how far the product is from it.
Past capacity the figures show the back-pressure: how many were refused (503/429) and how many
of those carried Retry-After, the longest any request waited (refused ones separately), and,
read back from the database, how many of the run's messages were stored against how many were
answered 2xx (none lost, none twice: each has its own client message id).
This is the skeleton of issue 19's bench: agent sockets, the API channel and signed webhooks,
saturation search and ``--processes`` are not driven yet.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import httpx
import typer

from omnidesk.app.commands.runtime import fail, print_json, print_table
from omnidesk.config import get_settings

Send = Callable[[int], Awaitable[tuple[int, bool]]]  # status, whether Retry-After came
REFERENCE_TABLES = (
    ("CREATE TEMP TABLE IF NOT EXISTS bench_messages (id bigserial PRIMARY KEY, "
     "conversation_id bigint NOT NULL, text text NOT NULL, created_at timestamptz DEFAULT now())"),
    ("CREATE TEMP TABLE IF NOT EXISTS bench_outbox (id bigserial PRIMARY KEY, "
     "name text NOT NULL, payload jsonb NOT NULL)"),
)


def summarize(results: list[tuple[int, bool, float]], seconds: float,
              offered: float) -> dict[str, Any]:
    """Turn (status, Retry-After given, latency) triples into throughput and latency figures."""
    accepted = sorted(latency for status, _, latency in results if 200 <= status < 300)
    refusals = [(hint, latency) for status, hint, latency in results if status in (429, 503)]
    refused = len(refusals)

    def ms(share: float) -> float | None:
        if not accepted:
            return None
        return round(1000 * accepted[min(len(accepted) - 1, int(share * len(accepted)))], 1)

    return {"offered_per_s": offered, "sent": len(results), "accepted": len(accepted),
            "refused": refused, "failed": len(results) - len(accepted) - refused,
            "accepted_per_s": round(len(accepted) / seconds, 1) if seconds else 0.0,
            "p50_ms": ms(0.5), "p99_ms": ms(0.99),
            "mean_ms": round(1000 * statistics.fmean(accepted), 1) if accepted else None,
            "refused_with_retry_after": sum(1 for hint, _ in refusals if hint),
            "max_wait_ms": round(1000 * max(latency for *_, latency in results), 1),
            "refused_max_ms": (round(1000 * max(latency for _, latency in refusals), 1)
                               if refusals else None)}


async def open_loop(send: Send, *, rate: float, seconds: float) -> dict[str, Any]:
    """Call ``send`` ``rate`` times a second for ``seconds``, each on its schedule."""
    loop = asyncio.get_running_loop()

    async def timed(n: int) -> tuple[int, bool, float]:
        started = loop.time()
        try:
            status, hint = await send(n)
        except (httpx.HTTPError, OSError):
            status, hint = 0, False
        return status, hint, loop.time() - started

    tasks, start = [], loop.time()
    for n in range(max(1, int(rate * seconds))):
        await asyncio.sleep(max(0.0, start + n / rate - loop.time()))
        tasks.append(asyncio.create_task(timed(n)))
    results = await asyncio.gather(*tasks)
    return summarize(list(results), loop.time() - start, rate)


async def widget_sender(client: httpx.AsyncClient, slug: str, visitors: int,
                        run: str) -> Send:
    """Open the visitors' widget sessions; return a sender of one customer message."""
    headers = []
    for _ in range(visitors):
        session = await client.post("/widget/api/sessions", json={"workspace": slug})
        if session.status_code != 200:
            fail(f"could not open a widget session on {slug!r}: {session.status_code} "
                 f"{session.text[:200]}")
        headers.append({"X-Widget-Workspace": slug, "X-Widget-Token": session.json()["token"]})

    async def send(n: int) -> tuple[int, bool]:
        answer = await client.post("/widget/api/messages", headers=headers[n % visitors], json={
            "text": f"배송은 언제 오나요? bench-{run}-{n}", "client_message_id": f"bench-{run}-{n}"})
        return answer.status_code, "retry-after" in answer.headers

    return send


async def reference_sender(pool: Any) -> Send:
    """Return a sender storing a message and its outbox row in one transaction (raw asyncpg)."""
    async def send(n: int) -> tuple[int, bool]:
        async with pool.acquire() as conn, conn.transaction():
            message_id = await conn.fetchval(
                "INSERT INTO bench_messages (conversation_id, text) VALUES ($1, $2) "
                "RETURNING id", n % 20, f"배송은 언제 오나요? bench {n}")
            await conn.execute("INSERT INTO bench_outbox (name, payload) VALUES ($1, $2)",
                               "message.created", f'{{"message_id": {message_id}}}')
        return 201, False

    return send


async def run_reference(database_url: str, *, rate: float, seconds: float) -> dict[str, Any]:
    """Run the reference pipeline on the database (PostgreSQL) at the offered rate."""
    import asyncpg  # type: ignore[import-untyped]

    async def init(conn: Any) -> None:
        for statement in REFERENCE_TABLES:
            await conn.execute(statement)

    dsn = database_url.replace("postgresql+asyncpg://", "postgresql://", 1)
    async with asyncpg.create_pool(dsn, min_size=4, max_size=10, init=init) as pool:
        return await open_loop(await reference_sender(pool), rate=rate, seconds=seconds)


async def stored_figures(database_url: str, run: str, accepted: int) -> dict[str, int]:
    """Count the run's messages in the database: stored, stored twice, answered 2xx but lost."""
    import asyncpg

    conn = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        stored, distinct = await conn.fetchrow(
            "SELECT count(*), count(DISTINCT text) FROM messages WHERE text LIKE $1",
            f"%bench-{run}-%")
    finally:
        await conn.close()
    return {"stored": stored, "duplicated": stored - distinct,
            "lost": max(0, accepted - distinct)}


async def run_bench(url: str, database_url: str, *, slug: str, rate: float, seconds: float,
                    visitors: int) -> dict[str, Any]:
    """Run the widget side against the server, then the reference on its database."""
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
    run = f"{time.time_ns():x}"
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:
        widget = await open_loop(await widget_sender(client, slug, visitors, run), rate=rate,
                                 seconds=seconds)
    result: dict[str, Any] = {"rate": rate, "seconds": seconds, "widget": widget}
    if database_url.startswith("postgresql"):
        widget.update(await stored_figures(database_url, run, widget["accepted"]))
        reference = await run_reference(database_url, rate=rate, seconds=seconds)
        result["reference"] = reference
        result["ratio"] = (round(widget["accepted_per_s"] / reference["accepted_per_s"], 2)
                           if reference["accepted_per_s"] else None)
    else:
        result["reference"] = None
        result["note"] = "the raw reference runs on PostgreSQL only"
    return result


def bench_command(
    url: Annotated[str, typer.Option(help="Base URL of a running omnidesk")] =
        "http://127.0.0.1:8000",
    workspace: Annotated[str, typer.Option(help="Workspace slug whose widget is driven")] =
        "hanbit",
    rate: Annotated[float, typer.Option(min=0.1, help="Offered messages per second")] = 50.0,
    seconds: Annotated[float, typer.Option(min=0.1, help="How long to offer them")] = 10.0,
    visitors: Annotated[int, typer.Option(min=1, help="Widget visitors sending")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
) -> None:
    """Benchmark the widget endpoint beside a raw reference on the same database."""
    result = asyncio.run(run_bench(url, get_settings().database_url, slug=workspace, rate=rate,
                                   seconds=seconds, visitors=visitors))
    if as_json:
        print_json(result)
        return
    columns = ["pipeline", "offered/s", "accepted/s", "accepted", "refused", "+Retry-After",
               "failed", "p50 ms", "p99 ms", "max wait ms", "stored", "lost", "twice"]
    keys = ["offered_per_s", "accepted_per_s", "accepted", "refused", "refused_with_retry_after",
            "failed", "p50_ms", "p99_ms", "max_wait_ms", "stored", "lost", "duplicated"]
    rows = [[name, *(figures.get(k, "") for k in keys)]
            for name, figures in (("omnidesk widget", result["widget"]),
                                  ("raw reference", result["reference"])) if figures]
    title = f"{rate:g} msg/s offered for {seconds:g} s"
    print_table(title + (f" - omnidesk/reference {result['ratio']}×" if result.get("ratio")
                         else f" - {result.get('note', '')}"), columns, rows)

