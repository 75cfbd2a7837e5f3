"""The kakao channel's manifest: what it is and can do (pure data, read by domains too)."""

from omnidesk.core.channel_manifest import Capabilities, ChannelManifest

MANIFEST = ChannelManifest(
    kind="kakao", identity_kind="kakao", name_ko="카카오톡", name_en="KakaoTalk",
    identity_name_ko="카카오", identity_name_en="Kakao",
    capabilities=Capabilities(text_limit=1000, templates=True, template_recipient="phone",
                              quick_replies=True, quick_reply_limit=10, sync_reply=True),
    adapter="omnidesk.channels.kakao.adapter:KakaoAdapter",
    config="omnidesk.channels.kakao.config:KakaoConfig",
)
