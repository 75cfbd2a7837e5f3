"""The sms channel's manifest: what it is and can do (pure data, read by domains too)."""

from omnidesk.core.channel_manifest import Capabilities, ChannelManifest

MANIFEST = ChannelManifest(
    kind="sms", identity_kind="phone", name_ko="문자", name_en="SMS",
    identity_name_ko="전화번호", identity_name_en="Phone",
    capabilities=Capabilities(text_limit=1600, media_types=frozenset({"image"}),
                              delivery_status=True),
    adapter="omnidesk.channels.sms.adapter:TwilioSmsAdapter",
    config="omnidesk.channels.sms.config:TwilioSmsConfig",
)
