"""Build outbound MIME: threading headers, plain + sanitised HTML, attachments, Korean text."""

from __future__ import annotations

import hashlib
import re
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr, formatdate

from omnidesk.channels.base import OutboundMessage
from omnidesk.channels.email.config import EmailConfig
from omnidesk.channels.email.html import sanitize

MAX_REFERENCES = 10
OUR_ID = re.compile(r"^<c(\d+)\.m\d+\.[0-9a-f]+@")


def message_id(message: OutboundMessage, domain: str) -> str:
    """Return our stable Message-ID: retries of one send reuse it, so clients see one mail."""
    conversation = message.meta.get("conversation_id", 0)
    digest = hashlib.sha256(message.idempotency_key.encode()).hexdigest()[:12]
    return f"<c{conversation}.m{message.message_id}.{digest}@{domain}>"


def conversation_from_ids(candidates: list[str]) -> int | None:
    """Find our conversation id in In-Reply-To/References ids we generated."""
    for value in candidates:
        match = OUR_ID.match(value)
        if match:
            return int(match.group(1))
    return None


def reply_subject(subject: str | None) -> str:
    """Prefix Re: once."""
    subject = (subject or "").strip()
    return subject if subject.lower().startswith(("re:", "회신:", "답장:")) else f"Re: {subject}"


def _charset(text: str, wanted: str) -> str:
    if wanted == "euc-kr":
        try:
            text.encode("euc-kr")
            return "euc-kr"
        except UnicodeEncodeError:
            return "utf-8"
    return "utf-8"


def build(message: OutboundMessage, config: EmailConfig) -> EmailMessage:
    """Compose the reply addressed to the customer, threaded under their last mail."""
    mail = EmailMessage(policy=SMTP)
    mail["From"] = formataddr((config.display_name, config.address))
    mail["To"] = message.recipient
    # A mail that starts a thread (an invitation to staff) keeps its subject as written.
    mail["Subject"] = (message.subject or "") if message.meta.get("new_thread") \
        else reply_subject(message.subject)
    mail["Date"] = formatdate(localtime=False, usegmt=True)
    mail["Message-ID"] = message_id(message, config.message_id_domain)
    local, domain = config.address.split("@", 1)
    if message.meta.get("conversation_id"):
        mail["Reply-To"] = f"{local}+c{message.meta['conversation_id']}@{domain}"
    if message.reply_to_provider_id:
        mail["In-Reply-To"] = message.reply_to_provider_id
    references = [*message.references, *filter(None, [message.reply_to_provider_id])]
    if references:
        mail["References"] = " ".join(dict.fromkeys(references[-MAX_REFERENCES:]))
    if message.meta.get("automated"):
        mail["Auto-Submitted"] = "auto-generated"
        mail["X-Auto-Response-Suppress"] = "All"
    charset = _charset(message.text, config.outbound_charset)
    mail.set_content(message.text, charset=charset)
    if message.html:
        mail.add_alternative(sanitize(message.html), subtype="html", charset=charset)
    for file in message.attachments:
        if file.data is not None:
            maintype, _, subtype = file.content_type.partition("/")
            mail.add_attachment(file.data, maintype=maintype or "application",
                                subtype=subtype or "octet-stream", filename=file.name)
    return mail
