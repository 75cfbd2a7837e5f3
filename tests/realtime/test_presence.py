"""An agent's sockets are counted across processes: closing a tab on one process does not set
them away while another process holds their other tab, and a killed process's sockets expire."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.routing.presence.actions import do_set_presence
from omnidesk.domains.routing.service import get_agent_state
from omnidesk.realtime.presence import PresenceTracker, RedisSocketCounts
from tests.conftest import Persona
from tests.realtime.test_hub import REDIS_URL, require_redis


@pytest.fixture
async def redis_prefix() -> AsyncIterator[tuple[list[Any], str]]:
    """Redis clients of the test's processes and a prefix of their own."""
    await require_redis()
    clients: list[Any] = []
    yield clients, f"omnidesk:test-{secrets.token_hex(4)}:"
    for client in clients:
        await client.aclose()


def process(clients: list[Any], prefix: str, *, lease: float = 60.0) -> PresenceTracker:
    """One server process's tracker, counting in the shared Redis."""
    from redis import asyncio as aioredis

    clients.append(aioredis.from_url(REDIS_URL, decode_responses=True))
    counts = RedisSocketCounts(clients[-1], prefix=prefix, lease_seconds=lease)
    return PresenceTracker(grace_seconds=0.01, counts=counts)


async def test_tabs_on_two_processes_keep_an_agent_online_until_the_last_closes(
        session: AsyncSession, session_factory: Any, owner: Persona,
        redis_prefix: tuple[list[Any], str]) -> None:
    ws, user_id = owner.workspace_id, owner.agent.user_id or 0
    await do_set_presence(session, workspace_id=ws, user_id=user_id, presence="online")
    await session.commit()
    app: Any = SimpleNamespace(state=SimpleNamespace(session_factory=session_factory))
    a, b = process(*redis_prefix), process(*redis_prefix)

    async def presence() -> str:
        state = await get_agent_state(session, workspace_id=ws, user_id=user_id)
        shown = state.presence if state else "none"
        await session.rollback()  # the next read sees what another process committed
        return shown

    await a.connected(app, ws, user_id)
    await b.connected(app, ws, user_id)
    await a.disconnected(app, ws, user_id)
    assert user_id not in a.timers  # the tab on process B is still open
    await asyncio.sleep(0.05)
    assert await presence() == "online"
    await b.disconnected(app, ws, user_id)
    await b.timers[user_id]
    assert await presence() == "away"
    await a.connected(app, ws, user_id)  # process A brings back the away process B set
    assert await presence() == "online"
    await a.disconnected(app, ws, user_id)
    await a.timers[user_id]
    await b.chose(user_id)  # a manual choice on any process is not automatic any more
    await a.connected(app, ws, user_id)
    assert await presence() == "away"


async def test_the_sockets_of_a_killed_process_stop_counting_after_their_lease(
        redis_prefix: tuple[list[Any], str]) -> None:
    killed, alive = process(*redis_prefix, lease=0.3), process(*redis_prefix, lease=0.3)
    counts = killed.counts
    assert isinstance(counts, RedisSocketCounts)
    await counts.opened(42)
    await alive.counts.opened(42)
    assert await alive.counts.open_count(42) == 2
    assert counts.renewing is not None
    counts.renewing.cancel()  # SIGKILL: no close, no renewal
    await asyncio.sleep(0.6)  # the live process renewed its own lease meanwhile
    assert await alive.counts.open_count(42) == 1
