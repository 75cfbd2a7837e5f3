"""Poll an IMAP mailbox in a worker thread, fetching only UIDs above the last one seen."""

from __future__ import annotations

import asyncio
import imaplib
import re
from dataclasses import dataclass

from omnidesk.channels.base import ChannelError
from omnidesk.channels.email.config import ImapSettings

UIDVALIDITY = re.compile(rb"UIDVALIDITY (\d+)")
FETCH_BATCH = 50


@dataclass(frozen=True)
class MailboxCursor:
    """Where polling resumes: the mailbox's UIDVALIDITY and the highest UID stored."""

    uidvalidity: int = 0
    last_uid: int = 0


@dataclass(frozen=True)
class FetchedMail:
    """One new mail: its UID and raw RFC 5322 bytes."""

    uid: int
    raw: bytes


def _connect(settings: ImapSettings) -> imaplib.IMAP4:
    client_class = imaplib.IMAP4_SSL if settings.use_ssl else imaplib.IMAP4
    client = client_class(settings.host, settings.port, timeout=30)
    client.login(settings.username, settings.password.get_secret_value())
    return client


def _uidvalidity(client: imaplib.IMAP4, mailbox: str) -> int:
    status, _ = client.select(mailbox, readonly=True)
    if status != "OK":
        raise imaplib.IMAP4.error(f"cannot select {mailbox}")
    _, response = client.response("UIDVALIDITY")
    value = response[0] if response and response[0] else b""
    match = UIDVALIDITY.search(value if isinstance(value, bytes) else b"") or re.match(
        rb"(\d+)", value if isinstance(value, bytes) else b"")
    return int(match.group(1)) if match else 0


def fetch_new_blocking(settings: ImapSettings, cursor: MailboxCursor
                       ) -> tuple[MailboxCursor, list[FetchedMail]]:
    """Fetch mail newer than the cursor; a changed UIDVALIDITY restarts from the beginning."""
    client = _connect(settings)
    try:
        validity = _uidvalidity(client, settings.mailbox)
        last = cursor.last_uid if validity == cursor.uidvalidity else 0
        _, data = client.uid("SEARCH", f"UID {last + 1}:*")
        uids = sorted(int(u) for u in (data[0] or b"").split() if int(u) > last)[:FETCH_BATCH]
        fetched = [FetchedMail(uid, raw) for uid in uids
                   if (raw := _fetch_one(client, uid)) is not None]
        newest = max([last, *(m.uid for m in fetched)])
        return MailboxCursor(validity, newest), fetched
    finally:
        try:
            client.logout()
        except (imaplib.IMAP4.error, OSError):
            pass


def _fetch_one(client: imaplib.IMAP4, uid: int) -> bytes | None:
    # BODY.PEEK leaves the \Seen flag alone so people using the mailbox still see it unread.
    status, data = client.uid("FETCH", str(uid), "(BODY.PEEK[])")
    if status != "OK":
        return None
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            return item[1]
    return None


async def fetch_new(settings: ImapSettings, cursor: MailboxCursor
                    ) -> tuple[MailboxCursor, list[FetchedMail]]:
    """Run one poll in a worker thread so the event loop never blocks on IMAP."""
    return await asyncio.to_thread(fetch_new_blocking, settings, cursor)


def _check_blocking(settings: ImapSettings) -> str:
    client = _connect(settings)
    try:
        _uidvalidity(client, settings.mailbox)
    finally:
        try:
            client.logout()
        except (imaplib.IMAP4.error, OSError):
            pass
    return f"IMAP {settings.host}:{settings.port} {settings.mailbox}"


async def check(settings: ImapSettings) -> str:
    """Log in and open the mailbox read-only; say in words what went wrong."""
    where = f"{settings.host}:{settings.port}"
    try:
        return await asyncio.to_thread(_check_blocking, settings)
    except imaplib.IMAP4.error as exc:
        said = str(exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(
            exc.args[0], bytes) else exc)
        raise ChannelError(f"IMAP {where} refused: {said[:200]}", permanent=True) from exc
    except OSError as exc:
        raise ChannelError(f"cannot reach IMAP {where}: {exc.strerror or exc}",
                           permanent=False) from exc
