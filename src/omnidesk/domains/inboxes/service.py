"""Inbox reads: a workspace's inboxes, one by id or by the public key of its webhook URL."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.web.manifest import MANIFEST as WEB
from omnidesk.core.errors import NotFound
from omnidesk.core.schemas import MAX_ID
from omnidesk.domains.inboxes.models import Inbox
from omnidesk.domains.workspaces.models import Workspace
from omnidesk.domains.workspaces.service import Calendar, workspace_calendar


async def find_inbox(session: AsyncSession, *, workspace_id: int, inbox_id: int) -> Inbox | None:
    """Return a workspace's inbox by id, or None."""
    return await session.scalar(select(Inbox).where(Inbox.workspace_id == workspace_id,
                                                    Inbox.id == inbox_id))


async def get_inbox(session: AsyncSession, *, workspace_id: int, inbox_id: int) -> Inbox:
    """Return a workspace's inbox by id, or raise NotFound."""
    inbox = await find_inbox(session, workspace_id=workspace_id, inbox_id=inbox_id)
    if inbox is None:
        raise NotFound("inbox not found")
    return inbox


async def get_inbox_by_key(session: AsyncSession, *, kind: str, key: str) -> Inbox | None:
    """Return the active inbox a webhook URL names by its public key (or numeric id)."""
    query = select(Inbox).where(Inbox.kind == kind, Inbox.is_active.is_(True))
    if key.isdigit() and 0 < int(key) <= MAX_ID:
        return await session.scalar(query.where(Inbox.id == int(key)))
    return await session.scalar(query.where(Inbox.public_key == key))


async def first_inbox(session: AsyncSession, *, workspace_id: int, kind: str) -> Inbox | None:
    """Return the workspace's oldest active inbox of a kind (the one old URLs and replies use)."""
    return await session.scalar(select(Inbox).where(
        Inbox.workspace_id == workspace_id, Inbox.kind == kind, Inbox.is_active.is_(True))
        .order_by(Inbox.id).limit(1))


async def list_inboxes(session: AsyncSession, *, workspace_id: int) -> list[Inbox]:
    """Return every inbox of a workspace, active or not, by kind then age."""
    rows = await session.scalars(select(Inbox).where(Inbox.workspace_id == workspace_id)
                                 .order_by(Inbox.kind, Inbox.id))
    return list(rows.all())


async def list_active_inboxes(session: AsyncSession, *, kind: str) -> list[Inbox]:
    """Return every active inbox of a kind, across workspaces (pollers, mail receivers)."""
    rows = await session.scalars(select(Inbox).where(
        Inbox.kind == kind, Inbox.is_active.is_(True)).order_by(Inbox.id))
    return list(rows.all())


async def inbox_names(session: AsyncSession, *, workspace_id: int) -> dict[int, str]:
    """Return inbox id -> name for a workspace (one query, for lists and headers)."""
    rows = await session.execute(select(Inbox.id, Inbox.name).where(
        Inbox.workspace_id == workspace_id))
    return {row.id: row.name for row in rows}


def inbox_calendar(workspace: Workspace, inbox: Inbox | None) -> Calendar:
    """Return the business calendar of an inbox: the workspace's with the inbox's override."""
    return workspace_calendar(workspace, override=inbox.hours if inbox is not None else None)


async def website_inbox(session: AsyncSession, *, workspace_id: int) -> Inbox | None:
    """Return the workspace's website chat inbox: the widget's, which its site's pages speak for."""
    return await first_inbox(session, workspace_id=workspace_id, kind=WEB.kind)


async def website_calendar(session: AsyncSession, *, workspace: Workspace) -> Calendar:
    """Return the hours a website visitor is answered in: the web inbox's calendar (the widget's
    away state, the help center, the store page and knowledge passages all show these)."""
    return inbox_calendar(workspace, await website_inbox(session, workspace_id=workspace.id))


def inbox_greeting(inbox: Inbox | None, lang: str) -> str | None:
    """Return the inbox's own greeting in a language, or None (then the workspace's applies)."""
    return ((inbox.greeting or {}).get(lang) or None) if inbox is not None else None
