"""The agents' WebSocket (/ws): live inbox and conversation updates, typing and read marks."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, WebSocket
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import Actor
from omnidesk.core.errors import NotFound
from omnidesk.domains.agents.models import User
from omnidesk.domains.agents.service import authenticate_session
from omnidesk.domains.conversations.models import Conversation
from omnidesk.domains.conversations.service import access_conversation
from omnidesk.domains.workspaces.service import get_workspace
from omnidesk.realtime.connection import close_quietly, receive_hello, serve
from omnidesk.realtime.hub import Hub
from omnidesk.realtime.presence import presence_tracker
from omnidesk.realtime.relay import (
    COLLEAGUE_SIGNALS,
    SIGNALS,
    relay_signal,
    relay_to_colleagues,
)
from omnidesk.realtime.topics import (
    agents_topic,
    conversation_topic,
    supervisors_topic,
    team_topic,
    user_topic,
)
from omnidesk.web.auth import resolve_actor
from omnidesk.web.conversation import render_message
from omnidesk.web.deps import AgentPage

MESSAGE_EVENTS = frozenset({"message.created", "message.updated", "message.delivery_updated"})
router = APIRouter(include_in_schema=False)


def same_origin(ws: WebSocket) -> bool:
    """Refuse cross-site WebSocket hijacking: the Origin must be this server."""
    origin = ws.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == ws.headers.get("host")


@router.websocket("/ws")
async def agent_socket(ws: WebSocket) -> None:
    """Stream to a logged-in agent's screen the events that concern them and the conversation
    it shows (hello's conversation_id), new messages rendered for it."""
    if not same_origin(ws):
        await close_quietly(ws, 4403)
        return
    hello = await receive_hello(ws)
    if hello is None:
        return
    async with ws.app.state.session_factory() as session:
        page = await _agent(ws, session)
        conv = None if page is None else await _shown(session, page, hello)
    if page is None:
        await close_quietly(ws, 4401)
        return
    user, hub = page.user, ws.app.state.realtime

    async def on_message(message: dict[str, Any]) -> None:
        await handle_agent_message(ws, hub, page, message)

    async def prepare(event: dict[str, Any]) -> dict[str, Any]:
        return event if conv is None else await with_html(ws, page, conv, event)

    presence = presence_tracker(ws.app)
    await presence.connected(ws.app, user.workspace_id, user.id)
    watch = asyncio.create_task(end_when_revoked(ws, hub.heartbeat_seconds))
    try:
        await serve(ws, hub, principal=f"user:{user.id}", topics=agent_topics(page.actor, user, conv),
                    hello=hello, on_message=on_message, prepare=prepare)
    finally:
        watch.cancel()
        await presence.disconnected(ws.app, user.workspace_id, user.id)
        if conv is not None:  # colleagues stop showing this agent as viewing
            await relay_to_colleagues(hub, conv, user_id=user.id, name=user.name,
                                      message={"type": "viewing", "state": False})


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


async def _agent(ws: WebSocket, session: AsyncSession) -> AgentPage | None:
    actor = await resolve_actor(ws, session)
    if actor is None or actor.user_id is None:
        return None
    # the user signing in was loaded by the authentication in this session: no second read
    user = await session.get(User, actor.user_id)
    if user is None or user.workspace_id != actor.workspace_id:
        return None
    workspace = await get_workspace(session, workspace_id=actor.workspace_id)
    # the actor resolve_actor gave: a token acts with its own role, capped at its owner's
    return AgentPage(actor, user, workspace)


async def _shown(session: AsyncSession, page: AgentPage,
                 hello: dict[str, Any]) -> Conversation | None:
    conversation_id = hello.get("conversation_id")
    if not isinstance(conversation_id, int) or isinstance(conversation_id, bool):
        return None
    try:
        return await access_conversation(session, actor=page.actor,
                                         conversation_id=conversation_id)
    except NotFound:
        return None


def agent_topics(actor: Actor, user: User, conv: Conversation | None) -> set[str]:
    """Name what an agent's screen listens to: their own and their teams' conversations, the
    unassigned pool, the conversation shown, and routing when they supervise."""
    ws_id = user.workspace_id
    topics = {user_topic(ws_id, user.id)}
    topics |= {team_topic(ws_id, m.team_id) for m in user.memberships}
    if actor.scope is None:  # limited staff hear only their own and their teams' work
        topics.add(agents_topic(ws_id))
        if actor.role in {"supervisor", "admin"}:  # a token's role, not its owner's
            topics.add(supervisors_topic(ws_id))
    if conv is not None:
        topics.add(conversation_topic(ws_id, conv.id))
    return topics


async def with_html(ws: WebSocket, page: AgentPage, conv: Conversation,
                    event: dict[str, Any]) -> dict[str, Any]:
    """Add the rendered message to a new or changed message of the shown conversation."""
    data = event.get("data") or {}
    if event.get("type") not in MESSAGE_EVENTS or data.get("conversation_id") != conv.id:
        return event
    async with ws.app.state.session_factory() as session:
        html = await render_message(session, ws.app.state.templates, page, conv,
                                    data["message_id"])
    return {**event, "data": {**data, "html": html}}


async def handle_agent_message(ws: WebSocket, hub: Hub, page: AgentPage,
                               message: dict[str, Any]) -> None:
    """Relay an agent's typing and read mark to the customer of a conversation they may see."""
    conversation_id = message.get("conversation_id")
    kind = message.get("type")
    if kind not in SIGNALS | COLLEAGUE_SIGNALS or not isinstance(conversation_id, int):
        return
    async with ws.app.state.session_factory() as session:
        try:
            conv = await access_conversation(session, actor=page.actor,
                                             conversation_id=conversation_id)
        except NotFound:
            return
        name = page.user.display_name or page.user.name
        if kind in COLLEAGUE_SIGNALS:
            await relay_to_colleagues(hub, conv, user_id=page.user.id, name=name, message=message)
        if kind in SIGNALS and message.get("mode") != "note":  # a note's typing stays inside
            await relay_signal(session, hub, conv, side="agent", message=message, name=name,
                               user_id=page.user.id)
