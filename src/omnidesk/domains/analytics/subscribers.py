"""Keep the analytics facts and rollups up to date from the catalogue events.

Every conversation lifecycle event refreshes that conversation's fact (idempotent: it recomputes
from the stored history); a new conversation also refreshes the customer's recent ones, whose FCR
or self-service may end with this recontact; a schedule settles facts whose window has closed;
another folds presence, capacity and assignment events into agent occupancy (``occupancy.py``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.events import DeliveredEvent, SubscriberRegistry
from omnidesk.domains.analytics.actions import (
    do_check_goals,
    do_refresh_customer_recontacts,
    do_refresh_fact,
    do_settle_due_facts,
)
from omnidesk.domains.analytics.occupancy import BATCH, FOLD_EVERY_SECONDS, do_fold_occupancy
from omnidesk.domains.conversations import events as conv_events
from omnidesk.domains.feedback.events import SurveyAnswered

LIFECYCLE = (
    conv_events.ConversationCreated, conv_events.ConversationAssigned,
    conv_events.ConversationFirstResponded, conv_events.ConversationResolved,
    conv_events.ConversationReopened, conv_events.ConversationBotHandoff,
    conv_events.ConversationReturnedToBot, conv_events.ConversationUpdated, SurveyAnswered,
)
SETTLE_EVERY_SECONDS = 900.0
GOALS_EVERY_SECONDS = 3600.0


async def refresh_conversation(event: DeliveredEvent[Any], session: AsyncSession) -> None:
    """Recompute the fact of the conversation the event is about.

    A new conversation is a recontact for the customer's recent ones (it can end their FCR or
    assumed self-service), so those are refreshed too.
    """
    await do_refresh_fact(session, workspace_id=event.workspace_id or 0,
                          conversation_id=event.data.conversation_id)
    if isinstance(event.data, conv_events.ConversationCreated):
        await do_refresh_customer_recontacts(
            session, workspace_id=event.workspace_id or 0, customer_id=event.data.customer_id,
            at=event.created_at, except_conversation_id=event.data.conversation_id)


async def refresh_moved(event: DeliveredEvent[conv_events.ConversationCustomerChanged],
                        session: AsyncSession) -> None:
    """Conversations moved to another customer: their recontacts changed."""
    for conversation_id in event.data.conversation_ids:
        await do_refresh_fact(session, workspace_id=event.workspace_id or 0,
                              conversation_id=conversation_id)


async def settle(event: DeliveredEvent[Any], session: AsyncSession) -> None:
    """Decide facts whose FCR or self-service window has closed."""
    await do_settle_due_facts(session)


async def fold_occupancy(event: DeliveredEvent[Any], session: AsyncSession) -> None:
    """Add the agents' time since the last run to their occupancy (a few batches a run, so a
    first run over a long event log catches up over several)."""
    for _ in range(10):
        if await do_fold_occupancy(session) < BATCH:
            break


async def check_goals(event: DeliveredEvent[Any], session: AsyncSession) -> None:
    """Tell the owners of goals that went off track."""
    await do_check_goals(session)


def register(registry: SubscriberRegistry) -> None:
    """Subscribe analytics to conversation events and its settling schedule."""
    registry.subscribe(*LIFECYCLE, name="analytics.refresh",
                       reads=("conversation_id", "customer_id"))(refresh_conversation)
    registry.subscribe(conv_events.ConversationCustomerChanged, name="analytics.customer_moved",
                       reads=("conversation_ids",))(refresh_moved)
    registry.every(SETTLE_EVERY_SECONDS, name="analytics.settle")(settle)
    registry.every(GOALS_EVERY_SECONDS, name="analytics.goals")(check_goals)
    registry.every(FOLD_EVERY_SECONDS, name="analytics.occupancy")(fold_occupancy)
