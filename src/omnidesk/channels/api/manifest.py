"""The api channel's manifest: what it is and can do (pure data, read by domains too)."""

from omnidesk.core.channel_manifest import Capabilities, ChannelManifest

MANIFEST = ChannelManifest(
    kind="api", identity_kind="api", name_ko="API", name_en="API",
    capabilities=Capabilities(media_types=frozenset({"image", "audio", "video", "file"}), delivery_status=True,
                              read_receipts=True),
    adapter="omnidesk.channels.api.adapter:ApiChannelAdapter",
    config="omnidesk.channels.api.config:ApiChannelConfig",
)
