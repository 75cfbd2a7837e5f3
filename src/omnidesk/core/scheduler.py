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
    session_factory: async_sessionmaker[AsyncSession], schedules: list[Schedule],
    next_runs: dict[str, dt.datetime] | None = None,
) -> int:
    """Emit the event of every schedule whose time has come; return how many fired.

    ``next_runs`` (kept by the caller across passes) remembers when each schedule is due next,
    so a dispatcher pass between due times asks the database nothing; the conditional UPDATE
    still decides which process fires.
    """
    fired = 0
    for schedule in schedules:
        if next_runs is not None and next_runs.get(schedule.name, utcnow()) > utcnow():
            continue
        async with session_factory() as session:
            claimed, next_run = await _claim(session, schedule)
            if claimed:
                emit(session, ScheduleFired(schedule=schedule.name), workspace_id=None)
                await session.commit()
                fired += 1
        if next_runs is not None:
            next_runs[schedule.name] = next_run
    return fired


async def _claim(session: AsyncSession, schedule: Schedule) -> tuple[bool, dt.datetime]:
    """Take this period of the schedule if it is due; return whether, and when it is due next."""
    now = utcnow()
    state = await session.scalar(select(ScheduleState).where(ScheduleState.name == schedule.name))
    if state is None:
        session.add(ScheduleState(name=schedule.name, next_run_at=now))
        try:
            await session.commit()
        except IntegrityError:
            await session.rollback()
    following = now + dt.timedelta(seconds=schedule.every_seconds)
    result = await session.execute(
        update(ScheduleState)
        .where(ScheduleState.name == schedule.name, ScheduleState.next_run_at <= now)
        .values(next_run_at=following, last_run_at=now)
    )
    if rowcount(result) == 1:
        return True, following
    return False, state.next_run_at if state is not None else now
