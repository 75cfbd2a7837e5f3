"""The whatsapp channel's manifest: what it is and can do (pure data, read by domains too)."""

from omnidesk.core.channel_manifest import Capabilities, ChannelManifest

MANIFEST = ChannelManifest(
    kind="whatsapp", identity_kind="whatsapp", name_ko="WhatsApp", name_en="WhatsApp",
    capabilities=Capabilities(text_limit=4096, media_types=frozenset({"image", "audio", "video", "file"}), templates=True,
                              delivery_status=True, read_receipts=True, quick_replies=True,
                              quick_reply_limit=10),  # interactive list rows
    adapter="omnidesk.channels.whatsapp.adapter:WhatsAppAdapter",
    config="omnidesk.channels.whatsapp.config:WhatsAppConfig",
)
