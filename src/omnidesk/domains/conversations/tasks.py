"""Conversation jobs: keep conversations with their customer when customers merge or split."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.events import DeliveredEvent, SubscriberRegistry, emit
from omnidesk.domains.conversations.events import ConversationCustomerChanged
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


def register(registry: SubscriberRegistry) -> None:
    """Subscribe conversations to customer merges and splits (splits that move conversations)."""
    registry.subscribe(CustomerMerged, name="conversations.follow_customer_merge",
                       reads=("customer_id", "merged_customer_id"))(follow_customer_merge)
    registry.subscribe(CustomerSplit, name="conversations.follow_customer_split",
                       reads=("customer_id", "new_customer_id", "conversation_ids"),
                       when=lambda e: bool(e.conversation_ids))(follow_customer_split)
