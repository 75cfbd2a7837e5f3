"""Commerce jobs: orders and store activity follow a customer into a merge."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import rowcount
from omnidesk.core.events import DeliveredEvent, SubscriberRegistry
from omnidesk.domains.commerce.models import BehaviourEvent, Order
from omnidesk.domains.customers.events import CustomerMerged


async def do_move_customer_commerce(
    session: AsyncSession, *, workspace_id: int, from_customer_id: int, to_customer_id: int
) -> int:
    """Point a customer's orders and store events at another customer; return orders moved."""
    moved = 0
    for model in (Order, BehaviourEvent):
        result = await session.execute(
            update(model).where(model.workspace_id == workspace_id,
                                model.customer_id == from_customer_id)
            .values(customer_id=to_customer_id).execution_options(synchronize_session=False))
        moved += rowcount(result) if model is Order else 0
    return moved


async def follow_customer_merge(
    event: DeliveredEvent[CustomerMerged], session: AsyncSession
) -> None:
    """Move the merged customer's orders to the surviving customer (idempotent)."""
    await do_move_customer_commerce(session, workspace_id=event.workspace_id or 0,
                                    from_customer_id=event.data.merged_customer_id,
                                    to_customer_id=event.data.customer_id)


def register(registry: SubscriberRegistry) -> None:
    """Subscribe commerce to customer merges."""
    registry.subscribe(CustomerMerged, name="commerce.follow_customer_merge",
                       reads=("customer_id", "merged_customer_id"))(follow_customer_merge)
