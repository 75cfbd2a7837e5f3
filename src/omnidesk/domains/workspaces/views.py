"""Workspace API: the caller's workspace."""

from __future__ import annotations

from fastapi import APIRouter, Request

from omnidesk.core.api import ApiRoute
from omnidesk.core.http import ActorDep, SessionDep
from omnidesk.domains.workspaces.actions import do_update_workspace
from omnidesk.domains.workspaces.schemas import WorkspaceRead, WorkspaceUpdate
from omnidesk.domains.workspaces.service import get_workspace

router = APIRouter(prefix="/api/v1/workspace", tags=["workspaces"], route_class=ApiRoute)


@router.get("", response_model=WorkspaceRead)
async def read_workspace(actor: ActorDep, session: SessionDep) -> WorkspaceRead:
    """Return the workspace the token or login belongs to."""
    workspace = await get_workspace(session, workspace_id=actor.workspace_id)
    return WorkspaceRead.model_validate(workspace)


@router.patch("", response_model=WorkspaceRead)
async def update_workspace(
    workspace_in: WorkspaceUpdate, actor: ActorDep, session: SessionDep, request: Request
) -> WorkspaceRead:
    """Change the workspace's name, locale, timezone, business hours or (merged) settings."""
    # Each settings section is checked by the domain that reads it; the app factory wires them.
    checks = getattr(request.app.state, "settings_checks", {})
    workspace = await do_update_workspace(session, actor=actor, workspace_in=workspace_in,
                                          settings_checks=checks)
    await session.commit()
    return WorkspaceRead.model_validate(workspace)
