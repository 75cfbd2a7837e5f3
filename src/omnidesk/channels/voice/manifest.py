"""The voice channel's manifest: what it is and can do (pure data, read by domains too)."""

from omnidesk.core.channel_manifest import Capabilities, ChannelManifest

MANIFEST = ChannelManifest(
    kind="voice", identity_kind="phone", name_ko="전화", name_en="Voice",
    identity_name_ko="전화번호", identity_name_en="Phone",
    capabilities=Capabilities(voice=True, ivr=True, sync_reply=True),
    capacity_class="voice", bot_by_default=False,
    adapter="omnidesk.channels.voice.adapter:TwilioVoiceAdapter",
    config="omnidesk.channels.voice.config:TwilioVoiceConfig",
)
