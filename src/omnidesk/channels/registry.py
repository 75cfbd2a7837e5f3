"""The explicit map of channel kinds to manifests and adapters, validated once at start-up."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Mapping
from types import MappingProxyType

from pydantic import BaseModel

from omnidesk.channels.base import ChannelAdapter, MediaFetcher
from omnidesk.channels.manifests import MANIFESTS
from omnidesk.core.channel_manifest import CAPABILITY_NAMES, CAPACITY_CLASSES, ChannelManifest

KNOWN_CAPABILITIES = CAPABILITY_NAMES


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


def resolve_hook(hook: str) -> type:
    """Import a manifest hook "module:Class"; a broken hook is a RegistryError."""
    module_name, _, attr = hook.partition(":")
    try:
        found = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise RegistryError(f"manifest hook {hook!r} does not resolve: {exc}") from None
    if not inspect.isclass(found):
        raise RegistryError(f"manifest hook {hook!r} is not a class")
    return found


def validate_manifest(manifest: ChannelManifest) -> type | None:
    """Check a manifest's own facts and return its adapter class (None: no provider)."""
    if manifest.capacity_class not in CAPACITY_CLASSES:
        raise RegistryError(f"{manifest.kind}: unknown capacity class {manifest.capacity_class!r}")
    if manifest.adapter is None:
        return None
    adapter_class = resolve_hook(manifest.adapter)
    if getattr(adapter_class, "kind", None) != manifest.kind:
        raise RegistryError(f"{manifest.adapter} is not the adapter of {manifest.kind!r}")
    config_model = getattr(adapter_class, "config_model", None)
    if manifest.config and resolve_hook(manifest.config) is not config_model:
        raise RegistryError(f"{manifest.kind}: config hook differs from the adapter's model")
    if getattr(adapter_class, "capabilities", None) != manifest.capabilities.names:
        raise RegistryError(f"{manifest.kind}: adapter capabilities differ from the manifest")
    return adapter_class


def adapter_classes(manifests: tuple[ChannelManifest, ...] = MANIFESTS) -> tuple[type, ...]:
    """Return the adapter class of every manifest that has a provider, validated."""
    found = (validate_manifest(m) for m in manifests)
    return tuple(c for c in found if c is not None)


def build_registry(classes: tuple[type, ...] | None = None) -> Mapping[str, ChannelAdapter]:
    """Instantiate and validate every adapter (by default, the manifests'); kinds are unique."""
    adapters: dict[str, ChannelAdapter] = {}
    for adapter_class in classes if classes is not None else adapter_classes():
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
