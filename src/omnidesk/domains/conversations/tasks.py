"""Conversation jobs: follow customer merges and splits; wake snoozed conversations on time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import raiseload

from omnidesk.core.db import utcnow
from omnidesk.core.events import DeliveredEvent, SubscriberRegistry, emit
from omnidesk.domains.conversations.events import (
    ConversationCustomerChanged,
    ConversationStatusChanged,
)
from omnidesk.domains.conversations.journal import log_event
from omnidesk.domains.conversations.models import Conversation
from omnidesk.domains.customers.events import CustomerMerged, CustomerSplit


async def do_move_conversations(
    session: AsyncSession, *, workspace_id: int, from_customer_id: int, to_customer_id: int,
    conversation_ids: list[int] | None = None,
) -> list[int]:
    """Point a customer's conversations (all, or the chosen ones) at another customer."""
    condition = [Conversation.workspace_id == workspace_id,
                 Conversation.customer_id == from_customer_id]
    if conversation_ids is not None:
        condition.append(Conversation.id.in_(conversation_ids))
    result = await session.execute(
        update(Conversation).where(*condition).values(customer_id=to_customer_id)
        .returning(Conversation.id).execution_options(synchronize_session="fetch"))
    moved = sorted(result.scalars().all())
    if moved:  # a redelivered event finds nothing left to move and emits nothing
        emit(session, ConversationCustomerChanged(
            conversation_ids=moved, from_customer_id=from_customer_id,
            customer_id=to_customer_id), workspace_id=workspace_id)
    return moved


async def follow_customer_merge(
    event: DeliveredEvent[CustomerMerged], session: AsyncSession
) -> None:
    """Move the merged customer's conversations to the surviving customer."""
    await do_move_conversations(session, workspace_id=event.workspace_id or 0,
                                from_customer_id=event.data.merged_customer_id,
                                to_customer_id=event.data.customer_id)


async def follow_customer_split(event: DeliveredEvent[CustomerSplit], session: AsyncSession) -> None:
    """Move the conversations chosen in a split to the new customer."""
    await do_move_conversations(session, workspace_id=event.workspace_id or 0,
                                from_customer_id=event.data.customer_id,
                                to_customer_id=event.data.new_customer_id,
                                conversation_ids=event.data.conversation_ids)


WAKE_EVERY_SECONDS = 30.0
WAKE_BATCH = 500


async def do_wake_snoozed(session: AsyncSession, *, now: dt.datetime | None = None) -> list[int]:
    """Reopen the snoozed conversations whose time has come; return their ids.

    The conditional UPDATE (still snoozed, time passed) claims each conversation, so two
    processes waking at once reopen it once; a customer who wrote first already reopened it.
    """
    now = now or utcnow()
    due = (select(Conversation.id).where(Conversation.status == "snoozed",
                                         Conversation.snoozed_until <= now)
           .order_by(Conversation.snoozed_until).limit(WAKE_BATCH).scalar_subquery())
    woke = (await session.execute(
        update(Conversation)
        .where(Conversation.id.in_(due), Conversation.status == "snoozed")
        .values(status="open", snoozed_until=None)
        .returning(Conversation.id).execution_options(synchronize_session=False))).scalars().all()
    if not woke:
        return []
    rows = await session.scalars(select(Conversation).where(Conversation.id.in_(woke))
                                 .options(raiseload(Conversation.label_rows))
                                 .execution_options(populate_existing=True))
    for conv in rows.all():
        log_event(session, conv, "woke", data={"from": "snoozed", "to": "open"})
        emit(session, ConversationStatusChanged.of(conv, previous_status="snoozed"),
             workspace_id=conv.workspace_id)
    return sorted(woke)


async def wake_snoozed(event: DeliveredEvent[Any], session: AsyncSession) -> None:
    """The schedule's handler: wake what is due (the rest waits for the next period)."""
    await do_wake_snoozed(session)


def register(registry: SubscriberRegistry) -> None:
    """Subscribe conversations to customer merges and splits (splits that move conversations)."""
    registry.subscribe(CustomerMerged, name="conversations.follow_customer_merge",
                       reads=("customer_id", "merged_customer_id"))(follow_customer_merge)
    registry.subscribe(CustomerSplit, name="conversations.follow_customer_split",
                       reads=("customer_id", "new_customer_id", "conversation_ids"),
                       when=lambda e: bool(e.conversation_ids))(follow_customer_split)
    registry.every(WAKE_EVERY_SECONDS, name="conversations_wake_snoozed")(wake_snoozed)
