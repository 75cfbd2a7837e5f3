"""The widget's WebSocket (/widget/ws): agent replies, typing and read receipts for a visitor."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, WebSocket

from omnidesk.domains.conversations.service import latest_conversation_for_customer
from omnidesk.domains.engagement.actions import do_mark_read
from omnidesk.domains.engagement.models import WidgetSession
from omnidesk.domains.engagement.service import get_visitor_customer, get_widget_session
from omnidesk.domains.workspaces.service import get_workspace_by_slug
from omnidesk.realtime.connection import close_quietly, receive_hello, serve
from omnidesk.realtime.hub import Hub
from omnidesk.realtime.topics import agents_topic, visitor_topic

router = APIRouter(include_in_schema=False)


async def _authenticate(ws: WebSocket, hello: dict[str, Any]) -> WidgetSession | None:
    slug, token = hello.get("workspace"), hello.get("token")
    if not isinstance(slug, str) or not isinstance(token, str):
        return None
    async with ws.app.state.session_factory() as session:
        workspace = await get_workspace_by_slug(session, slug=slug)
        if workspace is None:
            return None
        return await get_widget_session(session, workspace_id=workspace.id, token=token)


@router.websocket("/widget/ws")
async def widget_socket(ws: WebSocket) -> None:
    """Stream a visitor's events; the hello carries the workspace slug and visitor token."""
    hello = await receive_hello(ws)
    if hello is None:
        return
    visitor = await _authenticate(ws, hello)
    if visitor is None:
        await close_quietly(ws, 4401)
        return
    hub: Hub = ws.app.state.realtime
    topic = visitor_topic(visitor.workspace_id, visitor.identity_kind, visitor.identity_value)

    async def on_message(message: dict[str, Any]) -> None:
        await handle_visitor_message(ws, hub, visitor, message)

    await serve(ws, hub, principal=f"visitor:{visitor.id}", topics={topic}, hello=hello,
                on_message=on_message)


async def handle_visitor_message(ws: WebSocket, hub: Hub, visitor: WidgetSession,
                                 message: dict[str, Any]) -> None:
    """Relay the visitor's typing to agents; record and relay their read mark."""
    kind = message.get("type")
    if kind not in {"typing", "read"}:
        return
    async with ws.app.state.session_factory() as session:
        customer = await get_visitor_customer(session, widget_session=visitor)
        conv = None if customer is None else await latest_conversation_for_customer(
            session, workspace_id=visitor.workspace_id, customer_id=customer.id)
        if conv is None:
            return
        data: dict[str, Any] = {"conversation_id": conv.id, "author": "customer"}
        if kind == "read":
            message_id = message.get("message_id")
            if not isinstance(message_id, int):
                return
            await do_mark_read(session, workspace_id=conv.workspace_id, conversation_id=conv.id,
                               reader="customer", message_id=message_id)
            await session.commit()
            data["message_id"] = message_id
        else:
            data["state"] = bool(message.get("state", True))
    await hub.publish(agents_topic(visitor.workspace_id), kind, data)
