"""Agents' open sockets, and away when the last one closes (presence grace timers).

The tracker counts each agent's open sockets: in this process's memory for one server, in Redis
when several processes serve (an agent's two tabs may sit on two processes; closing one must not
set them away). When the last one closes and none comes back within a grace period (a page
navigation reconnects within a second), an online agent becomes away; their next socket (or
activity after idle) brings them back online, but only if it was the tracker that set them away.

In Redis each socket is a member of the agent's sorted set, scored with the time its lease ends;
the process that holds it renews the lease, so the sockets of a process killed with SIGKILL stop
counting after ``LEASE_SECONDS``.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import secrets
import time
from typing import Any, Protocol

from fastapi import FastAPI

from omnidesk.domains.routing.presence.actions import do_move_presence

log = logging.getLogger("omnidesk.realtime.presence")
GRACE_SECONDS = 20.0
LEASE_SECONDS = 60.0


class SocketCounts(Protocol):
    """Where open agent sockets and automatic aways are counted."""

    async def opened(self, user_id: int) -> None:
        """Count one more socket of the agent."""
        ...

    async def closed(self, user_id: int) -> None:
        """Uncount one of the agent's sockets (of this process)."""
        ...

    async def open_count(self, user_id: int) -> int:
        """Return how many sockets the agent has open (on every process)."""
        ...

    async def set_auto_away(self, user_id: int, value: bool) -> None:
        """Remember (or forget) that the tracker set this agent away."""
        ...

    async def take_auto_away(self, user_id: int) -> bool:
        """Forget the automatic away; tell whether there was one (one taker wins)."""
        ...


class LocalSocketCounts:
    """Counts in this process (one server, `make run`)."""

    def __init__(self) -> None:
        self.sockets: dict[int, int] = {}
        self.auto_away: set[int] = set()

    async def opened(self, user_id: int) -> None:
        """Count one more socket of the agent."""
        self.sockets[user_id] = self.sockets.get(user_id, 0) + 1

    async def closed(self, user_id: int) -> None:
        """Uncount one of the agent's sockets."""
        self.sockets[user_id] = max(self.sockets.get(user_id, 0) - 1, 0)

    async def open_count(self, user_id: int) -> int:
        """Return how many sockets the agent has open."""
        return self.sockets.get(user_id, 0)

    async def set_auto_away(self, user_id: int, value: bool) -> None:
        """Remember (or forget) that the tracker set this agent away."""
        (self.auto_away.add if value else self.auto_away.discard)(user_id)

    async def take_auto_away(self, user_id: int) -> bool:
        """Forget the automatic away; tell whether there was one."""
        had = user_id in self.auto_away
        self.auto_away.discard(user_id)
        return had


class RedisSocketCounts:
    """Counts shared by every process in Redis, each socket leased (see the module note)."""

    def __init__(self, redis: Any, *, prefix: str, lease_seconds: float = LEASE_SECONDS) -> None:
        self.redis, self.lease_seconds = redis, lease_seconds
        self.prefix = f"{prefix}presence:"
        self.process = f"{os.getpid()}-{secrets.token_hex(4)}"
        self.mine: dict[int, list[str]] = {}  # this process's sockets per agent
        self.numbers = itertools.count()
        self.renewing: asyncio.Task[None] | None = None

    def _key(self, user_id: int) -> str:
        return f"{self.prefix}sockets:{user_id}"

    async def opened(self, user_id: int) -> None:
        """Lease one more socket of the agent in Redis and keep renewing it."""
        member = f"{self.process}:{next(self.numbers)}"
        self.mine.setdefault(user_id, []).append(member)
        await self.redis.zadd(self._key(user_id), {member: time.time() + self.lease_seconds})
        await self.redis.pexpire(self._key(user_id), int(self.lease_seconds * 2000))
        if self.renewing is None or self.renewing.done():
            self.renewing = asyncio.create_task(self._renew(), name="presence-lease")

    async def closed(self, user_id: int) -> None:
        """Drop one of this process's sockets of the agent."""
        members = self.mine.get(user_id) or []
        if members:
            member = members.pop()
            if not members:
                self.mine.pop(user_id, None)
            await self.redis.zrem(self._key(user_id), member)

    async def open_count(self, user_id: int) -> int:
        """Return how many leased sockets the agent has on every process."""
        return int(await self.redis.zcount(self._key(user_id), time.time(), "+inf"))

    async def set_auto_away(self, user_id: int, value: bool) -> None:
        """Remember (or forget) that a tracker set this agent away."""
        key = f"{self.prefix}auto_away"
        await (self.redis.sadd(key, user_id) if value else self.redis.srem(key, user_id))

    async def take_auto_away(self, user_id: int) -> bool:
        """Forget the automatic away; tell whether there was one (SREM: one process wins)."""
        return bool(await self.redis.srem(f"{self.prefix}auto_away", user_id))

    async def _renew(self) -> None:
        while self.mine:
            await asyncio.sleep(self.lease_seconds / 3)
            try:
                pipe = self.redis.pipeline(transaction=False)
                until = time.time() + self.lease_seconds
                for user_id, members in list(self.mine.items()):
                    pipe.zadd(self._key(user_id), dict.fromkeys(members, until))
                    pipe.pexpire(self._key(user_id), int(self.lease_seconds * 2000))
                await pipe.execute()
            except Exception:  # Redis away for a moment: renew on the next round
                log.warning("could not renew agent socket leases", exc_info=True)


class PresenceTracker:
    """Open agent sockets per user, and who was set away automatically."""

    def __init__(self, grace_seconds: float = GRACE_SECONDS,
                 counts: SocketCounts | None = None) -> None:
        self.grace_seconds = grace_seconds
        self.counts: SocketCounts = counts or LocalSocketCounts()
        self.timers: dict[int, asyncio.Task[None]] = {}

    async def connected(self, app: FastAPI, workspace_id: int, user_id: int) -> None:
        """Count a socket; bring back online someone a tracker had set away."""
        await self.counts.opened(user_id)
        timer = self.timers.pop(user_id, None)
        if timer is not None:
            timer.cancel()
        await self.back(app, workspace_id, user_id)

    async def disconnected(self, app: FastAPI, workspace_id: int, user_id: int) -> None:
        """Uncount a socket; after the grace period without one, set an online agent away."""
        await self.counts.closed(user_id)
        if user_id not in self.timers and not await self.counts.open_count(user_id):
            self.timers[user_id] = asyncio.create_task(self._away_later(app, workspace_id, user_id))

    async def _away_later(self, app: FastAPI, workspace_id: int, user_id: int) -> None:
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.sleep(self.grace_seconds)
            self.timers.pop(user_id, None)
            if not await self.counts.open_count(user_id):  # no socket on any process
                await self.away(app, workspace_id, user_id)

    async def away(self, app: FastAPI, workspace_id: int, user_id: int) -> None:
        """Set an online agent away and remember it was automatic."""
        if await change_presence(app, workspace_id, user_id, expected="online", new="away"):
            await self.counts.set_auto_away(user_id, True)

    async def back(self, app: FastAPI, workspace_id: int, user_id: int) -> None:
        """Bring an automatically-away agent back online (a manual away stays)."""
        if await self.counts.take_auto_away(user_id):
            await change_presence(app, workspace_id, user_id, expected="away", new="online")

    async def chose(self, user_id: int) -> None:
        """The agent set their presence themselves: it is not automatic any more."""
        await self.counts.set_auto_away(user_id, False)


async def change_presence(
    app: FastAPI, workspace_id: int, user_id: int, *, expected: str, new: str
) -> bool:
    """Move an agent from one presence to another in its own transaction, if still expected."""
    async with app.state.session_factory() as session:
        moved = await do_move_presence(session, workspace_id=workspace_id, user_id=user_id,
                                       expected=expected, new=new)
        await session.commit()
    return moved


def presence_tracker(app: FastAPI) -> PresenceTracker:
    """Return the app's tracker, created on first use (counting in Redis when configured)."""
    tracker = getattr(app.state, "presence_tracker", None)
    if tracker is None:
        redis = getattr(app.state, "redis", None)
        counts = None if redis is None else RedisSocketCounts(
            redis, prefix=app.state.settings.redis_key_prefix)
        tracker = app.state.presence_tracker = PresenceTracker(counts=counts)
    return tracker
