"""The realtime hub: one event queue per client, with increasing ids and resume after reconnect.

Like Zulip's event queues: a client gets a queue id and numbered events; after a dropped
connection it reconnects with (queue_id, last_event_id) and receives what it missed from the
queue's buffer. A queue that is gone (expired, or the server restarted) tells the client to
catch up from the database instead, which is the source of truth.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from omnidesk.realtime.broker import Broker

BUFFER_SIZE = 500
QUEUE_TTL_SECONDS = 600.0


class QueuedEvent(dict[str, Any]):
    """One numbered event of a client queue (``{"id", "type", "data"}``), carrying the JSON of
    its type and data, encoded once per publish and shared by every queue it reaches."""

    __slots__ = ("tail",)

    def __init__(self, event_id: int, event_type: str, data: dict[str, Any],
                 tail: str | None) -> None:
        super().__init__(id=event_id, type=event_type, data=data)
        self.tail = tail

    def text(self) -> str:
        """The event as the socket sends it (Starlette's send_json encoding)."""
        if self.tail is None:
            return json.dumps(self, separators=(",", ":"), ensure_ascii=False)
        return f'{{"id":{self["id"]},{self.tail}'


def encoded_tail(event_type: str, data: dict[str, Any]) -> str | None:
    """The JSON of an event after its id (``"type":…,"data":…}``), or None when the data is not
    JSON (each socket then fails on it as before)."""
    try:
        text = json.dumps({"type": event_type, "data": data}, separators=(",", ":"),
                          ensure_ascii=False)
    except (TypeError, ValueError):
        return None
    return text[1:]


@dataclass
class ClientQueue:
    """The numbered events waiting for (or already sent to) one client."""

    id: str
    principal: str
    topics: frozenset[str]
    events: deque[QueuedEvent] = field(default_factory=lambda: deque(maxlen=BUFFER_SIZE))
    last_id: int = 0
    connections: int = 0
    touched: float = field(default_factory=time.monotonic)
    signal: asyncio.Event = field(default_factory=asyncio.Event)

    def push(self, event_type: str, data: dict[str, Any], tail: str | None = None) -> None:
        """Number an event and wake the connection."""
        self.last_id += 1
        self.events.append(QueuedEvent(self.last_id, event_type, data, tail))
        self.signal.set()

    def after(self, event_id: int) -> list[QueuedEvent]:
        """The buffered events after an id, read from the newest end (ids are consecutive, so a
        wake-up costs what it sends, not the whole buffer)."""
        count = min(self.last_id - event_id, len(self.events))
        size = len(self.events)
        return [self.events[i] for i in range(size - count, size)] if count > 0 else []

    def since(self, last_event_id: int) -> list[QueuedEvent] | None:
        """Return events after an id, or None when some of them were already dropped."""
        oldest = self.events[0]["id"] if self.events else self.last_id + 1
        if last_event_id + 1 < oldest and last_event_id < self.last_id:
            return None
        return self.after(last_event_id)


class Hub:
    """Route published events to the queues subscribed to their topic, on this process."""

    def __init__(self, broker: Broker, *, heartbeat_seconds: float = 25.0) -> None:
        self.broker = broker
        self.heartbeat_seconds = heartbeat_seconds
        self.queues: dict[str, ClientQueue] = {}
        self.by_topic: dict[str, set[str]] = {}
        # queues nobody is connected to, oldest detach first: expiring looks only at the
        # ones due (a connect does not walk every queue, so 1,000 sockets connect in linear time)
        self.idle: dict[str, float] = {}

    async def start(self) -> None:
        """Start receiving from the broker."""
        await self.broker.start(self.deliver)

    async def stop(self) -> None:
        """Stop receiving and drop every queue."""
        await self.broker.stop()
        self.queues.clear()
        self.by_topic.clear()
        self.idle.clear()

    async def publish(self, topics: str | Sequence[str], event_type: str,
                      data: dict[str, Any]) -> None:
        """Send an event to every client subscribed to any of the topics (once per client),
        on every process."""
        names = [topics] if isinstance(topics, str) else list(topics)
        if names:
            await self.broker.publish(names[0], {"type": event_type, "data": data,
                                                 "topics": names})

    def deliver(self, topic: str, message: dict[str, Any]) -> None:
        """Push a broker message into this process's subscribed queues, once per queue."""
        queue_ids = set().union(*(self.by_topic.get(t, ()) for t in message.get("topics", [topic])))
        if not queue_ids:
            return
        tail = encoded_tail(message["type"], message["data"])
        for queue_id in queue_ids:
            queue = self.queues.get(queue_id)
            if queue is not None:
                queue.push(message["type"], message["data"], tail)

    def attach(
        self, principal: str, topics: set[str], queue_id: str | None, last_event_id: int
    ) -> tuple[ClientQueue, list[QueuedEvent] | None]:
        """Resume the client's queue when possible, else open a new one.

        Returns the queue and the missed events; None means "not resumed, reload from the
        database".
        """
        self.expire()
        queue = self.queues.get(queue_id or "")
        if queue is not None and queue.principal == principal and queue.topics == topics:
            missed = queue.since(last_event_id)
            if missed is not None:
                queue.connections += 1
                self.idle.pop(queue.id, None)
                return queue, missed
        queue = ClientQueue(id=secrets.token_urlsafe(12), principal=principal,
                            topics=frozenset(topics), connections=1)
        self.queues[queue.id] = queue
        for topic in topics:
            self.by_topic.setdefault(topic, set()).add(queue.id)
        return queue, None

    def detach(self, queue: ClientQueue) -> None:
        """Note a closed connection; the queue lives on for a while so the client can resume."""
        queue.connections = max(queue.connections - 1, 0)
        queue.touched = time.monotonic()
        if not queue.connections and queue.id in self.queues:
            self.idle.pop(queue.id, None)  # to the end: the most recently left
            self.idle[queue.id] = queue.touched

    def expire(self, ttl: float = QUEUE_TTL_SECONDS) -> None:
        """Drop queues nobody has been connected to for ttl seconds."""
        cutoff = time.monotonic() - ttl
        while self.idle:
            queue_id, touched = next(iter(self.idle.items()))
            if touched >= cutoff:
                break
            del self.idle[queue_id]
            queue = self.queues.pop(queue_id, None)
            if queue is None:
                continue
            for topic in queue.topics:
                ids = self.by_topic.get(topic)
                if ids is not None:
                    ids.discard(queue.id)
                    if not ids:
                        self.by_topic.pop(topic, None)
