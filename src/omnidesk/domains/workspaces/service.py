"""Workspace reads."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.errors import NotFound
from omnidesk.domains.workspaces.models import Workspace


async def get_workspace(session: AsyncSession, *, workspace_id: int) -> Workspace:
    """Return a workspace by id or raise NotFound."""
    workspace = await session.get(Workspace, workspace_id)
    if workspace is None:
        raise NotFound("workspace not found")
    return workspace


async def get_workspace_by_slug(session: AsyncSession, *, slug: str) -> Workspace | None:
    """Return a workspace by slug, or None."""
    return await session.scalar(select(Workspace).where(Workspace.slug == slug))


async def count_workspaces(session: AsyncSession) -> int:
    """Count workspaces (the demo loads only into an empty database)."""
    return int(await session.scalar(select(func.count(Workspace.id))) or 0)


async def list_workspaces(session: AsyncSession) -> list[Workspace]:
    """List every workspace (CLI and operators only)."""
    return list((await session.scalars(select(Workspace).order_by(Workspace.id))).all())
