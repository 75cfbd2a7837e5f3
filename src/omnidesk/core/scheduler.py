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
    still decides which process fires. The schedules that may be due are read in one query and
    fired in one transaction (a fresh dispatcher asked about each of them in turn: two
    statements and a transaction a schedule, a dozen schedules at start).
    """
    now = utcnow()
    asked = [s for s in schedules if next_runs is None or next_runs.get(s.name, now) <= now]
    if not asked:
        return 0
    fired = 0
    seen: dict[str, dt.datetime] = {}
    async with session_factory() as session:
        known = await _next_runs(session, [s.name for s in asked])
        if missing := [s.name for s in asked if s.name not in known]:
            await _create_states(session, missing, now)
        for schedule in asked:
            seen[schedule.name] = known.get(schedule.name, now)
            if seen[schedule.name] <= now:
                claimed, seen[schedule.name] = await _claim(session, schedule, now,
                                                            seen[schedule.name])
                if claimed:
                    emit(session, ScheduleFired(schedule=schedule.name), workspace_id=None)
                    fired += 1
        await session.commit()
    if next_runs is not None:  # once committed: a failed commit fired nothing, so ask again
        next_runs.update(seen)
    return fired


async def _next_runs(session: AsyncSession, names: list[str]) -> dict[str, dt.datetime]:
    """Return when each named schedule is due, as stored (schedules never seen are missing)."""
    rows = await session.execute(select(ScheduleState.name, ScheduleState.next_run_at)
                                 .where(ScheduleState.name.in_(names)))
    return {name: next_run for name, next_run in rows.all()}


async def _create_states(session: AsyncSession, names: list[str], now: dt.datetime) -> None:
    """Store new schedules as due now; another process may store some of them at the same time."""
    session.add_all([ScheduleState(name=name, next_run_at=now) for name in names])
    try:
        await session.commit()
    except IntegrityError:  # another process was first with one: store the rest one by one
        await session.rollback()
        for name in names:
            session.add(ScheduleState(name=name, next_run_at=now))
            try:
                await session.commit()
            except IntegrityError:
                await session.rollback()


async def _claim(session: AsyncSession, schedule: Schedule, now: dt.datetime,
                 seen: dt.datetime) -> tuple[bool, dt.datetime]:
    """Take this period of the schedule if it is still due; return whether, and when it is due
    next (``seen``, when it was read as due, if another process took the period first)."""
    following = now + dt.timedelta(seconds=schedule.every_seconds)
    result = await session.execute(
        update(ScheduleState)
        .where(ScheduleState.name == schedule.name, ScheduleState.next_run_at <= now)
        .values(next_run_at=following, last_run_at=now)
    )
    if rowcount(result) == 1:
        return True, following
    return False, seen
