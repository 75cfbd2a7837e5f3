"""Inbox admin API: list, connect, change and remove channel accounts (secrets never echoed)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from omnidesk.core.api import ApiRoute
from omnidesk.core.http import ActorDep, SessionDep
from omnidesk.core.schemas import Id
from omnidesk.domains.inboxes.actions import (
    check_create_inbox,
    check_delete_inbox,
    check_update_inbox,
)
from omnidesk.domains.inboxes.schemas import InboxCreate, InboxPort, InboxRead, InboxUpdate
from omnidesk.domains.inboxes.service import get_inbox, list_inboxes

router = APIRouter(prefix="/api/v1/inboxes", tags=["inboxes"], route_class=ApiRoute)


def _port(request: Request) -> InboxPort:
    return request.app.state.inbox_port


@router.get("", response_model=list[InboxRead])
async def read_inboxes(request: Request, actor: ActorDep, session: SessionDep) -> list[InboxRead]:
    """List the workspace's inboxes with masked settings and webhook URLs."""
    actor.require("admin")
    rows = await list_inboxes(session, workspace_id=actor.workspace_id)
    return [_port(request).describe(row) for row in rows]


@router.get("/{inbox_id}", response_model=InboxRead)
async def read_inbox(inbox_id: Id, request: Request, actor: ActorDep,
                     session: SessionDep) -> InboxRead:
    """Return one inbox."""
    actor.require("admin")
    inbox = await get_inbox(session, workspace_id=actor.workspace_id, inbox_id=inbox_id)
    return _port(request).describe(inbox)


@router.post("", response_model=InboxRead, status_code=201)
async def create_inbox(inbox_in: InboxCreate, request: Request, actor: ActorDep,
                       session: SessionDep) -> InboxRead:
    """Connect one more channel account (a second number or mailbox is just another inbox)."""
    inbox = await check_create_inbox(session, actor=actor, inbox_in=inbox_in,
                                     port=_port(request))
    await session.commit()
    return _port(request).describe(inbox)


@router.patch("/{inbox_id}", response_model=InboxRead)
async def update_inbox(inbox_id: Id, inbox_in: InboxUpdate, request: Request, actor: ActorDep,
                       session: SessionDep) -> InboxRead:
    """Rename, re-configure, pause or re-time an inbox."""
    inbox = await check_update_inbox(session, actor=actor, inbox_id=inbox_id, inbox_in=inbox_in,
                                     port=_port(request))
    await session.commit()
    return _port(request).describe(inbox)


@router.delete("/{inbox_id}", status_code=204)
async def delete_inbox(inbox_id: Id, actor: ActorDep, session: SessionDep) -> Response:
    """Remove an inbox; its conversations keep their history."""
    await check_delete_inbox(session, actor=actor, inbox_id=inbox_id)
    await session.commit()
    return Response(status_code=204)
