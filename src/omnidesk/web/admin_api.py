"""Admin API over the outbox: see failed and dead-lettered deliveries and replay them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from omnidesk.core.api import ApiRoute
from omnidesk.core.events import EventDelivery
from omnidesk.core.http import ActorDep, SessionDep
from omnidesk.core.outbox import do_replay_delivery, list_deliveries
from omnidesk.core.schemas import Id

router = APIRouter(prefix="/api/v1/admin/deliveries", tags=["admin"], route_class=ApiRoute)


class DeliveryRead(BaseModel):
    id: int
    event_id: int
    event_name: str
    subscriber: str
    status: str
    attempts: int
    next_attempt_at: dt.datetime
    last_error: str | None
    created_at: dt.datetime

    @classmethod
    def of(cls, delivery: EventDelivery, event_name: str) -> DeliveryRead:
        """Build the API view of a delivery."""
        return cls(id=delivery.id, event_id=delivery.event_id, event_name=event_name,
                   subscriber=delivery.subscriber, status=delivery.status,
                   attempts=delivery.attempts, next_attempt_at=delivery.next_attempt_at,
                   last_error=delivery.last_error, created_at=delivery.created_at)


@router.get("", response_model=list[DeliveryRead])
async def read_deliveries(
    actor: ActorDep,
    session: SessionDep,
    status: Annotated[Literal["pending", "running", "done", "dead"], Query()] = "dead",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[DeliveryRead]:
    """List the workspace's event deliveries in a state (dead letters by default)."""
    actor.require("admin")
    rows = await list_deliveries(session, status=status, workspace_id=actor.workspace_id,
                                 limit=limit)
    return [DeliveryRead.of(d, name) for d, name in rows]


@router.post("/{delivery_id}/replay", response_model=DeliveryRead)
async def replay_delivery(delivery_id: Id, actor: ActorDep, session: SessionDep) -> DeliveryRead:
    """Put a dead-lettered delivery back in the queue with a fresh attempt budget."""
    actor.require("admin")
    delivery, name = await do_replay_delivery(session, delivery_id=delivery_id,
                                              workspace_id=actor.workspace_id)
    await session.commit()
    return DeliveryRead.of(delivery, name)
