"""The email channel's manifest: what it is and can do (pure data, read by domains too)."""

from omnidesk.core.channel_manifest import Capabilities, ChannelManifest

MANIFEST = ChannelManifest(
    kind="email", identity_kind="email", name_ko="이메일", name_en="Email",
    capabilities=Capabilities(media_types=frozenset({"image", "file"}), html=True,
                              threading=True),
    capacity_class="email", bot_by_default=False,
    adapter="omnidesk.channels.email.adapter:EmailAdapter",
    config="omnidesk.channels.email.config:EmailConfig",
)
