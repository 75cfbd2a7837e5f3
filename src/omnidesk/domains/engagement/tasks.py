"""Engagement jobs: event triggers, the idle-cart schedule, opt-out words on every channel, and
the daily retraining of the contact-reason models.

The idle-cart scan runs from the outbox scheduler (`engagement_idle_carts`), which fires each
period once across processes; each cart is one occasion of its campaign, so even overlapping
scans message a shopper once.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import utcnow
from omnidesk.core.events import DeliveredEvent, SubscriberRegistry
from omnidesk.domains.conversations.events import MessageCreated
from omnidesk.domains.engagement.campaign_actions import do_fire_campaign
from omnidesk.domains.engagement.campaign_service import (
    count_page_views_today,
    list_campaigns,
    list_enabled_campaigns,
    list_idle_carts,
)
from omnidesk.domains.engagement.consent_actions import do_honour_opt_out, is_opt_out
from omnidesk.domains.engagement.events import BehaviourRecorded
from omnidesk.domains.engagement.prediction import MIN_CONTACTS, PredictionError
from omnidesk.domains.engagement.prediction_actions import do_train_contact_reason_model
from omnidesk.domains.engagement.prediction_service import count_contacts_since_active_model
from omnidesk.domains.workspaces.service import get_workspace, list_workspaces

log = logging.getLogger(__name__)
CONTACT_REASON_SCHEDULE = "engagement_contact_reason_training"
CONTACT_REASON_EVERY_SECONDS = 24 * 3600.0
IDLE_CART_SCHEDULE = "engagement_idle_carts"
IDLE_CART_EVERY_SECONDS = 60.0


async def do_react_to_behaviour(session: AsyncSession, *, workspace_id: int,
                                event: BehaviourRecorded, now: dt.datetime | None = None) -> int:
    """Fire the workspace's event and repeat-visit campaigns this event satisfies."""
    now = now or utcnow()
    fired = 0
    for campaign in await list_campaigns(session, workspace_id=workspace_id, enabled_only=True):
        trigger = campaign.trigger or {}
        occasion = None
        if trigger.get("kind") == "event" and trigger.get("event") == event.kind and (
                event.error or not trigger.get("only_errors")):
            occasion = f"event:{event.behaviour_event_id}"
        elif trigger.get("kind") == "repeat_visit" and event.kind == "page" and \
                trigger.get("url_contains", "\0") in (event.url or ""):
            workspace = await get_workspace(session, workspace_id=workspace_id)
            views = await count_page_views_today(
                session, workspace=workspace, customer_id=event.customer_id,
                url_contains=trigger["url_contains"], now=now)
            if views >= int(trigger.get("count", 3)):
                occasion = f"visits:{now.date().isoformat()}"
        if occasion is not None and await do_fire_campaign(
                session, campaign=campaign, customer_id=event.customer_id, occasion=occasion,
                context={"value": event.value}, now=now):
            fired += 1
    return fired


async def do_scan_idle_carts(session: AsyncSession, *, now: dt.datetime | None = None) -> int:
    """Fire every cart-idle campaign for the carts that went idle; return how many fired."""
    now = now or utcnow()
    fired = 0
    for campaign in await list_enabled_campaigns(session, trigger="cart_idle"):
        carts = await list_idle_carts(
            session, workspace_id=campaign.workspace_id,
            idle_minutes=int(campaign.trigger.get("minutes", 20)),
            min_value=float(campaign.trigger.get("min_value", 0)), now=now)
        for cart in carts:
            if await do_fire_campaign(session, campaign=campaign, customer_id=cart.customer_id,
                                      occasion=f"cart:{cart.behaviour_event_id}",
                                      context={"value": cart.value}, now=now):
                fired += 1
    return fired


async def do_retrain_contact_reasons(session: AsyncSession) -> int:
    """Train the next contact-reason version of every workspace whose labelled history grew since
    its active model (or that has enough history and no model yet); return how many."""
    trained = 0
    for workspace in await list_workspaces(session):
        new, has_model = await count_contacts_since_active_model(session,
                                                                 workspace_id=workspace.id)
        if new == 0 or (not has_model and new < MIN_CONTACTS):
            continue
        try:
            await do_train_contact_reason_model(session, workspace_id=workspace.id,
                                                source="schedule")
        except PredictionError as error:  # e.g. one reason only: nothing to tell apart yet
            log.info("contact-reason model of workspace %s not trained: %s", workspace.id, error)
            continue
        trained += 1
    return trained


async def retrain_contact_reasons(event: DeliveredEvent[Any], session: AsyncSession) -> None:
    """The daily schedule's handler (claimed once across processes; commits with it)."""
    await do_retrain_contact_reasons(session)


async def react_to_behaviour(event: DeliveredEvent[BehaviourRecorded],
                             session: AsyncSession) -> None:
    """The subscriber: fire event-triggered campaigns (commits with the delivery)."""
    if event.workspace_id is not None:
        await do_react_to_behaviour(session, workspace_id=event.workspace_id, event=event.data)


async def scan_idle_carts(event: DeliveredEvent[Any], session: AsyncSession) -> None:
    """The schedule's handler: message the shoppers whose carts went idle."""
    await do_scan_idle_carts(session)


async def honour_opt_out(event: DeliveredEvent[MessageCreated], session: AsyncSession) -> None:
    """Opt the customer out of marketing on this channel when they wrote an opt-out word."""
    if event.workspace_id is not None:
        await do_honour_opt_out(session, workspace_id=event.workspace_id,
                                conversation_id=event.data.conversation_id,
                                customer_id=event.data.customer_id,
                                channel=event.data.channel, text=event.data.text)


def _opts_out(event: MessageCreated) -> bool:
    """Only a customer's opt-out word becomes a delivery (every other message costs nothing)."""
    return event.author_kind == "customer" and not event.is_private and is_opt_out(event.text)


def register(registry: SubscriberRegistry) -> None:
    """Subscribe the triggers, the idle-cart and retraining schedules and the opt-out listener."""
    registry.subscribe(BehaviourRecorded, name="engagement.triggers",
                       reads=("behaviour_event_id", "customer_id", "kind", "url", "value",
                              "error"))(react_to_behaviour)
    registry.subscribe(MessageCreated, name="engagement.opt_out",
                       reads=("author_kind", "is_private", "text", "conversation_id",
                              "customer_id", "channel"),
                       when=_opts_out)(honour_opt_out)
    registry.every(IDLE_CART_EVERY_SECONDS, name=IDLE_CART_SCHEDULE)(scan_idle_carts)
    registry.every(CONTACT_REASON_EVERY_SECONDS,
                   name=CONTACT_REASON_SCHEDULE)(retrain_contact_reasons)
