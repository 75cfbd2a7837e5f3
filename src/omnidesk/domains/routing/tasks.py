"""Periodic routing work: expire unanswered offers, overflow long waits, tick SLA clocks."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import utcnow
from omnidesk.core.events import DeliveredEvent, ScheduleFired, SubscriberRegistry
from omnidesk.domains.routing.queues.actions import do_expire_offers, do_overflow
from omnidesk.domains.routing.service import list_entries
from omnidesk.domains.routing.sla.actions import do_check_sla
from omnidesk.domains.workspaces.service import list_workspaces

TICK_SECONDS = 15.0
SLA_STATUSES = ("waiting", "offered", "assigned")


async def run_routing_tick(event: DeliveredEvent[ScheduleFired], session: AsyncSession) -> None:
    """Run the time-driven routing rules for every workspace once."""
    now = utcnow()
    for workspace in await list_workspaces(session):
        await do_expire_offers(session, workspace_id=workspace.id, now=now)
        await do_overflow(session, workspace_id=workspace.id, now=now)
        entries = await list_entries(session, workspace_id=workspace.id, statuses=SLA_STATUSES)
        for conversation_id in {entry.conversation_id for entry in entries}:
            await do_check_sla(session, workspace_id=workspace.id,
                               conversation_id=conversation_id, now=now)


def register(registry: SubscriberRegistry) -> None:
    """Schedule the routing tick."""
    registry.every(TICK_SECONDS, name="routing_tick")(run_routing_tick)
