"""The shape of a channel manifest: what a channel kind is and can do, as plain data.

Each channel package declares one `MANIFEST` in `channels/<kind>/manifest.py`; the list of them
(`channels/manifests.py`) is the only list of channel kinds in the code base. The type lives in
the kernel so that manifests are pure data that domains may read without importing adapters.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

CAPACITY_CLASSES = ("voice", "chat", "email")  # the agents' work types a channel counts against
FLAGS = ("html", "templates", "delivery_status", "read_receipts", "threading", "voice", "ivr",
         "quick_replies", "sync_reply", "typing", "realtime")
CAPABILITY_NAMES = frozenset({"text", "attachments", *FLAGS})


@dataclass(frozen=True)
class Capabilities:
    """What a channel can carry; generic code asks these instead of naming channels."""

    text_limit: int | None = None  # characters per message the provider accepts (None: no limit)
    media_types: frozenset[str] = frozenset()  # image, audio, video, file
    html: bool = False
    templates: bool = False  # provider-approved templates (outside the reply window)
    # The identity kind a template send is addressed to when it is not the channel's own
    # (알림톡 reaches a phone number, not a chat user key); None: the channel's identity.
    template_recipient: str | None = None
    delivery_status: bool = False
    read_receipts: bool = False
    threading: bool = False  # replies thread under the customer's message (mail)
    voice: bool = False
    ivr: bool = False
    quick_replies: bool = False  # buttons the customer taps
    quick_reply_limit: int | None = None  # most buttons one message may carry (None: no limit)
    sync_reply: bool = False  # the provider waits for the answer in the webhook response
    typing: bool = False
    realtime: bool = False  # omnidesk's own websocket delivers replies: no provider send

    def choice_style(self, options: int) -> str:
        """Say how a question with `options` answers reaches the customer on this channel.

        "buttons" where omnidesk's own socket draws them (the web widget), "quick_replies"
        where the provider has tap buttons enough for every option, else "text" (the options
        written out; a typed answer counts everywhere).
        """
        if self.realtime:
            return "buttons"
        if self.quick_replies and (self.quick_reply_limit is None
                                   or options <= self.quick_reply_limit):
            return "quick_replies"
        return "text"

    @property
    def names(self) -> frozenset[str]:
        """Return the capability names adapters declare (the adapter contract's vocabulary)."""
        flags = {f.name for f in fields(self) if f.name in FLAGS and getattr(self, f.name)}
        return frozenset({"text", *flags, *(["attachments"] if self.media_types else [])})


@dataclass(frozen=True)
class ChannelManifest:
    """One channel kind, declared once in its own package."""

    kind: str
    identity_kind: str  # the customer identity this channel's sender id resolves to
    name_ko: str
    name_en: str
    capabilities: Capabilities
    identity_name_ko: str = ""  # how the identity is labelled (defaults to the channel name)
    identity_name_en: str = ""
    capacity_class: str = "chat"  # which agent capacity a conversation on it uses
    bot_by_default: bool = True  # the bot answers here when a workspace lists no channels
    adapter: str | None = None  # hook "module:Class" of the ChannelAdapter (None: no provider)
    config: str | None = None  # hook "module:Class" of the settings model
    webhook: bool = True  # the generic webhook route receives this kind's provider requests

    def name(self, locale: str) -> str:
        """Return the display name in a locale (Korean for ko, English otherwise)."""
        return self.name_ko if locale == "ko" else self.name_en

    def identity_name(self, locale: str) -> str:
        """Return the display name of this channel's identity kind."""
        ko, en = self.identity_name_ko or self.name_ko, self.identity_name_en or self.name_en
        return ko if locale == "ko" else en
