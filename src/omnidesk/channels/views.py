"""The pre-inbox channel admin API, kept for scripts: one inbox per kind, by kind.

`GET /api/v1/channels` lists inboxes; `PUT /api/v1/channels/{kind}` updates the workspace's first
inbox of that kind, or connects one. New code uses `/api/v1/inboxes` (several per kind).
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from omnidesk.channels.inbox_port import ChannelInboxPort
from omnidesk.channels.manifests import KINDS
from omnidesk.channels.schemas import ChannelConnect
from omnidesk.core.api import ApiRoute
from omnidesk.core.errors import NotFound
from omnidesk.core.http import ActorDep, SessionDep
from omnidesk.domains.inboxes.actions import check_create_inbox, check_update_inbox
from omnidesk.domains.inboxes.schemas import InboxCreate, InboxRead, InboxUpdate
from omnidesk.domains.inboxes.service import first_inbox, list_inboxes


def connect_inbox_args(kind: str, connect_in: ChannelConnect) -> tuple[InboxCreate, InboxUpdate]:
    """Return the create and update forms of a by-kind connect request."""
    return (InboxCreate(kind=kind, name=connect_in.name, settings=connect_in.settings),
            InboxUpdate(name=connect_in.name, settings=connect_in.settings, is_active=True))


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
        create, update = connect_inbox_args(kind, connect_in)
        existing = await first_inbox(session, workspace_id=actor.workspace_id, kind=kind)
        if existing is None:
            inbox = await check_create_inbox(session, actor=actor, inbox_in=create, port=port)
        else:
            inbox = await check_update_inbox(session, actor=actor, inbox_id=existing.id,
                                             inbox_in=update, port=port)
        await session.commit()
        return port.describe(inbox)

    return router
