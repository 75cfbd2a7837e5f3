"""Subscribers that keep routing in step with people: manual assignment and user changes.

A person's assignment, transfer or unassignment updates the queue entry and both agents' loads;
a capacity change takes effect at once and may free room for waiting work. Both handlers read the
current database state, so a repeated or late delivery is harmless.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.errors import NotFound
from omnidesk.core.events import DeliveredEvent, SubscriberRegistry
from omnidesk.domains.agents.events import UserUpdated
from omnidesk.domains.conversations.events import ConversationAssigned
from omnidesk.domains.routing.actions import do_assign_next
from omnidesk.domains.routing.assignment.transfer_actions import (
    ROUTING_REASONS,
    do_apply_user_changes,
    do_sync_assignment,
)
from omnidesk.domains.routing.service import list_queues

USER_FIELDS = frozenset({"capacity", "is_active", "skills", "languages"})


def by_a_person(event: ConversationAssigned) -> bool:
    """Tell whether a person (not routing itself) made the assignment change."""
    return event.reason not in ROUTING_REASONS


def changes_routing(event: UserUpdated) -> bool:
    """Tell whether a user change touches routing (capacity, deactivation, skills, languages:
    waiting work may now fit the person)."""
    return bool(USER_FIELDS & set(event.fields))


async def sync_manual_assignment(
    event: DeliveredEvent[ConversationAssigned], session: AsyncSession
) -> None:
    """Update the queue entry and loads after a person assigned, transferred or unassigned."""
    if event.workspace_id is None:
        return
    try:
        entry = await do_sync_assignment(
            session,
            workspace_id=event.workspace_id,
            conversation_id=event.data.conversation_id,
        )
    except NotFound:
        return  # deleted since
    if entry is not None:  # the previous holder may have room for waiting work now
        await do_assign_next(session, workspace_id=event.workspace_id, queue_id=entry.queue_id)


async def sync_user_changes(event: DeliveredEvent[UserUpdated], session: AsyncSession) -> None:
    """Apply a changed capacity or deactivation to the agent's routing state at once."""
    workspace_id = event.workspace_id
    if workspace_id is None:
        return
    try:
        row = await do_apply_user_changes(
            session, workspace_id=workspace_id, user_id=event.data.user_id
        )
    except NotFound:
        return
    if row is not None and row.presence == "online":
        for queue in await list_queues(session, workspace_id=workspace_id):
            await do_assign_next(session, workspace_id=workspace_id, queue_id=queue.id)


def register(registry: SubscriberRegistry) -> None:
    """Add the subscribers that sync routing with manual assignment and user changes."""
    registry.subscribe(ConversationAssigned, name="routing.sync_assignment", when=by_a_person,
                       reads=("conversation_id", "reason"))(sync_manual_assignment)
    registry.subscribe(UserUpdated, name="routing.sync_user", when=changes_routing,
                       reads=("user_id", "fields"))(sync_user_changes)
