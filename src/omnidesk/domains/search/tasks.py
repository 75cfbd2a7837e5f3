"""The search indexer's schedule: new messages become searchable within a few seconds."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.events import DeliveredEvent, ScheduleFired, SubscriberRegistry
from omnidesk.domains.search.actions import do_index_new_messages

INDEX_SECONDS = 3.0


async def index_messages(event: DeliveredEvent[ScheduleFired], session: AsyncSession) -> None:
    """Index one batch of new messages (the next tick takes the rest)."""
    await do_index_new_messages(session)


def register(registry: SubscriberRegistry) -> None:
    """Schedule the message indexer."""
    registry.every(INDEX_SECONDS, name="search_index")(index_messages)
