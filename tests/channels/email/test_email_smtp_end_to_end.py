"""End to end: our SMTP sender → a real local aiosmtpd running our handler → our parser."""

from __future__ import annotations

import asyncio
import email
import email.policy
from collections.abc import Iterator

import httpx
import pytest
from aiosmtpd.controller import Controller

from omnidesk.channels.base import ChannelError, OutboundAttachment, OutboundMessage
from omnidesk.channels.email.adapter import EmailAdapter
from omnidesk.channels.email.config import EmailConfig, SmtpSettings
from omnidesk.channels.email.smtp_server import InboundSmtpHandler
from tests.channels.conftest import raw_request
from tests.channels.fake_provider import free_port

adapter = EmailAdapter()


class Mailbox:
    """What the local SMTP server accepted."""

    def __init__(self) -> None:
        self.mails: list[tuple[bytes, str, list[str]]] = []
        self.fail_next = False

    async def store(self, raw: bytes, mail_from: str, rcpt_tos: list[str]) -> None:
        if self.fail_next:
            self.fail_next = False
            raise RuntimeError("database unavailable")
        self.mails.append((raw, mail_from, rcpt_tos))


@pytest.fixture
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(InboundSmtpHandler(mailbox.store, {"example.org", "example.com"}),
                            hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


def config(port: int, charset: str = "utf-8") -> EmailConfig:
    return EmailConfig(address="support@example.com", display_name="샘플몰 고객센터",
                       message_id_domain="mail.example.com", outbound_charset=charset,
                       smtp=SmtpSettings(host="127.0.0.1", port=port, security="none",
                                         timeout_seconds=5))


def reply(to: str = "minji@example.org") -> OutboundMessage:
    return OutboundMessage(
        message_id=15, idempotency_key="msg-15", recipient=to, subject="[#1042] 환불 요청",
        text="환불이 완료되었습니다.\n감사합니다.",
        html="<p>환불이 <b>완료</b>되었습니다.</p><script>alert(1)</script>",
        attachments=(OutboundAttachment("영수증.pdf", "application/pdf", b"%PDF-1.4 test"),),
        reply_to_provider_id="<CAF=test-0001@mail.gmail.com>",
        references=("<c1042.m12.aaaaaaaaaaaa@mail.example.com>",),
        meta={"conversation_id": 1042})


async def test_a_reply_arrives_threaded_with_korean_html_and_attachment(
        smtp_server: tuple[Mailbox, int]) -> None:
    mailbox, port = smtp_server
    async with httpx.AsyncClient() as http:
        result = await adapter.send_outbound(reply(), config(port), http)
    [(raw, mail_from, rcpt_tos)] = mailbox.mails
    assert rcpt_tos == ["minji@example.org"] and mail_from == "support@example.com"
    assert result.provider_message_id.startswith("<c1042.m15.")
    headers = email.message_from_bytes(raw, policy=email.policy.default)
    assert headers["In-Reply-To"] == "<CAF=test-0001@mail.gmail.com>"
    assert headers["References"].split() == ["<c1042.m12.aaaaaaaaaaaa@mail.example.com>",
                                             "<CAF=test-0001@mail.gmail.com>"]
    assert headers["Reply-To"] == "support+c1042@example.com" and b"<script" not in raw
    # Read it back as if the customer had replied to it from the same mailbox.
    echoed = raw.replace(b"From: =?utf-8?b?", b"X-Old-From: =?utf-8?b?").replace(
        b"To: minji@example.org", b"To: support@example.com\r\nFrom: minji@example.org")
    [event] = adapter.parse_inbound(raw_request("smtp://", echoed, method="SMTP"),
                                    config(port)).events
    assert event.inbound.text == "환불이 완료되었습니다.\n감사합니다."
    assert event.inbound.subject == "Re: [#1042] 환불 요청"
    assert [a.name for a in event.inbound.attachments] == ["영수증.pdf"]
    assert "<b>완료</b>" in event.inbound.meta["html"]


async def test_a_retried_send_reuses_the_same_message_id(smtp_server: tuple[Mailbox, int]) -> None:
    mailbox, port = smtp_server
    async with httpx.AsyncClient() as http:
        first = await adapter.send_outbound(reply(), config(port), http)
        second = await adapter.send_outbound(reply(), config(port), http)
    assert first.provider_message_id == second.provider_message_id and len(mailbox.mails) == 2


async def test_euc_kr_outbound_for_legacy_clients(smtp_server: tuple[Mailbox, int]) -> None:
    mailbox, port = smtp_server
    async with httpx.AsyncClient() as http:
        await adapter.send_outbound(reply(), config(port, charset="euc-kr"), http)
    raw = mailbox.mails[0][0]
    assert b'charset="euc-kr"' in raw
    [event] = adapter.parse_inbound(raw_request("smtp://", raw.replace(
        b"From: ", b"X-From: ", 1).replace(b"To: ", b"From: x@example.org\r\nTo: ", 1),
        method="SMTP"), config(port)).events
    assert event.inbound.text.startswith("환불이 완료되었습니다.")


async def test_relaying_to_foreign_domains_is_refused_permanently(
        smtp_server: tuple[Mailbox, int]) -> None:
    mailbox, port = smtp_server
    async with httpx.AsyncClient() as http:
        with pytest.raises(ChannelError) as caught:
            await adapter.send_outbound(reply("someone@elsewhere.example"), config(port), http)
    assert caught.value.permanent and mailbox.mails == []


async def test_a_storage_failure_answers_451_so_the_sender_retries(
        smtp_server: tuple[Mailbox, int]) -> None:
    mailbox, port = smtp_server
    mailbox.fail_next = True
    async with httpx.AsyncClient() as http:
        with pytest.raises(ChannelError) as caught:
            await adapter.send_outbound(reply(), config(port), http)
        assert not caught.value.permanent and caught.value.status_code == 451
        await adapter.send_outbound(reply(), config(port), http)
    assert len(mailbox.mails) == 1


async def test_a_closed_port_is_a_transient_failure() -> None:
    async with httpx.AsyncClient() as http:
        with pytest.raises(ChannelError) as caught:
            await adapter.send_outbound(reply(), config(free_port()), http)
    assert not caught.value.permanent
    await asyncio.sleep(0)
