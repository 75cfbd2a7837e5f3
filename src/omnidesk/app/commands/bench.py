"""`omnidesk bench`: the real inbound endpoints beside a raw reference, up to the agent's socket.

The product side sends customer messages to a running server (``--url``) through one endpoint
(``--endpoint``): the widget (``--visitors`` widget sessions), the API channel (its bearer
token) or a signed provider webhook (LINE: X-Line-Signature, the base64 HMAC-SHA256 of the
body). It is open loop: message *i* leaves at ``i / rate`` seconds whatever the answers before
it, so a slow server shows up as latency, not as a lower offered rate. ``--sockets`` agent
sockets (``/ws``, authenticated with an API token of the workspace's first admin, so they hear
the supervisors' topic) are connected before the run; each message's delivery latency is the
time from its request leaving to its ``message.created`` arriving on a socket, per socket. The
run's messages are read back from the database (``OMNIDESK_DATABASE_URL``, the server's) to map
message ids to requests and to count stored, lost and duplicated messages (a provider event
stored whose message the intake job has not made yet is "not yet processed", not lost). The
server's replies to the run's customers (API channel, LINE) go to a sink in this process that
answers as the provider does (``bench_sink``); the run waits, within ``--delivery-timeout``, for
the outbox to settle and counts them.

The reference side runs the least the same work needs on the same PostgreSQL database with raw
asyncpg: requests queue for a few committers that store each batch of messages and their outbox
rows in one transaction (grouped commit, temp tables, nothing left behind), then publish every
committed message to ``--sockets`` local websocket receivers through a websocket server in this
process. Both columns measure the same figures: accepted/s, HTTP (or call) p50/p99, delivery
p50/p99, undelivered; the ratio says how far the product is from the reference.

``--saturate`` ramps the offered rate, doubling from ``--rate``, on both sides, until accepted/s
stops rising, refusals or failures appear, or messages go undelivered, and reports the best
sustained step. Past capacity the figures show the back-pressure: refusals (503/429), how many
carried Retry-After, and the longest wait. ``--processes N`` starts the multi-process set-up
(``bench_processes``) and drives it instead of ``--url``; with ``--scaling`` it first drives one
process the same way on the same database and compares the two, saying from where the CPU went
(``bench_cpu``) why the set-up does not reach 1.6× when it does not.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

import httpx
import typer
from sqlalchemy import and_, exists, or_, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from omnidesk.app.commands.bench_cpu import CpuMeter, ratio, scaling
from omnidesk.app.commands.bench_setup import Target, prepare_target, release_target
from omnidesk.app.commands.bench_sink import ReplySink, reply_sink
from omnidesk.app.commands.runtime import fail, print_json, print_table
from omnidesk.channels.signing import hmac_sha256_b64
from omnidesk.config import get_settings

Send = Callable[[int], Awaitable[tuple[int, bool]]]  # status, whether Retry-After came
Arrivals = dict[int, float]  # message id -> when its message.created reached one socket
ENDPOINTS = ("widget", "api", "webhook")
TEXT = "배송은 언제 오나요?"
CLIENTS, CLIENT_CONNECTIONS = 16, 16  # HTTP clients used in turn, connections each (Clients)
REFERENCE_TABLES = (
    ("CREATE TEMP TABLE IF NOT EXISTS bench_messages (id bigserial PRIMARY KEY, "
     "conversation_id bigint NOT NULL, seq bigint NOT NULL, text text NOT NULL, "
     "created_at timestamptz DEFAULT now())"),
    ("CREATE TEMP TABLE IF NOT EXISTS bench_outbox (id bigserial PRIMARY KEY, "
     "name text NOT NULL, payload jsonb NOT NULL)"),
)
REFERENCE_COMMITTERS = 4
REFERENCE_BATCH = 500
SETTLED_LAG_SECONDS = 1.0  # the oldest due outbox work younger than this: nothing left behind


def percentile_ms(values: list[float], share: float) -> float | None:
    """Return the share's percentile of sorted seconds, in milliseconds (None when empty)."""
    if not values:
        return None
    return round(1000 * values[min(len(values) - 1, int(share * len(values)))], 1)


def summarize(results: list[tuple[int, bool, float]], seconds: float,
              offered: float) -> dict[str, Any]:
    """Turn (status, Retry-After given, latency) triples into throughput and latency figures."""
    accepted = sorted(latency for status, _, latency in results if 200 <= status < 300)
    refusals = [(hint, latency) for status, hint, latency in results if status in (429, 503)]
    refused = len(refusals)
    return {"offered_per_s": offered, "sent": len(results), "accepted": len(accepted),
            "refused": refused, "failed": len(results) - len(accepted) - refused,
            "accepted_per_s": round(len(accepted) / seconds, 1) if seconds else 0.0,
            "p50_ms": percentile_ms(accepted, 0.5), "p99_ms": percentile_ms(accepted, 0.99),
            "mean_ms": round(1000 * statistics.fmean(accepted), 1) if accepted else None,
            "refused_with_retry_after": sum(1 for hint, _ in refusals if hint),
            "statuses": dict(sorted(Counter(str(status) for status, *_ in results).items())),
            "max_wait_ms": round(1000 * max(latency for *_, latency in results), 1),
            "refused_max_ms": (round(1000 * max(latency for _, latency in refusals), 1)
                               if refusals else None)}


async def open_loop(send: Send, *, rate: float, seconds: float,
                    sent: dict[int, float] | None = None) -> dict[str, Any]:
    """Call ``send`` ``rate`` times a second for ``seconds``, each on its schedule (noting
    in ``sent`` when each call left)."""
    loop = asyncio.get_running_loop()

    async def timed(n: int) -> tuple[int, bool, float]:
        started = loop.time()
        if sent is not None:
            sent[n] = started
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


def delivery_figures(expected: dict[int, int], sent: dict[int, float],
                     arrivals: list[Arrivals]) -> dict[str, Any]:
    """Delivery latency of each (message, socket) pair: from the request leaving (``sent`` by
    request number) to the message's arrival on the socket (``expected``: message id ->
    request number)."""
    latencies = sorted(got[mid] - sent[n] for mid, n in expected.items() if n in sent
                       for got in arrivals if mid in got)
    everywhere = [mid for mid in expected if all(mid in got for got in arrivals)]
    last = max((got[mid] for mid in everywhere for got in arrivals), default=None)
    span = (last - min(sent.values())) if last is not None and sent else 0.0
    return {"sockets": len(arrivals), "delivered": len(latencies),
            "undelivered": len(expected) * len(arrivals) - len(latencies),
            "delivered_everywhere": len(everywhere),
            "delivered_per_s": round(len(everywhere) / span, 1) if span > 0 else 0.0,
            "delivery_p50_ms": percentile_ms(latencies, 0.5),
            "delivery_p99_ms": percentile_ms(latencies, 0.99)}


async def listen(conn: Any, arrivals: Arrivals) -> None:
    """Note when each customer message's ``message.created`` reaches this socket."""
    loop = asyncio.get_running_loop()
    with contextlib.suppress(Exception):  # the socket closing ends the listening
        async for raw in conn:
            event = json.loads(raw)
            data = event.get("data") or {}
            if event.get("type") == "message.created" and data.get("author_kind") == "customer":
                arrivals.setdefault(int(data["message_id"]), loop.time())


async def connect_sockets(stack: contextlib.AsyncExitStack, ws_url: str, count: int,
                          headers: dict[str, str] | None = None) -> list[Arrivals]:
    """Connect ``count`` sockets (hello, then ready) that note arrivals until the stack closes."""
    from websockets.asyncio.client import connect
    from websockets.exceptions import WebSocketException

    arrivals: list[Arrivals] = []
    for _ in range(count):
        try:
            conn = await stack.enter_async_context(connect(
                ws_url, additional_headers=headers, proxy=None, compression=None, max_size=None))
            await conn.send(json.dumps({"type": "hello"}))
            ready = json.loads(await asyncio.wait_for(conn.recv(), timeout=10))
        except (OSError, TimeoutError, WebSocketException) as exc:
            fail(f"could not open an agent socket on {ws_url}: {exc}")
        if ready.get("type") != "ready":
            fail(f"the socket on {ws_url} answered {ready!r} instead of ready")
        got: Arrivals = {}
        arrivals.append(got)
        task = asyncio.create_task(listen(conn, got))
        stack.callback(task.cancel)
    return arrivals


class Clients:
    """Several HTTP clients, used in turn, as the senders' one client.

    httpcore's connection pool, on every request started or finished, scans all its waiting
    requests against all its connections (quadratic in what is in flight). One client with
    200 connections spent most of the bench's CPU there once a few hundred requests were in
    flight (py-spy: 2.5-4x the bench's CPU of a quiet run), fell behind its own schedule
    (sending 50-90 msg/s of the 150 asked) and reported its own waits, seconds, as the
    server's (the server answered p99 0.5 s by its own clock meanwhile). Small pools in turn
    keep each scan short; connections are all kept alive (no reconnect per request)."""

    def __init__(self, clients: list[httpx.AsyncClient]) -> None:
        self.clients, self.turn = clients, 0

    async def post(self, url: str, **kwargs: Any) -> httpx.Response:
        """POST through the next client."""
        client = self.clients[self.turn % len(self.clients)]
        self.turn += 1
        return await client.post(url, **kwargs)


async def open_clients(stack: contextlib.AsyncExitStack, url: str) -> Clients:
    """Open the bench's HTTP clients (closed with ``stack``)."""
    limits = httpx.Limits(max_connections=CLIENT_CONNECTIONS,
                          max_keepalive_connections=CLIENT_CONNECTIONS)
    return Clients([await stack.enter_async_context(
        httpx.AsyncClient(base_url=url, timeout=30, limits=limits)) for _ in range(CLIENTS)])


async def widget_sender(client: Clients, slug: str, visitors: int, run: str) -> Send:
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
            "text": f"{TEXT} bench-{run}-{n}", "client_message_id": f"bench-{run}-{n}"})
        return answer.status_code, "retry-after" in answer.headers

    return send


def api_sender(client: Clients, target: Target, visitors: int, run: str) -> Send:
    """Return a sender of one customer message through the API channel (bearer token)."""
    headers = {"Authorization": f"Bearer {target.secret}"}

    async def send(n: int) -> tuple[int, bool]:
        answer = await client.post(str(target.path), headers=headers, json={
            "id": f"bench-{run}-{n}", "type": "message", "text": f"{TEXT} bench-{run}-{n}",
            "user": {"id": f"bench-{run}-{n % visitors}", "name": f"Bench {n % visitors}"}})
        return answer.status_code, "retry-after" in answer.headers

    return send


def line_sender(client: Clients, target: Target, visitors: int, run: str) -> Send:
    """Return a sender of one customer message as a signed LINE webhook."""
    async def send(n: int) -> tuple[int, bool]:
        body = json.dumps({"destination": "U" + "0" * 32, "events": [{
            "type": "message", "mode": "active", "webhookEventId": f"bench-{run}-{n}",
            "timestamp": int(time.time() * 1000), "replyToken": f"bench-{run}-{n}",
            "source": {"type": "user", "userId": f"Ubench{run}{n % visitors}"},
            "message": {"type": "text", "id": f"{run}{n}", "text": f"{TEXT} bench-{run}-{n}"},
        }]}).encode()
        answer = await client.post(str(target.path), content=body, headers={
            "Content-Type": "application/json",
            "X-Line-Signature": hmac_sha256_b64(str(target.secret), body)})
        return answer.status_code, "retry-after" in answer.headers

    return send


async def settle(engine: AsyncEngine, timeout: float) -> float | None:
    """Wait until the outbox has nothing due (the work of earlier messages, a bot's turns
    behind their delivery to the sockets, done), at most ``timeout`` seconds; return how long
    that took, or None when it did not settle (nobody dispatching, or too much left).

    A run that starts on another run's backlog measures that backlog: the intake refuses
    while the outbox lags (``IntakeGate``) and its dispatcher is busy with older work."""
    from omnidesk.core.db import create_session_factory
    from omnidesk.core.outbox import outbox_lag_seconds

    factory = create_session_factory(engine)

    async def settled() -> bool:
        async with factory() as session:
            return await outbox_lag_seconds(session) < SETTLED_LAG_SECONDS

    waited = await poll(settled, timeout, every=0.5)
    return None if waited is None else round(waited, 1)


async def poll(ready: Callable[[], Awaitable[bool]], timeout: float, *,
               every: float = 0.2) -> float | None:
    """Ask ``ready`` every ``every`` seconds until it says yes (return how long that took) or
    ``timeout`` seconds have passed (None); it is asked at least once."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    while True:
        if await ready():
            return loop.time() - started
        if loop.time() - started >= timeout:
            return None
        await asyncio.sleep(every)


async def run_messages(engine: AsyncEngine, run: str) -> list[tuple[int, int]]:
    """Return the run's stored customer messages as (message id, request number) (a bot's
    handoff note may quote a customer's words: it is not the customer's message)."""
    async with engine.connect() as conn:
        rows = (await conn.execute(text(
            "SELECT id, text FROM messages WHERE text LIKE :marker AND author_kind = 'customer'"),
            {"marker": f"%bench-{run}-%"})).all()
    return [(int(str(mid)), int(str(body).rsplit("-", 1)[1])) for mid, body in rows]


async def run_inbound_events(engine: AsyncEngine, run: str) -> set[int]:
    """Return the request numbers of the run's stored provider events (API channel, webhook).

    A provider's request is answered once its raw event is stored; the message is made from it
    by the intake job, behind whatever else the outbox holds. A request whose event is stored
    and whose message is not (yet) is behind, not lost."""
    async with engine.connect() as conn:
        keys = (await conn.scalars(text(
            "SELECT dedupe_key FROM channel_inbound_events WHERE dedupe_key LIKE :marker"),
            {"marker": f"bench-{run}-%"})).all()
    return {int(str(key).rsplit("-", 1)[1]) for key in keys}


async def await_delivery(expected: Callable[[], Awaitable[dict[int, int]]], accepted: int,
                         arrivals: list[Arrivals], timeout: float) -> dict[int, int]:
    """Wait until every accepted message reached every socket, or ``timeout`` passes."""
    ids: dict[int, int] = {}

    async def delivered() -> bool:
        ids.update(await expected())
        return len(ids) >= accepted and all(mid in got for mid in ids for got in arrivals)

    await poll(delivered, timeout)
    return ids


@dataclass
class Product:
    """The running server driven through one endpoint, its agent sockets connected."""

    client: Clients
    engine: AsyncEngine
    target: Target
    endpoint: str
    slug: str
    visitors: int
    arrivals: list[Arrivals]
    delivery_timeout: float
    sink: ReplySink | None = None

    async def step(self, rate: float, seconds: float) -> dict[str, Any]:
        """Offer ``rate`` msg/s for ``seconds``; HTTP, stored, delivery and reply figures."""
        loop = asyncio.get_running_loop()
        started, run = loop.time(), f"{time.time_ns():x}"
        if self.endpoint == "widget":
            send = await widget_sender(self.client, self.slug, self.visitors, run)
        elif self.endpoint == "api":
            send = api_sender(self.client, self.target, self.visitors, run)
        else:
            send = line_sender(self.client, self.target, self.visitors, run)
        sent: dict[int, float] = {}
        figures = await open_loop(send, rate=rate, seconds=seconds, sent=sent)
        rows: list[tuple[int, int]] = []

        async def expected() -> dict[int, int]:
            rows[:] = await run_messages(self.engine, run)
            return dict(rows)

        ids = await await_delivery(expected, figures["accepted"], self.arrivals,
                                   self.delivery_timeout)
        figures.update(delivery_figures(ids, sent, self.arrivals))
        if self.endpoint != "widget" and self.sink is not None:
            # the bot's answers leave after the messages reach the screens: wait (within the
            # delivery timeout) until the outbox has nothing due or running, then count this
            # run's replies
            await until_idle(self.engine, max(0.0, started + seconds + self.delivery_timeout
                                              - loop.time()))
            figures.update(reply_figures(self.sink, run, started))
        await expected()  # read again: messages made while the replies were awaited count
        numbers = [n for _, n in rows]
        made = set(numbers)
        received = made | (await run_inbound_events(self.engine, run)
                           if self.endpoint != "widget" else set())
        figures.update({"stored": len(numbers), "duplicated": len(numbers) - len(made),
                        "unprocessed": len(received - made),
                        "lost": max(0, figures["accepted"] - len(received))})
        return figures


async def until_idle(engine: AsyncEngine, timeout: float) -> bool:
    """Wait until the outbox has no event to fan out, no delivery due and none running (a
    claimed attempt holds its lease), at most ``timeout`` seconds; say which.

    Stricter than ``settle`` (which lets a run start while work younger than a second is
    due): a bot's answer is claimed ("running") while its reply is being made and sent."""
    from omnidesk.core.db import utcnow
    from omnidesk.core.events import PENDING, RUNNING, EventDelivery, OutboxEvent

    async def idle() -> bool:
        now = utcnow()
        busy = select(or_(
            exists().where(OutboxEvent.fanned_out.is_(False)),
            exists().where(or_(
                and_(EventDelivery.status == PENDING, EventDelivery.next_attempt_at <= now),
                and_(EventDelivery.status == RUNNING, EventDelivery.locked_until > now)))))
        async with engine.connect() as conn:
            return not await conn.scalar(busy)

    return await poll(idle, timeout) is not None


def reply_figures(sink: ReplySink, run: str, started: float) -> dict[str, Any]:
    """How many replies to the run's customers reached the provider's side (the sink), and
    at what rate from the run's start to the last of them."""
    times = sink.count((f"bench-{run}-".encode(), f"Ubench{run}".encode()), since=started)
    span = (max(times) - started) if times else 0.0
    return {"replies": len(times), "replies_per_s": round(len(times) / span, 1) if span else 0.0}


@dataclass
class Reference:
    """Grouped commit of message + outbox row with raw asyncpg, then a publish to sockets."""

    pool: Any
    arrivals: list[Arrivals] = field(default_factory=list)
    clients: set[Any] = field(default_factory=set)
    queue: asyncio.Queue[tuple[int, asyncio.Future[int]]] = field(
        default_factory=asyncio.Queue)

    async def commit(self) -> None:
        """Store whatever is waiting in one transaction, answer it, publish it; repeat."""
        from websockets.asyncio.server import broadcast

        while True:
            batch = [await self.queue.get()]
            while len(batch) < REFERENCE_BATCH and not self.queue.empty():
                batch.append(self.queue.get_nowait())
            try:
                async with self.pool.acquire() as conn, conn.transaction():
                    rows = await conn.fetch(
                        "INSERT INTO bench_messages (conversation_id, seq, text) "
                        "SELECT s % 20, s, $2 || s FROM unnest($1::bigint[]) AS s "
                        "RETURNING id, seq", [n for n, _ in batch], f"{TEXT} bench ")
                    await conn.execute(
                        "INSERT INTO bench_outbox (name, payload) SELECT 'message.created', "
                        "jsonb_build_object('message_id', i) FROM unnest($1::bigint[]) AS i",
                        [row["id"] for row in rows])
            except Exception as exc:  # noqa: BLE001 - every waiting call learns of it
                for _, future in batch:
                    future.set_exception(OSError(str(exc)))
                continue
            # each committer's temp table numbers its own rows: the request number names them
            stored = {row["seq"] for row in rows}
            for n, future in batch:
                if n not in stored:
                    future.set_exception(OSError("not stored"))
                    continue
                future.set_result(n)
                broadcast(self.clients, json.dumps({"type": "message.created", "data": {
                    "message_id": n, "author_kind": "customer"}}))

    async def step(self, rate: float, seconds: float) -> dict[str, Any]:
        """Offer ``rate`` calls a second for ``seconds``; call and delivery figures."""
        expected: dict[int, int] = {}
        offset = int(time.time_ns() // 1000)  # request numbers unique across steps

        async def send(n: int) -> tuple[int, bool]:
            future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
            await self.queue.put((offset + n, future))
            expected[await future] = n
            return 201, False

        sent: dict[int, float] = {}
        figures = await open_loop(send, rate=rate, seconds=seconds, sent=sent)

        async def stored() -> dict[int, int]:
            return expected

        await await_delivery(stored, figures["accepted"], self.arrivals, 5.0)
        figures.update(delivery_figures(expected, sent, self.arrivals))
        return figures


async def with_reference(database_url: str, sockets: int,
                         work: Callable[[Reference], Awaitable[Any]]) -> Any:
    """Run ``work`` with the reference up: pool, committers, socket server and receivers."""
    import asyncpg  # type: ignore[import-untyped]
    from websockets.asyncio.server import ServerConnection, serve

    async def init(conn: Any) -> None:
        for statement in REFERENCE_TABLES:
            await conn.execute(statement)

    dsn = database_url.replace("postgresql+asyncpg://", "postgresql://", 1)
    async with asyncpg.create_pool(dsn, min_size=REFERENCE_COMMITTERS,
                                   max_size=REFERENCE_COMMITTERS, init=init) as pool:
        reference = Reference(pool)

        async def handler(conn: ServerConnection) -> None:
            await conn.recv()  # the hello
            await conn.send(json.dumps({"type": "ready"}))
            reference.clients.add(conn)
            try:
                await conn.wait_closed()
            finally:
                reference.clients.discard(conn)

        async with contextlib.AsyncExitStack() as stack:
            server = await stack.enter_async_context(
                serve(handler, "127.0.0.1", 0, compression=None))
            port = next(iter(server.sockets)).getsockname()[1]
            reference.arrivals = await connect_sockets(stack, f"ws://127.0.0.1:{port}", sockets)
            committers = [asyncio.create_task(reference.commit())
                          for _ in range(REFERENCE_COMMITTERS)]
            try:
                return await work(reference)
            finally:
                for task in committers:
                    task.cancel()
                await asyncio.gather(*committers, return_exceptions=True)


async def run_reference(database_url: str, *, rate: float, seconds: float,
                        sockets: int = 1) -> dict[str, Any]:
    """Run the reference pipeline on the database (PostgreSQL) at the offered rate."""
    async def work(reference: Reference) -> dict[str, Any]:
        return await reference.step(rate, seconds)

    result: dict[str, Any] = await with_reference(database_url, sockets, work)
    return result


Step = Callable[[float, float], Awaitable[dict[str, Any]]]


def sustained(figures: dict[str, Any]) -> bool:
    """Tell whether a step kept up: nothing refused, failed or undelivered, 90 % accepted."""
    return (not figures["refused"] and not figures["failed"] and not figures["undelivered"]
            and figures["accepted_per_s"] >= 0.9 * figures["offered_per_s"])


async def ramp(step: Step, *, rate: float, seconds: float, max_rate: float,
               ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Double the offered rate from ``rate`` until a step does not keep up or accepted/s
    stops rising; return the best sustained step (else the most accepted/s) and every step."""
    steps: list[dict[str, Any]] = []
    while rate <= max_rate:
        figures = await step(rate, seconds)
        rising = not steps or figures["accepted_per_s"] > 1.05 * max(
            s["accepted_per_s"] for s in steps)
        steps.append(figures)
        if not sustained(figures) or not rising:
            break
        rate *= 2
    kept = [s for s in steps if sustained(s)] or steps
    return max(kept, key=lambda s: s["accepted_per_s"]), steps


def ratios(product: dict[str, Any], reference: dict[str, Any]) -> dict[str, float | None]:
    """Product over reference: throughput (below 1 is slower) and latencies (above 1)."""
    return {key: ratio(product, reference, key) for key in ("accepted_per_s", "p50_ms", "p99_ms",
                                        "delivery_p50_ms", "delivery_p99_ms")}


STEP_KEYS = ("offered_per_s", "accepted_per_s", "refused", "failed", "p99_ms",
             "delivery_p99_ms", "undelivered")


async def measure(step: Step, *, rate: float, seconds: float, saturate: bool,
                  max_rate: float) -> tuple[dict[str, Any], list[dict[str, Any]] | None]:
    """One fixed-rate step, or the ramp's best step and a summary of every step."""
    if not saturate:
        return await step(rate, seconds), None
    best, steps = await ramp(step, rate=rate, seconds=seconds, max_rate=max_rate)
    return best, [{k: s[k] for k in STEP_KEYS} for s in steps]


async def run_bench(url: str, database_url: str, *, slug: str, endpoint: str, rate: float,
                    seconds: float, visitors: int, sockets: int = 1, saturate: bool = False,
                    max_rate: float = 4096.0, delivery_timeout: float = 20.0,
                    groups: set[int] | None = None, reference: bool = True,
                    settle_timeout: float = 120.0) -> dict[str, Any]:
    """Wait for the outbox to settle, drive the server through the endpoint with its sockets
    connected (noting the CPU spent meanwhile; the server's when its process ``groups`` are
    known), then the reference on its database with as many sockets (unless ``reference`` is
    false)."""
    from omnidesk.core.db import create_engine

    result: dict[str, Any] = {"endpoint": endpoint, "workspace": slug, "rate": rate,
                              "seconds": seconds, "sockets": sockets, "saturate": saturate}
    async with contextlib.AsyncExitStack() as stack:
        sink = await stack.enter_async_context(reply_sink())
        target = await prepare_target(database_url, slug, endpoint, sink.url)
        engine = create_engine(database_url)
        try:
            if settle_timeout:
                result["settled_after_s"] = await settle(engine, settle_timeout)
                if result["settled_after_s"] is None:
                    result["note"] = (f"the outbox still had work due after {settle_timeout:g}"
                                      " s: the run starts on a backlog")
            client = await open_clients(stack, url)
            ws_url = "ws" + url.removeprefix("http").rstrip("/") + "/ws"
            arrivals = await connect_sockets(stack, ws_url, sockets,
                                             {"Authorization": f"Bearer {target.token}"})
            product = Product(client, engine, target, endpoint, slug, visitors, arrivals,
                              delivery_timeout, sink)
            meter = CpuMeter(groups or set())
            result["product"], product_steps = await measure(
                product.step, rate=rate, seconds=seconds, saturate=saturate, max_rate=max_rate)
            result["cpu"] = meter.figures()
        finally:
            await engine.dispose()
            await release_target(database_url, target)
    reference_steps = None
    if not reference:
        result["reference"] = result["ratio"] = None
    elif database_url.startswith("postgresql"):
        async def work(reference: Reference) -> tuple[dict[str, Any], Any]:
            return await measure(reference.step, rate=rate, seconds=seconds, saturate=saturate,
                                 max_rate=max_rate)

        result["reference"], reference_steps = await with_reference(database_url, sockets, work)
        result["ratio"] = ratios(result["product"], result["reference"])
    else:
        result["reference"] = result["ratio"] = None
        note = "the raw reference runs on PostgreSQL only"
        result["note"] = f"{result['note']}; {note}" if result.get("note") else note
    if saturate:
        result["steps"] = {"product": product_steps, "reference": reference_steps}
    return result


ROWS = (("offered/s", "offered_per_s", None), ("accepted/s", "accepted_per_s", "accepted_per_s"),
        ("accepted", "accepted", None), ("refused", "refused", None),
        ("  with Retry-After", "refused_with_retry_after", None), ("failed", "failed", None),
        ("HTTP p50 ms", "p50_ms", "p50_ms"), ("HTTP p99 ms", "p99_ms", "p99_ms"),
        ("longest wait ms", "max_wait_ms", None), ("sockets", "sockets", None),
        ("delivered/s (every socket)", "delivered_per_s", None),
        ("delivery p50 ms", "delivery_p50_ms", "delivery_p50_ms"),
        ("delivery p99 ms", "delivery_p99_ms", "delivery_p99_ms"),
        ("undelivered (message × socket)", "undelivered", None),
        ("stored", "stored", None), ("not yet processed", "unprocessed", None),
        ("lost", "lost", None), ("twice", "duplicated", None),
        ("bot replies at the provider", "replies", None), ("  replies/s", "replies_per_s", None))


def print_result(result: dict[str, Any]) -> None:
    """Print the product and the reference side by side, with the ratio."""
    product, reference = result["product"], result["reference"] or {}
    ratio = result.get("ratio") or {}
    rows = [[label, product.get(key, ""), reference.get(key, ""),
             "" if rkey is None or ratio.get(rkey) is None else f"{ratio[rkey]}×"]
            for label, key, rkey in ROWS]
    how = ("saturation (best sustained step)" if result["saturate"]
           else f"{result['rate']:g} msg/s offered")
    title = f"{result['endpoint']} endpoint, {how}, {result['seconds']:g} s per step"
    if result.get("processes"):
        title += (f", {result['processes']['web']} web + {result['processes']['workers']} "
                  "worker processes")
    if result.get("note"):
        title += f" - {result['note']}"
    print_table(title, ["", f"omnidesk {result['endpoint']}", "raw reference",
                        "omnidesk/reference"], rows)
    for side, steps in (result.get("steps") or {}).items():
        if steps:
            print_table(f"{side} steps", ["offered/s", "accepted/s", "refused", "failed",
                                          "HTTP p99 ms", "delivery p99 ms", "undelivered"],
                        [[s[k] for k in STEP_KEYS] for s in steps])
    print_cpu(result)


CPU_ROWS = (("wall s", "seconds"), ("machine busy", "busy_share"),
            ("server CPU s", "server_cpu_s"), ("bench CPU s", "bench_cpu_s"))


def print_cpu(result: dict[str, Any]) -> None:
    """Print where the CPU went while the product was driven (beside one process's with
    ``--scaling``) and the scaling verdict."""
    sides = [("omnidesk", result.get("cpu") or {})]
    layout = result.get("processes")
    if layout:
        sides[0] = (f"{layout['web']} web + {layout['workers']} workers", sides[0][1])
    one = result.get("one_process")
    if one:
        sides.insert(0, ("1 process", one["cpu"]))
    rows = [[label] + ["" if side.get(key) is None else side[key] for _, side in sides]
            for label, key in CPU_ROWS]
    if one:
        rows[:0] = [[label] + [one["product"].get(key, ""), result["product"].get(key, "")]
                    for label, key in (("accepted/s", "accepted_per_s"),
                                       ("delivered/s (every socket)", "delivered_per_s"),
                                       ("delivery p99 ms", "delivery_p99_ms"))]
    cores = (result.get("cpu") or {}).get("cores", "")
    print_table(f"CPU while driven ({cores} cores)", ["", *(name for name, _ in sides)], rows)
    verdict = result.get("scaling")
    if verdict:
        typer.echo(f"scaling: delivered {verdict['delivered_ratio']}×, accepted "
              f"{verdict['accepted_ratio']}× one process (target {verdict['target']}×): "
              f"{verdict['why']}")


def bench_command(
    url: Annotated[str, typer.Option(help="Base URL of a running omnidesk")] =
        "http://127.0.0.1:8000",
    workspace: Annotated[str, typer.Option(help="Workspace slug that is driven")] = "hanbit",
    endpoint: Annotated[str, typer.Option(
        help="widget, api (the API channel) or webhook (a signed LINE webhook)")] = "widget",
    rate: Annotated[float, typer.Option(
        min=0.1, help="Offered messages per second (where --saturate starts)")] = 50.0,
    seconds: Annotated[float, typer.Option(min=0.1, help="How long each rate is offered")] =
        10.0,
    visitors: Annotated[int, typer.Option(min=1, help="Customers sending")] = 20,
    sockets: Annotated[int, typer.Option(min=1, help="Agent sockets connected")] = 1,
    saturate: Annotated[bool, typer.Option(
        "--saturate", help="Double the rate until it stops keeping up; report the best")] =
        False,
    max_rate: Annotated[float, typer.Option(min=0.1, help="Highest rate --saturate offers")] =
        4096.0,
    delivery_timeout: Annotated[float, typer.Option(
        min=0.1, help="Seconds to wait after a step for its messages to reach the sockets")] =
        20.0,
    processes: Annotated[int, typer.Option(
        min=0, help="Start `omnidesk serve --workers N` (dispatcher off) and workers on "
                    "PostgreSQL + Redis and drive them instead of --url")] = 0,
    worker_processes: Annotated[int | None, typer.Option(
        min=1, help="How many `omnidesk worker` processes --processes starts (default N)")] =
        None,
    settle_timeout: Annotated[float, typer.Option(
        min=0, help="Seconds to wait first for the outbox to have nothing due (earlier "
                    "messages' work done); 0 starts at once")] = 120.0,
    compare_scaling: Annotated[bool, typer.Option(
        "--scaling", help="With --processes: first drive one process (dispatcher inside) the "
                          "same way and compare; say why when the set-up is below 1.6×")] =
        False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
) -> None:
    """Benchmark an inbound endpoint up to the agents' sockets beside a raw reference."""
    if endpoint not in ENDPOINTS:
        fail(f"--endpoint must be one of {', '.join(ENDPOINTS)}")
    if compare_scaling and not processes:
        fail("--scaling compares --processes N with one process: give --processes")
    workers = worker_processes or processes

    def drive(at: str, groups: set[int] | None, reference: bool = True) -> dict[str, Any]:
        return asyncio.run(run_bench(
            at, get_settings().database_url, slug=workspace, endpoint=endpoint, rate=rate,
            seconds=seconds, visitors=visitors, sockets=sockets, saturate=saturate,
            max_rate=max_rate, delivery_timeout=delivery_timeout, groups=groups,
            reference=reference, settle_timeout=settle_timeout))

    if processes:
        from omnidesk.app.commands.bench_processes import serving

        one = None
        if compare_scaling:
            with serving(1, 0) as single:
                one = drive(single.url, single.groups, reference=False)
        with serving(processes, workers) as started:
            result = drive(started.url, started.groups)
        result["processes"] = {"web": processes, "workers": workers}
        if one is not None:
            result["one_process"] = {"product": one["product"], "cpu": one["cpu"]}
            result["scaling"] = scaling(one, result, web=processes, workers=workers)
    else:
        result = drive(url, None)
    if as_json:
        print_json(result)
    else:
        print_result(result)
