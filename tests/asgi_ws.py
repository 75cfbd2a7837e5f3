"""Drive an app's WebSocket route in-process, on the test's event loop (no server, no thread)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any, Self


class SocketClosed(Exception):
    """The server closed the socket (``code`` is its close code)."""

    def __init__(self, code: int) -> None:
        super().__init__(f"closed with {code}")
        self.code = code


class AsgiWebSocket:
    """A WebSocket client speaking ASGI straight to the app (cookies go in ``headers``)."""

    def __init__(self, app: Any, path: str, headers: dict[str, str] | None = None) -> None:
        self.app = app
        self.path = path
        self.headers = {"host": "testserver", **(headers or {})}
        self.to_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.from_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Self:
        scope = {"type": "websocket", "asgi": {"version": "3.0"}, "scheme": "ws",
                 "path": self.path, "raw_path": self.path.encode(), "query_string": b"",
                 "root_path": "", "server": ("testserver", 80), "client": ("127.0.0.1", 5000),
                 "subprotocols": [],
                 "headers": [(k.lower().encode(), v.encode()) for k, v in self.headers.items()]}
        self.task = asyncio.create_task(self.app(scope, self.to_app.get, self.from_app.put))
        await self.to_app.put({"type": "websocket.connect"})
        accepted = await asyncio.wait_for(self.from_app.get(), timeout=5)
        if accepted["type"] != "websocket.accept":
            raise SocketClosed(accepted.get("code", 1000))
        return self

    async def send_json(self, data: dict[str, Any]) -> None:
        """Send one JSON text frame to the app."""
        await self.to_app.put({"type": "websocket.receive", "text": json.dumps(data)})

    async def receive_json(self, timeout: float = 5) -> dict[str, Any]:
        """Return the next non-heartbeat frame within ``timeout``; raise SocketClosed on close."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            left = deadline - asyncio.get_running_loop().time()
            message = await asyncio.wait_for(self.from_app.get(), timeout=max(left, 0))
            if message["type"] == "websocket.close":
                raise SocketClosed(message.get("code", 1000))
            data = json.loads(message.get("text") or message.get("bytes") or b"{}")
            if data.get("type") != "heartbeat":
                return data

    async def events_until_quiet(self, timeout: float = 0.3) -> list[dict[str, Any]]:
        """Return every frame already sent, stopping once none arrives within ``timeout``."""
        seen = []
        with contextlib.suppress(TimeoutError):
            while True:
                seen.append(await self.receive_json(timeout=timeout))
        return seen

    async def __aexit__(self, *exc: object) -> None:
        await self.to_app.put({"type": "websocket.disconnect", "code": 1000})
        if self.task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.task, timeout=5)
