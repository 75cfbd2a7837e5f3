"""The /reports pages: KPI tiles against the previous period, charts, heatmap, surveys, bot,
goals and staffing, with filters, drill-downs to the conversations and CSV links.

Everything comes from the analytics domain (`reports`, `tables`, `goals`, `staffing`); this
module only gathers it and names the slices (channel, inbox, team and agent names).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.manifests import KINDS, channel_name
from omnidesk.core.db import utcnow
from omnidesk.core.errors import DomainError
from omnidesk.core.http import SessionDep
from omnidesk.domains.agents.service import list_teams, list_users
from omnidesk.domains.analytics import tables
from omnidesk.domains.analytics.actions import check_create_goal
from omnidesk.domains.analytics.goals import GOAL_METRICS, goal_progress, list_goals
from omnidesk.domains.analytics.query import ReportScope, access_report
from omnidesk.domains.analytics.reports import backlog, kpis
from omnidesk.domains.analytics.retention import retention
from omnidesk.domains.analytics.schemas import DrillQuery, GoalCreate, ReportQuery
from omnidesk.domains.analytics.staffing import (
    StaffingGoal,
    agents_online,
    online_history,
    staffing_plan,
)
from omnidesk.domains.feedback.service import AnswerFilter, access_answers
from omnidesk.domains.inboxes.service import inbox_names
from omnidesk.domains.workspaces.service import workspace_calendar
from omnidesk.web.deps import (
    AgentPage,
    agent_page,
    csrf_failed,
    forbidden,
    login_redirect,
    render,
)
from omnidesk.web.i18n import translate
from omnidesk.web.settings_forms import reset
from omnidesk.web.supervisor import wait_label

router = APIRouter(include_in_schema=False)
SUPERVISOR_ROLES = ("supervisor", "admin")
TILES = (  # key, drill-down, better when higher
    ("conversations", "all", None), ("first_response_business_seconds_median", "all", False),
    ("resolution_business_seconds_median", "resolved", False), ("fcr_rate", "not_fcr", True),
    ("reopen_rate", "reopened", False), ("sla_attainment", "sla_missed", True),
    ("csat_average", "csat_low", True), ("nps", "nps_detractor", True),
    ("ces_average", "ces", True), ("handoff_rate", "handoff", False),
    ("self_service_confirmed_rate", "self_service_confirmed", True),
    ("self_service_assumed_rate", "self_service_assumed", True),
    ("agent_occupancy", "all", None),  # time, not conversations: no better direction
)
QueryDep = Annotated[ReportQuery, Query()]
HEAT_FIELDS = {"volume": "conversations", "first_response": "first_response_seconds_average"}
CHART_LABELS = (  # words the charts draw (translated for reports.js)
    "Conversations", "Resolved", "First response, business minutes (average)", "FCR %",
    "Recommended agents", "Conversations needing a person per hour", "Confirmed by the customer",
    "Assumed (no recontact in 72 h)", "Handed to people", "Other", "Answers",
    "Agents online (average of the last 4 weeks)",
)


def is_share(key: str) -> bool:
    """Tell whether a KPI is a share (0–1), shown and typed as a percentage."""
    return key.endswith("_rate") or key in ("sla_attainment", "agent_occupancy")


def target_unit(metric: str) -> tuple[str, float]:
    """Return the unit a goal's target is typed in (as the tiles show the metric: %, minutes
    or as is) and what one of it is in the stored unit (0–1 shares, seconds)."""
    if is_share(metric):
        return "percent", 0.01
    if "seconds" in metric:
        return "minutes", 60.0
    return "", 1.0


def fmt(key: str, value: Any) -> str:
    """Format a KPI value for a tile: durations, percentages, averages, counts."""
    if value is None:
        return "—"
    if "seconds" in key:
        return wait_label(float(value))
    if is_share(key):
        return f"{float(value) * 100:.1f}%"
    if key == "nps":
        return f"{float(value):+.0f}"
    if key.endswith("_average") or key == "replies_per_resolution":
        return f"{float(value):.2f}"
    return f"{int(value):,}"


def delta_class(now: Any, before: Any, higher: bool | None) -> str:
    """Name how a value moved against the previous period: better, worse or flat."""
    if now is None or before is None or higher is None or now == before:
        return "flat"
    return "better" if (now > before) == higher else "worse"


def page_helpers(names_: dict[str, dict[str, str]], locale: str,
                 heat: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the template's formatting helpers for one page."""
    tops = {mode: max((cell[field] or 0 for cell in heat), default=0) or 1
            for mode, field in HEAT_FIELDS.items()}

    def heat_level(mode: str, value: float | None) -> int:
        return min(10, 1 + int(9 * value / tops[mode])) if value else 0
    days = {"ko": "월화수목금토일", "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]}

    def group_name(by: str, key: str) -> str:
        return names_.get(by, {}).get(key, key) or "—"

    return {"fmt": fmt, "delta_class": delta_class, "group_name": group_name,
            "by_field": lambda by: {"inbox": "inbox_id", "team": "team_id",
                                    "agent": "agent_id"}.get(by, by),
            "heat": heat, "heat_level": heat_level,
            "short_minutes": lambda s: "" if s is None else f"{s / 60:.0f}",
            "weekday_name": lambda day: days["ko" if locale == "ko" else "en"][day]}


async def names(session: AsyncSession, page: AgentPage) -> dict[str, dict[str, str]]:
    """Return display names per slice: channel, inbox, team and agent."""
    ws = page.actor.workspace_id
    return {
        "channel": {kind: channel_name(kind, page.locale) for kind in KINDS},
        "inbox": {str(k): v for k, v in (await inbox_names(session, workspace_id=ws)).items()},
        "team": {str(t.id): t.name for t in await list_teams(session, workspace_id=ws)},
        "agent": {str(u.id): u.name for u in await list_users(session, workspace_id=ws)},
    }


def query_string(scope: ReportScope, **extra: Any) -> str:
    """Return the filters of a report as a query string (for drill-down and CSV links)."""
    flt = scope.flt
    values = {"from": scope.first.isoformat(), "to": scope.last.isoformat(),
              "channel": flt.channel, "inbox_id": flt.inbox_id, "team_id": flt.team_id,
              "agent_id": flt.agent_id, "intent": flt.intent, "language": flt.language, **extra}
    return urlencode({k: v for k, v in values.items() if v is not None})


async def _scope(request: Request, session: AsyncSession,
                 query: ReportQuery) -> tuple[AgentPage, ReportScope] | Response:
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    try:
        return page, await access_report(session, actor=page.actor, query=query)
    except DomainError as exc:
        return HTMLResponse(exc.message, status_code=exc.status)


@router.get("/reports", response_class=HTMLResponse)
async def reports_page(request: Request, session: SessionDep, query: QueryDep) -> Response:
    """Show the reports of a period: tiles, charts, heatmap, surveys, bot, goals, staffing."""
    found = await _scope(request, session, query)
    if isinstance(found, Response):
        return found
    return await _show(request, session, *found)


async def _show(request: Request, session: AsyncSession, page: AgentPage, scope: ReportScope,
                status: int = 200, goal_form: dict[str, Any] | None = None) -> Response:
    ws, flt, by = page.actor.workspace_id, scope.flt, scope.by or "channel"
    current = (await kpis(session, workspace_id=ws, flt=flt))[""]
    previous = (await kpis(session, workspace_id=ws, flt=flt.previous()))[""]
    groups = await kpis(session, workspace_id=ws, flt=flt, by=by)
    supervisor = page.user.role in SUPERVISOR_ROLES
    slices = await names(session, page)
    data: dict[str, Any] = {
        "series": await tables.daily_series(session, workspace_id=ws, flt=flt,
                                            calendar=scope.calendar),
        "groups": [{"key": k, **v} for k, v in groups.items()],
        "heatmap": await tables.heatmap(session, workspace_id=ws, flt=flt,
                                        calendar=scope.calendar),
        "surveys": await tables.survey_distribution(session, workspace_id=ws, flt=flt),
        "current": current,
        "staffing": await _staffing(session, page) if supervisor else None,
    }
    answers, _cursor = await access_answers(session, actor=page.actor, flt=AnswerFilter(
        since=flt.since, until=flt.until), limit=50)
    workspace_goals = await list_goals(session, workspace_id=ws)
    today = utcnow().astimezone(scope.calendar.tz).date()
    labels = {name: translate(page.locale, name) for name in CHART_LABELS}
    labels.update({f"group:{g['key']}": page_helpers(slices, page.locale, [])["group_name"](
        by, g["key"]) for g in data["groups"]})
    links = {"drill": "/reports/conversations?" + query_string(scope),
             "days": "/reports/conversations?" + query_string(scope, **{"from": None, "to": None}),
             "by_field": page_helpers(slices, page.locale, [])["by_field"](by)}
    return render(
        request, page, "reports/page.html", status_code=status, scope=scope, by=by,
        current=current, goal_form=goal_form or {"values": {}},
        goal_metrics=[(m, target_unit(m)[0]) for m in GOAL_METRICS],
        links_json=json.dumps(links, ensure_ascii=False),
        labels_json=json.dumps(labels, ensure_ascii=False),
        **page_helpers(slices, page.locale, data["heatmap"]),
        previous=previous, tiles=TILES, backlog=await backlog(session, workspace_id=ws,
                                                              now=utcnow()),
        names=slices, data_json=json.dumps(data, ensure_ascii=False),
        groups=data["groups"], comments=[a for a in answers if a.comment][:12],
        bot=await tables.bot_report(session, workspace_id=ws, flt=flt),
        retention=await retention(session, workspace_id=ws, flt=flt, now=utcnow()),
        goals=[await goal_progress(session, goal=g, calendar=scope.calendar, today=today)
               for g in workspace_goals],
        staffing=data["staffing"], supervisor=supervisor, qs=query_string(scope),
        query_string=lambda **extra: query_string(scope, **extra))


@router.post("/reports/goals", response_class=HTMLResponse)
async def add_goal(request: Request, session: SessionDep, query: QueryDep) -> Response:
    """Add a goal from the form on /reports (supervisors and admins), owned by who adds it;
    the target is typed as the tiles show the metric (%, minutes)."""
    found = await _scope(request, session, query)
    if isinstance(found, Response):
        return found
    page, scope = found
    raw = await request.form()
    token = raw.get("csrf")
    if (denied := csrf_failed(request, token if isinstance(token, str) else None)) is not None:
        return denied
    if page.user.role not in SUPERVISOR_ROLES:
        return forbidden(request, page, "Only supervisors and admins can add goals.")
    values = {k: v.strip() for k, v in raw.items() if isinstance(v, str) and k != "csrf"}
    metric = values.get("metric", "")
    scope_kind, _, scope_id = values.get("scope", "workspace").partition(":")
    try:
        target = float(values.get("target", "").replace(",", "."))
        goal_in = GoalCreate(name=values.get("name", ""), metric=metric,
                             target=target * target_unit(metric)[1],
                             period=values.get("period", "month"),
                             scope=scope_kind,
                             scope_id=int(scope_id) if scope_id.isdigit() else None,
                             owner_id=page.user.id)
        await check_create_goal(session, actor=page.actor, goal_in=goal_in)
    except (ValueError, ValidationError, DomainError) as exc:
        await reset(session, page)
        if isinstance(exc, DomainError):
            message, status = translate(page.locale, exc.message), exc.status
        else:
            message, status = translate(page.locale, "Check the goal: a name and a number "
                                                     "for the target."), 422
        return await _show(request, session, page, scope, status=status,
                           goal_form={"values": values, "error": message})
    await session.commit()
    return RedirectResponse("/reports?" + query_string(scope) + "#goals", status_code=303)


async def _staffing(session: AsyncSession, page: AgentPage) -> dict[str, Any]:
    """Recommend agents per hour of the week beside the agents online now and on average."""
    online, capacity = await agents_online(session, workspace_id=page.actor.workspace_id)
    plans = await staffing_plan(session, workspace_id=page.actor.workspace_id,
                                calendar=workspace_calendar(page.workspace), now=utcnow(),
                                goal=StaffingGoal(concurrency=capacity))
    history = await online_history(session, workspace_id=page.actor.workspace_id,
                                   calendar=workspace_calendar(page.workspace), now=utcnow())
    now = utcnow().astimezone(workspace_calendar(page.workspace).tz)
    current = plans[now.weekday() * 24 + now.hour]
    return {"online_now": online, "concurrency": capacity, "now": current.hour_of_week,
            "recommended_now": current.agents,
            "hours": [{"agents": p.agents, "arrivals": p.arrivals_per_hour, "online": seen}
                      for p, seen in zip(plans, history, strict=True)]}


@router.get("/reports/conversations", response_class=HTMLResponse)
async def drill_down_page(request: Request, session: SessionDep, query: QueryDep,
                          drill: Annotated[DrillQuery, Query()],
                          key: Annotated[str | None, Query(max_length=80)] = None) -> Response:
    """List the conversations behind a number."""
    found = await _scope(request, session, query)
    if isinstance(found, Response):
        return found
    page, scope = found
    try:
        rows = await tables.drill_down(session, workspace_id=page.actor.workspace_id,
                                       flt=scope.flt, drill=tables.Drill(**drill.model_dump()))
    except DomainError as exc:
        return HTMLResponse(exc.message, status_code=exc.status)
    only = drill.only
    extra = {k: v for k, v in drill.model_dump().items() if k != "only" and v is not None}
    title = drill_title(drill, page.locale)
    for row in rows:  # shown in the workspace's time zone
        row["opened"] = dt.datetime.fromisoformat(row["created_at"]).astimezone(
            scope.calendar.tz).strftime("%Y-%m-%d %H:%M")
    return render(request, page, "reports/conversations.html", rows=rows, only=only,
                  scope=scope, names=await names(session, page), qs=query_string(scope),
                  drill_qs=query_string(scope, only=only, **extra), key=key, fmt=fmt,
                  title=title)


def drill_title(drill: DrillQuery, locale: str) -> str:
    """Name the conversations a drill-down lists: the number, and the cell or row clicked."""
    kind, _, score = drill.only.partition("_")
    words = [f"{kind.upper()} {score}" if kind in {"csat", "nps", "ces"} and score.isdigit()
             else translate(locale, "drill:" + drill.only)]
    if drill.hour_of_week is not None:
        day = page_helpers({}, locale, [])["weekday_name"](drill.hour_of_week // 24)
        words.append(f"{day} {drill.hour_of_week % 24}:00")
    if drill.handoff_reason:
        words.append(translate(locale, "reason:" + drill.handoff_reason))
    if drill.bot_article:
        words.append(drill.bot_article.rsplit("/", 1)[-1])
    return " · ".join(words)


@router.get("/reports/goals", response_class=HTMLResponse)
async def goals_partial(request: Request, session: SessionDep) -> Response:
    """Render the goals alone (the supervisor board loads them)."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    calendar = workspace_calendar(page.workspace)
    today = utcnow().astimezone(calendar.tz).date()
    goals = [await goal_progress(session, goal=g, calendar=calendar, today=today)
             for g in await list_goals(session, workspace_id=page.actor.workspace_id)]
    return render(request, page, "reports/_goals_panel.html", goals=goals, fmt=fmt)
