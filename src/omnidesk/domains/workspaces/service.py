"""Workspace reads, and the workspace's business calendar."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.errors import NotFound
from omnidesk.domains.workspaces.calendar import Calendar
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


def calendar_from(business_hours: Mapping[str, Any] | None, *, timezone: str,
                  override: Mapping[str, Any] | None = None) -> Calendar:
    """Build a business calendar from stored hours, then apply an override (queue, inbox)."""
    return Calendar.from_config(business_hours, timezone=timezone).override(override)


def workspace_calendar(workspace: Workspace, *,
                       override: Mapping[str, Any] | None = None) -> Calendar:
    """Return the workspace's business calendar, with a queue's or inbox's override applied.

    Every consumer (routing, SLA clocks, bot, widget, help center) asks this one calendar; see
    ``omnidesk.domains.workspaces.calendar`` for what open means.
    """
    return calendar_from(workspace.business_hours, timezone=workspace.timezone, override=override)
