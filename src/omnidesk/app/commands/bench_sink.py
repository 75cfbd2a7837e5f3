"""The provider's side of `omnidesk bench`: where the server's replies to the bench's customers go.

A provider accepts a reply in milliseconds. The bench used to point the replies at an address
nothing listens on, so every bot answer failed, was retried with backoff (six attempts) and went
dead: the server spent a large part of a run's CPU on retries of earlier runs, and the figures
measured a provider outage instead of the product. ``ReplySink`` answers like the providers the
bench drives: the API channel's webhook (any 2xx; an ``id`` names the delivery) and LINE's
Messaging API (``/v2/bot/info``, ``/v2/bot/message/push`` with ``sentMessages``), each accepted
message under a new id. It notes when
each reply came and its body, so a step counts its own customers' replies.

It listens on 127.0.0.1 in the bench's process: a server on another machine cannot reach it
(its replies then fail as a provider outage would). HTTP/1.1 is parsed by h11 (uvicorn's own
parser library), with keep-alive, as httpx in the server sends it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator

import h11

READ_BYTES = 65_536


def answer() -> bytes:
    """What the provider answers: a new id for the accepted message (the server keeps it as
    the message's provider id, unique per inbox) and, for LINE's bot info, a name."""
    accepted = f"bench-{uuid.uuid4().hex}"
    return json.dumps({"id": accepted, "sentMessages": [{"id": accepted}],
                       "displayName": "omnidesk bench", "basicId": "@omnidesk-bench"}).encode()


class ReplySink:
    """Accept every request with 200 and the answer above; note each POST's time and body."""

    def __init__(self) -> None:
        self.replies: list[tuple[float, bytes]] = []
        self.url = ""
        self.writers: set[asyncio.StreamWriter] = set()
        self.handlers: set[asyncio.Task[None]] = set()

    def count(self, markers: tuple[bytes, ...], since: float = 0.0) -> list[float]:
        """Times of the replies since ``since`` whose body holds one of ``markers``."""
        return [at for at, body in self.replies
                if at >= since and any(marker in body for marker in markers)]

    async def serve_connection(self, reader: asyncio.StreamReader,
                               writer: asyncio.StreamWriter) -> None:
        """Answer one client connection's requests until it closes."""
        connection = h11.Connection(h11.SERVER)
        loop = asyncio.get_running_loop()
        body, method = bytearray(), b""
        self.writers.add(writer)
        task = asyncio.current_task()
        if task is not None:
            self.handlers.add(task)
        try:
            while True:
                event = connection.next_event()
                if event is h11.NEED_DATA:
                    connection.receive_data(await reader.read(READ_BYTES))
                elif isinstance(event, h11.Request):
                    body, method = bytearray(), event.method
                elif isinstance(event, h11.Data):
                    body += event.data
                elif isinstance(event, h11.EndOfMessage):
                    if method == b"POST":
                        self.replies.append((loop.time(), bytes(body)))
                    reply = answer()
                    headers = [("content-type", "application/json"),
                               ("content-length", str(len(reply)))]
                    writer.write(connection.send(h11.Response(status_code=200, headers=headers))
                                 + connection.send(h11.Data(data=reply))
                                 + connection.send(h11.EndOfMessage()))
                    await writer.drain()
                    connection.start_next_cycle()
                else:  # ConnectionClosed, or the client went away mid-request
                    return
        except (h11.ProtocolError, ConnectionError):
            return
        finally:
            self.writers.discard(writer)
            if task is not None:
                self.handlers.discard(task)
            writer.close()


@contextlib.asynccontextmanager
async def reply_sink() -> AsyncIterator[ReplySink]:
    """Run a ``ReplySink`` on a free loopback port for the block (its ``url`` set)."""
    sink = ReplySink()
    server = await asyncio.start_server(sink.serve_connection, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    sink.url = f"http://127.0.0.1:{port}"
    try:
        yield sink
    finally:
        server.close()
        for writer in list(sink.writers):  # the server's kept-alive connections
            writer.close()
        for task in list(sink.handlers):  # each stops at its connection's end
            task.cancel()
        await asyncio.gather(*sink.handlers, return_exceptions=True)
        await server.wait_closed()
