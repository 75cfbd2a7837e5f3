"""The telegram channel's manifest: what it is and can do (pure data, read by domains too)."""

from omnidesk.core.channel_manifest import Capabilities, ChannelManifest

MANIFEST = ChannelManifest(
    kind="telegram", identity_kind="telegram", name_ko="텔레그램", name_en="Telegram",
    capabilities=Capabilities(text_limit=4096, media_types=frozenset({"image", "audio", "video", "file"}), quick_replies=True),
    adapter="omnidesk.channels.telegram.adapter:TelegramAdapter",
    config="omnidesk.channels.telegram.config:TelegramConfig",
)
