"""Channel reads: connections (with decrypted, validated settings) and stored events."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.base import ChannelAdapter
from omnidesk.channels.crypto import SettingsCipher
from omnidesk.channels.models import ChannelConnection, InboundEvent
from omnidesk.channels.schemas import ChannelConnectionRead, masked


async def get_connection(session: AsyncSession, *, workspace_id: int,
                         kind: str) -> ChannelConnection | None:
    """Return the workspace's active connection of a channel kind, if any."""
    return await session.scalar(select(ChannelConnection).where(
        ChannelConnection.workspace_id == workspace_id, ChannelConnection.kind == kind,
        ChannelConnection.is_active.is_(True)))


async def list_connections(session: AsyncSession, *, kind: str) -> list[ChannelConnection]:
    """Return every active connection of a kind, across workspaces (pollers, receivers)."""
    rows = await session.scalars(select(ChannelConnection).where(
        ChannelConnection.kind == kind, ChannelConnection.is_active.is_(True))
        .order_by(ChannelConnection.id))
    return list(rows.all())


def connection_config(connection: ChannelConnection, adapter: ChannelAdapter,
                      cipher: SettingsCipher) -> Any:
    """Open and validate a connection's settings into the adapter's config model."""
    return adapter.config_model.model_validate(cipher.open(connection.sealed_settings))


async def get_inbound_event(session: AsyncSession, *, event_id: int,
                            workspace_id: int | None = None) -> InboundEvent | None:
    """Return a stored inbound event by id (scoped to a workspace when given)."""
    query = select(InboundEvent).where(InboundEvent.id == event_id)
    if workspace_id is not None:
        query = query.where(InboundEvent.workspace_id == workspace_id)
    return await session.scalar(query)


def webhook_url(public_url: str, *, kind: str, workspace_slug: str) -> str:
    """Return the URL a provider must call for this workspace's channel."""
    return f"{public_url.rstrip('/')}/channels/{kind}/{workspace_slug}/webhook"


def describe_connection(connection: ChannelConnection, adapter: ChannelAdapter,
                        cipher: SettingsCipher, *, public_url: str,
                        workspace_slug: str) -> ChannelConnectionRead:
    """Describe a connection for admins: masked settings, capabilities and webhook URL."""
    config = connection_config(connection, adapter, cipher)
    return ChannelConnectionRead(
        id=connection.id, kind=connection.kind, name=connection.name,
        is_active=connection.is_active, settings=masked(config.model_dump(mode="json")),
        webhook_url=webhook_url(public_url, kind=connection.kind, workspace_slug=workspace_slug),
        capabilities=sorted(adapter.capabilities), created_at=connection.created_at)


async def list_workspace_connections(session: AsyncSession, *,
                                     workspace_id: int) -> list[ChannelConnection]:
    """Return every connection of a workspace, active or not, by kind."""
    rows = await session.scalars(select(ChannelConnection).where(
        ChannelConnection.workspace_id == workspace_id).order_by(ChannelConnection.kind))
    return list(rows.all())
