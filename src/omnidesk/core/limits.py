"""Rate limits (failed logins, widget posts, behaviour events): in-process or shared in Redis.

One server counts in its own memory; several processes behind a proxy count in Redis, so a
client cannot multiply its allowance by the number of processes. Keys are hashed before they
reach Redis (they may hold an email address). When Redis fails, the process counts locally
until it is back rather than refusing everyone. The Redis client library is imported only by a
process that counts in Redis (it cost every process's start 0.06 s).
"""

from __future__ import annotations

import hashlib
import logging
import math
import secrets
import time
from collections import defaultdict, deque
from typing import Any, Protocol

from omnidesk.core.errors import RateLimited

log = logging.getLogger("omnidesk.limits")
Key = tuple[str, str]


class RateLimiter(Protocol):
    """Count events per key in a sliding window."""

    limit: int
    window_seconds: float

    async def blocked(self, key: Key) -> bool:
        """Tell whether this key has used up its events in the window."""
        ...

    async def hit(self, key: Key) -> None:
        """Record one event for the key."""
        ...

    async def take(self, key: Key) -> bool:
        """Record one event unless the key is blocked; tell whether it was allowed."""
        ...

    async def reset(self, key: Key) -> None:
        """Forget the key's events (e.g. after a successful login)."""
        ...


async def take_or_refuse(limiter: RateLimiter, key: Key, what: str) -> None:
    """Record one event for the key, or refuse it: 429 whose Retry-After (and message) is the
    limiter's window, so the answer says when to come back as the limit counts it."""
    if not await limiter.take(key):
        seconds = max(1, math.ceil(limiter.window_seconds))
        raise RateLimited(f"{what}; please wait {seconds} s and try again", retry_after=seconds)


class _Limiter:
    async def blocked(self, key: Key) -> bool:
        raise NotImplementedError

    async def hit(self, key: Key) -> None:
        raise NotImplementedError

    async def take(self, key: Key) -> bool:
        """Record one event unless the key is blocked; tell whether it was allowed."""
        if await self.blocked(key):
            return False
        await self.hit(key)
        return True


class MemoryRateLimiter(_Limiter):
    """Sliding-window counts in this process's memory (one server)."""

    def __init__(self, limit: int, *, window_seconds: float) -> None:
        self.limit, self.window_seconds = limit, window_seconds
        self.events: dict[Key, deque[float]] = defaultdict(deque)

    async def blocked(self, key: Key) -> bool:
        """Tell whether this key has used up its events in the window."""
        window = self.events[key]
        while window and window[0] < time.monotonic() - self.window_seconds:
            window.popleft()
        if not window:
            del self.events[key]  # idle keys do not pile up
            return self.limit <= 0
        return len(window) >= self.limit

    async def hit(self, key: Key) -> None:
        """Record one event for the key."""
        self.events[key].append(time.monotonic())

    async def reset(self, key: Key) -> None:
        """Forget the key's events."""
        self.events.pop(key, None)


class RedisRateLimiter(_Limiter):
    """Sliding-window counts in a Redis sorted set per key, shared by every process."""

    def __init__(self, redis: Any, name: str, limit: int, *, window_seconds: float,
                 prefix: str) -> None:
        from redis.exceptions import RedisError

        self.redis, self.limit, self.window_seconds = redis, limit, window_seconds
        self.down: tuple[type[Exception], ...] = (RedisError, OSError)  # Redis is unreachable
        self.prefix = f"{prefix}limit:{name}:"
        self.fallback = MemoryRateLimiter(limit, window_seconds=window_seconds)

    def _key(self, key: Key) -> str:
        return self.prefix + hashlib.sha256("\x1f".join(key).encode()).hexdigest()[:32]

    async def _count(self, key: Key, *, add: bool) -> int:
        now = time.time()
        pipe = self.redis.pipeline(transaction=True)
        pipe.zremrangebyscore(self._key(key), 0, now - self.window_seconds)
        if add:
            pipe.zadd(self._key(key), {f"{now:.6f}:{secrets.token_hex(4)}": now})
            pipe.pexpire(self._key(key), int(self.window_seconds * 1000) + 1000)
        pipe.zcard(self._key(key))
        return int((await pipe.execute())[-1])

    async def blocked(self, key: Key) -> bool:
        """Tell whether this key has used up its events in the window (across processes)."""
        try:
            return await self._count(key, add=False) >= self.limit
        except self.down:  # Redis down: count here until it is back
            log.warning("redis rate limit unavailable; counting in this process", exc_info=True)
            return await self.fallback.blocked(key)

    async def hit(self, key: Key) -> None:
        """Record one event for the key (across processes)."""
        try:
            await self._count(key, add=True)
        except self.down:
            log.warning("redis rate limit unavailable; counting in this process", exc_info=True)
            await self.fallback.hit(key)

    async def reset(self, key: Key) -> None:
        """Forget the key's events."""
        await self.fallback.reset(key)
        try:
            await self.redis.delete(self._key(key))
        except self.down:
            log.warning("redis rate limit unavailable; reset in this process only", exc_info=True)


def build_rate_limiter(redis: Any | None, name: str, limit: int, *, window_seconds: float,
                       prefix: str) -> RateLimiter:
    """Choose shared counts in Redis when a client is given, else this process's memory."""
    if redis is None:
        return MemoryRateLimiter(limit, window_seconds=window_seconds)
    return RedisRateLimiter(redis, name, limit, window_seconds=window_seconds, prefix=prefix)
