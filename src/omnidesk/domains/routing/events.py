"""The routing domain's events: queue entries, offers, presence, SLA clocks, configuration."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from pydantic import Field

from omnidesk.core.events import Event
from omnidesk.domains.routing.models import QueueEntry
from omnidesk.domains.routing.sla.clocks import SLA_BREACHED, SLA_WARNING

ENTRY: dict[str, Any] = {
    "entry_id": 12, "conversation_id": 41, "customer_id": 7, "queue_id": 2, "status": "waiting",
    "channel": "chat", "priority": 1, "agent_id": None, "offer_expires_at": None,
}


class EntryFacts(Event):
    """What every queue-entry event says about the entry."""

    entry_id: int
    conversation_id: int
    customer_id: int
    queue_id: int
    status: str
    channel: str
    priority: int
    agent_id: int | None = None
    offer_expires_at: dt.datetime | None = None

    @classmethod
    def of(cls, entry: QueueEntry, **extra: Any) -> Any:
        """Build the event from a queue entry and the event's own fields."""
        return cls(entry_id=entry.id, conversation_id=entry.conversation_id,
                   customer_id=entry.customer_id, queue_id=entry.queue_id, status=entry.status,
                   channel=entry.channel, priority=entry.priority, agent_id=entry.agent_id,
                   offer_expires_at=entry.offer_expires_at, **extra)


class RoutingEnqueued(EntryFacts):
    """A conversation entered a queue."""

    name: ClassVar[str] = "routing.enqueued"
    example: ClassVar[dict[str, Any]] = ENTRY


class RoutingOffered(EntryFacts):
    """A conversation was offered to an agent until `offer_expires_at`."""

    name: ClassVar[str] = "routing.offered"
    example: ClassVar[dict[str, Any]] = {**ENTRY, "status": "offered", "agent_id": 3,
                                         "offer_expires_at": "2026-12-04T09:00:30+00:00"}


class RoutingOfferExpired(EntryFacts):
    """An offer went unanswered; the entry waits again."""

    name: ClassVar[str] = "routing.offer_expired"
    example: ClassVar[dict[str, Any]] = {**ENTRY, "previous_agent_id": 3}

    previous_agent_id: int | None = None


class RoutingRequeued(EntryFacts):
    """Work went back to waiting (agent offline, unassigned, moved queue)."""

    name: ClassVar[str] = "routing.requeued"
    example: ClassVar[dict[str, Any]] = {**ENTRY, "previous_agent_id": 3, "from_queue_id": 2,
                                         "reason": "agent_offline"}

    previous_agent_id: int | None = None
    from_queue_id: int | None = None
    reason: str | None = None


class RoutingOverflowed(EntryFacts):
    """A long wait moved the entry to its queue's overflow queue."""

    name: ClassVar[str] = "routing.overflowed"
    example: ClassVar[dict[str, Any]] = {**ENTRY, "queue_id": 3, "from_queue_id": 2}

    from_queue_id: int


class RoutingSynced(EntryFacts):
    """A person's assignment was applied to the entry and the agents' loads."""

    name: ClassVar[str] = "routing.synced"
    example: ClassVar[dict[str, Any]] = {**ENTRY, "status": "assigned", "agent_id": 3,
                                         "previous_agent_id": None}

    previous_agent_id: int | None = None


class AgentPresenceChanged(Event):
    """An agent went online, away or offline (with the capacity per class they work with)."""

    name: ClassVar[str] = "agent.presence_changed"
    example: ClassVar[dict[str, Any]] = {"user_id": 3, "presence": "online",
                                         "at": "2026-12-04T09:00:00+00:00",
                                         "capacity": {"chat": 3}}

    user_id: int
    presence: str
    at: dt.datetime
    capacity: dict[str, int] = Field(default_factory=dict)


class SlaClockFacts(Event):
    """Where one SLA target of a conversation stands."""

    conversation_id: int
    metric: str
    state: str
    target_seconds: float
    elapsed_seconds: float


class SlaWarning(SlaClockFacts):
    """An SLA clock entered its warning band."""

    name: ClassVar[str] = SLA_WARNING
    example: ClassVar[dict[str, Any]] = {"conversation_id": 41, "metric": "first_response",
                                         "state": "warning", "target_seconds": 300.0,
                                         "elapsed_seconds": 250.0}


class SlaBreached(SlaClockFacts):
    """An SLA clock ran past its target."""

    name: ClassVar[str] = SLA_BREACHED
    example: ClassVar[dict[str, Any]] = {"conversation_id": 41, "metric": "first_response",
                                         "state": "breached", "target_seconds": 300.0,
                                         "elapsed_seconds": 301.5}


SLA_EVENTS: dict[str, type[SlaClockFacts]] = {SLA_WARNING: SlaWarning, SLA_BREACHED: SlaBreached}


class RoutingConfigChanged(Event):
    """An admin changed a queue, rule or SLA policy (`action` says which change)."""

    name: ClassVar[str] = "routing.config_changed"
    example: ClassVar[dict[str, Any]] = {"action": "routing.rule_created",
                                         "object_type": "routing_rule", "object_id": 5}

    action: str
    object_type: str
    object_id: int
