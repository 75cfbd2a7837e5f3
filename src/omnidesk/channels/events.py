"""The channel layer's events: stored webhook events and media downloads."""

from __future__ import annotations

from typing import Any, ClassVar

from omnidesk.channels.manifests import KINDS
from omnidesk.core.events import Event


class ChannelEventReceived(Event):
    """A verified provider event was stored once; the processing job takes it from here."""

    name: ClassVar[str] = "channel.event_received"
    example: ClassVar[dict[str, Any]] = {"inbound_event_id": 30, "channel": KINDS[0],
                                         "inbox_id": 3, "kind": "message"}

    inbound_event_id: int
    channel: str
    inbox_id: int | None = None
    kind: str
    # The same number for every event of one sender (or of one sent message's statuses), so a
    # running dispatcher processes them in order; a hash bucket, naming nobody.
    partition: int | None = None


class ChannelMediaRequested(Event):
    """An inbound message has provider files to download into attachment storage."""

    name: ClassVar[str] = "channel.media_requested"
    example: ClassVar[dict[str, Any]] = {"message_id": 90, "channel": KINDS[0]}

    message_id: int
    channel: str
