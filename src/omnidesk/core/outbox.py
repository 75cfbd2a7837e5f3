"""Operator view of the outbox: list deliveries by state, replay dead letters, measure the lag."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import utcnow
from omnidesk.core.errors import InvalidInput, NotFound
from omnidesk.core.events import DEAD, PENDING, EventDelivery, OutboxEvent


async def list_deliveries(
    session: AsyncSession, *, status: str, workspace_id: int | None = None, limit: int = 100
) -> list[tuple[EventDelivery, str]]:
    """Return (delivery, event name) pairs in a state, newest first."""
    query = (
        select(EventDelivery, OutboxEvent.name)
        .join(OutboxEvent, OutboxEvent.id == EventDelivery.event_id)
        .where(EventDelivery.status == status)
    )
    if workspace_id is not None:
        query = query.where(EventDelivery.workspace_id == workspace_id)
    rows = await session.execute(query.order_by(EventDelivery.id.desc()).limit(limit))
    return [(delivery, name) for delivery, name in rows.all()]


async def do_replay_delivery(
    session: AsyncSession, *, delivery_id: int, workspace_id: int | None = None
) -> tuple[EventDelivery, str]:
    """Queue a dead-lettered delivery again with a fresh attempt budget."""
    query = select(EventDelivery, OutboxEvent.name).join(
        OutboxEvent, OutboxEvent.id == EventDelivery.event_id
    ).where(EventDelivery.id == delivery_id)
    if workspace_id is not None:
        query = query.where(EventDelivery.workspace_id == workspace_id)
    found = (await session.execute(query)).first()
    if found is None:
        raise NotFound("delivery not found")
    delivery, name = found
    if delivery.status != DEAD:
        raise InvalidInput(f"only dead-lettered deliveries can be replayed (this one is "
                           f"{delivery.status})")
    delivery.status, delivery.attempts, delivery.next_attempt_at = PENDING, 0, utcnow()
    delivery.locked_until = delivery.done_at = None
    session.info["outbox_dirty"] = True
    return delivery, name


async def outbox_lag_seconds(session: AsyncSession) -> float:
    """Return how long the oldest due work has waited: an event not fanned out yet, or a
    pending delivery's first attempt past its time (0 when nothing is due). Two index reads.

    Retries do not count: a delivery waiting to try a provider again (a channel that is down,
    an unreachable webhook) says nothing about whether the dispatcher keeps up, and counting it
    refused every customer's message while one provider was failing."""
    oldest_event = await session.scalar(
        select(OutboxEvent.created_at).where(OutboxEvent.fanned_out.is_(False))
        .order_by(OutboxEvent.id).limit(1))
    oldest_due = await session.scalar(
        select(func.min(EventDelivery.next_attempt_at)).where(EventDelivery.status == PENDING,
                                                              EventDelivery.attempts == 0))
    now = utcnow()
    waits = [(now - at).total_seconds() for at in (oldest_event, oldest_due) if at is not None]
    return max([0.0, *waits])


async def live_backlog(session: AsyncSession, live_names: Collection[str], *,
                       cap: int = 10_000) -> int:
    """Return how much screen work waits: events not fanned out yet and due first attempts of
    the live subscribers (intake jobs, screens' pushes), counted up to ``cap``. Under
    overload the requests and the live lane share one event loop: the count tells, before the
    wait has grown to seconds, that the screens are falling behind."""
    waiting = [select(OutboxEvent.id).where(OutboxEvent.fanned_out.is_(False))]
    if live_names:
        waiting.append(select(EventDelivery.id).where(
            EventDelivery.status == PENDING, EventDelivery.attempts == 0,
            EventDelivery.next_attempt_at <= utcnow(),
            EventDelivery.subscriber.in_(sorted(live_names))))
    count = 0
    for rows in waiting:
        count += int(await session.scalar(
            select(func.count()).select_from(rows.limit(cap).subquery())) or 0)
    return min(count, cap)
