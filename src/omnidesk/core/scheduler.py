"""Periodic work through the outbox: each due schedule emits one `schedule.fired` event.

Schedules are claimed with a conditional UPDATE on their row, so with several dispatcher
processes each period fires once; the work itself runs as an ordinary subscriber with retries
and a dead-letter state.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import String, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.core.db import Base, rowcount, utcnow
from omnidesk.core.events import ScheduleFired, emit


class ScheduleState(Base):
    """When a named schedule fires next."""

    __tablename__ = "schedule_states"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    next_run_at: Mapped[dt.datetime]
    last_run_at: Mapped[dt.datetime | None]


@dataclass(frozen=True)
class Schedule:
    """Emit `schedule.fired` for `name` every `every_seconds`."""

    name: str
    every_seconds: float


async def fire_due_schedules(
    session_factory: async_sessionmaker[AsyncSession], schedules: list[Schedule]
) -> int:
    """Emit the event of every schedule whose time has come; return how many fired."""
    fired = 0
    for schedule in schedules:
        async with session_factory() as session:
            if await _claim(session, schedule):
                emit(session, ScheduleFired(schedule=schedule.name), workspace_id=None)
                await session.commit()
                fired += 1
    return fired


async def _claim(session: AsyncSession, schedule: Schedule) -> bool:
    now = utcnow()
    state = await session.scalar(select(ScheduleState).where(ScheduleState.name == schedule.name))
    if state is None:
        session.add(ScheduleState(name=schedule.name, next_run_at=now))
        try:
            await session.commit()
        except IntegrityError:
            await session.rollback()
    result = await session.execute(
        update(ScheduleState)
        .where(ScheduleState.name == schedule.name, ScheduleState.next_run_at <= now)
        .values(next_run_at=now + dt.timedelta(seconds=schedule.every_seconds), last_run_at=now)
    )
    return rowcount(result) == 1
