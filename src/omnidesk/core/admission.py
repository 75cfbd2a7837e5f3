"""Back-pressure at the door: refuse work the process cannot take now, at once, with Retry-After.

Without it an overloaded process queues every request on the database connection pool until the
pool's wait runs out (tens of seconds) and then fails with a 500, while the provider, the widget
and the API client wait. Here a request beyond the in-flight limit is answered 503 in
microseconds, before its body is read, and one that still finds the pool exhausted gets the same
503 after the pool's short wait (``db_pool_timeout``). Both say when to come back; providers,
the widget and API clients retry, and inbound events are stored once however often they come
(the channels' dedupe keys, the widget's client message ids).
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

log = logging.getLogger("omnidesk.admission")
RETRY_AFTER_SECONDS = 1
OUTBOX_RETRY_AFTER_SECONDS = 5  # a backlog takes seconds to drain, not milliseconds
BUSY_MESSAGE = "the server is busy; retry after {seconds} s"
EXEMPT_PREFIXES = ("/healthz", "/static/")  # liveness must answer; files need no database


def busy_response(retry_after: int = RETRY_AFTER_SECONDS) -> JSONResponse:
    """Return the 503 a refused request gets: what happened and when to retry."""
    return JSONResponse({"error": "busy", "message": BUSY_MESSAGE.format(seconds=retry_after)},
                        status_code=503, headers={"Retry-After": str(retry_after)})


class AdmissionMiddleware:
    """Admit at most ``limit`` HTTP requests at once; answer the rest 503 + Retry-After."""

    def __init__(self, app: ASGIApp, *, limit: int,
                 retry_after: int = RETRY_AFTER_SECONDS) -> None:
        if limit < 1:
            raise ValueError("the in-flight request limit must be at least 1")
        self.app, self.limit, self.retry_after = app, limit, retry_after
        self.in_flight = 0
        self.refused = 0  # since start; a figure for the operator and the bench

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:  # one event loop: no lock needed between check and add
            self.refused += 1
            await busy_response(self.retry_after)(scope, receive, send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1



class Busy(Exception):
    """This process refuses the request now; the caller is to come back after ``retry_after``."""

    def __init__(self, reason: str, retry_after: int = RETRY_AFTER_SECONDS) -> None:
        super().__init__(reason)
        self.reason, self.retry_after = reason, retry_after


LagReader = Callable[[], Awaitable[float]]
BacklogReader = Callable[[], Awaitable[int]]


class IntakeGate:
    """Admit inbound messages (widget, webhooks, API channel) only while the process keeps up.

    Three signals, each read without waiting, so a refusal costs microseconds:
    - an adaptive in-flight limit (AIMD on latency): it grows by one for each limit's worth of
      requests answered within ``latency_target`` and shrinks by a quarter (at most once per
      target interval) when one takes longer, so admitted requests wait about the target
      instead of queueing behind each other for seconds; it never falls below one;
    - the database pool: no free connection and no room to open one means a refusal now
      rather than a wait of ``db_pool_timeout``;
    - the outbox lag (how long the oldest due event or delivery has waited): over
      ``max_outbox_lag`` the bot, routing and agent screens are that far behind, and taking
      more only makes the queue longer;
    - the live backlog (how many events wait to be fanned out and intake jobs and screens'
      pushes wait to run): over ``max_live_backlog`` the requests are taking the event loop
      from the live lane that makes their messages and shows them (measured: the agents'
      screens got 5-21 messages a second while 140 a second were being stored, and 77-130 once
      the requests stopped). Refusing until it is worked off keeps the screens seconds, not
      tens of seconds, behind. Both are read from the database at most once a second, in the
      background; a request uses the last figures.
    Refused callers get 503 + Retry-After; the widget, providers and API clients retry, and
    intake stores each message once (client message ids, provider ids).
    """

    def __init__(self, *, max_in_flight: int, latency_target: float, max_outbox_lag: float,
                 lag_reader: LagReader | None = None, pool: Any = None,
                 max_connections: int | None = None, lag_every: float = 1.0,
                 backlog_reader: BacklogReader | None = None,
                 max_live_backlog: int | None = None) -> None:
        if max_in_flight < 1:
            raise ValueError("the intake in-flight limit must be at least 1")
        self.max_in_flight, self.latency_target = max_in_flight, latency_target
        self.max_outbox_lag, self.lag_every = max_outbox_lag, lag_every
        self.lag_reader, self.pool, self.max_connections = lag_reader, pool, max_connections
        self.backlog_reader, self.max_live_backlog = backlog_reader, max_live_backlog
        self.live_backlog = 0
        self.limit = float(max_in_flight)
        self.in_flight = 0
        self.outbox_lag = 0.0
        self._lag_read_at = -math.inf
        self._lag_task: asyncio.Task[None] | None = None
        self._shrunk_at = -math.inf
        self.refused: Counter[str] = Counter()  # since start, by reason: for operators, the bench

    def check(self) -> None:
        """Raise Busy when the process should not take another inbound message now."""
        self._refresh_lag()
        if self.outbox_lag > self.max_outbox_lag:
            self._refuse("outbox", OUTBOX_RETRY_AFTER_SECONDS)
        if self.max_live_backlog is not None and self.live_backlog > self.max_live_backlog:
            self._refuse("live_backlog", RETRY_AFTER_SECONDS)
        if self.in_flight >= int(self.limit):
            self._refuse("in_flight", RETRY_AFTER_SECONDS)
        if self._pool_exhausted():
            self._refuse("db_pool", RETRY_AFTER_SECONDS)

    @asynccontextmanager
    async def admit(self) -> AsyncIterator[None]:
        """Hold one intake slot for the block (Busy when refused); learn from its duration."""
        self.check()
        self.in_flight += 1  # one event loop: nothing runs between the check and this
        started = time.monotonic()
        try:
            yield
        finally:
            self.in_flight -= 1
            self.finished(time.monotonic() - started)

    def finished(self, seconds: float) -> None:
        """Adjust the limit: grow slowly while answers are quick, shrink fast when slow."""
        now = time.monotonic()
        if seconds <= self.latency_target:
            self.limit = min(float(self.max_in_flight), self.limit + 1 / self.limit)
        elif now - self._shrunk_at >= self.latency_target:  # one cut per wave of slow answers
            self.limit = max(1.0, self.limit * 0.75)
            self._shrunk_at = now

    def _refuse(self, reason: str, retry_after: int) -> None:
        self.refused[reason] += 1
        raise Busy(reason, retry_after)

    def _pool_exhausted(self) -> bool:
        checked_out = getattr(self.pool, "checkedout", None)
        if checked_out is None or self.max_connections is None:
            return False  # a pool that does not count (SQLite in memory) never runs out
        reading = self._lag_task is not None and not self._lag_task.done()
        # the lag reading's own connection is back within milliseconds: it does not count
        return int(checked_out()) - reading >= self.max_connections

    def _refresh_lag(self) -> None:
        now = time.monotonic()
        if (self.lag_reader is None or now - self._lag_read_at < self.lag_every
                or (self._lag_task is not None and not self._lag_task.done())
                or self._pool_exhausted()):  # the reading would wait for a connection too
            return
        self._lag_read_at = now
        self._lag_task = asyncio.get_running_loop().create_task(self.read_outbox_lag())

    async def read_outbox_lag(self) -> None:
        """Read the outbox lag and the live backlog now (requests start this at most once
        every ``lag_every``)."""
        try:
            if self.lag_reader is not None:
                self.outbox_lag = await self.lag_reader()
            if self.backlog_reader is not None:
                self.live_backlog = await self.backlog_reader()
        except Exception:  # a failed reading must not refuse anyone: keep the last figures
            log.warning("could not read the outbox lag", exc_info=True)
