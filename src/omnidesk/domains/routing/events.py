"""The routing domain's events: names and payload builders."""

from __future__ import annotations

from typing import Any

from omnidesk.domains.routing.models import QueueEntry
from omnidesk.domains.routing.sla import SLA_BREACHED, SLA_WARNING

ROUTING_ENQUEUED = "routing.enqueued"
ROUTING_OFFERED = "routing.offered"
ROUTING_OFFER_EXPIRED = "routing.offer_expired"
ROUTING_REQUEUED = "routing.requeued"
ROUTING_OVERFLOWED = "routing.overflowed"
ROUTING_SYNCED = "routing.synced"  # a person's assignment was applied to the entry and loads
AGENT_PRESENCE_CHANGED = "agent.presence_changed"

__all__ = ["SLA_BREACHED", "SLA_WARNING", "entry_payload"]


def entry_payload(entry: QueueEntry, **extra: Any) -> dict[str, Any]:
    """Describe a queue entry for subscribers."""
    return {
        "entry_id": entry.id,
        "conversation_id": entry.conversation_id,
        "customer_id": entry.customer_id,
        "queue_id": entry.queue_id,
        "status": entry.status,
        "channel": entry.channel,
        "priority": entry.priority,
        "agent_id": entry.agent_id,
        "offer_expires_at": None
        if entry.offer_expires_at is None
        else entry.offer_expires_at.isoformat(),
        **extra,
    }
