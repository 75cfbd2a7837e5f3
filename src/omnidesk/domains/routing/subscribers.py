"""Event handlers that drive routing: enqueue on arrival, assign when capacity frees up.

Each handler's writes commit with its delivery (see ``core.events``), so a redelivered event is
harmless: enqueue is idempotent, release ignores finished entries, and assignment claims rows.
Predicates keep deliveries away from events a handler would ignore (a bot-owned conversation,
an agent going offline).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.errors import NotFound
from omnidesk.core.events import DeliveredEvent, SubscriberRegistry
from omnidesk.domains.conversations import events as conversations
from omnidesk.domains.routing import events as ev
from omnidesk.domains.routing.actions import do_assign_next, do_enqueue, do_release
from omnidesk.domains.routing.service import list_queues

ENQUEUE_ON = (conversations.ConversationCreated, conversations.ConversationBotHandoff,
              conversations.ConversationReopened)
RELEASE_ON = (conversations.ConversationResolved, conversations.ConversationReturnedToBot)
ASSIGN_ON = (ev.RoutingRequeued, ev.RoutingOfferExpired, ev.RoutingOverflowed)
Arrival = (conversations.ConversationCreated | conversations.ConversationBotHandoff
           | conversations.ConversationReopened)


def needs_a_person(event: Arrival) -> bool:
    """Tell whether an arrival waits for a person (the bot answers first when it owns it)."""
    return event.assignee_id is None and event.owner != "bot"


async def enqueue_conversation(event: DeliveredEvent[Arrival], session: AsyncSession) -> None:
    """Queue an unassigned conversation by the customer's words and try to assign it at once."""
    data, workspace_id = event.data, event.workspace_id
    if workspace_id is None:
        return
    try:
        entry = await do_enqueue(session, workspace_id=workspace_id,
                                 conversation_id=data.conversation_id, text=data.text,
                                 sentiment=data.sentiment.score,
                                 sentiment_label=data.sentiment.label)
    except NotFound:
        return  # deleted since
    if entry is not None and entry.status == "waiting":
        await do_assign_next(session, workspace_id=workspace_id, queue_id=entry.queue_id)


async def release_conversation(
    event: DeliveredEvent[conversations.ConversationResolved
                          | conversations.ConversationReturnedToBot],
    session: AsyncSession,
) -> None:
    """Free the agent's capacity when a conversation is resolved, then refill it."""
    if event.workspace_id is None:
        return
    entry = await do_release(session, workspace_id=event.workspace_id,
                             conversation_id=event.data.conversation_id)
    if entry is not None:
        await do_assign_next(session, workspace_id=event.workspace_id, queue_id=entry.queue_id)


async def assign_queue(event: DeliveredEvent[ev.EntryFacts], session: AsyncSession) -> None:
    """Assign waiting work of the queue an entry returned to."""
    if event.workspace_id is None:
        return
    try:
        await do_assign_next(session, workspace_id=event.workspace_id,
                             queue_id=event.data.queue_id)
    except NotFound:
        return  # the queue was deleted since


async def assign_on_presence(
    event: DeliveredEvent[ev.AgentPresenceChanged], session: AsyncSession
) -> None:
    """Give an agent who came online work from every queue of the workspace."""
    if event.workspace_id is None:
        return
    for queue in await list_queues(session, workspace_id=event.workspace_id):
        await do_assign_next(session, workspace_id=event.workspace_id, queue_id=queue.id)


def register(registry: SubscriberRegistry) -> None:
    """Add the routing subscribers."""
    registry.subscribe(*ENQUEUE_ON, name="routing.enqueue", when=needs_a_person,
                       reads=("conversation_id", "assignee_id", "owner", "text", "sentiment"))(
        enqueue_conversation)
    registry.subscribe(*RELEASE_ON, name="routing.release", reads=("conversation_id",))(
        release_conversation)
    registry.subscribe(*ASSIGN_ON, name="routing.assign", reads=("queue_id",))(assign_queue)
    registry.subscribe(ev.AgentPresenceChanged, name="routing.presence", reads=("presence",),
                       when=lambda e: e.presence == "online")(assign_on_presence)
