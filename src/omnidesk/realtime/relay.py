"""Typing and read marks between the two sides of a conversation (agent screens, widgets).

One relay serves both sockets: a side's typing is shown to the other side, and a side's read
mark is recorded, then shown to the other side.
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.domains.conversations.models import Conversation
from omnidesk.domains.customers.service import get_customer
from omnidesk.domains.engagement.actions import do_mark_read
from omnidesk.domains.engagement.models import agent_reader
from omnidesk.realtime.hub import Hub
from omnidesk.realtime.topics import VISITOR_IDENTITY_KINDS, conversation_topic, visitor_topic

Side = Literal["agent", "customer"]
SIGNALS = frozenset({"typing", "read"})


async def relay_signal(session: AsyncSession, hub: Hub, conv: Conversation, *, side: Side,
                       message: dict[str, Any], name: str | None = None,
                       user_id: int | None = None) -> None:
    """Record a read mark (committing it) or note typing, and show it to the other side.

    An agent's read mark is also recorded as that agent's own (`user_id`): their unread counts.
    """
    kind = message.get("type")
    data: dict[str, Any] = {"conversation_id": conv.id, "author": side, "reader": side}
    if kind == "read":
        message_id = message.get("message_id")
        if not isinstance(message_id, int) or isinstance(message_id, bool):
            return
        await do_mark_read(session, workspace_id=conv.workspace_id, conversation_id=conv.id,
                           reader=side, message_id=message_id)
        if side == "agent" and user_id is not None:
            await do_mark_read(session, workspace_id=conv.workspace_id, conversation_id=conv.id,
                               reader=agent_reader(user_id), message_id=message_id)
        await session.commit()
        data["message_id"] = message_id
    elif kind == "typing":
        data.update(name=name, state=bool(message.get("state", True)))
    else:
        return
    await hub.publish(await _other_side(session, conv, side), kind, data)


async def _other_side(session: AsyncSession, conv: Conversation, side: Side) -> list[str]:
    if side == "customer":
        return [conversation_topic(conv.workspace_id, conv.id)]
    customer = await get_customer(session, workspace_id=conv.workspace_id,
                                  customer_id=conv.customer_id)
    return [visitor_topic(conv.workspace_id, i.kind, i.value)
            for i in customer.identities if i.kind in VISITOR_IDENTITY_KINDS]


COLLEAGUE_SIGNALS = frozenset({"viewing", "typing"})


async def relay_to_colleagues(hub: Hub, conv: Conversation, *, user_id: int, name: str,
                              message: dict[str, Any]) -> None:
    """Show the other agents on a conversation who is viewing or typing in it (never the
    customer: the conversation topic is agents' screens only)."""
    kind = message.get("type")
    if kind not in COLLEAGUE_SIGNALS:
        return
    await hub.publish([conversation_topic(conv.workspace_id, conv.id)], "colleague", {
        "conversation_id": conv.id, "user_id": user_id, "name": name, "signal": kind,
        "state": bool(message.get("state", True)), "reply": bool(message.get("reply", False)),
        "mode": message.get("mode") if message.get("mode") in ("reply", "note") else None})

