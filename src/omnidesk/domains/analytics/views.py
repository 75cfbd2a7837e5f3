"""Reports API: KPIs, series, heatmap, drill-downs, surveys, the bot page, goals, staffing.

Every table answers JSON, or CSV with ``format=csv``. Supervisors and admins see the whole
workspace; an agent sees their own conversations.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from omnidesk.core.api import ApiRoute
from omnidesk.core.db import utcnow
from omnidesk.core.http import ActorDep, SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.analytics import tables
from omnidesk.domains.analytics.actions import check_create_goal, check_delete_goal
from omnidesk.domains.analytics.goals import goal_progress, list_goals
from omnidesk.domains.analytics.query import access_report
from omnidesk.domains.analytics.reports import backlog, kpis
from omnidesk.domains.analytics.retention import retention
from omnidesk.domains.analytics.schemas import DrillQuery, GoalCreate, GoalRead, ReportQuery
from omnidesk.domains.analytics.staffing import (
    StaffingGoal,
    agents_online,
    online_history,
    staffing_plan,
)
from omnidesk.domains.workspaces.service import get_workspace, workspace_calendar

router = APIRouter(prefix="/api/v1/reports", tags=["reports"], route_class=ApiRoute)
QueryDep = Annotated[ReportQuery, Query()]
Format = Literal["json", "csv"]


def as_csv(rows: list[dict[str, Any]], name: str) -> Response:
    """Answer a table as a CSV download (UTF-8 with a BOM, so spreadsheets read Korean)."""
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


@router.get("/kpis", response_model=None)
async def read_kpis(actor: ActorDep, session: SessionDep, query: QueryDep,
                    format: Format = "json") -> Any:
    """Return the KPIs of the period (and of the period before it), or one row per group."""
    scope = await access_report(session, actor=actor, query=query)
    groups = await kpis(session, workspace_id=actor.workspace_id, flt=scope.flt, by=scope.by)
    head = {"from": scope.first.isoformat(), "to": scope.last.isoformat()}
    if scope.by is not None:
        rows = [{"key": key, **values} for key, values in groups.items()]
        return as_csv(rows, f"kpis-by-{scope.by}") if format == "csv" else {
            **head, "by": scope.by, "groups": rows}
    previous = await kpis(session, workspace_id=actor.workspace_id, flt=scope.flt.previous())
    current = {**groups[""], **await backlog(session, workspace_id=actor.workspace_id,
                                             now=utcnow())}
    kept = await retention(session, workspace_id=actor.workspace_id, flt=scope.flt,
                           now=utcnow())
    current["retention_rate"] = kept["retention_rate"]
    if format == "csv":
        return as_csv([{"kpi": k, "value": v, "previous": previous[""].get(k)}
                       for k, v in current.items()], "kpis")
    return {**head, **current, "retention_by_csat": kept["retention_by_csat"],
            "previous": previous[""]}


@router.get("/series", response_model=None)
async def read_series(actor: ActorDep, session: SessionDep, query: QueryDep,
                      format: Format = "json") -> Any:
    """Return the KPIs of each day of the period."""
    scope = await access_report(session, actor=actor, query=query)
    rows = await tables.daily_series(session, workspace_id=actor.workspace_id, flt=scope.flt,
                                     calendar=scope.calendar)
    return as_csv(rows, "daily") if format == "csv" else rows


@router.get("/heatmap", response_model=None)
async def read_heatmap(actor: ActorDep, session: SessionDep, query: QueryDep,
                       format: Format = "json") -> Any:
    """Return conversations and mean first response per local hour of the week."""
    scope = await access_report(session, actor=actor, query=query)
    rows = await tables.heatmap(session, workspace_id=actor.workspace_id, flt=scope.flt,
                                calendar=scope.calendar)
    return as_csv(rows, "hour-of-week") if format == "csv" else rows


@router.get("/conversations", response_model=None)
async def read_drill_down(actor: ActorDep, session: SessionDep, query: QueryDep,
                          drill: Annotated[DrillQuery, Query()],
                          limit: Annotated[int, Query(ge=1, le=1000)] = 200,
                          format: Format = "json") -> Any:
    """Return the conversations behind a number (``only``: which ones; or a cell, a row)."""
    scope = await access_report(session, actor=actor, query=query)
    rows = await tables.drill_down(session, workspace_id=actor.workspace_id, flt=scope.flt,
                                   drill=tables.Drill(**drill.model_dump()), limit=limit)
    return as_csv(rows, f"conversations-{drill.only}") if format == "csv" else rows


@router.get("/surveys", response_model=None)
async def read_surveys(actor: ActorDep, session: SessionDep, query: QueryDep,
                       format: Format = "json") -> Any:
    """Return the CSAT, NPS and CES score distributions of the period."""
    scope = await access_report(session, actor=actor, query=query)
    found = await tables.survey_distribution(session, workspace_id=actor.workspace_id,
                                             flt=scope.flt)
    if format == "csv":
        return as_csv([{"kind": kind, "score": score, "conversations": n}
                       for kind, counts in found.items() for score, n in counts.items()],
                      "surveys")
    return found


@router.get("/bot", response_model=None)
async def read_bot(actor: ActorDep, session: SessionDep, query: QueryDep,
                   format: Format = "json") -> Any:
    """Return the bot page: intents and reasons it hands off, articles that failed or helped."""
    scope = await access_report(session, actor=actor, query=query)
    found = await tables.bot_report(session, workspace_id=actor.workspace_id, flt=scope.flt)
    if format == "csv":
        return as_csv([{"table": table, **row} for table, rows in found.items()
                       for row in rows], "bot")
    return found


@router.get("/goals", response_model=list[GoalRead])
async def read_goals(actor: ActorDep, session: SessionDep) -> list[GoalRead]:
    """Return the workspace's goals with their progress this period and their trend."""
    workspace = await get_workspace(session, workspace_id=actor.workspace_id)
    calendar = workspace_calendar(workspace)
    today = utcnow().astimezone(calendar.tz).date()
    return [await goal_progress(session, goal=goal, calendar=calendar, today=today)
            for goal in await list_goals(session, workspace_id=actor.workspace_id)]


@router.post("/goals", response_model=GoalRead, status_code=201)
async def create_goal(goal_in: GoalCreate, actor: ActorDep, session: SessionDep) -> GoalRead:
    """Add a goal (supervisors and admins)."""
    goal = await check_create_goal(session, actor=actor, goal_in=goal_in)
    await session.commit()
    workspace = await get_workspace(session, workspace_id=actor.workspace_id)
    calendar = workspace_calendar(workspace)
    return await goal_progress(session, goal=goal, calendar=calendar,
                               today=utcnow().astimezone(calendar.tz).date())


@router.delete("/goals/{goal_id}", status_code=204)
async def delete_goal(goal_id: Id, actor: ActorDep, session: SessionDep) -> Response:
    """Remove a goal (supervisors and admins)."""
    await check_delete_goal(session, actor=actor, goal_id=goal_id)
    await session.commit()
    return Response(status_code=204)


@router.get("/staffing", response_model=None)
async def read_staffing(actor: ActorDep, session: SessionDep,
                        level: Annotated[float, Query(gt=0, lt=1)] = 0.8,
                        target_seconds: Annotated[float, Query(gt=0, le=86400)] = 60.0,
                        concurrency: Annotated[int | None, Query(ge=1, le=20)] = None,
                        format: Format = "json") -> Any:
    """Recommend agents per hour of the week from the workspace's last four weeks (Erlang C)."""
    actor.require("supervisor")
    workspace = await get_workspace(session, workspace_id=actor.workspace_id)
    online, capacity = await agents_online(session, workspace_id=actor.workspace_id)
    goal = StaffingGoal(level, target_seconds, concurrency or capacity)
    plans = await staffing_plan(session, workspace_id=actor.workspace_id,
                                calendar=workspace_calendar(workspace), now=utcnow(), goal=goal)
    online_before = await online_history(session, workspace_id=actor.workspace_id,
                                         calendar=workspace_calendar(workspace), now=utcnow())
    rows = [{**asdict(plan), "agents_online_average": online_before[plan.hour_of_week]}
            for plan in plans]
    if format == "csv":
        return as_csv(rows, "staffing")
    return {"online_now": online, "concurrency": goal.concurrency, "level": level,
            "target_seconds": target_seconds, "hours": rows}
