"""The messenger channel's manifest: what it is and can do (pure data, read by domains too)."""

from omnidesk.core.channel_manifest import Capabilities, ChannelManifest

MANIFEST = ChannelManifest(
    kind="messenger", identity_kind="messenger", name_ko="메신저", name_en="Messenger",
    capabilities=Capabilities(text_limit=2000, media_types=frozenset({"image", "audio", "video", "file"}), delivery_status=True,
                              read_receipts=True, quick_replies=True, quick_reply_limit=13),
    adapter="omnidesk.channels.messenger.adapter:MessengerAdapter",
    config="omnidesk.channels.messenger.config:MessengerConfig",
)
