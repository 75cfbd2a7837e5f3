"""Rate limits count per key in a window: in one process, or shared by processes in Redis."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Callable

import pytest

from omnidesk.core.limits import MemoryRateLimiter, RateLimiter, build_rate_limiter
from tests.realtime.test_hub import REDIS_URL, require_redis

Make = Callable[[], RateLimiter]


@pytest.fixture(params=["memory", "redis"])
async def make(request: pytest.FixtureRequest) -> AsyncIterator[Make]:
    """Build limiters of one deployment: each call is another process's limiter."""
    if request.param == "memory":
        shared = MemoryRateLimiter(3, window_seconds=60)  # one process: one limiter
        yield lambda: shared
        return
    await require_redis()
    from redis import asyncio as aioredis

    clients = []
    prefix = f"omnidesk:test-{secrets.token_hex(4)}:"

    def another_process() -> RateLimiter:
        clients.append(aioredis.from_url(REDIS_URL, decode_responses=True))
        return build_rate_limiter(clients[-1], "login", 3, window_seconds=60, prefix=prefix)

    yield another_process
    for client in clients:
        await client.aclose()


async def test_a_key_is_refused_after_its_limit_whichever_process_counts(make: Make) -> None:
    first, second = make(), make()
    key = ("203.0.113.9", "kim@example.com")
    assert await first.take(key) and await second.take(key) and await first.take(key)
    assert not await second.take(key) and await first.blocked(key)
    assert await first.take(("203.0.113.9", "lee@example.com"))  # another key has its own count
    await second.reset(key)
    assert not await first.blocked(key)


async def test_failures_are_counted_across_processes_until_a_success_resets(make: Make) -> None:
    first, second = make(), make()
    key = ("mfa", "7")
    for limiter in (first, second, first):
        assert not await limiter.blocked(key)
        await limiter.hit(key)
    assert await second.blocked(key)


async def test_redis_keys_do_not_hold_the_email_in_clear() -> None:
    await require_redis()
    from redis import asyncio as aioredis

    client = aioredis.from_url(REDIS_URL, decode_responses=True)
    prefix = f"omnidesk:test-{secrets.token_hex(4)}:"
    try:
        limiter = build_rate_limiter(client, "login", 3, window_seconds=60, prefix=prefix)
        await limiter.hit(("198.51.100.1", "kim@example.com"))
        keys = await client.keys(prefix + "*")
        assert len(keys) == 1 and keys[0].startswith(prefix + "limit:login:")
        assert "kim" not in keys[0] and "198.51" not in keys[0]
        assert 0 < await client.ttl(keys[0]) <= 61
    finally:
        await client.aclose()


async def test_without_redis_a_limiter_counts_in_its_process() -> None:
    from redis import asyncio as aioredis

    gone = aioredis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    limiter = build_rate_limiter(gone, "widget", 2, window_seconds=60, prefix="x:")
    key = ("192.0.2.1", "widget")
    assert await limiter.take(key) and await limiter.take(key)
    assert not await limiter.take(key)  # still limited while Redis is down
    await gone.aclose()
