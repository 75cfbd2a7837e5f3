"""Knowledge base jobs: publish the articles whose scheduled moment has come."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import utcnow
from omnidesk.core.events import DeliveredEvent, ScheduleFired, SubscriberRegistry
from omnidesk.domains.knowledge.schedule_actions import do_publish_due_articles

PUBLISH_DUE_SECONDS = 30.0  # a scheduled article goes live within this long of its moment


async def publish_due(event: DeliveredEvent[ScheduleFired], session: AsyncSession) -> None:
    """Publish the scheduled articles that are due."""
    await do_publish_due_articles(session, now=utcnow())


def register(registry: SubscriberRegistry) -> None:
    """Schedule the check for articles due to be published."""
    registry.every(PUBLISH_DUE_SECONDS, name="kb_scheduled_publish")(publish_due)
