"""The instagram channel's manifest: what it is and can do (pure data, read by domains too)."""

from omnidesk.core.channel_manifest import Capabilities, ChannelManifest

MANIFEST = ChannelManifest(
    kind="instagram", identity_kind="instagram", name_ko="인스타그램", name_en="Instagram",
    capabilities=Capabilities(text_limit=1000, media_types=frozenset({"image", "audio", "video", "file"}), delivery_status=True,
                              read_receipts=True, quick_replies=True, quick_reply_limit=13),
    adapter="omnidesk.channels.messenger.adapter:InstagramAdapter",  # Meta's Messenger API
    config="omnidesk.channels.messenger.config:MessengerConfig",
)
