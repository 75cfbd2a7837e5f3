"""Workspace writes: create and update, each audited with an outbox event."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import audit
from omnidesk.core.context import Actor
from omnidesk.core.errors import Conflict
from omnidesk.core.events import emit
from omnidesk.domains.workspaces.models import DEFAULT_BUSINESS_HOURS, Workspace
from omnidesk.domains.workspaces.schemas import WorkspaceCreate, WorkspaceUpdate
from omnidesk.domains.workspaces.service import get_workspace, get_workspace_by_slug


async def do_create_workspace(
    session: AsyncSession, *, workspace_in: WorkspaceCreate, created_by: str | None = None
) -> Workspace:
    """Create a workspace; its slug must be free."""
    if await get_workspace_by_slug(session, slug=workspace_in.slug):
        raise Conflict(f"workspace {workspace_in.slug!r} already exists", field="slug")
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
    if workspace_in.business_hours is not None:  # validated by the schema; stored compactly
        changes["business_hours"] = workspace_in.business_hours.stored()
    for key, value in changes.items():
        if value is not None:
            setattr(workspace, key, value)
    audit(session, workspace_id=workspace.id, action="workspace.updated", actor_id=actor.user_id,
          actor_kind=actor.audit_kind, object_type="workspace", object_id=workspace.id,
          data={"fields": sorted(changes)})
    emit(session, "workspace.updated", {"workspace_id": workspace.id, "fields": sorted(changes)},
         workspace_id=workspace.id)
    return workspace
