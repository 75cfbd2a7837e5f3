"""One realtime connection: events in order as the hub encoded them, heartbeats only when idle."""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from omnidesk.realtime.broker import LocalBroker
from omnidesk.realtime.connection import serve
from omnidesk.realtime.hub import Hub


class FakeSocket:
    """What serve() uses of a Starlette WebSocket: frames sent are kept as parsed JSON."""

    def __init__(self) -> None:
        self.frames: list[dict[str, Any]] = []
        self.closed = asyncio.Event()

    async def send_json(self, data: dict[str, Any]) -> None:
        self.frames.append(json.loads(json.dumps(data)))

    async def send_text(self, text: str) -> None:
        self.frames.append(json.loads(text))

    async def receive_json(self) -> dict[str, Any]:
        await self.closed.wait()
        raise RuntimeError("closed")


async def _run(hub: Hub, ws: FakeSocket, seconds: float,
               publish_every: float | None = None) -> list[dict[str, Any]]:
    async def ignore(message: dict[str, Any]) -> None:
        return None

    start = len(ws.frames)
    task = asyncio.create_task(serve(ws, hub, principal="user:1", topics={"t"},  # type: ignore[arg-type]
                                     hello={}, on_message=ignore))
    while len(ws.frames) == start:  # attached: "ready" sent
        await asyncio.sleep(0.001)
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    n = 0
    while loop.time() < end:
        if publish_every is None:
            await asyncio.sleep(end - loop.time())
        else:
            await hub.publish("t", "message.created", {"n": n, "text": "안녕하세요"})
            n += 1
            await asyncio.sleep(publish_every)
    ws.closed.set()
    with contextlib.suppress(RuntimeError):
        await task
    return ws.frames[start:]


async def test_a_busy_connection_gets_its_events_in_order_and_an_idle_one_heartbeats() -> None:
    hub = Hub(LocalBroker(), heartbeat_seconds=0.2)
    await hub.start()
    busy = await _run(hub, FakeSocket(), 1.0, publish_every=0.02)
    assert busy[0]["type"] == "ready"
    events = [f for f in busy if f["type"] == "message.created"]
    assert [e["data"]["n"] for e in events] == list(range(len(events)))
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    assert events[0]["data"]["text"] == "안녕하세요"  # encoded once, as send_json would
    # events every 20 ms keep the line alive: at most one beat if the loop stalled a moment
    assert sum(f["type"] == "heartbeat" for f in busy) <= 1
    idle = await _run(hub, FakeSocket(), 1.0)
    assert [f["type"] for f in idle][:1] == ["ready"]
    assert sum(f["type"] == "heartbeat" for f in idle) >= 3  # every 0.16–0.2 s
