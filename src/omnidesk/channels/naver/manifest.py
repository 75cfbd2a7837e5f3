"""The naver channel's manifest: what it is and can do (pure data, read by domains too)."""

from omnidesk.core.channel_manifest import Capabilities, ChannelManifest

MANIFEST = ChannelManifest(
    kind="naver", identity_kind="naver", name_ko="네이버 톡톡", name_en="Naver TalkTalk",
    identity_name_ko="네이버", identity_name_en="Naver",
    capabilities=Capabilities(media_types=frozenset({"image"}), quick_replies=True),
    adapter="omnidesk.channels.naver.adapter:NaverTalkAdapter",
    config="omnidesk.channels.naver.config:NaverTalkConfig",
)
