"""What `omnidesk bench` needs on the server, made through the service layer on its database.

An API token of the workspace's first active admin (its sockets hear every new message on the
supervisors' topic) and, for ``--endpoint api`` or ``webhook``, an inbox named "omnidesk bench"
of that kind (API channel, or LINE for the signed webhook), created once and given fresh
secrets on every run. Replies to the bench's customers go to the run's reply sink
(``bench_sink``), which answers as the provider does; without one, to an unreachable loopback
address (each reply then fails and is retried, as in a provider outage). The token is revoked
when the run ends.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.app.commands.runtime import fail
from omnidesk.channels.api.manifest import MANIFEST as API
from omnidesk.channels.crypto import SettingsCipher
from omnidesk.channels.inbox_port import ChannelInboxPort
from omnidesk.channels.line.manifest import MANIFEST as LINE
from omnidesk.channels.registry import build_registry
from omnidesk.channels.schemas import ChannelConnect
from omnidesk.channels.views import check_connect_by_kind
from omnidesk.config import get_settings
from omnidesk.core.context import Actor
from omnidesk.core.db import create_engine, create_session_factory
from omnidesk.domains.agents.actions import do_create_api_token, do_revoke_api_token
from omnidesk.domains.agents.models import User
from omnidesk.domains.agents.schemas import ApiTokenCreate
from omnidesk.domains.inboxes.models import Inbox
from omnidesk.domains.workspaces.service import get_workspace_by_slug

BENCH_NAME = "omnidesk bench"
NOWHERE = "https://127.0.0.1:9"  # without a sink: replies fail at once, offline
ENDPOINT_KINDS = {API.kind: API.kind, "webhook": LINE.kind}  # --endpoint -> its inbox kind


@dataclass
class Target:
    """The credentials a run uses: the sockets' token and the endpoint's path and secret."""

    workspace_id: int
    user_id: int
    token_id: int
    token: str
    path: str | None = None  # the inbox's webhook path (api, webhook)
    secret: str | None = None  # the API channel's bearer token, or LINE's channel secret


def _inbox_settings(kind: str, secret: str, replies_to: str) -> dict[str, Any]:
    if kind == API.kind:
        return {"inbound_token_sha256": hashlib.sha256(secret.encode()).hexdigest(),
                "webhook_url": f"{replies_to}/omnidesk-bench", "allow_private_network": True,
                "signing_secret": secrets.token_urlsafe(24)}
    return {"channel_secret": secret, "channel_access_token": secrets.token_urlsafe(24),
            "api_base_url": replies_to, "data_api_base_url": replies_to}


async def _prepare(session: AsyncSession, slug: str, endpoint: str, replies_to: str) -> Target:
    workspace = await get_workspace_by_slug(session, slug=slug)
    if workspace is None:
        fail(f"no workspace with slug {slug!r} (see `omnidesk admin workspaces`)")
    admin = await session.scalar(select(User).where(
        User.workspace_id == workspace.id, User.role == "admin", User.is_active.is_(True))
        .order_by(User.id).limit(1))
    if admin is None:
        fail(f"workspace {slug!r} has no active admin to open the agent sockets as")
    actor = Actor(workspace_id=workspace.id, user_id=admin.id, role="admin")
    row, token = await do_create_api_token(session, actor=actor, token_in=ApiTokenCreate(
        name=BENCH_NAME, role="admin"))
    target = Target(workspace.id, admin.id, row.id, token)
    kind = ENDPOINT_KINDS.get(endpoint)
    if kind is not None:
        settings = get_settings()
        port = ChannelInboxPort(build_registry(), SettingsCipher(settings.effective_secret_key),
                                settings.public_url)
        found = await session.scalar(select(Inbox).where(
            Inbox.workspace_id == workspace.id, Inbox.kind == kind, Inbox.name == BENCH_NAME))
        target.secret = secrets.token_urlsafe(24)
        inbox = await check_connect_by_kind(
            session, actor=actor, kind=kind, port=port,
            connect_in=ChannelConnect(name=BENCH_NAME, settings=_inbox_settings(
                kind, target.secret, replies_to)),
            inbox_id=found.id if found is not None else None, new=found is None)
        target.path = f"/webhooks/{kind}/{inbox.public_key}"
    await session.commit()
    return target


async def prepare_target(database_url: str, slug: str, endpoint: str,
                         replies_to: str = NOWHERE) -> Target:
    """Create the run's token (and the endpoint's inbox, once) on the database; the inbox's
    replies go to ``replies_to`` (the base URL of the run's reply sink)."""
    engine = create_engine(database_url)
    try:
        async with create_session_factory(engine)() as session:
            return await _prepare(session, slug, endpoint, replies_to)
    finally:
        await engine.dispose()


async def release_target(database_url: str, target: Target) -> None:
    """Revoke the run's token."""
    engine = create_engine(database_url)
    try:
        async with create_session_factory(engine)() as session:
            actor = Actor(workspace_id=target.workspace_id, user_id=target.user_id, role="admin")
            await do_revoke_api_token(session, actor=actor, token_id=target.token_id)
            await session.commit()
    finally:
        await engine.dispose()
