"""Rules and webhooks subscribers: each receives exactly the events a workspace configured.

The rules subscriber declares every event a rule may trigger on; the webhooks subscriber every
catalogue event an endpoint may subscribe to. Their audiences share one read, once per
dispatcher pass, of which workspaces have enabled rules and endpoints on which events; the
dispatcher writes a delivery only for those, so an event nobody automated costs nothing.
"""

from __future__ import annotations

import weakref
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.events import DeliveredEvent, Event, SubscriberRegistry
from omnidesk.domains.automation.events import WebhookDeliveryRequested
from omnidesk.domains.automation.rule_actions import do_apply_rules
from omnidesk.domains.automation.service import (
    SEND_SUBSCRIBER,
    endpoints_for_event,
    subscribed_events,
)
from omnidesk.domains.automation.triggers import TRIGGERS, accepts
from omnidesk.domains.automation.webhook_actions import do_request_deliveries, webhook_events
from omnidesk.domains.automation.webhook_jobs import send_webhook


class Subscriptions:
    """What each workspace's enabled rules and endpoints want, as last read (shared)."""

    def __init__(self) -> None:
        self.wanted: dict[int, frozenset[str]] = {}
        self._read_in: Any = None  # the fan-out session of the last read (one read per pass)

    async def refresh(self, session: AsyncSession) -> None:
        """Reload the subscriptions, unless already read in this fan-out session."""
        if self._read_in is not None and self._read_in() is session:
            return
        self.wanted = await subscribed_events(session)
        self._read_in = weakref.ref(session)


class Audience:
    """One subscriber's view of the shared subscriptions (rules: `name`, hooks: `webhook:name`)."""

    def __init__(self, subscriptions: Subscriptions, prefix: str) -> None:
        self.subscriptions, self.prefix = subscriptions, prefix

    async def refresh(self, session: AsyncSession) -> None:
        """Reload the shared subscriptions (once per pass)."""
        await self.subscriptions.refresh(session)

    def wants(self, workspace_id: int | None, event_name: str) -> bool:
        """Tell whether the workspace configured something for this event."""
        return workspace_id is not None and f"{self.prefix}{event_name}" in \
            self.subscriptions.wanted.get(workspace_id, ())


async def apply_rules(event: DeliveredEvent[Event], session: AsyncSession) -> None:
    """Run the workspace's rules on the event; the runs commit with the delivery."""
    if event.workspace_id is None:
        return
    await do_apply_rules(session, workspace_id=event.workspace_id, event_id=event.id,
                         event=event.data)


async def request_webhooks(event: DeliveredEvent[Event], session: AsyncSession) -> None:
    """Queue one signed delivery per endpoint subscribed to the event."""
    if event.workspace_id is None:
        return
    endpoints = await endpoints_for_event(session, workspace_id=event.workspace_id,
                                          event_name=event.name)
    await do_request_deliveries(session, workspace_id=event.workspace_id, event_id=event.id,
                                event_name=event.name, endpoints=endpoints)


def register(registry: SubscriberRegistry, catalogue: list[type[Event]]) -> None:
    """Add the rules, webhook fan-out and webhook send subscribers."""
    shared = Subscriptions()
    registry.subscribe(*TRIGGERS, name="automation.rules", when=accepts,
                       audience=Audience(shared, ""))(apply_rules)
    registry.subscribe(*webhook_events(catalogue), name="automation.webhooks",
                       audience=Audience(shared, "webhook:"))(request_webhooks)
    registry.subscribe(WebhookDeliveryRequested, name=SEND_SUBSCRIBER, timeout_seconds=30,
                       reads=("webhook_delivery_id",))(send_webhook)
