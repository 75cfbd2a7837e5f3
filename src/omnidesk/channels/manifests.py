"""The list of channel manifests: every list of channel kinds is derived from this one.

Pure data (each manifest imports only `core.channel_manifest`), so domains may read it; adapters
and their hooks are resolved and validated by `channels.registry` at start-up.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from omnidesk.channels.api.manifest import MANIFEST as API
from omnidesk.channels.email.manifest import MANIFEST as EMAIL
from omnidesk.channels.instagram.manifest import MANIFEST as INSTAGRAM
from omnidesk.channels.kakao.manifest import MANIFEST as KAKAO
from omnidesk.channels.line.manifest import MANIFEST as LINE
from omnidesk.channels.messenger.manifest import MANIFEST as MESSENGER
from omnidesk.channels.naver.manifest import MANIFEST as NAVER
from omnidesk.channels.sms.manifest import MANIFEST as SMS
from omnidesk.channels.telegram.manifest import MANIFEST as TELEGRAM
from omnidesk.channels.voice.manifest import MANIFEST as VOICE
from omnidesk.channels.web.manifest import MANIFEST as WEB
from omnidesk.channels.whatsapp.manifest import MANIFEST as WHATSAPP
from omnidesk.core.channel_manifest import ChannelManifest

MANIFESTS: tuple[ChannelManifest, ...] = (
    WEB, API, EMAIL, SMS, VOICE, WHATSAPP, TELEGRAM, LINE, KAKAO, NAVER, MESSENGER, INSTAGRAM,
)
BY_KIND: Mapping[str, ChannelManifest] = MappingProxyType({m.kind: m for m in MANIFESTS})
KINDS: tuple[str, ...] = tuple(BY_KIND)
# Identity kinds that are not a channel's sender id: the customer's own user id on the website.
EXTRA_IDENTITY_KINDS = ("user_id",)
IDENTITY_KINDS: tuple[str, ...] = tuple(dict.fromkeys(
    [*(m.identity_kind for m in MANIFESTS), *EXTRA_IDENTITY_KINDS]))
BOT_DEFAULT_KINDS: tuple[str, ...] = tuple(m.kind for m in MANIFESTS if m.bot_by_default)


def manifest(kind: str) -> ChannelManifest:
    """Return a kind's manifest, or raise KeyError naming the known kinds."""
    try:
        return BY_KIND[kind]
    except KeyError:
        raise KeyError(f"unknown channel {kind!r}; known: {', '.join(KINDS)}") from None


def channel_name(kind: str | None, locale: str) -> str:
    """Return a channel kind's display name in a locale, or the key itself when unknown."""
    found = BY_KIND.get(kind or "")
    return found.name(locale) if found else (kind or "")


def identity_names() -> dict[str, tuple[str, str]]:
    """Return identity kind -> (ko, en) label, from the first channel resolving each kind."""
    names: dict[str, tuple[str, str]] = {}
    for m in MANIFESTS:
        names.setdefault(m.identity_kind, (m.identity_name("ko"), m.identity_name("en")))
    return names


def channels_for_identity(identity_kind: str) -> tuple[str, ...]:
    """Return the channel kinds whose sender ids are identities of this kind."""
    return tuple(m.kind for m in MANIFESTS if m.identity_kind == identity_kind)


def capacity_class(kind: str) -> str:
    """Return the agent capacity a conversation on this channel uses (chat when unknown)."""
    found = BY_KIND.get(kind)
    return found.capacity_class if found else "chat"


def is_realtime(kind: str | None) -> bool:
    """Tell whether omnidesk's own websocket carries this channel (no provider delivery)."""
    found = BY_KIND.get(kind or "")
    return found is not None and found.capabilities.realtime
