"""Intake: the one way in for a customer message, from any channel, the widget or the REST API.

Every inbound event is first stored as received (`do_store_raw_event`: one row per inbox and
dedupe key, so a repeat is stored once); then `do_receive_inbound` resolves the customer,
continues or opens the conversation, stores the message and emits `message.created`. Webhooks and
mail store in the web request and take the message in a job (`channels/tasks`); the widget and
the REST API, whose caller waits for the stored message, do both at once (`do_take_inbound`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from functools import cache
from typing import Any, cast

from sqlalchemy import Insert, Row, Table, Update, bindparam, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.db import flush_pending, utcnow
from omnidesk.core.pii.keyring import pii_cipher
from omnidesk.core.pii.policy import policy_from
from omnidesk.core.pii.seal import Sealed, needs_protection, protect_text, scrub_text, scrub_value
from omnidesk.domains.conversations.message_actions import do_add_message
from omnidesk.domains.conversations.models import (
    PROCESSED,
    RECEIVED,
    Conversation,
    InboundEvent,
    Message,
    MessageSecret,
)
from omnidesk.domains.conversations.raw_privacy import protect_raw_event
from omnidesk.domains.conversations.schemas import Attachment, InboundMessage, RawInbound
from omnidesk.domains.conversations.service import (
    api_message_key,
    awaited_number,
    find_conversation,
    find_message_by_provider_id,
    latest_conversation_for_customer,
)
from omnidesk.domains.conversations.state_actions import do_open_conversation, do_reopen
from omnidesk.domains.customers.actions import do_resolve_customer_id
from omnidesk.domains.customers.service import get_customer_id
from omnidesk.domains.workspaces.service import get_workspace

DEFAULT_REOPEN_WINDOW_HOURS = 72
SECRET_HEADER_WORDS = ("authorization", "cookie", "token", "secret", "key")


def safe_headers(headers: dict[str, str]) -> dict[str, str]:
    """Keep headers worth auditing (signatures, content type) and drop credentials."""
    return {k.lower(): v for k, v in headers.items()
            if not any(word in k.lower() for word in SECRET_HEADER_WORDS)}


async def do_store_raw_event(
    session: AsyncSession, *, workspace_id: int, inbox_id: int | None, channel: str,
    dedupe_key: str, kind: str, raw: RawInbound, parsed: dict[str, Any],
    sequence: int | None = None, processed: bool = False,
) -> int | None:
    """Store one inbound event as received unless its inbox holds its dedupe key; return its id.

    A repeat returns None and writes nothing. The body and parsed payload are stored as the
    workspace's privacy policy allows (`raw_privacy`). `processed`: intake takes it in the same
    transaction (widget, REST API), so no job needs to pick it up.
    """
    headers = safe_headers(raw.headers)
    body, payload = await protect_raw_event(
        session, workspace_id=workspace_id, body=raw.body,
        content_type=headers.get("content-type", ""), payload=parsed)
    received_at = raw.received_at or utcnow()
    values = {"workspace_id": workspace_id, "inbox_id": inbox_id, "channel": channel,
              "dedupe_key": dedupe_key[:255], "kind": kind, "sequence": sequence,
              "raw_body": body, "headers": headers, "parsed": payload,
              "received_at": received_at, "status": PROCESSED if processed else RECEIVED,
              "processed_at": received_at if processed else None}
    return await _insert_once(session, values)


async def _insert_once(session: AsyncSession, values: dict[str, Any]) -> int | None:
    await flush_pending(session)
    connection = await session.connection()
    statement = _insert_once_statement(connection.dialect.name, values["inbox_id"] is not None)
    return (await connection.execute(statement, values)).scalar_one_or_none()


@cache
def _insert_once_statement(dialect: str, in_inbox: bool) -> Insert:
    """Build the raw event's INSERT … ON CONFLICT DO NOTHING once per dialect and partition
    (``in_inbox``: the unique index of events with an inbox, else of inbox-less ones)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = cast(Table, InboundEvent.__table__)
    return (insert(table)
            .on_conflict_do_nothing(
                index_elements=["workspace_id", "inbox_id" if in_inbox else "channel",
                                "dedupe_key"],
                index_where=table.c.inbox_id.isnot(None) if in_inbox
                else table.c.inbox_id.is_(None))
            .returning(table.c.id))


async def do_claim_inbound_event(session: AsyncSession, *, event_id: int,
                                 workspace_id: int | None) -> Row[Any] | None:
    """Mark a received raw event processed and return its columns, in one statement.

    None when it is gone or no longer received (processed already). The caller takes it in the
    same transaction: a failure rolls the claim back with the rest, so it is tried again, and a
    second delivery of the event waits for the first one's commit and then finds it taken.
    Columns: inbox_id, workspace_id, channel, kind, parsed, received_at.
    """
    connection = await session.connection()
    return (await connection.execute(_claim_query(workspace_id is not None), {
        "event_id": event_id, "scope_id": workspace_id, "now": utcnow()})).first()


@cache
def _claim_query(scoped: bool) -> Update:
    """Build the claim once (of a workspace's event, or of any)."""
    table = cast(Table, InboundEvent.__table__)
    where = [table.c.id == bindparam("event_id"), table.c.status == RECEIVED]
    if scoped:
        where.append(table.c.workspace_id == bindparam("scope_id"))
    now = bindparam("now", type_=table.c.processed_at.type)
    return (update(table).where(*where).values(status=PROCESSED, processed_at=now)
            .returning(table.c.inbox_id, table.c.workspace_id, table.c.channel, table.c.kind,
                       table.c.parsed, table.c.received_at))


async def do_take_inbound(
    session: AsyncSession, *, workspace_id: int, inbound: InboundMessage, dedupe_key: str,
    raw: RawInbound, conversation: Conversation | None = None,
) -> tuple[Message, bool]:
    """Take a message whose sender waits for it (widget, REST API): raw event, then intake.

    Return the message and whether it is new: a repeat (the same dedupe key in the same inbox)
    returns the message its first copy stored and writes nothing. `conversation` is the one
    the sender named (REST API): the customer writes on it, so a resolved one reopens.
    """
    stored = await do_store_raw_event(
        session, workspace_id=workspace_id, inbox_id=inbound.inbox_id, channel=inbound.channel,
        dedupe_key=dedupe_key, kind="message", raw=raw,
        parsed={"inbound": inbound.model_dump(mode="json"), "delivery": None, "data": {}},
        processed=True)
    reopens = conversation is not None and conversation.status == "resolved"
    if (stored is None or reopens) and inbound.provider_message_id:  # never reopen on a repeat
        repeat = await find_message_by_provider_id(
            session, workspace_id=workspace_id, channel=inbound.channel,
            provider_message_id=inbound.provider_message_id, inbox_id=inbound.inbox_id)
        if repeat is not None:
            return repeat, False
    if conversation is not None and reopens:
        await do_reopen(session, conversation, actor_kind="customer", actor_id=None,
                        text=inbound.text)
    return await do_receive_inbound(session, workspace_id=workspace_id, inbound=inbound), True


async def do_receive_inbound(
    session: AsyncSession, *, workspace_id: int, inbound: InboundMessage
) -> Message:
    """Take a customer message from any channel: resolve the customer, thread it, store it.

    Idempotent on (inbox, channel, provider_message_id): a redelivered webhook returns the
    stored message and writes nothing.
    """
    if inbound.provider_message_id:
        existing = await find_message_by_provider_id(
            session, workspace_id=workspace_id, channel=inbound.channel,
            provider_message_id=inbound.provider_message_id, inbox_id=inbound.inbox_id)
        if existing is not None:
            return existing
    inbound, sealed = await _protect(session, workspace_id, inbound)
    customer_id = await get_customer_id(
        session, workspace_id=workspace_id, customer_id=inbound.customer_id,
    ) if inbound.customer_id is not None else await do_resolve_customer_id(
        session, workspace_id=workspace_id, kind=inbound.identity_kind,
        value=inbound.identity_value, verified=inbound.identity_verified,
        name=inbound.customer_name, email=inbound.customer_email, phone=inbound.customer_phone,
        email_verified=inbound.email_verified, phone_verified=inbound.phone_verified,
        inbox_id=inbound.inbox_id)
    # Auto-replies and bounces (RFC 3834) become a private system note: no reopen, no ack.
    automated = bool(inbound.meta.get("automated"))
    conv = await _thread_for(session, workspace_id, customer_id, inbound, reopen=not automated)
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
    session: AsyncSession, *, conv: Conversation, text: str, raw: RawInbound,
    channel: str | None = None, content_type: str = "text",
    attachments: list[Attachment] | None = None, client_message_id: str | None = None,
) -> tuple[Message, bool]:
    """Take a customer message posted through the REST API on a known conversation.

    Deduplicated on the customer and the client's message id; without one each post is new.
    """
    inbound = InboundMessage(
        channel=channel or conv.channel, inbox_id=conv.inbox_id, customer_id=conv.customer_id,
        conversation_id=conv.id, text=text, content_type=content_type,
        attachments=attachments or [],
        provider_message_id=api_message_key(conv.customer_id, client_message_id)
        if client_message_id else None,
        meta={"client_message_id": client_message_id} if client_message_id else {})
    key = inbound.provider_message_id or api_message_key(conv.customer_id, uuid.uuid4().hex)
    return await do_take_inbound(session, workspace_id=conv.workspace_id, inbound=inbound,
                                 dedupe_key=key, raw=raw, conversation=conv)
