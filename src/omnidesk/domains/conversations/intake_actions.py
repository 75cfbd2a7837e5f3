"""Intake: the one way in for a customer message, from any channel or the REST API.

Store the message, resolve the customer, continue or open the conversation, emit one event.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import utcnow
from omnidesk.core.pii.keyring import pii_cipher
from omnidesk.core.pii.policy import policy_from
from omnidesk.core.pii.seal import Sealed, needs_protection, protect_text, scrub_text, scrub_value
from omnidesk.domains.conversations.message_actions import do_add_message
from omnidesk.domains.conversations.models import (
    Conversation,
    Message,
    MessageSecret,
)
from omnidesk.domains.conversations.schemas import (
    Attachment,
    InboundMessage,
)
from omnidesk.domains.conversations.service import (
    api_message_key,
    awaited_number,
    find_conversation,
    find_message_by_provider_id,
    latest_conversation_for_customer,
)
from omnidesk.domains.conversations.state_actions import do_open_conversation, do_reopen
from omnidesk.domains.customers.actions import do_resolve_identity
from omnidesk.domains.customers.service import get_customer
from omnidesk.domains.workspaces.service import get_workspace

DEFAULT_REOPEN_WINDOW_HOURS = 72


async def do_receive_inbound(
    session: AsyncSession, *, workspace_id: int, inbound: InboundMessage
) -> Message:
    """Take a customer message from any channel: resolve the customer, thread it, store it.

    Idempotent on (channel, provider_message_id): a redelivered webhook returns the stored
    message and writes nothing.
    """
    if inbound.provider_message_id:
        existing = await find_message_by_provider_id(
            session, workspace_id=workspace_id, channel=inbound.channel,
            provider_message_id=inbound.provider_message_id)
        if existing is not None:
            return existing
    inbound, sealed = await _protect(session, workspace_id, inbound)
    customer = await get_customer(
        session, workspace_id=workspace_id, customer_id=inbound.customer_id,
    ) if inbound.customer_id is not None else await do_resolve_identity(
        session, workspace_id=workspace_id, kind=inbound.identity_kind,
        value=inbound.identity_value, verified=inbound.identity_verified,
        name=inbound.customer_name, email=inbound.customer_email, phone=inbound.customer_phone,
        email_verified=inbound.email_verified, phone_verified=inbound.phone_verified,
        inbox_id=inbound.inbox_id)
    # Auto-replies and bounces (RFC 3834) become a private system note: no reopen, no ack.
    automated = bool(inbound.meta.get("automated"))
    conv = await _thread_for(session, workspace_id, customer.id, inbound, reopen=not automated)
    message = await do_add_message(
        session, conv=conv, text=inbound.text, author_kind="system" if automated else "customer",
        channel=inbound.channel, is_private=automated, content_type=inbound.content_type,
        attachments=[a.model_dump() for a in inbound.attachments],
        provider_message_id=inbound.provider_message_id,
        meta={**inbound.meta, **({"thread_key": inbound.thread_key} if inbound.thread_key else {})},
        at=inbound.sent_at, inbox_id=inbound.inbox_id,
    )
    session.add_all(MessageSecret(workspace_id=workspace_id, message_id=message.id, kind=item.kind,
                                  start=item.start, end=item.end, masked=item.masked[:200],
                                  ciphertext=item.ciphertext) for item in sealed)
    return message


async def _protect(session: AsyncSession, workspace_id: int,
                   inbound: InboundMessage) -> tuple[InboundMessage, list[Sealed]]:
    """Apply the workspace's privacy policy before anything is stored (the one intake boundary).

    Cards and CVVs are masked, values the policy encrypts leave only their masked form in the
    text (the ciphertext goes to `message_secrets`); the subject and meta are scrubbed. A
    message without personal data costs no query.
    """
    fields = (inbound.text, inbound.subject or "", inbound.meta)
    if not any(needs_protection(value) for value in fields):
        return inbound, []
    workspace = await get_workspace(session, workspace_id=workspace_id)
    policy = policy_from(workspace.settings)
    text, sealed = protect_text(inbound.text, policy, pii_cipher())
    safe = inbound.model_copy(update={
        "text": text, "subject": scrub_text(inbound.subject, policy) if inbound.subject else None,
        "meta": scrub_value(inbound.meta, policy)})
    return safe, sealed


async def _thread_for(session: AsyncSession, workspace_id: int, customer_id: int,
                      inbound: InboundMessage, *, reopen: bool = True) -> Conversation:
    """Pick the conversation a message continues: the known one, the open one, or a new one."""
    conv: Conversation | None = None
    if inbound.conversation_id is not None:  # a hint from another workspace is just ignored
        conv = await find_conversation(session, workspace_id=workspace_id,
                                       conversation_id=inbound.conversation_id,
                                       load_labels=False)
        if conv is not None and conv.customer_id != customer_id:
            conv = None
    if conv is None:
        conv = await latest_conversation_for_customer(session, workspace_id=workspace_id,
                                                      customer_id=customer_id, load_labels=False)
    if conv is not None and conv.status == "resolved" and reopen:
        if awaited_number(conv, inbound.text, now=utcnow()) is not None:
            return conv  # the answer to a question we asked (a survey score): no reopen
        if not await _within_reopen_window(session, conv):
            conv = None
        else:
            await do_reopen(session, conv, actor_kind="customer", actor_id=None,
                          text=inbound.text)
    if conv is None:
        conv = await do_open_conversation(
            session, workspace_id=workspace_id, customer_id=customer_id, channel=inbound.channel,
            subject=inbound.subject, language=inbound.meta.get("language"),
            text=inbound.text if reopen else None, inbox_id=inbound.inbox_id)
    return conv


async def _within_reopen_window(session: AsyncSession, conv: Conversation) -> bool:
    workspace = await get_workspace(session, workspace_id=conv.workspace_id)
    hours = float(workspace.settings.get("reopen_window_hours", DEFAULT_REOPEN_WINDOW_HOURS))
    resolved_at = conv.resolved_at or conv.updated_at
    return utcnow() - resolved_at <= dt.timedelta(hours=hours)


async def do_receive_api_message(
    session: AsyncSession, *, conv: Conversation, text: str, channel: str | None = None,
    content_type: str = "text", attachments: list[Attachment] | None = None,
    client_message_id: str | None = None,
) -> Message:
    """Take a customer message posted through the API on a known conversation, via intake."""
    inbound = InboundMessage(
        channel=channel or conv.channel, inbox_id=conv.inbox_id, customer_id=conv.customer_id,
        conversation_id=conv.id, text=text, content_type=content_type,
        attachments=attachments or [],
        provider_message_id=api_message_key(conv.customer_id, client_message_id)
        if client_message_id else None,
        meta={"client_message_id": client_message_id} if client_message_id else {})
    repeat = inbound.provider_message_id is not None and await find_message_by_provider_id(
        session, workspace_id=conv.workspace_id, channel=inbound.channel,
        provider_message_id=inbound.provider_message_id) is not None
    if conv.status == "resolved" and not repeat:  # the customer writes on this conversation
        await do_reopen(session, conv, actor_kind="customer", actor_id=None, text=text)
    return await do_receive_inbound(session, workspace_id=conv.workspace_id, inbound=inbound)
