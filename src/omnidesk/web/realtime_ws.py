"""The agents' WebSocket (/ws): live inbox and conversation updates, typing and read marks."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, WebSocket

from omnidesk.core.context import Actor
from omnidesk.core.errors import NotFound
from omnidesk.domains.agents.models import User
from omnidesk.domains.agents.service import authenticate_session, get_user
from omnidesk.domains.conversations.service import access_conversation
from omnidesk.domains.customers.service import get_customer
from omnidesk.domains.engagement.actions import do_mark_read
from omnidesk.realtime.connection import close_quietly, receive_hello, serve
from omnidesk.realtime.hub import Hub
from omnidesk.realtime.topics import (
    VISITOR_IDENTITY_KINDS,
    agents_topic,
    supervisors_topic,
    visitor_topic,
)
from omnidesk.web.auth import resolve_actor
from omnidesk.web.presence import presence_tracker

router = APIRouter(include_in_schema=False)


def same_origin(ws: WebSocket) -> bool:
    """Refuse cross-site WebSocket hijacking: the Origin must be this server."""
    origin = ws.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == ws.headers.get("host")


@router.websocket("/ws")
async def agent_socket(ws: WebSocket) -> None:
    """Stream the workspace's events to a logged-in agent's screen."""
    if not same_origin(ws):
        await close_quietly(ws, 4403)
        return
    hello = await receive_hello(ws)
    if hello is None:
        return
    factory = ws.app.state.session_factory
    async with factory() as session:
        actor = await resolve_actor(ws, session)
        user = None if actor is None or actor.user_id is None else await get_user(
            session, workspace_id=actor.workspace_id, user_id=actor.user_id)
    if user is None:
        await close_quietly(ws, 4401)
        return
    hub: Hub = ws.app.state.realtime

    async def on_message(message: dict[str, Any]) -> None:
        await handle_agent_message(ws, hub, user, message)

    topics = {agents_topic(user.workspace_id)}
    if user.role in {"supervisor", "admin"}:
        topics.add(supervisors_topic(user.workspace_id))
    presence = presence_tracker(ws.app)
    await presence.connected(ws.app, user.workspace_id, user.id)
    watch = asyncio.create_task(end_when_revoked(ws, hub.heartbeat_seconds))
    try:
        await serve(ws, hub, principal=f"user:{user.id}", topics=topics, hello=hello,
                    on_message=on_message)
    finally:
        watch.cancel()
        presence.disconnected(ws.app, user.workspace_id, user.id)


async def end_when_revoked(ws: WebSocket, every: float) -> None:
    """Close an open socket once its login session ends (checked every heartbeat period)."""
    key = ws.session.get("key")
    if not isinstance(key, str):
        return
    while True:
        await asyncio.sleep(every)
        async with ws.app.state.session_factory() as session:
            if await authenticate_session(session, key=key) is None:
                await close_quietly(ws, 4401)
                return


async def handle_agent_message(ws: WebSocket, hub: Hub, user: User,
                               message: dict[str, Any]) -> None:
    """Relay an agent's typing to the customer; record and relay read marks."""
    kind = message.get("type")
    conversation_id = message.get("conversation_id")
    if kind not in {"typing", "read"} or not isinstance(conversation_id, int):
        return
    async with ws.app.state.session_factory() as session:
        try:
            conv = await access_conversation(session, actor=_actor(user),
                                             conversation_id=conversation_id)
            customer = await get_customer(session, workspace_id=conv.workspace_id,
                                          customer_id=conv.customer_id)
        except NotFound:
            return
        if kind == "read":
            message_id = message.get("message_id")
            if not isinstance(message_id, int):
                return
            await do_mark_read(session, workspace_id=conv.workspace_id, conversation_id=conv.id,
                               reader="agent", message_id=message_id)
            await session.commit()
            data: dict[str, Any] = {"reader": "agent", "message_id": message_id}
        else:
            data = {"author": "agent", "name": user.display_name or user.name,
                    "state": bool(message.get("state", True))}
        for identity in customer.identities:
            if identity.kind in VISITOR_IDENTITY_KINDS:
                await hub.publish(visitor_topic(conv.workspace_id, identity.kind, identity.value),
                                  kind, data)


def _actor(user: User) -> Actor:
    return Actor(workspace_id=user.workspace_id, user_id=user.id, role=user.role)
