"""The hub numbers events per client, resumes after a reconnect and fans out through Redis."""

from __future__ import annotations

import asyncio
import os

import pytest

from omnidesk.config import Settings
from omnidesk.realtime.broker import LocalBroker, RedisBroker
from omnidesk.realtime.hub import Hub

REDIS_URL = os.environ.get("OMNIDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


async def test_a_client_resumes_from_its_last_event_id_and_gets_only_what_it_missed() -> None:
    hub = Hub(LocalBroker())
    await hub.start()
    queue, missed = hub.attach("user:1", {"ws:1:agents"}, None, 0)
    assert missed is None
    for n in range(3):
        await hub.publish("ws:1:agents", "message.created", {"n": n})
    await hub.publish("ws:2:agents", "message.created", {"n": 99})
    hub.detach(queue)
    again, missed = hub.attach("user:1", {"ws:1:agents"}, queue.id, 1)
    assert again is queue
    assert [(e["id"], e["data"]["n"]) for e in missed or []] == [(2, 1), (3, 2)]


async def test_a_queue_cannot_be_taken_over_by_another_principal_or_resumed_past_a_gap() -> None:
    hub = Hub(LocalBroker())
    await hub.start()
    queue, _ = hub.attach("visitor:1", {"t"}, None, 0)
    other, missed = hub.attach("visitor:2", {"t"}, queue.id, 0)
    assert other is not queue and missed is None
    for n in range(600):
        queue.push("x", {"n": n})
    assert queue.since(10) is None
    assert len(queue.since(599) or []) == 1


async def test_only_queues_nobody_is_connected_to_expire_and_a_resumed_one_is_kept() -> None:
    hub = Hub(LocalBroker())
    await hub.start()
    left, _ = hub.attach("user:1", {"t"}, None, 0)
    back, _ = hub.attach("user:2", {"t"}, None, 0)
    twice, _ = hub.attach("user:3", {"t"}, None, 0)
    again, _ = hub.attach("user:3", {"t"}, twice.id, 0)  # a second tab on the same queue
    assert again is twice
    connected, _ = hub.attach("user:4", {"t"}, None, 0)
    for queue in (left, back, twice):
        hub.detach(queue)
    assert hub.attach("user:2", {"t"}, back.id, 0)[0] is back  # came back before expiry
    hub.expire(ttl=0)
    assert set(hub.queues) == {back.id, twice.id, connected.id}
    assert hub.by_topic["t"] == {back.id, twice.id, connected.id}
    hub.detach(twice)
    hub.expire(ttl=0)
    await hub.publish("t", "message.created", {"n": 1})
    assert set(hub.queues) == {back.id, connected.id}
    assert [e["data"] for e in connected.events] == [{"n": 1}]
    assert hub.attach("user:1", {"t"}, left.id, 0)[1] is None  # gone: reload from the database


async def require_redis() -> None:
    """Skip unless the test Redis answers."""
    redis = pytest.importorskip("redis.asyncio")
    try:
        await redis.from_url(REDIS_URL).ping()
    except OSError as exc:
        pytest.skip(f"Redis not reachable: {exc}")


async def test_events_published_on_one_process_reach_a_client_on_another_through_redis() -> None:
    await require_redis()
    sender, receiver = Hub(RedisBroker(REDIS_URL)), Hub(RedisBroker(REDIS_URL))
    await sender.start()
    await receiver.start()
    try:
        queue, _ = receiver.attach("user:7", {"ws:9:agents"}, None, 0)
        await sender.publish("ws:9:agents", "conversation.changed", {"conversation_id": 5})
        await asyncio.wait_for(queue.signal.wait(), timeout=5)
        assert [e["data"] for e in queue.events] == [{"conversation_id": 5}]
    finally:
        await sender.stop()
        await receiver.stop()


async def test_deployments_sharing_one_redis_do_not_see_each_others_events() -> None:
    await require_redis()
    shop_a = Settings(database_url="postgresql+asyncpg://db.internal/shop_a")
    shop_b = Settings(database_url="postgresql+asyncpg://db.internal/shop_b")
    prefixes = shop_a.realtime_channel_prefix, shop_b.realtime_channel_prefix
    assert prefixes == ("omnidesk:shop_a:rt:", "omnidesk:shop_b:rt:")
    a_sender, a_receiver, b_receiver = (Hub(RedisBroker(REDIS_URL, prefix=p))
                                        for p in (*prefixes[:1], *prefixes))
    hubs = (a_sender, a_receiver, b_receiver)
    for hub in hubs:
        await hub.start()
    try:
        mine, _ = a_receiver.attach("user:1", {"ws:1:agents"}, None, 0)
        theirs, _ = b_receiver.attach("user:1", {"ws:1:agents"}, None, 0)
        await a_sender.publish("ws:1:agents", "message.created", {"text": "shop a only"})
        await asyncio.wait_for(mine.signal.wait(), timeout=5)
        await b_receiver.publish("ws:1:agents", "message.created", {"text": "shop b only"})
        await asyncio.wait_for(theirs.signal.wait(), timeout=5)  # b's own event arrives...
        assert [e["data"]["text"] for e in theirs.events] == ["shop b only"]  # ...a's never did
        assert [e["data"]["text"] for e in mine.events] == ["shop a only"]
    finally:
        for hub in hubs:
            await hub.stop()


def test_the_redis_channel_prefix_is_a_setting_that_refuses_glob_characters() -> None:
    assert Settings(redis_channel_prefix="acme-prod:").realtime_channel_prefix == "acme-prod:"
    assert Settings(database_url="sqlite+aiosqlite:///./var/my db.sqlite"
                    ).realtime_channel_prefix == "omnidesk:./var/my_db.sqlite:rt:"
    with pytest.raises(ValueError):
        Settings(redis_channel_prefix="acme*")
