"""Contact-reason reads: the workspace's labelled history, its active model, one prediction.

A prediction costs three small statements (the model's version, the customer's recent events,
their latest order) and one in-memory inference; model bytes are loaded once per version.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import OrderedDict, defaultdict
from threading import Lock
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import utcnow
from omnidesk.domains.commerce.models import BehaviourEvent, Order
from omnidesk.domains.conversations.models import Conversation
from omnidesk.domains.engagement.models import ContactReasonModelRow
from omnidesk.domains.engagement.prediction import (
    WINDOW_DAYS,
    Contact,
    ContactReasonModel,
    Event,
    OrderState,
    Prediction,
)

MODELS_KEPT = 32
# Keyed by the row's id, version and training time: a version number alone names a different
# model after the database is reset or reloaded (two test databases, `demo load` after a wipe).
_loaded: OrderedDict[tuple[int, int, int, str], ContactReasonModel] = OrderedDict()
_lock = Lock()


def _day(value: Any) -> dt.datetime | None:
    """Read a fulfilment's ISO date (or datetime) as the end of that day, UTC."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if len(value) <= 10:  # a bare date: it happened at some point that day
        moment = moment.replace(hour=12)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def order_state(placed_at: dt.datetime, fulfillments: list[Any]) -> OrderState:
    """Read an order's dated facts from its fulfilment entries."""
    entries = [f for f in fulfillments or [] if isinstance(f, dict)]
    shipped = next((_day(f.get("shipped_at")) for f in entries if f.get("shipped_at")), None)
    delivered = next((_day(f.get("delivered_at")) for f in entries if f.get("delivered_at")),
                     None)
    return OrderState(placed_at, shipped, delivered,
                      any(f.get("type") == "installation" for f in entries))


def _latest_before(orders: list[tuple[dt.datetime, list[Any]]],
                   at: dt.datetime) -> OrderState | None:
    placed = [(p, f) for p, f in orders if p <= at]
    return order_state(*max(placed, key=lambda o: o[0])) if placed else None


async def list_contacts(session: AsyncSession, *, workspace_id: int) -> list[Contact]:
    """Return every conversation with a known intent as a contact with what preceded it."""
    convs = (await session.execute(
        select(Conversation.customer_id, Conversation.intent, Conversation.created_at)
        .where(Conversation.workspace_id == workspace_id, Conversation.intent.is_not(None))
        .order_by(Conversation.created_at, Conversation.id))).all()
    events: dict[int, list[Event]] = defaultdict(list)
    for row in (await session.execute(
            select(BehaviourEvent.customer_id, BehaviourEvent.kind, BehaviourEvent.occurred_at,
                   BehaviourEvent.url, BehaviourEvent.data)
            .where(BehaviourEvent.workspace_id == workspace_id)
            .order_by(BehaviourEvent.occurred_at))).all():
        events[row.customer_id].append(Event(row.kind, row.occurred_at, row.url, row.data or {}))
    orders: dict[int, list[tuple[dt.datetime, list[Any]]]] = defaultdict(list)
    for row in (await session.execute(
            select(Order.customer_id, Order.placed_at, Order.fulfillments)
            .where(Order.workspace_id == workspace_id, Order.placed_at.is_not(None),
                   Order.customer_id.is_not(None)))).all():
        orders[row.customer_id].append((row.placed_at, row.fulfillments or []))
    window = dt.timedelta(days=WINDOW_DAYS)
    return [Contact(at, [e for e in events[cid] if at - window <= e.occurred_at < at],
                    _latest_before(orders[cid], at), str(intent))
            for cid, intent, at in convs if intent]


async def get_active_model_version(session: AsyncSession, *,
                                   workspace_id: int) -> tuple[int, int, str] | None:
    """Return (row id, version, training time) of the workspace's active contact-reason model,
    or None."""
    row = (await session.execute(
        select(ContactReasonModelRow.id, ContactReasonModelRow.version,
               ContactReasonModelRow.created_at)
        .where(ContactReasonModelRow.workspace_id == workspace_id,
               ContactReasonModelRow.is_active.is_(True)))).first()
    return (row.id, row.version, str(row.created_at)) if row else None


async def get_active_model(session: AsyncSession, *, workspace_id: int
                           ) -> tuple[ContactReasonModel, int] | None:
    """Return the active model and its version, loading its bytes once per version."""
    found = await get_active_model_version(session, workspace_id=workspace_id)
    if found is None:
        return None
    row_id, version, trained_at = found
    key = (workspace_id, row_id, version, trained_at)
    with _lock:
        if key in _loaded:
            _loaded.move_to_end(key)
            return _loaded[key], version
    data = await session.scalar(select(ContactReasonModelRow.model_bytes)
                                .where(ContactReasonModelRow.id == row_id))
    model = await asyncio.to_thread(ContactReasonModel.from_bytes, data or b"")
    with _lock:
        _loaded[key] = model
        while len(_loaded) > MODELS_KEPT:
            _loaded.popitem(last=False)
    return model, version


async def predict_contact_reason(session: AsyncSession, *, workspace_id: int, customer_id: int,
                                 at: dt.datetime | None = None) -> Prediction | None:
    """Predict why this customer is (about to be) in touch at ``at`` (default now).

    None when the workspace has no trained model.
    """
    active = await get_active_model(session, workspace_id=workspace_id)
    if active is None:
        return None
    model, version = active
    at = at or utcnow()
    events = [Event(r.kind, r.occurred_at, r.url, r.data or {}) for r in (await session.execute(
        select(BehaviourEvent.kind, BehaviourEvent.occurred_at, BehaviourEvent.url,
               BehaviourEvent.data)
        .where(BehaviourEvent.workspace_id == workspace_id,
               BehaviourEvent.customer_id == customer_id,
               BehaviourEvent.occurred_at >= at - dt.timedelta(days=WINDOW_DAYS),
               BehaviourEvent.occurred_at < at)
        .order_by(BehaviourEvent.occurred_at.desc()).limit(200))).all()]
    latest = (await session.execute(
        select(Order.placed_at, Order.fulfillments)
        .where(Order.workspace_id == workspace_id, Order.customer_id == customer_id,
               Order.placed_at.is_not(None), Order.placed_at <= at)
        .order_by(Order.placed_at.desc()).limit(1))).first()
    order = order_state(latest.placed_at, latest.fulfillments or []) if latest else None
    return model.predict(events, order, at, version=version)


async def count_contacts_since_active_model(session: AsyncSession, *,
                                            workspace_id: int) -> tuple[int, bool]:
    """Count labelled contacts newer than the active model (all, without one); say if one exists."""
    trained_at = await session.scalar(select(ContactReasonModelRow.created_at).where(
        ContactReasonModelRow.workspace_id == workspace_id,
        ContactReasonModelRow.is_active.is_(True)))
    query = select(func.count(Conversation.id)).where(Conversation.workspace_id == workspace_id,
                                                      Conversation.intent.is_not(None))
    if trained_at is not None:
        query = query.where(Conversation.created_at > trained_at)
    return int(await session.scalar(query) or 0), trained_at is not None
