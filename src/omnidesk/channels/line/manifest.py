"""The line channel's manifest: what it is and can do (pure data, read by domains too)."""

from omnidesk.core.channel_manifest import Capabilities, ChannelManifest

MANIFEST = ChannelManifest(
    kind="line", identity_kind="line", name_ko="LINE", name_en="LINE",
    capabilities=Capabilities(text_limit=5000, media_types=frozenset({"image", "audio", "video"}),
                              quick_replies=True, quick_reply_limit=13),
    adapter="omnidesk.channels.line.adapter:LineAdapter",
    config="omnidesk.channels.line.config:LineConfig",
)
