"""Read an RFC 5322 message in any charset (UTF-8, EUC-KR, ISO-2022-KR …) into plain parts."""

from __future__ import annotations

import codecs
import datetime as dt
import email
import email.policy
import hashlib
import html
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime

import nh3

from omnidesk.channels.email.loops import automated_reason

# Korean mail often labels CP949 text as EUC-KR or ks_c_5601-1987; CP949 is the superset.
CHARSET_ALIASES = {"euc-kr": "cp949", "euc_kr": "cp949", "ks_c_5601-1987": "cp949",
                   "ks_c_5601": "cp949", "x-windows-949": "cp949", "unknown-8bit": "utf-8"}


@dataclass
class ParsedAttachment:
    """A file carried by the mail."""

    name: str
    content_type: str
    data: bytes


@dataclass
class ParsedEmail:
    """The parts of a mail that intake and threading need."""

    message_id: str
    from_name: str | None
    from_address: str
    to: list[str]
    subject: str
    text: str
    html: str | None
    in_reply_to: list[str]
    references: list[str]
    automated: str | None
    content_hash: str
    sent_at: dt.datetime | None = None
    attachments: list[ParsedAttachment] = field(default_factory=list)


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Decode a part's bytes by its declared charset, never failing on bad bytes."""
    name = (charset or "utf-8").strip().strip('"').lower()
    name = CHARSET_ALIASES.get(name, name)
    try:
        codecs.lookup(name)
    except LookupError:
        name = "utf-8"
    return data.decode(name, errors="replace").replace("\r\n", "\n")


def ids(value: str | None) -> list[str]:
    """Split a Message-ID list header (In-Reply-To, References) into ids with brackets."""
    if not value:
        return []
    return [f"<{part.split('>')[0]}>" for part in str(value).split("<")[1:] if ">" in part]


def parse_message(raw: bytes) -> ParsedEmail:
    """Parse raw bytes; text prefers text/plain, else text derived from the HTML part."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    text, html_body, files = _walk(msg)
    if not text and html_body:
        text = html.unescape(nh3.clean(html_body.replace("<br>", "\n"), tags=set())).strip()
    name, address = (getaddresses([str(msg.get("From", ""))]) or [("", "")])[0]
    digest = hashlib.sha256(raw).hexdigest()
    return ParsedEmail(
        message_id=(ids(msg.get("Message-ID")) or [f"<{digest[:32]}@no-message-id>"])[0],
        from_name=name or None, from_address=address.lower(),
        to=[a.lower() for _, a in getaddresses([str(msg.get("To", "")),
                                                 str(msg.get("Cc", "")),
                                                 str(msg.get("Delivered-To", ""))]) if a],
        subject=str(msg.get("Subject", "")), text=text, html=html_body,
        in_reply_to=ids(msg.get("In-Reply-To")), references=ids(msg.get("References")),
        automated=automated_reason(msg), content_hash=digest, sent_at=_date(msg),
        attachments=files)


def _walk(msg: EmailMessage) -> tuple[str, str | None, list[ParsedAttachment]]:
    text_parts: list[str] = []
    html_part: str | None = None
    files: list[ParsedAttachment] = []
    for part in msg.walk():
        if part.is_multipart() or part.get_content_type() == "message/delivery-status":
            continue
        decoded = part.get_payload(decode=True)  # bytes or None for a non-multipart part
        payload = decoded if isinstance(decoded, bytes) else b""
        filename = part.get_filename()
        if filename or part.get_content_disposition() == "attachment":
            files.append(ParsedAttachment(filename or "attachment", part.get_content_type(),
                                          payload))
        elif part.get_content_type() == "text/plain":
            text_parts.append(decode_bytes(payload, part.get_content_charset()))
        elif part.get_content_type() == "text/html" and html_part is None:
            html_part = decode_bytes(payload, part.get_content_charset())
    return "\n".join(text_parts).strip(), html_part, files


def _date(msg: EmailMessage) -> dt.datetime | None:
    try:
        when = parsedate_to_datetime(str(msg["Date"])) if msg.get("Date") else None
    except (TypeError, ValueError):
        return None
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)  # "-0000" means UTC with unknown local zone
    return when
