"""Staffing beside who was really online: presence events replayed per hour of the week."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.events import OutboxEvent
from omnidesk.domains.analytics.staffing import online_history
from omnidesk.domains.workspaces.service import get_workspace, workspace_calendar
from tests.conftest import Persona
from tests.domains.analytics.history import kst

NOW = kst(28, 0)  # Monday 28 December, local midnight: the four weeks from 30 November


def presence(ws: int, user_id: int, state: str, at: dt.datetime) -> OutboxEvent:
    return OutboxEvent(workspace_id=ws, name="agent.presence_changed", created_at=at,
                       payload={"user_id": user_id, "presence": state, "at": at.isoformat()})


async def test_agents_online_per_hour_of_the_week_come_from_presence_events(
        session: AsyncSession, owner: Persona, outsider: Persona) -> None:
    ws = owner.workspace_id
    session.add_all([
        presence(ws, 1, "online", kst(7, 9)), presence(ws, 1, "offline", kst(7, 11)),
        presence(ws, 2, "online", NOW - dt.timedelta(weeks=4, days=1)),  # online throughout
        presence(ws, 3, "away", kst(8, 9)),  # never online
        presence(outsider.workspace_id, 4, "online", kst(7, 9)),  # another workspace
    ])
    await session.commit()
    calendar = workspace_calendar(await get_workspace(session, workspace_id=ws))
    online = await online_history(session, workspace_id=ws, calendar=calendar, now=NOW)
    assert len(online) == 168
    # Agent 2 every hour; agent 1 two Monday hours of one week in four.
    assert (online[9], online[10], online[11], online[0], online[24 + 9]) == (
        1.25, 1.25, 1.0, 1.0, 1.0)
