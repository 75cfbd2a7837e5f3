"""Streaming request body limits: count bytes as they arrive, answer 413 once over the limit.

A declared Content-Length is only a hint: chunked bodies declare nothing and a client may lie,
so the limit is enforced on the bytes of each ``http.request`` message as the app reads them,
and the app stops reading the moment the total passes the limit. Routes that need more than
the default mark their endpoint with :func:`body_limit` (e.g. ``"upload"``, ``"webhook"``);
the app factory maps each kind to a size from the settings.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEFAULT = "default"
MARKER = "__omnidesk_body_limit__"
F = TypeVar("F", bound=Callable[..., Any])


def body_limit(kind: str) -> Callable[[F], F]:
    """Mark a route's endpoint as taking bodies of ``kind`` (a larger configured limit)."""

    def mark(endpoint: F) -> F:
        setattr(endpoint, MARKER, kind)
        return endpoint

    return mark


class BodyTooLarge(HTTPException):
    """The request body passed its limit; FastAPI re-raises HTTP errors met while reading."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=too_large_message(limit))
        self.limit = limit


def too_large_message(limit: int) -> str:
    """Say how large a request body may be, in the unit a person reads."""
    size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
    return f"the request body is too large: this endpoint accepts at most {size}"


def declared_length(scope: Scope) -> int | None:
    """Return the Content-Length header as an int, or None when absent or unreadable."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodyLimitMiddleware:
    """Refuse request bodies over their route's limit while streaming, never after buffering."""

    def __init__(self, app: ASGIApp, *, limits: Mapping[str, int]) -> None:
        if DEFAULT not in limits:
            raise ValueError("body limits need a 'default' entry")
        self.app = app
        self.limits = dict(limits)

    def limit_for(self, scope: Scope) -> int:
        """Return the limit of the route the request was routed to (the default before that)."""
        kind = getattr(scope.get("endpoint"), MARKER, DEFAULT)
        return self.limits.get(kind, self.limits[DEFAULT])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        guard = _Guard(self, scope, receive, send)
        try:
            await self.app(scope, guard.receive, guard.send)
        except Exception:
            # Past the limit, whatever escapes (the refusal itself, or wrapped in an exception
            # group by a middleware's task group) is the refusal: answer it once.
            if guard.exceeded is None or (guard.started and not guard.refused):
                raise
            if not guard.refused:
                await guard.refuse()


class _Guard:
    """One request's byte count, and the 413 that replaces whatever the app answers."""

    def __init__(self, middleware: BodyLimitMiddleware, scope: Scope, receive: Receive,
                 send: Send) -> None:
        self.middleware, self.scope = middleware, scope
        self._receive, self._send = receive, send
        self.declared = declared_length(scope) or 0
        self.read = 0
        self.exceeded: int | None = None
        self.started = self.refused = False

    async def receive(self) -> Message:
        limit = self.middleware.limit_for(self.scope)  # routing has run when the body is read
        if self.declared > limit or self.read > limit:
            self.exceeded = limit
            raise BodyTooLarge(limit)
        message = await self._receive()
        if message["type"] == "http.request":
            self.read += len(message.get("body", b""))
            if self.read > limit:
                self.exceeded = limit
                raise BodyTooLarge(limit)
        return message

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
            if self.exceeded is not None:
                # whatever a handler made of the refusal ("bad body", its own 413 shape)
                await self.refuse()
        if not self.refused:
            await self._send(message)

    async def refuse(self) -> None:
        """Answer 413 with a JSON message naming the limit."""
        limit = self.exceeded or self.middleware.limits[DEFAULT]
        self.refused = self.started = True
        body = json.dumps({"error": "too_large", "message": too_large_message(limit),
                           "limit_bytes": limit}).encode()
        await self._send({"type": "http.response.start", "status": 413,
                          "headers": [(b"content-type", b"application/json"),
                                      (b"content-length", str(len(body)).encode()),
                                      (b"connection", b"close")]})
        await self._send({"type": "http.response.body", "body": body})
