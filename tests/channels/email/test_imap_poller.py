"""IMAP polling: only new UIDs, unread flags untouched, restart when UIDVALIDITY changes."""

from __future__ import annotations

import imaplib

import pytest

from omnidesk.channels.email.config import ImapSettings
from omnidesk.channels.email.imap_poller import MailboxCursor, fetch_new
from tests.channels.conftest import fixture_bytes
from tests.channels.email.fake_imap import FakeMailbox, serve_imap


def settings(port: int, password: str = "imap-pass") -> ImapSettings:
    return ImapSettings(host="127.0.0.1", port=port, use_ssl=False, username="support",
                        password=password)


async def test_it_fetches_only_mail_above_the_last_uid_and_never_marks_it_seen() -> None:
    box = FakeMailbox(messages={3: fixture_bytes("email", "gmail_reply_utf8.eml"),
                                5: fixture_bytes("email", "naver_mail_euc_kr.eml")})
    with serve_imap(box) as port:
        cursor, mails = await fetch_new(settings(port), MailboxCursor())
        assert [m.uid for m in mails] == [3, 5] and cursor == MailboxCursor(7, 5)
        assert mails[0].raw == box.messages[3]
        cursor, mails = await fetch_new(settings(port), cursor)
        assert mails == [] and cursor.last_uid == 5
        box.messages[6] = fixture_bytes("email", "auto_reply.eml")
        cursor, mails = await fetch_new(settings(port), cursor)
    assert [m.uid for m in mails] == [6]
    assert all("BODY.PEEK[]" in c for c in box.commands if c.upper().startswith("UID FETCH"))
    assert any(c.upper().startswith("EXAMINE") for c in box.commands)


async def test_a_new_uidvalidity_starts_over() -> None:
    box = FakeMailbox(messages={1: fixture_bytes("email", "bounce.eml")}, uidvalidity=9)
    with serve_imap(box) as port:
        cursor, mails = await fetch_new(settings(port), MailboxCursor(uidvalidity=7, last_uid=40))
    assert [m.uid for m in mails] == [1] and cursor == MailboxCursor(9, 1)


async def test_a_wrong_password_raises_an_imap_error() -> None:
    with serve_imap(FakeMailbox()) as port, pytest.raises(imaplib.IMAP4.error):
        await fetch_new(settings(port, password="nope"), MailboxCursor())
