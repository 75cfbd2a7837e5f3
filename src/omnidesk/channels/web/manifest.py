"""The web channel's manifest: what it is and can do (pure data, read by domains too)."""

from omnidesk.core.channel_manifest import Capabilities, ChannelManifest

MANIFEST = ChannelManifest(
    kind="web", identity_kind="web_visitor", name_ko="웹 채팅", name_en="Web chat",
    identity_name_ko="웹 방문자", identity_name_en="Web visitor",
    capabilities=Capabilities(media_types=frozenset({"image", "file"}), read_receipts=True,
                              typing=True, realtime=True),
    webhook=False,  # the website widget talks to omnidesk directly (web/widget.py)
)
