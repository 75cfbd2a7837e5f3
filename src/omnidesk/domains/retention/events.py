"""The privacy domain's events: erasures and retention purges."""

from __future__ import annotations

from typing import Any, ClassVar

from omnidesk.core.events import Event


class CustomerErased(Event):
    """A customer was erased (the certificate is the audit record `certificate_id`)."""

    name: ClassVar[str] = "customer.erased"
    example: ClassVar[dict[str, Any]] = {"customer_id": 7, "certificate_id": 120}

    customer_id: int
    certificate_id: int


class RetentionPurged(Event):
    """A retention purge removed data past its retention period (counts per data kind)."""

    name: ClassVar[str] = "retention.purged"
    example: ClassVar[dict[str, Any]] = {"removed": {"messages": 12, "raw_events": 40}}

    removed: dict[str, int]
