"""Call recordings the provider keeps: when the messages that refer to them are purged or erased,
an event asks the channel to delete them there too (we hold only their ids)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.events import emit
from omnidesk.domains.conversations.models import Message
from omnidesk.domains.retention.events import ProviderRecordingsRemoved

RECORDING_KEY = "recording_sid"  # Message.meta: the provider's id of the call's recording
PROVIDER_RECORDINGS = "provider_recordings"  # the count in purge reports and certificates


def recording_id(message: Message) -> str | None:
    """Return the provider recording a message refers to, if any."""
    value = (message.meta or {}).get(RECORDING_KEY)
    return str(value) if value else None


def do_request_recording_deletion(session: AsyncSession, workspace_id: int,
                             messages: Iterable[Message]) -> int:
    """Ask each channel to delete the recordings these messages refer to (before their metadata
    is cleared); return how many recordings were asked for."""
    wanted: dict[tuple[str, int | None], set[str]] = defaultdict(set)
    for message in messages:
        if found := recording_id(message):
            wanted[(message.channel, message.inbox_id)].add(found)
    for (channel, inbox_id), ids in sorted(wanted.items(), key=str):
        emit(session, ProviderRecordingsRemoved(channel=channel, inbox_id=inbox_id,
                                                recording_ids=sorted(ids)),
             workspace_id=workspace_id)
    return sum(len(ids) for ids in wanted.values())
