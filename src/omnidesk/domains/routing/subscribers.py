"""Event handlers that drive routing: enqueue on arrival, assign when capacity frees up.

Each handler's writes commit with its delivery (see ``core.events``), so a redelivered event is
harmless: enqueue is idempotent, release ignores finished entries, and assignment claims rows.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.errors import NotFound
from omnidesk.core.events import DeliveredEvent, SubscriberRegistry
from omnidesk.domains.routing import events as ev
from omnidesk.domains.routing.actions import do_assign_next, do_enqueue, do_release
from omnidesk.domains.routing.service import list_queues

ENQUEUE_ON = ("conversation.created", "conversation.bot_handoff", "conversation.reopened")
RELEASE_ON = ("conversation.resolved", "conversation.returned_to_bot")
ASSIGN_ON = (ev.ROUTING_REQUEUED, ev.ROUTING_OFFER_EXPIRED, ev.ROUTING_OVERFLOWED)


async def enqueue_conversation(event: DeliveredEvent, session: AsyncSession) -> None:
    """Queue an unassigned conversation and try to assign it at once (not while the bot owns it)."""
    payload, workspace_id = event.payload, event.workspace_id
    if workspace_id is None or payload.get("assignee_id") is not None:
        return
    if payload.get("owner") == "bot":
        return  # the bot answers first; it emits conversation.bot_handoff when a human is needed
    try:
        entry = await do_enqueue(
            session,
            workspace_id=workspace_id,
            conversation_id=int(payload["conversation_id"]),
            text=payload.get("text"),
            sentiment=float(payload.get("sentiment") or 0.0),
        )
    except NotFound:
        return  # deleted since
    if entry is not None and entry.status == "waiting":
        await do_assign_next(session, workspace_id=workspace_id, queue_id=entry.queue_id)


async def release_conversation(event: DeliveredEvent, session: AsyncSession) -> None:
    """Free the agent's capacity when a conversation is resolved, then refill it."""
    if event.workspace_id is None:
        return
    entry = await do_release(
        session,
        workspace_id=event.workspace_id,
        conversation_id=int(event.payload["conversation_id"]),
    )
    if entry is not None:
        await do_assign_next(session, workspace_id=event.workspace_id, queue_id=entry.queue_id)


async def assign_queue(event: DeliveredEvent, session: AsyncSession) -> None:
    """Assign waiting work of the queue an entry returned to."""
    if event.workspace_id is not None and event.payload.get("queue_id") is not None:
        await do_assign_next(
            session, workspace_id=event.workspace_id, queue_id=int(event.payload["queue_id"])
        )


async def assign_on_presence(event: DeliveredEvent, session: AsyncSession) -> None:
    """Give an agent who came online work from every queue of the workspace."""
    if event.workspace_id is None or event.payload.get("presence") != "online":
        return
    for queue in await list_queues(session, workspace_id=event.workspace_id):
        await do_assign_next(session, workspace_id=event.workspace_id, queue_id=queue.id)


def register(registry: SubscriberRegistry) -> None:
    """Add the routing subscribers."""
    registry.subscribe(*ENQUEUE_ON, name="routing.enqueue")(enqueue_conversation)
    registry.subscribe(*RELEASE_ON, name="routing.release")(release_conversation)
    registry.subscribe(*ASSIGN_ON, name="routing.assign")(assign_queue)
    registry.subscribe(ev.AGENT_PRESENCE_CHANGED, name="routing.presence")(assign_on_presence)
