"""The outbox subscriber that turns committed domain events into realtime events.

It runs after the commit (at least once), so a screen never shows what was rolled back. The
hub reaches the handler through the session's info (set by the app factory); a process with
no hub (a worker without Redis) has no screens to update and skips.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.manifests import is_realtime
from omnidesk.core.errors import NotFound
from omnidesk.core.events import DeliveredEvent, SubscriberRegistry
from omnidesk.domains.agents.service import get_user
from omnidesk.domains.conversations import events as ev
from omnidesk.domains.conversations.service import get_message
from omnidesk.domains.customers.service import get_customer
from omnidesk.domains.engagement.service import visitor_message
from omnidesk.realtime.hub import Hub
from omnidesk.realtime.topics import (
    VISITOR_IDENTITY_KINDS,
    agents_topic,
    supervisors_topic,
    visitor_topic,
)

log = logging.getLogger("omnidesk.realtime")
SUBSCRIBER_NAME = "realtime.fanout"
CONVERSATION_EVENTS = (
    ev.CONVERSATION_CREATED, ev.CONVERSATION_ASSIGNED, ev.CONVERSATION_STATUS_CHANGED,
    ev.CONVERSATION_UPDATED,
)
MESSAGE_CHANGES = (ev.MESSAGE_DELIVERY_UPDATED, ev.MESSAGE_UPDATED)
FANOUT_EVENTS = (ev.MESSAGE_CREATED, *MESSAGE_CHANGES, *CONVERSATION_EVENTS)
SUPERVISOR_SUBSCRIBER = "realtime.supervisors"
ROUTING_EVENTS = (
    "routing.enqueued", "routing.offered", "routing.offer_expired", "routing.requeued",
    "routing.overflowed", "routing.synced", "routing.config_changed", "agent.presence_changed",
    "sla.warning", "sla.breached",
)
ROUTING_FIELDS = ("conversation_id", "queue_id", "status", "agent_id", "user_id", "presence")
AGENT_FIELDS = ("conversation_id", "customer_id", "status", "priority", "assignee_id", "team_id",
                "channel", "change")


async def fan_out(event: DeliveredEvent, session: AsyncSession) -> None:
    """Publish one committed domain event to the screens that show it."""
    hub: Hub | None = session.info.get("realtime")
    if hub is None or event.workspace_id is None:
        return
    if event.name == ev.MESSAGE_CREATED:
        await _message_created(hub, session, event.workspace_id, event.payload)
    elif event.name in MESSAGE_CHANGES:
        await hub.publish(agents_topic(event.workspace_id), event.name, dict(event.payload))
    else:
        data = {k: event.payload.get(k) for k in AGENT_FIELDS}
        await hub.publish(agents_topic(event.workspace_id), "conversation.changed",
                          {**data, "event": event.name})


async def _message_created(hub: Hub, session: AsyncSession, workspace_id: int,
                           payload: dict[str, Any]) -> None:
    await hub.publish(agents_topic(workspace_id), "message.created", {
        key: payload.get(key) for key in ("message_id", "conversation_id", "customer_id",
                                           "channel", "author_kind", "is_private")})
    if payload.get("is_private") or not is_realtime(payload.get("channel")):
        return
    try:
        msg = await get_message(session, workspace_id=workspace_id,
                                message_id=payload["message_id"])
        customer = await get_customer(session, workspace_id=workspace_id,
                                      customer_id=payload["customer_id"])
    except NotFound:
        return  # deleted since: nothing to show
    author = None
    if msg.author_id is not None:
        user = await get_user(session, workspace_id=workspace_id, user_id=msg.author_id)
        author = user.display_name or user.name
    data = visitor_message(msg, author).model_dump(mode="json")
    for identity in customer.identities:
        if identity.kind in VISITOR_IDENTITY_KINDS:
            await hub.publish(visitor_topic(workspace_id, identity.kind, identity.value),
                              "message.created", data)


async def fan_out_routing(event: DeliveredEvent, session: AsyncSession) -> None:
    """Tell supervisor screens about routing, SLA and presence changes; agents about presence."""
    hub: Hub | None = session.info.get("realtime")
    if hub is None or event.workspace_id is None:
        return
    data = {k: event.payload.get(k) for k in ROUTING_FIELDS if k in event.payload}
    await hub.publish(supervisors_topic(event.workspace_id), "routing.changed",
                      {**data, "event": event.name})
    if event.name == "agent.presence_changed":
        await hub.publish(agents_topic(event.workspace_id), "agent.presence_changed", data)


def register(registry: SubscriberRegistry) -> None:
    """Add the realtime fan-out subscribers."""
    registry.subscribe(*FANOUT_EVENTS, name=SUBSCRIBER_NAME, max_attempts=3)(fan_out)
    registry.subscribe(*ROUTING_EVENTS, name=SUPERVISOR_SUBSCRIBER, max_attempts=3)(
        fan_out_routing
    )
