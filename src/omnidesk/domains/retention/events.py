"""The privacy domain's events: erasures, retention purges and provider recordings to delete."""

from __future__ import annotations

from typing import Any, ClassVar

from omnidesk.channels.voice.manifest import MANIFEST as VOICE
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


class ProviderRecordingsRemoved(Event):
    """Messages that referred to call recordings kept by the provider were purged or erased:
    the channel deletes the recordings there (`channels.tasks`, retried until it has)."""

    name: ClassVar[str] = "retention.provider_recordings_removed"
    example: ClassVar[dict[str, Any]] = {"channel": VOICE.kind, "inbox_id": 3,
                                         "recording_ids": ["RE" + "0" * 32]}

    channel: str
    inbox_id: int | None = None
    recording_ids: list[str]
