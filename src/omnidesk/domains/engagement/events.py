"""The engagement domain's events: behaviour recorded, campaign decisions, consent changes."""

from __future__ import annotations

from typing import Any, ClassVar

from omnidesk.core.events import Event


class BehaviourRecorded(Event):
    """A customer did something on the site (widget `track`) or a business event happened to
    them (order shipped, delivery delayed, payment failed); proactive triggers read it."""

    name: ClassVar[str] = "engagement.behaviour_recorded"
    example: ClassVar[dict[str, Any]] = {"behaviour_event_id": 31, "customer_id": 7,
                                         "kind": "checkout", "source": "widget",
                                         "url": "https://shop.example/checkout",
                                         "value": 620000.0, "error": True}

    behaviour_event_id: int
    customer_id: int
    kind: str
    source: str
    url: str | None = None
    value: float | None = None  # the cart's or order's worth, when the event says
    error: bool = False  # an error event, or a step that failed (checkout error)


class CampaignDecided(Event):
    """A campaign fired for a customer: the message sent, or why it was held back."""

    name: ClassVar[str] = "engagement.campaign_decided"
    example: ClassVar[dict[str, Any]] = {"campaign_id": 3, "customer_id": 7, "send_id": 12,
                                         "status": "suppressed", "reason": "quiet_hours",
                                         "channel": None, "conversation_id": None}

    campaign_id: int
    customer_id: int
    send_id: int
    status: str  # sent | suppressed | failed
    reason: str | None = None
    channel: str | None = None
    conversation_id: int | None = None


class ConsentChanged(Event):
    """A customer's marketing consent on a channel changed (given, withdrawn, opted out)."""

    name: ClassVar[str] = "engagement.consent_changed"
    example: ClassVar[dict[str, Any]] = {"customer_id": 7, "channel": "any", "marketing": False,
                                         "night": False, "source": "keyword"}

    customer_id: int
    channel: str
    marketing: bool
    night: bool
    source: str
