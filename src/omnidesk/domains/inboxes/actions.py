"""Inbox writes: connect, change and remove a workspace's channel accounts (admins only)."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import audit, snapshot
from omnidesk.core.context import Actor
from omnidesk.core.errors import InvalidInput
from omnidesk.core.events import emit
from omnidesk.domains.inboxes import events as ev
from omnidesk.domains.inboxes.models import PUBLIC_KEY_LENGTH, Inbox
from omnidesk.domains.inboxes.schemas import InboxCreate, InboxPort, InboxUpdate
from omnidesk.domains.inboxes.service import get_inbox


def new_public_key() -> str:
    """Return an unguessable key that names an inbox in its webhook URL."""
    return secrets.token_urlsafe(16)[:PUBLIC_KEY_LENGTH]


def _record(session: AsyncSession, actor: Actor, inbox: Inbox,
            event: type[ev.InboxFacts], before: dict[str, Any] | None = None,
            after: dict[str, Any] | None = None) -> None:
    # sealed settings are redacted by the audit log: never their value, only that they changed
    audit(session, workspace_id=inbox.workspace_id, action=event.name,
          actor_kind=actor.audit_kind, actor_id=actor.user_id, object_type="inbox",
          object_id=inbox.id, data={"kind": inbox.kind}, before=before,
          after=snapshot(inbox) if after is None else after)
    emit(session, event.of(inbox), workspace_id=inbox.workspace_id)


async def do_create_inbox(session: AsyncSession, *, workspace_id: int, kind: str, name: str,
                          sealed_settings: str, fields: dict[str, Any] | None = None) -> Inbox:
    """Store a new inbox with already sealed settings."""
    inbox = Inbox(workspace_id=workspace_id, kind=kind, name=name, public_key=new_public_key(),
                  sealed_settings=sealed_settings, **(fields or {}))
    session.add(inbox)
    await session.flush()
    return inbox


def _fields(inbox_in: InboxCreate | InboxUpdate) -> dict[str, Any]:
    given = inbox_in.model_fields_set
    out: dict[str, Any] = {}
    if "greeting" in given:
        out["greeting"] = inbox_in.greeting.model_dump(exclude_none=True) \
            if inbox_in.greeting else {}
    if "hours" in given:
        out["hours"] = inbox_in.hours.model_dump(mode="json", exclude_unset=True) \
            if inbox_in.hours else {}
    if "default_queue_id" in given:
        out["default_queue_id"] = inbox_in.default_queue_id
    return out


async def _check_queue(session: AsyncSession, workspace_id: int,
                       inbox_in: InboxCreate | InboxUpdate, port: InboxPort) -> None:
    # Routing owns queues and reads inboxes, so the check comes through the port (no cycle).
    queue_id = inbox_in.default_queue_id
    if queue_id is not None and not await port.has_queue(session, workspace_id=workspace_id,
                                                         queue_id=queue_id):
        raise InvalidInput("no such routing queue", field="default_queue_id")


async def check_create_inbox(session: AsyncSession, *, actor: Actor, inbox_in: InboxCreate,
                             port: InboxPort) -> Inbox:
    """Let an admin connect a channel account; bad settings are a 422 naming the fields."""
    actor.require("admin")
    if not port.knows(inbox_in.kind):
        raise InvalidInput(f"unknown channel {inbox_in.kind!r}", field="kind")
    await _check_queue(session, actor.workspace_id, inbox_in, port)
    sealed = port.seal(inbox_in.kind, inbox_in.settings)
    inbox = await do_create_inbox(session, workspace_id=actor.workspace_id, kind=inbox_in.kind,
                                  name=inbox_in.name or inbox_in.kind, sealed_settings=sealed,
                                  fields=_fields(inbox_in))
    _record(session, actor, inbox, ev.InboxCreated)
    return inbox


async def check_update_inbox(session: AsyncSession, *, actor: Actor, inbox_id: int,
                             inbox_in: InboxUpdate, port: InboxPort) -> Inbox:
    """Let an admin rename, re-configure, pause or re-time an inbox."""
    actor.require("admin")
    inbox = await get_inbox(session, workspace_id=actor.workspace_id, inbox_id=inbox_id)
    before = snapshot(inbox)
    await _check_queue(session, actor.workspace_id, inbox_in, port)
    if inbox_in.settings is not None:
        inbox.sealed_settings = port.seal(inbox.kind, inbox_in.settings)
    if inbox_in.name:
        inbox.name = inbox_in.name
    if inbox_in.is_active is not None:
        inbox.is_active = inbox_in.is_active
    for key, value in _fields(inbox_in).items():
        setattr(inbox, key, value)
    await session.flush()
    _record(session, actor, inbox, ev.InboxUpdated, before)
    return inbox


async def check_delete_inbox(session: AsyncSession, *, actor: Actor, inbox_id: int) -> None:
    """Let an admin remove an inbox; its conversations stay, without an inbox."""
    actor.require("admin")
    inbox = await get_inbox(session, workspace_id=actor.workspace_id, inbox_id=inbox_id)
    _record(session, actor, inbox, ev.InboxDeleted, snapshot(inbox), {})
    await session.delete(inbox)
    await session.flush()
