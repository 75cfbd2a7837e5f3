"""Check an inbox's connection: ask the provider who we are, and say the answer in words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from pydantic import ValidationError

from omnidesk.channels.base import ChannelAdapter, ChannelError, ConnectionChecker
from omnidesk.channels.crypto import SettingsCipher
from omnidesk.channels.inbox_port import plain_settings, settings_problems
from omnidesk.channels.service import inbox_config
from omnidesk.core.outbound import outbound_client
from omnidesk.domains.inboxes.models import Inbox

CHECK_TIMEOUT = httpx.Timeout(10.0)


@dataclass(frozen=True)
class ConnectionReport:
    """What a check found: ok True/False, or None when the channel has no way to check."""

    ok: bool | None
    message: str


async def check_inbox_connection(inbox: Inbox, adapters: Mapping[str, ChannelAdapter],
                                 cipher: SettingsCipher,
                                 http: httpx.AsyncClient | None = None) -> ConnectionReport:
    """Ask the inbox's provider to recognise its settings; never sends a customer anything."""
    adapter = adapters.get(inbox.kind)
    if adapter is None:
        return ConnectionReport(True, "no provider: omnidesk serves this channel itself")
    try:
        config = inbox_config(inbox, adapter, cipher)
    except ValidationError as exc:
        return ConnectionReport(False, f"the stored settings are invalid: "
                                       f"{settings_problems(exc)}")
    if not isinstance(adapter, ConnectionChecker):
        return ConnectionReport(None, "this provider offers no way to check without sending; "
                                      "send a message from the channel to test it")
    try:
        if http is not None:
            detail = await adapter.check_connection(config, http)
        else:
            async with outbound_client(timeout=CHECK_TIMEOUT) as client:
                detail = await adapter.check_connection(config, client)
    except ChannelError as exc:
        return ConnectionReport(False, str(exc))
    return ConnectionReport(True, detail)


def open_settings(inbox: Inbox, adapter: ChannelAdapter | None,
                  cipher: SettingsCipher) -> dict[str, Any]:
    """Return an inbox's settings in clear (to keep blank secrets on an edit; never shown)."""
    if not inbox.sealed_settings:
        return {}
    if adapter is None:
        return cipher.open(inbox.sealed_settings)
    try:
        return plain_settings(inbox_config(inbox, adapter, cipher))
    except ValidationError:
        return cipher.open(inbox.sealed_settings)
