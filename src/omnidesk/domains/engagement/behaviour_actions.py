"""Behaviour writes: the widget's `track`, the business events API, one way to store them.

Every event is stored against a customer (a widget visitor becomes one on their first event)
and announced as `engagement.behaviour_recorded`, which the proactive triggers read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import Actor
from omnidesk.core.db import utcnow
from omnidesk.core.errors import InvalidInput, NotFound
from omnidesk.core.events import emit
from omnidesk.domains.commerce.models import BUSINESS_KINDS, SITE_KINDS, BehaviourEvent
from omnidesk.domains.conversations.service import access_customer
from omnidesk.domains.customers.actions import do_resolve_identity
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.customers.service import find_by_external_id
from omnidesk.domains.engagement.events import BehaviourRecorded
from omnidesk.domains.engagement.models import WidgetSession
from omnidesk.domains.engagement.schemas import BusinessEventCreate, TrackCreate

# The widget's friendly names for the stored kinds (`omnidesk.track("page_view")`).
TRACK_NAMES: dict[str, str] = {"page_view": "page", "product_view": "view",
                               "cart_updated": "cart", "checkout_step": "checkout",
                               **{k: k for k in SITE_KINDS if k != "purchase"}}
ERROR_STATUSES = frozenset({"error", "failed", "declined"})


def _value(properties: dict[str, Any]) -> float | None:
    """Read what the event is worth (cart or order total), if it says."""
    raw = properties.get("value", properties.get("total"))
    if raw is None or isinstance(raw, bool):
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise InvalidInput("value must be a number", field="properties.value") from None
    if not 0 <= value <= 1e13:  # NaN fails both comparisons
        raise InvalidInput("value must be a positive amount", field="properties.value")
    return value


def _failed(kind: str, properties: dict[str, Any]) -> bool:
    return kind == "error" or str(properties.get("status", "")).lower() in ERROR_STATUSES \
        or bool(properties.get("error"))


async def do_record_behaviour(
    session: AsyncSession, *, workspace_id: int, customer_id: int, kind: str, source: str,
    properties: dict[str, Any], url: str | None = None,
    product_external_id: str | None = None, occurred_at: dt.datetime | None = None,
) -> BehaviourEvent:
    """Store one behaviour event for a customer and announce it to the triggers."""
    value = _value(properties)
    product = product_external_id or properties.get("product_id")
    row = BehaviourEvent(workspace_id=workspace_id, customer_id=customer_id, kind=kind,
                         source=source, url=url, data=properties,
                         product_external_id=str(product)[:64] if product else None,
                         occurred_at=occurred_at or utcnow())
    session.add(row)
    await session.flush()
    emit(session, BehaviourRecorded(behaviour_event_id=row.id, customer_id=customer_id,
                                    kind=kind, source=source, url=url, value=value,
                                    error=_failed(kind, properties)),
         workspace_id=workspace_id)
    return row


async def do_track_visitor(session: AsyncSession, *, widget_session: WidgetSession,
                           track_in: TrackCreate) -> BehaviourEvent:
    """Store what a widget visitor did (the visitor becomes a customer on their first event)."""
    kind = TRACK_NAMES.get(track_in.name)
    if kind is None:
        raise InvalidInput(f"unknown event {track_in.name!r}; track one of "
                           f"{', '.join(sorted(TRACK_NAMES))}", field="name")
    widget_session.last_seen_at = utcnow()
    customer = await do_resolve_identity(
        session, workspace_id=widget_session.workspace_id,
        kind=widget_session.identity_kind, value=widget_session.identity_value,
        verified=widget_session.verified, name=widget_session.name)
    return await do_record_behaviour(session, workspace_id=widget_session.workspace_id,
                                     customer_id=customer.id, kind=kind, source="widget",
                                     properties=track_in.properties, url=track_in.url)


async def _customer_for(session: AsyncSession, actor: Actor,
                        event_in: BusinessEventCreate) -> Customer:
    if event_in.customer_id is not None:
        return await access_customer(session, actor=actor, customer_id=event_in.customer_id)
    if event_in.external_id is None:
        raise InvalidInput("name the customer: customer_id or external_id", field="customer_id")
    found = await find_by_external_id(session, workspace_id=actor.workspace_id,
                                      external_id=event_in.external_id)
    if found is None:
        raise NotFound(f"no customer has external_id {event_in.external_id!r}")
    return await access_customer(session, actor=actor, customer_id=found.id)


async def check_record_business_event(session: AsyncSession, *, actor: Actor,
                                      event_in: BusinessEventCreate) -> BehaviourEvent:
    """Store an event the business reports about a customer (or a server-side site event)."""
    if event_in.name not in BUSINESS_KINDS + SITE_KINDS:
        raise InvalidInput(f"unknown event {event_in.name!r}; send one of "
                           f"{', '.join(BUSINESS_KINDS + SITE_KINDS)}", field="name")
    customer = await _customer_for(session, actor, event_in)
    return await do_record_behaviour(
        session, workspace_id=actor.workspace_id, customer_id=customer.id, kind=event_in.name,
        source="server", properties=event_in.properties, url=event_in.url,
        product_external_id=event_in.product_external_id, occurred_at=event_in.occurred_at)
