"""One WebSocket connection speaking the realtime protocol (the same for agents and the widget).

Client → server: first `{"type": "hello", "queue_id"?, "last_event_id"?, ...auth}`, then any
`{"type": ...}` the endpoint understands (typing, read). Server → client: `{"type": "ready",
"queue_id", "resumed", "heartbeat_seconds"}`, then numbered events `{"id", "type", "data"}` and
unnumbered `{"type": "heartbeat"}` at a jittered interval.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from omnidesk.realtime.hub import ClientQueue, Hub

OnMessage = Callable[[dict[str, Any]], Awaitable[None]]
Prepare = Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]
HELLO_TIMEOUT_SECONDS = 10.0


async def receive_hello(ws: WebSocket) -> dict[str, Any] | None:
    """Accept the socket and read the client's hello, or close it when none comes."""
    await ws.accept()
    try:
        hello = await asyncio.wait_for(ws.receive_json(), timeout=HELLO_TIMEOUT_SECONDS)
    except (TimeoutError, WebSocketDisconnect, json.JSONDecodeError, KeyError):
        await close_quietly(ws, 4400)
        return None
    if not isinstance(hello, dict) or hello.get("type") != "hello":
        await close_quietly(ws, 4400)
        return None
    return hello


async def close_quietly(ws: WebSocket, code: int) -> None:
    """Close a socket that may already be gone."""
    with contextlib.suppress(RuntimeError, WebSocketDisconnect):
        await ws.close(code=code)


async def serve(
    ws: WebSocket, hub: Hub, *, principal: str, topics: set[str], hello: dict[str, Any],
    on_message: OnMessage, prepare: Prepare | None = None,
) -> None:
    """Attach the client's queue, replay what it missed, then stream events both ways
    (each outgoing event through `prepare`, which returns a copy fitted to this client)."""
    last_event_id = _as_int(hello.get("last_event_id"))
    queue, missed = hub.attach(principal, topics, hello.get("queue_id"), last_event_id)
    sent = last_event_id if missed is not None else 0
    await ws.send_json({"type": "ready", "queue_id": queue.id, "resumed": missed is not None,
                        "heartbeat_seconds": hub.heartbeat_seconds})
    pump = asyncio.create_task(_pump(ws, queue, sent, hub.heartbeat_seconds, prepare))
    listen = asyncio.create_task(_listen(ws, on_message))
    try:
        await asyncio.wait({pump, listen}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (pump, listen):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, RuntimeError):
                await task
        hub.detach(queue)


class _Beat:
    """A connection's heartbeat clock: it ticks every interval (jittered, so thousands of idle
    clients do not beat in lockstep) and wakes the pump, which beats when nothing else was sent
    since the last tick (the client hears something at least every two intervals). One timer
    per connection, not one per event."""

    def __init__(self, queue: ClientQueue, every: float) -> None:
        self.queue, self.every = queue, every
        self.due = False
        self.active = False
        self.handle = asyncio.get_running_loop().call_later(self._interval(), self._tick)

    def _interval(self) -> float:
        return self.every * random.uniform(0.8, 1.0)

    def _tick(self) -> None:
        self.due = True
        self.queue.signal.set()
        self.handle = asyncio.get_running_loop().call_later(self._interval(), self._tick)

    def cancel(self) -> None:
        self.handle.cancel()


async def _pump(ws: WebSocket, queue: ClientQueue, sent: int, heartbeat: float,
                prepare: Prepare | None) -> None:
    beat = _Beat(queue, heartbeat)
    try:
        while True:
            queue.signal.clear()
            for event in queue.after(sent):
                fitted = event if prepare is None else await prepare(event)
                if fitted is event:  # as published: its JSON was made once for every socket
                    await ws.send_text(event.text())
                else:
                    await ws.send_json(fitted)
                sent = event["id"]
                beat.active = True
            if beat.due:
                if not beat.active:
                    await ws.send_json({"type": "heartbeat"})
                beat.due = beat.active = False
            await queue.signal.wait()
    finally:
        beat.cancel()


async def _listen(ws: WebSocket, on_message: OnMessage) -> None:
    while True:
        try:
            message = await ws.receive_json()
        except json.JSONDecodeError:
            continue
        if isinstance(message, dict) and message.get("type") not in {None, "ping"}:
            await on_message(message)


def _as_int(value: Any) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0
