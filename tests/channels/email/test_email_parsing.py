"""Inbound mail: charsets, threading, quoted-reply trimming, automated mail, sanitised HTML."""

from __future__ import annotations

import pytest

from omnidesk.channels.base import SignatureError
from omnidesk.channels.email.adapter import EmailAdapter
from omnidesk.channels.email.config import EmailConfig
from omnidesk.channels.email.quotes import split_reply
from tests.channels.conftest import fixture_bytes, raw_request

adapter = EmailAdapter()
CONFIG = EmailConfig(address="support@example.com", message_id_domain="mail.example.com",
                     inbound_token="relay-secret")


def parse(name: str):
    request = raw_request("smtp://local", fixture_bytes("email", name), method="SMTP")
    adapter.verify_request(request, CONFIG)
    return adapter.parse_inbound(request, CONFIG)


def test_a_gmail_reply_is_threaded_to_our_conversation_and_its_quote_trimmed() -> None:
    [event] = parse("gmail_reply_utf8.eml").events
    inbound = event.inbound
    assert inbound.conversation_id == 1042 and inbound.customer_name == "김민지"
    assert inbound.subject == "Re: [#1042] 환불 요청"
    assert inbound.text == "환불 계좌는 지난번과 동일합니다."
    assert "작성:" in inbound.meta["quoted"]
    assert event.dedupe_key.startswith("<CAF=test-0001@mail.gmail.com>:")


def test_euc_kr_labelled_ks_c_5601_mail_decodes_and_korean_quotes_are_trimmed() -> None:
    [event] = parse("naver_mail_euc_kr.eml").events
    assert event.inbound.customer_name == "박서준" and event.inbound.subject == "배송지 변경"
    assert event.inbound.text == "배송지를 변경하고 싶습니다."
    assert event.inbound.conversation_id is None


def test_iso_2022_kr_mail_decodes() -> None:
    [event] = parse("legacy_iso_2022_kr.eml").events
    assert event.inbound.text == "영수증 재발급 부탁드립니다."
    assert event.inbound.subject == "문의 드립니다"


def test_an_outlook_reply_keeps_new_text_attachment_and_only_inert_html() -> None:
    [event] = parse("outlook_reply_html.eml").events
    inbound = event.inbound
    assert inbound.text == "Thanks, that fixed it." and inbound.conversation_id == 77
    assert inbound.identity_value == "jane.doe@contoso.example"
    assert [a.name for a in inbound.attachments] == ["receipt.pdf"]
    html = inbound.meta["html"]
    for bad in ("onmouseover", "onerror", "<script", "javascript:", "tracker.example"):
        assert bad not in html


@pytest.mark.parametrize(("name", "reason"), [
    ("auto_reply.eml", "auto-submitted:auto-replied"),
    ("bounce.eml", "null-return-path"),
])
def test_auto_replies_and_bounces_are_flagged_as_automated(name: str, reason: str) -> None:
    [event] = parse(name).events
    assert event.kind == "automated" and event.inbound.meta["automated"] == reason


def test_mail_from_our_own_address_is_dropped_to_stop_loops() -> None:
    raw = fixture_bytes("email", "auto_reply.eml").replace(b"From: minji@example.org",
                                                           b"From: support@example.com")
    parsed = adapter.parse_inbound(raw_request("smtp://local", raw, method="SMTP"), CONFIG)
    assert parsed.events == [] and "loop" in parsed.ignored[0]


def test_an_http_relay_needs_its_token() -> None:
    body = fixture_bytes("email", "auto_reply.eml")
    adapter.verify_request(raw_request("https://x/webhook?token=relay-secret", body), CONFIG)
    with pytest.raises(SignatureError):
        adapter.verify_request(raw_request("https://x/webhook?token=guess", body), CONFIG)


WRAPPED_GMAIL_HEADER = ("Sounds good.\n\nOn Mon, 23 Nov 2026 at 09:00, Support Team of Example\n"
                        "<support@example.com> wrote:\n> hi")


@pytest.mark.parametrize(("text", "kept"), [
    ("Sounds good.\n\nOn Mon, 23 Nov 2026 at 09:00, Support <s@example.com> wrote:\n> hi",
     "Sounds good."),
    (WRAPPED_GMAIL_HEADER, "Sounds good."),
    ("네 확인했습니다.\n-----원본 메시지-----\n보낸 사람: Support", "네 확인했습니다."),
    ("좋아요\n\nFrom: Support <s@example.com>\nSent: Monday\nTo: me", "좋아요"),
    ("Thanks\n> old line\n> another", "Thanks"),
    ("From: the start of my story, nothing quoted",) * 2,
])
def test_quoted_history_is_split_off_for_korean_and_english_clients(text: str,
                                                                    kept: str) -> None:
    assert split_reply(text)[0] == kept
