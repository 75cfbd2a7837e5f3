"""Quick replies (survey score buttons) in each provider's own format, chosen by capability."""

from __future__ import annotations

from omnidesk.channels.base import OutboundMessage
from omnidesk.channels.kakao import skill
from omnidesk.channels.line.adapter import _message as line_message
from omnidesk.channels.manifests import MANIFESTS
from omnidesk.channels.messenger.adapter import _message as messenger_message
from omnidesk.channels.telegram.adapter import message_body as telegram_body
from omnidesk.channels.whatsapp.adapter import message_body as whatsapp_body
from omnidesk.domains.feedback.send_actions import delivery_for

SCORES = tuple(str(n) for n in range(1, 6))
MESSAGE = OutboundMessage(message_id=1, idempotency_key="k", recipient="r",
                          text="상담은 만족스러우셨나요?", quick_replies=SCORES)


def test_each_provider_gets_the_scores_as_its_native_buttons() -> None:
    keyboard = telegram_body(MESSAGE)["reply_markup"]["inline_keyboard"]
    assert [b["callback_data"] for row in keyboard for b in row] == list(SCORES)
    items = line_message(MESSAGE)["quickReply"]["items"]
    assert [i["action"]["text"] for i in items] == list(SCORES)
    assert [q["payload"] for q in messenger_message(MESSAGE)["quick_replies"]] == list(SCORES)
    rows = whatsapp_body(MESSAGE)["interactive"]["action"]["sections"][0]["rows"]
    assert [r["title"] for r in rows] == list(SCORES)
    replies = skill.response([MESSAGE.text], list(SCORES))["template"]["quickReplies"]
    assert [r["messageText"] for r in replies] == list(SCORES)
    assert "reply_markup" not in telegram_body(
        OutboundMessage(message_id=2, idempotency_key="k2", recipient="r", text="안녕하세요"))


def test_the_survey_delivery_follows_the_manifest_capabilities() -> None:
    for manifest in MANIFESTS:
        caps = manifest.capabilities
        csat, nps = delivery_for(manifest.kind, 5), delivery_for(manifest.kind, 11)
        if caps.realtime:
            assert csat == nps == "buttons", manifest.kind
        elif caps.quick_replies:
            assert csat == "quick_replies", manifest.kind
            fits = caps.quick_reply_limit is None or caps.quick_reply_limit >= 11
            assert nps == ("quick_replies" if fits else "link"), manifest.kind
        else:
            assert csat == nps == "link", manifest.kind
    assert delivery_for("sms", 5) == "link" and delivery_for("kakao", 11) == "link"
