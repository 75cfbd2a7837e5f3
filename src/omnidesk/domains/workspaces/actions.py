"""Workspace writes: create and update, each audited with an outbox event."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import audit, snapshot
from omnidesk.core.context import Actor
from omnidesk.core.errors import Conflict, InvalidInput
from omnidesk.core.events import emit
from omnidesk.core.schemas import merge_patch
from omnidesk.domains.workspaces.events import DemoLoaded, WorkspaceCreated, WorkspaceUpdated
from omnidesk.domains.workspaces.models import DEFAULT_BUSINESS_HOURS, Workspace
from omnidesk.domains.workspaces.schemas import WorkspaceCreate, WorkspaceUpdate
from omnidesk.domains.workspaces.service import get_workspace, get_workspace_by_slug


async def do_create_workspace(
    session: AsyncSession, *, workspace_in: WorkspaceCreate, created_by: str | None = None
) -> Workspace:
    """Create a workspace; its slug must be free."""
    if await get_workspace_by_slug(session, slug=workspace_in.slug):
        raise Conflict(f"workspace {workspace_in.slug!r} already exists", field="slug")
    served = {"languages": workspace_in.languages} if workspace_in.languages else {}
    workspace = Workspace(**workspace_in.model_dump(exclude={"languages"}),
                          created_by=created_by, settings=served)
    workspace.business_hours = dict(DEFAULT_BUSINESS_HOURS)  # in the workspace's time zone
    session.add(workspace)
    await session.flush()
    audit(session, workspace_id=workspace.id, action="workspace.created", actor_kind="system",
          object_type="workspace", object_id=workspace.id)
    emit(session, WorkspaceCreated(workspace_id=workspace.id, slug=workspace.slug),
         workspace_id=workspace.id)
    return workspace


SectionCheck = Callable[[Any], object]
"""Validates one settings section (e.g. ``bot``) as its owning domain reads it; raises on bad data."""


def merge_settings(current: dict[str, Any] | None, patch: dict[str, Any],
                   checks: Mapping[str, SectionCheck]) -> dict[str, Any]:
    """Merge a settings patch (RFC 7386) and validate every section it touched."""
    merged: dict[str, Any] = merge_patch(current or {}, patch)
    for key in patch:
        if key in merged and (check := checks.get(key)) is not None:
            try:
                check(merged[key])
            except ValidationError as exc:
                raise InvalidInput(f"settings.{key}: {_first_problem(exc)}",
                                   field=f"settings.{key}") from exc
            except (ValueError, TypeError, AttributeError, KeyError) as exc:
                raise InvalidInput(f"settings.{key}: {exc}", field=f"settings.{key}") from exc
    return merged


def _first_problem(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(p) for p in error.get("loc", ()))
    return f"{where}: {error['msg']}" if where else str(error["msg"])


async def do_update_workspace(
    session: AsyncSession, *, actor: Actor, workspace_in: WorkspaceUpdate,
    settings_checks: Mapping[str, SectionCheck] | None = None,
) -> Workspace:
    """Update the actor's workspace (admins only); settings merge and are validated per section."""
    actor.require("admin")
    workspace = await get_workspace(session, workspace_id=actor.workspace_id)
    before = snapshot(workspace)
    changes = workspace_in.changes()
    if workspace_in.business_hours is not None:  # validated by the schema; stored compactly
        changes["business_hours"] = workspace_in.business_hours.stored()
    if "settings" in changes:
        changes["settings"] = merge_settings(workspace.settings, changes["settings"],
                                             settings_checks or {})
    for key, value in changes.items():
        setattr(workspace, key, value)
    audit(session, workspace_id=workspace.id, action="workspace.updated", actor_id=actor.user_id,
          actor_kind=actor.audit_kind, object_type="workspace", object_id=workspace.id,
          data={"fields": sorted(changes)}, before=before, after=snapshot(workspace))
    emit(session, WorkspaceUpdated(workspace_id=workspace.id, fields=sorted(changes)),
         workspace_id=workspace.id)
    return workspace


def do_record_demo_loaded(session: AsyncSession, *, workspace_id: int, conversations: int) -> None:
    """Audit and announce that the demo workspace was generated."""
    audit(session, workspace_id=workspace_id, action=DemoLoaded.name, actor_kind="system",
          object_type="workspace", object_id=workspace_id)
    emit(session, DemoLoaded(workspace_id=workspace_id, conversations=conversations),
         workspace_id=workspace_id)
