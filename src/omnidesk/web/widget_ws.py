"""The widget's WebSocket (/widget/ws): agent replies, typing and read receipts for a visitor."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, WebSocket

from omnidesk.domains.conversations.service import latest_conversation_for_customer
from omnidesk.domains.engagement.models import WidgetSession
from omnidesk.domains.engagement.service import get_visitor_customer, get_widget_session
from omnidesk.domains.workspaces.service import get_workspace_by_slug
from omnidesk.realtime.connection import close_quietly, receive_hello, serve
from omnidesk.realtime.hub import Hub
from omnidesk.realtime.relay import SIGNALS, relay_signal
from omnidesk.realtime.topics import visitor_topic

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
    """Relay the visitor's typing and read mark to the agents showing their conversation."""
    if message.get("type") not in SIGNALS:
        return
    async with ws.app.state.session_factory() as session:
        customer = await get_visitor_customer(session, widget_session=visitor)
        conv = None if customer is None else await latest_conversation_for_customer(
            session, workspace_id=visitor.workspace_id, customer_id=customer.id)
        if conv is not None:
            await relay_signal(session, hub, conv, side="customer", message=message)
