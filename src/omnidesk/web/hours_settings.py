"""The admins' hours page `/settings/hours`: weekly hours and holidays, per workspace or override.

One page edits the business calendar of the workspace, or the override of one inbox or queue
(`?inbox=` / `?queue=`). It never interprets hours itself: whether it is open, and when that
changes, is asked of the calendar owner (`workspaces.calendar` through the inbox and routing
services); what is saved is validated by the calendar's own schema (`BusinessHours`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import utcnow
from omnidesk.core.errors import DomainError, NotFound
from omnidesk.core.http import SessionDep
from omnidesk.domains.inboxes.actions import check_update_inbox
from omnidesk.domains.inboxes.models import Inbox
from omnidesk.domains.inboxes.schemas import InboxUpdate
from omnidesk.domains.inboxes.service import get_inbox, inbox_calendar, list_inboxes
from omnidesk.domains.routing.config_actions import check_update_queue
from omnidesk.domains.routing.models import RoutingQueue
from omnidesk.domains.routing.schemas import QueueUpdate
from omnidesk.domains.routing.service import get_queue_calendar, list_queues
from omnidesk.domains.workspaces.actions import do_update_workspace
from omnidesk.domains.workspaces.calendar import Calendar
from omnidesk.domains.workspaces.public_holidays import merge_holidays, public_holidays
from omnidesk.domains.workspaces.schemas import WEEKDAYS, BusinessHours, WorkspaceUpdate
from omnidesk.domains.workspaces.service import workspace_calendar
from omnidesk.web.deps import AgentPage, render
from omnidesk.web.i18n import translate
from omnidesk.web.settings_forms import admin_post, reset
from omnidesk.web.supervisor import supervisor_page

router = APIRouter(include_in_schema=False)
PATH = "/settings/hours"
MAX_RANGES = 4


@dataclass(frozen=True)
class Outlook:
    """Open now or not, and when that changes, in the calendar's own words."""

    open: bool
    next_open: str | None
    next_close: str | None
    summary: str
    timezone: str


def outlook(calendar: Calendar, locale: str, at: dt.datetime | None = None) -> Outlook:
    """Ask the calendar whether it is open and when it next opens and closes."""
    at = at or utcnow()
    state = calendar.state(at, locale)
    return Outlook(
        open=state.open,
        next_open=calendar.format_moment(state.next_open, locale)
        if state.next_open and not state.open else None,
        next_close=calendar.format_moment(state.next_close, locale) if state.next_close else None,
        summary=state.summary, timezone=state.timezone)


@dataclass(frozen=True)
class Scope:
    """Whose hours the page edits: the workspace's, or an inbox's or queue's override."""

    kind: str  # workspace | inbox | queue
    target: Inbox | RoutingQueue | None
    calendar: Calendar
    stored: dict[str, Any] | None  # the hours as stored (None/{}: the workspace's)

    @property
    def query(self) -> str:
        """Return the query string naming this scope."""
        return "" if self.target is None else f"?{self.kind}={self.target.id}"


async def _scope(session: AsyncSession, page: AgentPage, inbox: str | None,
                 queue: str | None) -> Scope:
    ws = page.workspace
    if inbox and inbox.isdigit():
        found = await get_inbox(session, workspace_id=ws.id, inbox_id=int(inbox))
        return Scope("inbox", found, inbox_calendar(ws, found), found.hours or None)
    if queue and queue.isdigit():
        row, calendar = await get_queue_calendar(session, workspace_id=ws.id,
                                                 queue_id=int(queue))
        return Scope("queue", row, calendar, row.business_hours or None)
    if inbox or queue:
        raise NotFound("no such inbox or queue")
    return Scope("workspace", None, workspace_calendar(ws), ws.business_hours or {})


def form_values(hours: BusinessHours) -> dict[str, Any]:
    """Lay stored hours out as the editor's rows: ranges per weekday, holiday rows."""
    weekly = {day: [(r.start, r.end) for r in hours.weekly.get(day, [])] for day in WEEKDAYS}
    holidays = [(h.date.isoformat(), h.name or "",
                 ", ".join(f"{r.start}-{r.end}" for r in h.hours)) for h in hours.holidays]
    return {"timezone": hours.timezone or "", "weekly": weekly, "holidays": holidays}


def read_hours(form: dict[str, str]) -> BusinessHours:
    """Read the weekly editor and the holiday rows into the calendar's schema."""
    weekly: dict[str, list[list[str]]] = {}
    for day in WEEKDAYS:
        for index in range(MAX_RANGES * 4):
            start = form.get(f"{day}.{index}.start", "").strip()
            end = form.get(f"{day}.{index}.end", "").strip()
            if start or end:
                if not (start and end):
                    raise ValueError(f"{day}: give each range a start and an end")
                weekly.setdefault(day, []).append([start, end])
    holidays: list[dict[str, Any]] = []
    for index in range(400):
        date = form.get(f"holiday.{index}.date", "").strip()
        if not date:
            continue
        special = [part.strip().split("-", 1) for part
                   in form.get(f"holiday.{index}.hours", "").split(",") if part.strip()]
        holidays.append({"date": date, "name": form.get(f"holiday.{index}.name", "").strip()
                         or None, "hours": special})
    data: dict[str, Any] = {"weekly": weekly, "holidays": holidays}
    if form.get("timezone", "").strip():
        data["timezone"] = form["timezone"].strip()
    return BusinessHours.model_validate(data)


def _problem(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        error = exc.errors()[0]
        where = " ".join(str(p) for p in error["loc"])
        return f"{where}: {str(error['msg']).removeprefix('Value error, ')}"
    if isinstance(exc, DomainError):
        return exc.message
    return str(exc)


async def _render(request: Request, session: AsyncSession, page: AgentPage, scope: Scope, *,
                  values: dict[str, Any] | None = None, own: bool | None = None,
                  error: str | None = None, status: int = 200) -> Response:
    shown = BusinessHours.model_validate(scope.stored or page.workspace.business_hours or {})
    return render(
        request, page, "settings/hours.html", status_code=status, nav_active="hours",
        scope=scope, outlook=outlook(scope.calendar, page.locale),
        values=values or form_values(shown), weekdays=WEEKDAYS,
        own=bool(scope.stored) if own is None else own, error=error,
        can_edit=page.user.role == "admin", year=utcnow().year,
        inboxes=await list_inboxes(session, workspace_id=page.workspace.id),
        queues=await list_queues(session, workspace_id=page.workspace.id),
        upcoming=[scope.calendar.holiday_text(h, page.locale)
                  for h in scope.calendar.upcoming_holidays(utcnow(), limit=6)],
        notice=translate(page.locale, "Saved.") if request.query_params.get("saved") else None,
        workspace_timezone=page.workspace.timezone)


@router.get(PATH, response_class=HTMLResponse)
async def hours_page(request: Request, session: SessionDep, inbox: str | None = None,
                     queue: str | None = None) -> Response:
    """Show the weekly hours and holidays of the workspace, an inbox or a queue."""
    page = await supervisor_page(request, session)
    if not isinstance(page, AgentPage):
        return page
    return await _render(request, session, page, await _scope(session, page, inbox, queue))


async def _save(request: Request, session: AsyncSession, page: AgentPage, scope: Scope,
                hours: BusinessHours | None) -> None:
    if scope.kind == "workspace":
        await do_update_workspace(session, actor=page.actor, workspace_in=WorkspaceUpdate(
            business_hours=hours or BusinessHours()))
    elif isinstance(scope.target, Inbox):
        await check_update_inbox(session, actor=page.actor, inbox_id=scope.target.id,
                                 inbox_in=InboxUpdate(hours=hours),
                                 port=request.app.state.inbox_port)
    elif isinstance(scope.target, RoutingQueue):
        await check_update_queue(session, actor=page.actor, queue_id=scope.target.id,
                                 queue_in=QueueUpdate(business_hours=hours))


@router.post(PATH, response_class=HTMLResponse)
async def save_hours(request: Request, session: SessionDep, inbox: str | None = None,
                     queue: str | None = None) -> Response:
    """Save the editor; on an inbox or queue, unticking 'own hours' returns to the workspace's."""
    page, form = await admin_post(request, session)
    if not isinstance(page, AgentPage):
        return page
    scope = await _scope(session, page, inbox, queue)
    own = scope.kind == "workspace" or bool(form.get("own"))
    try:
        hours = read_hours(form) if own else None
        if form.get("import_year"):
            hours = _with_imported(hours or read_hours(form), form["import_year"], page.locale)
        await _save(request, session, page, scope, hours)
    except (ValueError, DomainError) as exc:
        await reset(session, page)
        return await _render(request, session, page, scope, values=_echo(form), own=own,
                             error=_problem(exc), status=422)
    await session.commit()
    return RedirectResponse(f"{PATH}{scope.query}{'&' if scope.query else '?'}saved=1",
                            status_code=303)


def _with_imported(hours: BusinessHours, year_text: str, locale: str) -> BusinessHours:
    if not year_text.strip().isdigit():
        raise ValueError("choose a year to import")
    added = public_holidays("KR", int(year_text), locale)
    merged = merge_holidays(list(hours.holidays), added)
    return hours.model_copy(update={"holidays": merged})


def _echo(form: dict[str, str]) -> dict[str, Any]:
    weekly = {day: [(form.get(f"{day}.{i}.start", ""), form.get(f"{day}.{i}.end", ""))
                    for i in range(MAX_RANGES * 4)
                    if form.get(f"{day}.{i}.start") or form.get(f"{day}.{i}.end")]
              for day in WEEKDAYS}
    holidays = [(form.get(f"holiday.{i}.date", ""), form.get(f"holiday.{i}.name", ""),
                 form.get(f"holiday.{i}.hours", "")) for i in range(400)
                if form.get(f"holiday.{i}.date")]
    return {"timezone": form.get("timezone", ""), "weekly": weekly, "holidays": holidays}
