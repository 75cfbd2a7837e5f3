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

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

RETRY_AFTER_SECONDS = 1
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

