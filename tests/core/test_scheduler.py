"""Schedules fire through the outbox once per period, however many dispatchers run."""

from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from omnidesk.core.dispatcher import Dispatcher, DispatcherConfig
from omnidesk.core.events import DeliveredEvent, SubscriberRegistry
from omnidesk.core.scheduler import Schedule, fire_due_schedules
from tests.domains.conversations.test_intake_statements import counting

FAST = DispatcherConfig(backoff_base_seconds=0, backoff_cap_seconds=0)


async def test_a_schedule_runs_its_handler_once_per_period_across_dispatchers(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    registry = SubscriberRegistry()
    runs: list[int] = []

    @registry.every(3600, name="hourly_report")
    async def hourly(event: DeliveredEvent, session: AsyncSession) -> None:
        runs.append(event.id)

    dispatchers = [Dispatcher(session_factory, registry, FAST) for _ in range(3)]
    await asyncio.gather(*(d.drain() for d in dispatchers))
    await asyncio.gather(*(d.drain() for d in dispatchers))
    assert len(runs) == 1


async def test_a_schedule_fires_again_when_its_period_has_passed(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    schedules = [Schedule("fast", every_seconds=0)]
    assert await fire_due_schedules(session_factory, schedules) == 1
    assert await fire_due_schedules(session_factory, schedules) == 1
    slow = [Schedule("slow", every_seconds=3600)]
    assert await fire_due_schedules(session_factory, slow) == 1
    assert await fire_due_schedules(session_factory, slow) == 0


async def test_dispatcher_passes_between_due_times_do_not_ask_the_database(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession],
) -> None:
    registry = SubscriberRegistry()
    runs: list[int] = []

    @registry.every(3600, name="hourly_report")
    async def hourly(event: DeliveredEvent, session: AsyncSession) -> None:
        runs.append(event.id)

    dispatcher = Dispatcher(session_factory, registry, FAST)
    await dispatcher.drain()
    with counting(engine) as statements:
        await dispatcher.run_once()
        await dispatcher.run_once()
    assert runs and not [s for s in statements if "schedule_states" in s]
    other = Dispatcher(session_factory, registry, FAST)  # knows nothing yet: asks, fires nothing
    await other.drain()
    assert len(runs) == 1
