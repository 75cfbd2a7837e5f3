"""Turn a stored outbound message into an adapter send (recipient, threading, idempotency)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.channels.base import OutboundAttachment, OutboundMessage, TemplateRef
from omnidesk.channels.manifests import BY_KIND
from omnidesk.core.db import utcnow
from omnidesk.domains.conversations.models import Conversation, Message
from omnidesk.domains.conversations.service import get_last_inbound_message
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.customers.service import profile_handle

KAKAO_CALLBACK_SECONDS = 55  # Kakao's callback URL is valid for one minute, once


def idempotency_key(message: Message) -> str:
    """Return the key every attempt of this message's delivery shares."""
    return f"omnidesk-msg-{message.workspace_id}-{message.id}"


def recipient_customer_id(message: Message, conversation: Conversation) -> int:
    """Return whom a message goes to: the conversation's customer, or for a system message
    addressed elsewhere (the bot's one-time code to the phone or email on file of the store
    customer a visitor claims to be) that customer."""
    target = (message.meta or {}).get("deliver_to_customer_id")
    if message.author_kind == "system" and isinstance(target, int):
        return target
    return conversation.customer_id


def recipient_kind(message: Message) -> str | None:
    """Return the identity kind a message goes to: a template's own (알림톡: phone), else the
    channel's."""
    manifest = BY_KIND.get(message.channel)
    if manifest is None:
        return None
    if template_of(message) is not None and manifest.capabilities.template_recipient:
        return manifest.capabilities.template_recipient
    return manifest.identity_kind


def template_of(message: Message) -> TemplateRef | None:
    """Return the approved template a message is sent as (meta `template`), if any."""
    raw = (message.meta or {}).get("template")
    if not isinstance(raw, dict) or not raw.get("code"):
        return None
    return TemplateRef(name=str(raw["code"]), language=str(raw.get("language") or "ko"),
                       params={str(k): str(v) for k, v in (raw.get("params") or {}).items()})


def recipient_for(channel: str, customer: Customer, kind: str | None = None) -> str | None:
    """Pick the customer's address on a channel: the newest identity of its kind."""
    if kind is None:
        kind = BY_KIND[channel].identity_kind if channel in BY_KIND else None
    values = [i.value for i in sorted(customer.identities, key=lambda i: i.id or 0)
              if i.kind == kind]
    if values:
        return values[-1]
    return profile_handle(customer, kind) if kind else None


async def build_outbound(session: AsyncSession, *, message: Message, conversation: Conversation,
                         recipient: str) -> OutboundMessage:
    """Build the channel-agnostic send, threaded under the customer's last message."""
    last = await get_last_inbound_message(session, workspace_id=message.workspace_id,
                                          conversation_id=conversation.id,
                                          channel=message.channel)
    meta: dict[str, Any] = {"conversation_id": conversation.id,
                            "author_kind": message.author_kind}
    # None says the customer never wrote here: only a template may open the conversation.
    last_wrote = conversation.last_customer_message_at
    meta["last_customer_message_at"] = last_wrote.isoformat() if last_wrote else None
    references: tuple[str, ...] = ()
    if last is not None:
        references = tuple(last.meta.get("references") or ())
        callback = last.meta.get("callback_url")
        age = (utcnow() - last.created_at).total_seconds()
        if callback and message.author_kind == "bot" and age <= KAKAO_CALLBACK_SECONDS:
            meta["kakao_callback_url"] = callback
    files = tuple(OutboundAttachment(name=a.get("name", "file"),
                                     content_type=a.get("content_type",
                                                        "application/octet-stream"),
                                     url=a.get("url"))
                  for a in message.attachments if isinstance(a, dict) and a.get("url"))
    caps = BY_KIND[message.channel].capabilities
    replies = tuple(str(r) for r in (message.meta or {}).get("quick_replies") or ()) \
        if caps.quick_replies else ()
    if caps.quick_reply_limit is not None and len(replies) > caps.quick_reply_limit:
        replies = ()  # the text still asks the question; a typed answer counts
    return OutboundMessage(
        message_id=message.id, idempotency_key=idempotency_key(message), recipient=recipient,
        text=message.text, attachments=files,
        subject=(message.meta or {}).get("subject") if message.author_kind == "system"
        and (message.meta or {}).get("subject") else conversation.subject,
        quick_replies=replies, template=template_of(message),
        reply_to_provider_id=last.provider_message_id if last is not None else None,
        references=references, meta=meta)


def is_recent(received_at: dt.datetime, *, minutes: int = 10) -> bool:
    """Tell whether an event is young enough that its message may still be in flight."""
    return utcnow() - received_at <= dt.timedelta(minutes=minutes)
