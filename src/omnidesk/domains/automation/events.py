"""The automation domain's events: rule changes and notifications its actions send."""

from __future__ import annotations

from typing import Any, ClassVar

from omnidesk.core.events import Event


class AutomationRuleChanged(Event):
    """An admin created, changed or deleted an automation rule (`action`)."""

    name: ClassVar[str] = "automation.rule_changed"
    example: ClassVar[dict[str, Any]] = {"rule_id": 5, "action": "created"}

    rule_id: int
    action: str


class AutomationNotified(Event):
    """A rule or macro asked to tell a staff member about a conversation."""

    name: ClassVar[str] = "automation.notified"
    example: ClassVar[dict[str, Any]] = {"user_id": 3, "conversation_id": 41, "rule_id": 5,
                                         "text": "SLA breached: escalated to urgent"}

    user_id: int
    conversation_id: int | None = None
    rule_id: int | None = None
    text: str = ""


class WebhookDeliveryRequested(Event):
    """An event is to be sent to one endpoint (one outbox delivery per endpoint, own retries)."""

    name: ClassVar[str] = "webhook.delivery_requested"
    example: ClassVar[dict[str, Any]] = {"webhook_delivery_id": 12, "endpoint_id": 2}

    webhook_delivery_id: int
    endpoint_id: int


class WebhookEndpointChanged(Event):
    """An admin created, changed or deleted a webhook endpoint (`action`)."""

    name: ClassVar[str] = "webhook.endpoint_changed"
    example: ClassVar[dict[str, Any]] = {"endpoint_id": 2, "action": "created"}

    endpoint_id: int
    action: str
