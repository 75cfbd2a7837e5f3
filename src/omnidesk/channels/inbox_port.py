"""The inboxes domain's port onto the channels: validate, seal and describe inbox settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.base import ChannelAdapter
from omnidesk.channels.crypto import SettingsCipher
from omnidesk.channels.manifests import BY_KIND
from omnidesk.channels.schemas import masked
from omnidesk.channels.service import inbox_config, webhook_url
from omnidesk.core.errors import InvalidInput, NotFound
from omnidesk.domains.inboxes.actions import do_create_inbox
from omnidesk.domains.inboxes.models import Inbox
from omnidesk.domains.inboxes.schemas import InboxRead
from omnidesk.domains.routing.service import get_queue


def settings_problems(exc: ValidationError) -> str:
    """Summarise a settings validation error by field, without echoing submitted values."""
    return "; ".join(f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}"
                     for err in exc.errors())


def plain_settings(model: Any) -> dict[str, Any]:
    """Dump a settings model with SecretStr values in clear, for sealing only."""
    out: dict[str, Any] = model.model_dump(mode="json")
    for field_name in type(model).model_fields:
        value = getattr(model, field_name)
        if hasattr(value, "get_secret_value"):
            out[field_name] = value.get_secret_value()
        elif hasattr(type(value), "model_fields"):
            out[field_name] = plain_settings(value)
    return out


@dataclass(frozen=True)
class ChannelInboxPort:
    """Implements `domains.inboxes.schemas.InboxPort` over the adapter registry and cipher."""

    adapters: Mapping[str, ChannelAdapter]
    cipher: SettingsCipher
    public_url: str

    def knows(self, kind: str) -> bool:
        """Tell whether a channel kind can be connected (a manifest says it exists)."""
        return kind in BY_KIND

    def seal(self, kind: str, settings: dict[str, Any]) -> str:
        """Validate settings with the kind's config model and encrypt them."""
        adapter = self.adapters.get(kind)
        if adapter is None:  # a channel without a provider (the widget) has no secrets
            return self.cipher.seal(settings)
        try:
            config = adapter.config_model.model_validate(settings)
        except ValidationError as exc:
            raise InvalidInput(f"invalid {kind} settings: {settings_problems(exc)}",
                               field="settings") from None
        return self.cipher.seal(plain_settings(config))

    def settings(self, inbox: Inbox) -> dict[str, Any]:
        """Return an inbox's settings with every credential masked."""
        adapter = self.adapters.get(inbox.kind)
        if adapter is None:
            return masked(self.cipher.open(inbox.sealed_settings)) if inbox.sealed_settings \
                else {}
        return masked(inbox_config(inbox, adapter, self.cipher).model_dump(mode="json"))

    def describe(self, inbox: Inbox) -> InboxRead:
        """Describe an inbox for admins: masked settings, capabilities and webhook URL."""
        manifest = BY_KIND.get(inbox.kind)
        url = webhook_url(self.public_url, kind=inbox.kind, inbox_key=inbox.public_key) \
            if manifest is not None and manifest.webhook else None
        return InboxRead(
            id=inbox.id, kind=inbox.kind, name=inbox.name, public_key=inbox.public_key,
            is_active=inbox.is_active, settings=self.settings(inbox), webhook_url=url,
            capabilities=sorted(manifest.capabilities.names) if manifest else [],
            greeting=inbox.greeting or {}, hours=inbox.hours or {},
            default_queue_id=inbox.default_queue_id, created_at=inbox.created_at)

    async def has_queue(self, session: AsyncSession, *, workspace_id: int,
                        queue_id: int) -> bool:
        """Tell whether a queue id names a routing queue of the workspace (routing decides)."""
        try:
            await get_queue(session, workspace_id=workspace_id, queue_id=queue_id)
        except NotFound:
            return False
        return True


async def do_connect_inbox(session: AsyncSession, *, workspace_id: int, adapter: ChannelAdapter,
                           name: str, settings: dict[str, Any],
                           cipher: SettingsCipher) -> Inbox:
    """Validate settings with the adapter's model, seal them and add one more inbox."""
    sealed = ChannelInboxPort({adapter.kind: adapter}, cipher, "").seal(adapter.kind, settings)
    return await do_create_inbox(session, workspace_id=workspace_id, kind=adapter.kind,
                                 name=name, sealed_settings=sealed)
