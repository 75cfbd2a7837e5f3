"""A running dispatcher processes one sender's provider events in order and others beside them."""

from __future__ import annotations

from omnidesk.app.bootstrap import build_runtime
from omnidesk.channels.actions import sender_partition
from omnidesk.channels.base import WebhookEvent
from omnidesk.config import Settings
from omnidesk.core.dispatcher import DEFAULT_CONCURRENCY, partition_of
from omnidesk.domains.conversations.schemas import DeliveryUpdate, InboundMessage


def _said(who: str, text: str = "hi") -> WebhookEvent:
    return WebhookEvent(dedupe_key=f"{who}:{text}", kind="message", inbound=InboundMessage(
        channel="line", identity_kind="line", identity_value=who, text=text))


def test_one_senders_events_share_a_partition_and_name_nobody() -> None:
    first, second = sender_partition(_said("U1", "hello")), sender_partition(_said("U1", "again"))
    assert first == second and first is not None
    others = {sender_partition(_said(f"U{n}")) for n in range(2, 40)}
    assert len(others) > 30  # different senders spread over partitions
    assert all(isinstance(p, int) and p < 1 << 16 for p in others)  # a bucket, not the handle
    statuses = [WebhookEvent(dedupe_key=f"s{n}", kind="status", delivery=DeliveryUpdate(
        channel="line", provider_message_id="m-7", status=status))
        for n, status in enumerate(("sent", "delivered", "read"))]
    assert len({sender_partition(e) for e in statuses}) == 1  # one sent message's statuses
    assert sender_partition(WebhookEvent(dedupe_key="x", kind="follow")) is None


def test_an_events_partition_is_its_conversation_else_its_sender_else_shared() -> None:
    assert partition_of({"conversation_id": 7, "message_id": 3}) == "conversation:7"
    assert partition_of({"inbound_event_id": 1, "partition": 12}) == "partition:12"
    assert partition_of({"report": "daily"}) == partition_of({"partition": None}) == ""


async def test_the_dispatcher_runs_deliveries_side_by_side_on_postgresql_only() -> None:
    for url, expected in (("sqlite+aiosqlite:///:memory:", 1),
                          ("postgresql+asyncpg://postgres@127.0.0.1:5432/unused",
                           DEFAULT_CONCURRENCY)):
        runtime = build_runtime(Settings(database_url=url))
        try:
            assert runtime.dispatcher.config.concurrency == expected, url
        finally:
            await runtime.dispose()
    runtime = build_runtime(Settings(database_url="sqlite+aiosqlite:///:memory:",
                                     dispatcher_concurrency=3))
    try:
        assert runtime.dispatcher.config.concurrency == 3
    finally:
        await runtime.dispose()
