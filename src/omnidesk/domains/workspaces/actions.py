"""Workspace writes: create and update, each audited with an outbox event."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import audit
from omnidesk.core.context import Actor
from omnidesk.core.errors import Conflict, InvalidInput
from omnidesk.core.events import emit
from omnidesk.domains.workspaces.models import DEFAULT_BUSINESS_HOURS, Workspace
from omnidesk.domains.workspaces.schemas import WorkspaceCreate, WorkspaceUpdate
from omnidesk.domains.workspaces.service import get_workspace, get_workspace_by_slug

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _check_timezone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput(f"unknown timezone {name!r}", field="timezone") from exc


def _check_business_hours(hours: dict) -> None:
    _check_timezone(hours.get("timezone", "UTC"))
    weekly = hours.get("weekly", {})
    if not isinstance(weekly, dict) or any(day not in DAYS for day in weekly):
        raise InvalidInput("business_hours.weekly keys must be mon..sun", field="business_hours")
    for spans in weekly.values():
        for span in spans:
            if len(span) != 2 or not all(isinstance(t, str) and len(t) == 5 for t in span):
                raise InvalidInput("business hours spans look like ['09:00','18:00']",
                                   field="business_hours")


async def do_create_workspace(
    session: AsyncSession, *, workspace_in: WorkspaceCreate, created_by: str | None = None
) -> Workspace:
    """Create a workspace; its slug must be free."""
    if await get_workspace_by_slug(session, slug=workspace_in.slug):
        raise Conflict(f"workspace {workspace_in.slug!r} already exists", field="slug")
    _check_timezone(workspace_in.timezone)
    workspace = Workspace(**workspace_in.model_dump(), created_by=created_by)
    workspace.business_hours = {**DEFAULT_BUSINESS_HOURS, "timezone": workspace_in.timezone}
    session.add(workspace)
    await session.flush()
    audit(session, workspace_id=workspace.id, action="workspace.created", actor_kind="system",
          object_type="workspace", object_id=workspace.id)
    emit(session, "workspace.created", {"workspace_id": workspace.id, "slug": workspace.slug},
         workspace_id=workspace.id)
    return workspace


async def do_update_workspace(
    session: AsyncSession, *, actor: Actor, workspace_in: WorkspaceUpdate
) -> Workspace:
    """Update the actor's workspace settings (admins only)."""
    actor.require("admin")
    workspace = await get_workspace(session, workspace_id=actor.workspace_id)
    changes = workspace_in.model_dump(exclude_unset=True)
    if changes.get("timezone"):
        _check_timezone(changes["timezone"])
    if changes.get("business_hours") is not None:
        _check_business_hours(changes["business_hours"])
    for key, value in changes.items():
        if value is not None:
            setattr(workspace, key, value)
    audit(session, workspace_id=workspace.id, action="workspace.updated", actor_id=actor.user_id,
          actor_kind=actor.audit_kind, object_type="workspace", object_id=workspace.id,
          data={"fields": sorted(changes)})
    emit(session, "workspace.updated", {"workspace_id": workspace.id, "fields": sorted(changes)},
         workspace_id=workspace.id)
    return workspace
