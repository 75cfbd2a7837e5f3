"""Channel reads: an inbox's decrypted, validated settings, webhook URLs."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.base import ChannelAdapter
from omnidesk.channels.crypto import SettingsCipher
from omnidesk.domains.conversations.models import Message
from omnidesk.domains.inboxes.models import Inbox
from omnidesk.domains.inboxes.service import find_inbox, first_inbox


def inbox_config(inbox: Inbox, adapter: ChannelAdapter, cipher: SettingsCipher) -> Any:
    """Open and validate an inbox's settings into the adapter's config model."""
    return adapter.config_model.model_validate(cipher.open(inbox.sealed_settings))


def webhook_url(public_url: str, *, kind: str, inbox_key: str) -> str:
    """Return the URL a provider must call for one inbox."""
    return f"{public_url.rstrip('/')}/webhooks/{kind}/{inbox_key}"


def legacy_webhook_url(public_url: str, *, kind: str, workspace_slug: str) -> str:
    """Return the pre-inbox URL, still served by the workspace's first inbox of the kind."""
    return f"{public_url.rstrip('/')}/channels/{kind}/{workspace_slug}/webhook"


async def inbox_for_message(session: AsyncSession, message: Message) -> Inbox | None:
    """Return the active inbox a message goes out through: its own, else the first of its kind."""
    if message.inbox_id is not None:
        inbox = await find_inbox(session, workspace_id=message.workspace_id,
                                 inbox_id=message.inbox_id)
        if inbox is not None and inbox.is_active and inbox.kind == message.channel:
            return inbox
    return await first_inbox(session, workspace_id=message.workspace_id, kind=message.channel)
