"""Turn a report request (local dates and slices) into the filter reports run on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import Actor
from omnidesk.core.db import utcnow
from omnidesk.domains.analytics.reports import ReportFilter, day_filter
from omnidesk.domains.analytics.schemas import ReportQuery
from omnidesk.domains.analytics.tables import scoped_filter
from omnidesk.domains.workspaces.service import Calendar, get_workspace, workspace_calendar

DEFAULT_DAYS = 30


@dataclass(frozen=True)
class ReportScope:
    """A resolved report request: the filter, the calendar, the local dates and the grouping."""

    flt: ReportFilter
    calendar: Calendar
    first: dt.date
    last: dt.date
    by: str | None


async def access_report(session: AsyncSession, *, actor: Actor,
                        query: ReportQuery) -> ReportScope:
    """Resolve a request for an actor: dates in the workspace's zone, an agent's own slice."""
    workspace = await get_workspace(session, workspace_id=actor.workspace_id)
    calendar = workspace_calendar(workspace)
    last = query.date_to or utcnow().astimezone(calendar.tz).date()
    first = query.date_from or last - dt.timedelta(days=DEFAULT_DAYS - 1)
    flt = day_filter(calendar, first, last, channel=query.channel, inbox_id=query.inbox_id,
                     team_id=query.team_id, agent_id=query.agent_id, intent=query.intent,
                     language=query.language)
    return ReportScope(scoped_filter(actor, flt), calendar, first, last, query.by)
