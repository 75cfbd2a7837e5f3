"""Fan-out between processes: in-process by default, Redis pub/sub when configured."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from typing import Any, Protocol

log = logging.getLogger("omnidesk.realtime")
Deliver = Callable[[str, dict[str, Any]], None]
DEFAULT_PREFIX = "omnidesk:rt:"


class Broker(Protocol):
    """Carries (topic, message) from any publisher to every process's hub."""

    async def start(self, deliver: Deliver) -> None: ...
    async def publish(self, topic: str, message: dict[str, Any]) -> None: ...
    async def stop(self) -> None: ...


class LocalBroker:
    """Deliver to this process only (one server, `make run`)."""

    def __init__(self) -> None:
        self._deliver: Deliver | None = None

    async def start(self, deliver: Deliver) -> None:
        """Remember where to deliver."""
        self._deliver = deliver

    async def publish(self, topic: str, message: dict[str, Any]) -> None:
        """Deliver right away in this process."""
        if self._deliver is not None:
            self._deliver(topic, message)

    async def stop(self) -> None:
        """Stop delivering."""
        self._deliver = None


class RedisBroker:
    """Publish to Redis channels; every process subscribes to the pattern and delivers locally.

    Channels are named ``<prefix><topic>``; deployments sharing one Redis use different
    prefixes, so none sees another's events.
    """

    def __init__(self, url: str, *, prefix: str = DEFAULT_PREFIX) -> None:
        from redis import asyncio as aioredis

        self._redis = aioredis.from_url(url, decode_responses=True)
        self.prefix = prefix
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    async def start(self, deliver: Deliver) -> None:
        """Subscribe to every realtime channel and wait until the subscription is live."""
        self._task = asyncio.create_task(self._listen(deliver))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._ready.wait(), timeout=5)

    async def publish(self, topic: str, message: dict[str, Any]) -> None:
        """Publish one message on the topic's channel."""
        await self._redis.publish(self.prefix + topic, json.dumps(message, default=str))

    async def stop(self) -> None:
        """Cancel the listener and close the connection."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._redis.aclose()

    async def _listen(self, deliver: Deliver) -> None:
        delay = 0.5
        while True:
            try:
                async with self._redis.pubsub() as pubsub:
                    await pubsub.psubscribe(self.prefix + "*")
                    self._ready.set()
                    delay = 0.5
                    async for item in pubsub.listen():
                        if item.get("type") == "pmessage":
                            topic = item["channel"][len(self.prefix):]
                            deliver(topic, json.loads(item["data"]))
            except asyncio.CancelledError:
                raise
            except Exception:  # Redis went away: keep retrying with capped backoff
                log.exception("redis realtime listener failed; retrying in %.1fs", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)


def build_broker(redis_url: str | None, *, prefix: str = DEFAULT_PREFIX) -> Broker:
    """Choose Redis (channels under ``prefix``) when a URL is configured, else in-process."""
    return RedisBroker(redis_url, prefix=prefix) if redis_url else LocalBroker()
