"""The pre-inbox channel admin API, kept for scripts: one inbox per kind, by kind.

`GET /api/v1/channels` lists inboxes; `PUT /api/v1/channels/{kind}` updates the workspace's first
inbox of that kind, or connects one. New code uses `/api/v1/inboxes` (several per kind).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.inbox_port import ChannelInboxPort
from omnidesk.channels.manifests import KINDS
from omnidesk.channels.schemas import ChannelConnect
from omnidesk.core.api import ApiRoute
from omnidesk.core.context import Actor
from omnidesk.core.errors import NotFound
from omnidesk.core.http import ActorDep, SessionDep
from omnidesk.domains.inboxes.actions import check_create_inbox, check_update_inbox
from omnidesk.domains.inboxes.models import Inbox
from omnidesk.domains.inboxes.schemas import InboxCreate, InboxRead, InboxUpdate
from omnidesk.domains.inboxes.service import first_inbox, list_inboxes


async def check_connect_by_kind(session: AsyncSession, *, actor: Actor, kind: str,
                                connect_in: ChannelConnect, port: ChannelInboxPort,
                                inbox_id: int | None = None, new: bool = False) -> Inbox:
    """Update inbox `inbox_id` (by default the first of `kind`), or connect a new one."""
    if inbox_id is None and not new:
        existing = await first_inbox(session, workspace_id=actor.workspace_id, kind=kind)
        inbox_id = existing.id if existing is not None else None
    if inbox_id is None:
        create = InboxCreate(kind=kind, name=connect_in.name, settings=connect_in.settings)
        return await check_create_inbox(session, actor=actor, inbox_in=create, port=port)
    update = InboxUpdate(name=connect_in.name, settings=connect_in.settings, is_active=True)
    return await check_update_inbox(session, actor=actor, inbox_id=inbox_id, inbox_in=update,
                                    port=port)


def build_router() -> APIRouter:
    """Create the by-kind channel admin routes (over the app's inbox port)."""
    router = APIRouter(prefix="/api/v1/channels", tags=["channels"], route_class=ApiRoute)

    @router.get("", response_model=list[InboxRead])
    async def list_channels(request: Request, actor: ActorDep,
                            session: SessionDep) -> list[InboxRead]:
        """List the workspace's inboxes with masked settings and webhook URLs."""
        actor.require("admin")
        port: ChannelInboxPort = request.app.state.inbox_port
        return [port.describe(row) for row in
                await list_inboxes(session, workspace_id=actor.workspace_id)]

    @router.put("/{kind}", response_model=InboxRead)
    async def connect_channel(kind: str, connect_in: ChannelConnect, request: Request,
                              actor: ActorDep, session: SessionDep) -> InboxRead:
        """Connect a channel, or update the workspace's first inbox of that kind."""
        port: ChannelInboxPort = request.app.state.inbox_port
        actor.require("admin")
        if not port.knows(kind):
            raise NotFound(f"unknown channel {kind!r}; known: {', '.join(KINDS)}")
        inbox = await check_connect_by_kind(session, actor=actor, kind=kind,
                                            connect_in=connect_in, port=port)
        await session.commit()
        return port.describe(inbox)

    return router
