"""The audit log, read-only: an API (`GET /api/v1/audit`) and an admin page with filters.

Nothing here writes: audit rows are appended by the actions that change things, and no route
of the product updates or deletes one (core/audit.py refuses it at flush time as well).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict

from omnidesk.core.api import ApiRoute
from omnidesk.core.audit import AuditEntry, AuditFilter, list_audit, list_audit_kinds
from omnidesk.core.context import Actor
from omnidesk.core.errors import InvalidInput
from omnidesk.core.http import ActorDep, CursorQuery, LimitQuery, SessionDep
from omnidesk.core.pagination import Page, page_of
from omnidesk.domains.agents.service import list_users
from omnidesk.web.deps import agent_page, forbidden, login_redirect, render

router = APIRouter(prefix="/api/v1/audit", tags=["audit"], route_class=ApiRoute)
page_router = APIRouter(include_in_schema=False)
ActionQuery = Annotated[str | None, Query(max_length=80, pattern=r"^[a-z0-9_.]+$",
                                          description="An action, or a prefix ending in '.'")]
TypeQuery = Annotated[str | None, Query(max_length=40, pattern=r"^[a-z0-9_]+$")]
ObjectQuery = Annotated[str | None, Query(max_length=64)]


class AuditRead(BaseModel):
    """One audit record: who (actor), what (action, object), when, and before/after."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: dt.datetime
    actor_kind: str
    actor_id: int | None
    action: str
    object_type: str | None
    object_id: str | None
    data: dict[str, Any]


def _check(actor: Actor) -> None:
    actor.require_permission("audit.read")


@router.get("", response_model=Page[AuditRead])
async def read_audit(
    actor: ActorDep, session: SessionDep, actor_id: Annotated[int | None, Query(ge=1)] = None,
    action: ActionQuery = None, object_type: TypeQuery = None, object_id: ObjectQuery = None,
    since: dt.datetime | None = None, until: dt.datetime | None = None,
    cursor: CursorQuery = None, limit: LimitQuery = 50,
) -> Page[AuditRead]:
    """List audit records, newest first (admins, or a role with audit.read)."""
    _check(actor)
    flt = AuditFilter(actor_id=actor_id, action=action, object_type=object_type,
                      object_id=object_id, since=_aware(since), until=_aware(until))
    rows = await list_audit(session, workspace_id=actor.workspace_id, flt=flt, cursor=cursor,
                            limit=limit)
    items, next_cursor = page_of(rows, limit)
    return Page(items=[AuditRead.model_validate(r) for r in items], next_cursor=next_cursor)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """Read a time without a zone as UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


def _day(text: str | None, zone: ZoneInfo, *, end: bool = False) -> dt.datetime | None:
    """Turn a YYYY-MM-DD from the filter form into the start (or end) of that local day."""
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput("dates are YYYY-MM-DD", field="since") from exc
    start = dt.datetime.combine(day + dt.timedelta(days=1 if end else 0), dt.time(), zone)
    return start.astimezone(dt.UTC)


def _show(value: Any) -> str:
    """Write a recorded value for people: text as is, anything else as JSON (Korean kept)."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _changes(entry: AuditEntry) -> list[tuple[str, Any, Any]]:
    """Return (field, before, after) rows for the page."""
    before, after = entry.data.get("before"), entry.data.get("after")
    if not isinstance(before, dict) or not isinstance(after, dict):
        return []
    return [(k, before.get(k, ""), after.get(k, "")) for k in dict.fromkeys([*before, *after])]


@page_router.get("/settings/audit", response_class=HTMLResponse)
async def audit_page(
    request: Request, session: SessionDep, actor_id: Annotated[str, Query()] = "",
    action: Annotated[str, Query(max_length=80)] = "",
    object_type: Annotated[str, Query(max_length=40)] = "",
    object_id: Annotated[str, Query(max_length=64)] = "",
    since: Annotated[str, Query(max_length=10)] = "", until: Annotated[str, Query(max_length=10)] = "",
    cursor: CursorQuery = None,
) -> Response:
    """Show the audit log with filters (admins, or a role with audit.read)."""
    page = await agent_page(request, session)
    if page is None:
        return login_redirect(request)
    if not page.actor.can("audit.read"):
        return forbidden(request, page, "The audit log needs the audit.read permission.")
    zone = ZoneInfo(page.workspace.timezone or "UTC")
    error = None
    try:
        flt = AuditFilter(actor_id=int(actor_id) if actor_id.isdigit() else None,
                          action=action or None, object_type=object_type or None,
                          object_id=object_id or None, since=_day(since, zone),
                          until=_day(until, zone, end=True))
        rows = await list_audit(session, workspace_id=page.workspace.id, flt=flt, cursor=cursor,
                                limit=50)
    except InvalidInput as exc:
        error, rows = exc.message, []
    items, next_cursor = page_of(rows, 50)
    users = await list_users(session, workspace_id=page.workspace.id)
    actions, types = await list_audit_kinds(session, workspace_id=page.workspace.id)
    query = {"actor_id": actor_id, "action": action, "object_type": object_type,
             "object_id": object_id, "since": since, "until": until}
    return render(request, page, "settings/audit.html", entries=items, users=users,
                  names={u.id: u.name for u in users}, actions=actions, types=types,
                  query=query, next_cursor=next_cursor, error=error, changes=_changes, show=_show,
                  zone=zone, nav_active="audit")
