"""Channel admin API: list connections and connect a channel (secrets never echoed)."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Request

from omnidesk.channels.actions import check_connect_channel
from omnidesk.channels.base import ChannelAdapter
from omnidesk.channels.registry import build_registry
from omnidesk.channels.schemas import ChannelConnect, ChannelConnectionRead
from omnidesk.channels.service import describe_connection, list_workspace_connections
from omnidesk.channels.webhooks import cipher_for
from omnidesk.core.api import ApiRoute
from omnidesk.core.errors import NotFound
from omnidesk.core.http import ActorDep, SessionDep
from omnidesk.domains.workspaces.service import get_workspace


def build_router(adapters: Mapping[str, ChannelAdapter] | None = None) -> APIRouter:
    """Create the channel admin routes over a validated adapter registry."""
    registry = adapters if adapters is not None else build_registry()
    router = APIRouter(prefix="/api/v1/channels", tags=["channels"], route_class=ApiRoute)

    @router.get("", response_model=list[ChannelConnectionRead])
    async def list_channels(request: Request, actor: ActorDep,
                            session: SessionDep) -> list[ChannelConnectionRead]:
        """List the workspace's channel connections with masked settings and webhook URLs."""
        actor.require("admin")
        slug = (await get_workspace(session, workspace_id=actor.workspace_id)).slug
        rows = await list_workspace_connections(session, workspace_id=actor.workspace_id)
        return [describe_connection(row, registry[row.kind], cipher_for(request),
                                    public_url=request.app.state.settings.public_url,
                                    workspace_slug=slug)
                for row in rows if row.kind in registry]

    @router.put("/{kind}", response_model=ChannelConnectionRead)
    async def connect_channel(kind: str, connect_in: ChannelConnect, request: Request,
                              actor: ActorDep, session: SessionDep) -> ChannelConnectionRead:
        """Connect or update a channel; settings are validated by the channel's own model."""
        adapter = registry.get(kind)
        if adapter is None:
            raise NotFound(f"unknown channel {kind!r}; known: {', '.join(sorted(registry))}")
        cipher = cipher_for(request)
        connection = await check_connect_channel(session, actor=actor, adapter=adapter,
                                                 name=connect_in.name,
                                                 settings=connect_in.settings, cipher=cipher)
        slug = (await get_workspace(session, workspace_id=actor.workspace_id)).slug
        await session.commit()
        return describe_connection(connection, adapter, cipher,
                                   public_url=request.app.state.settings.public_url,
                                   workspace_slug=slug)

    return router
