"""The explicit map of channel kinds to adapters, validated once at start-up."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from types import MappingProxyType

from pydantic import BaseModel

from omnidesk.channels.api.adapter import ApiChannelAdapter
from omnidesk.channels.base import ChannelAdapter, MediaFetcher
from omnidesk.channels.email.adapter import EmailAdapter
from omnidesk.channels.kakao.adapter import KakaoAdapter
from omnidesk.channels.line.adapter import LineAdapter
from omnidesk.channels.messenger.adapter import InstagramAdapter, MessengerAdapter
from omnidesk.channels.naver.adapter import NaverTalkAdapter
from omnidesk.channels.sms.adapter import TwilioSmsAdapter
from omnidesk.channels.telegram.adapter import TelegramAdapter
from omnidesk.channels.voice.adapter import TwilioVoiceAdapter
from omnidesk.channels.whatsapp.adapter import WhatsAppAdapter

ADAPTER_CLASSES: tuple[type, ...] = (
    ApiChannelAdapter, EmailAdapter, KakaoAdapter, LineAdapter, MessengerAdapter,
    InstagramAdapter, NaverTalkAdapter, TwilioSmsAdapter, TelegramAdapter, TwilioVoiceAdapter,
    WhatsAppAdapter,
)
KNOWN_CAPABILITIES = frozenset({
    "text", "html", "attachments", "templates", "delivery_status", "read_receipts",
    "threading", "voice", "ivr", "quick_replies", "sync_reply",
})


class RegistryError(Exception):
    """An adapter breaks the contract; the app must not start."""


def validate_adapter(adapter: object) -> None:
    """Raise RegistryError unless the adapter satisfies ChannelAdapter in full."""
    name = type(adapter).__name__
    if not isinstance(adapter, ChannelAdapter):
        raise RegistryError(f"{name} does not implement the ChannelAdapter protocol")
    if not (isinstance(adapter.kind, str) and adapter.kind):
        raise RegistryError(f"{name} has no kind")
    unknown = set(adapter.capabilities) - KNOWN_CAPABILITIES
    if unknown:
        raise RegistryError(f"{name} declares unknown capabilities {sorted(unknown)}")
    if not (inspect.isclass(adapter.config_model) and
            issubclass(adapter.config_model, BaseModel)):
        raise RegistryError(f"{name}.config_model is not a pydantic model")
    if not inspect.iscoroutinefunction(adapter.send_outbound):
        raise RegistryError(f"{name}.send_outbound must be async")
    if isinstance(adapter, MediaFetcher) and not inspect.iscoroutinefunction(
            adapter.fetch_media):
        raise RegistryError(f"{name}.fetch_media must be async")
    for method in ("verify_request", "parse_inbound"):
        if inspect.iscoroutinefunction(getattr(adapter, method)):
            raise RegistryError(f"{name}.{method} must be synchronous and fast")


def build_registry(classes: tuple[type, ...] = ADAPTER_CLASSES) -> Mapping[str, ChannelAdapter]:
    """Instantiate and validate every adapter; kinds must be unique."""
    adapters: dict[str, ChannelAdapter] = {}
    for adapter_class in classes:
        adapter = adapter_class()
        validate_adapter(adapter)
        if adapter.kind in adapters:
            raise RegistryError(f"channel kind {adapter.kind!r} registered twice")
        adapters[adapter.kind] = adapter
    return MappingProxyType(adapters)


def get_adapter(registry: Mapping[str, ChannelAdapter], kind: str) -> ChannelAdapter:
    """Return the adapter of a kind, or raise KeyError naming the known kinds."""
    try:
        return registry[kind]
    except KeyError:
        raise KeyError(f"unknown channel {kind!r}; known: {sorted(registry)}") from None
