"""Conversation writes: intake, messages, assignment and status, with log rows and events.

Every function here mutates, appends to the conversation's event log and writes its outbox
event in the caller's transaction; the caller commits once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from omnidesk.channels.manifests import is_realtime
from omnidesk.core.context import Actor
from omnidesk.core.db import rowcount, utcnow
from omnidesk.core.errors import Conflict, InvalidInput
from omnidesk.core.events import emit
from omnidesk.core.pii.keyring import pii_cipher
from omnidesk.core.pii.policy import policy_from
from omnidesk.core.pii.seal import Sealed, needs_protection, protect_text, scrub_text, scrub_value
from omnidesk.domains.agents.service import get_team, get_user
from omnidesk.domains.conversations import events as ev
from omnidesk.domains.conversations.mention_actions import do_record_mentions
from omnidesk.domains.conversations.models import (
    CHANNELS,
    Conversation,
    ConversationEvent,
    ConversationLabel,
    Message,
    MessageSecret,
)
from omnidesk.domains.conversations.schemas import (
    Attachment,
    ConversationCreate,
    ConversationUpdate,
    InboundMessage,
    MessageCreate,
)
from omnidesk.domains.conversations.service import (
    AWAITING_KEY,
    access_conversation,
    access_customer,
    api_message_key,
    awaited_number,
    bot_serves_channel,
    find_conversation,
    find_message_by_client_id,
    find_message_by_provider_id,
    latest_conversation_for_customer,
)
from omnidesk.domains.customers.actions import do_resolve_identity
from omnidesk.domains.customers.service import get_customer
from omnidesk.domains.nlu.service import score_sentiment
from omnidesk.domains.workspaces.service import get_workspace

DEFAULT_REOPEN_WINDOW_HOURS = 72


class AuditedBy(TypedDict):
    """Who a logged change is attributed to (keyword arguments of the do_* actions)."""

    actor_kind: str
    actor_id: int | None


def log_event(
    session: AsyncSession, conv: Conversation, kind: str, *, actor_kind: str = "system",
    actor_id: int | None = None, data: dict[str, Any] | None = None,
) -> ConversationEvent:
    """Append a fact to the conversation's event log."""
    row = ConversationEvent(workspace_id=conv.workspace_id, conversation_id=conv.id, kind=kind,
                            actor_kind=actor_kind, actor_id=actor_id, data=data or {})
    session.add(row)
    return row


def detect_sentiment(text: str | None) -> ev.DetectedSentiment:
    """Return the sentiment NLU finds in a customer's words (neutral for no text)."""
    if not text:
        return ev.DetectedSentiment()
    found = score_sentiment(text)
    return ev.DetectedSentiment(label=found.label, score=found.score)


def _check_channel(channel: str) -> str:
    if channel not in CHANNELS:
        raise InvalidInput(f"unknown channel {channel!r}", field="channel")
    return channel


async def do_open_conversation(
    session: AsyncSession, *, workspace_id: int, customer_id: int, channel: str,
    subject: str | None = None, priority: str = "normal", language: str | None = None,
    actor_kind: str = "customer", actor_id: int | None = None, text: str | None = None,
    inbox_id: int | None = None,
) -> Conversation:
    """Open a new conversation for a customer (`text`: the opening message routing reads)."""
    conv = Conversation(workspace_id=workspace_id, customer_id=customer_id, label_rows=[],
                        channel=_check_channel(channel), inbox_id=inbox_id, subject=subject,
                        priority=priority,
                        language=language, status="open",
                        owner=await _unassigned_owner(session, workspace_id, channel))
    session.add(conv)
    await session.flush()
    log_event(session, conv, "created", actor_kind=actor_kind, actor_id=actor_id,
              data={"channel": channel})
    emit(session, ev.ConversationCreated.of(conv, text=text, sentiment=detect_sentiment(text)),
         workspace_id=workspace_id)
    return conv


async def do_add_message(
    session: AsyncSession, *, conv: Conversation, text: str, author_kind: str,
    author_id: int | None = None, channel: str | None = None, is_private: bool = False,
    content_type: str = "text", attachments: list[dict[str, Any]] | None = None,
    provider_message_id: str | None = None, meta: dict[str, Any] | None = None,
    at: dt.datetime | None = None, inbox_id: int | None = None,
    client_message_id: str | None = None,
) -> Message:
    """Store a message and move the conversation's clocks (first response, waiting).

    A reply on the conversation's channel goes out through the conversation's inbox (the number
    or mailbox the customer wrote to) unless an inbox is given.
    """
    now = at or utcnow()
    channel = _check_channel(channel or conv.channel)
    if inbox_id is None and author_kind != "customer" and channel == conv.channel:
        inbox_id = conv.inbox_id
    inbound = author_kind == "customer"
    direction = "internal" if is_private else ("inbound" if inbound else "outbound")
    needs_delivery = direction == "outbound" and author_kind in {"agent", "bot"}
    msg = Message(
        workspace_id=conv.workspace_id, conversation_id=conv.id, channel=channel,
        inbox_id=inbox_id, direction=direction, author_kind=author_kind, author_id=author_id, text=text,
        content_type=content_type, attachments=attachments or [], is_private=is_private,
        provider_message_id=provider_message_id, meta=meta or {}, created_at=now,
        client_message_id=client_message_id,
        delivery_status="pending" if needs_delivery and not is_realtime(channel) else None,
    )
    session.add(msg)
    conv.message_count += 1
    if not is_private:
        conv.last_message_at = now
        if inbound:
            _on_customer_message(session, conv, now, channel, inbox_id)
        elif author_kind in {"agent", "bot"}:
            _on_reply(session, conv, now, author_kind, author_id)
    await session.flush()
    sentiment = detect_sentiment(text) if inbound and not is_private else ev.DetectedSentiment()
    emit(session, ev.MessageCreated.of(msg, conv, sentiment), workspace_id=conv.workspace_id)
    return msg


def _on_customer_message(session: AsyncSession, conv: Conversation, now: dt.datetime,
                         channel: str, inbox_id: int | None) -> None:
    conv.first_customer_message_at = conv.first_customer_message_at or now
    conv.last_customer_message_at = now
    if conv.status != "resolved":  # an answer to a survey on a resolved one waits for nobody
        conv.waiting_since = conv.waiting_since or now
    if inbox_id is not None or channel != conv.channel:  # the customer's last inbox
        conv.inbox_id = inbox_id
    conv.channel = channel
    if conv.status in {"pending", "snoozed"}:  # the customer wrote: it wakes up
        previous, conv.status, conv.snoozed_until = conv.status, "open", None
        log_event(session, conv, "status_changed", actor_kind="customer",
                  data={"from": previous, "to": "open", "reason": "customer_wrote"})


def _on_reply(session: AsyncSession, conv: Conversation, now: dt.datetime, author_kind: str,
              author_id: int | None) -> None:
    if author_kind == "agent":
        if conv.owner in {"bot", "queued"}:
            conv.owner = "agent"  # an agent who writes takes the conversation from the bot
        conv.last_agent_message_at = now
        if conv.first_response_at is None and conv.first_customer_message_at is not None:
            conv.first_response_at = now
            seconds = (now - conv.first_customer_message_at).total_seconds()
            log_event(session, conv, "first_response", actor_kind="agent", actor_id=author_id,
                      data={"seconds": round(seconds, 3)})
            emit(session, ev.ConversationFirstResponded.of(conv, seconds=round(seconds, 3)),
                 workspace_id=conv.workspace_id)
    conv.waiting_since = None


async def check_post_message(
    session: AsyncSession, *, actor: Actor, conversation_id: int, message_in: MessageCreate
) -> tuple[Message, bool]:
    """Validate an API/agent message and store it; say whether it is new (not a repeat).

    Customer-authored messages go through intake (do_receive_inbound), deduplicated by the
    client's message id; agent, bot and system messages are stored directly.
    """
    conv = await access_conversation(session, actor=actor, conversation_id=conversation_id)
    channel = _check_channel(message_in.channel or conv.channel)
    attachments = [a.model_dump() for a in message_in.attachments]
    if message_in.author_kind != "customer":
        if message_in.client_message_id and (repeat := await find_repeat_send(
                session, conv=conv, client_message_id=message_in.client_message_id)):
            return repeat, False
        author_id = actor.user_id if message_in.author_kind == "agent" else None
        msg = await do_add_message(
            session, conv=conv, text=message_in.text, author_kind=message_in.author_kind,
            author_id=author_id, channel=channel, is_private=message_in.is_private,
            content_type=message_in.content_type, attachments=attachments,
            client_message_id=message_in.client_message_id)
        if msg.is_private and author_id is not None:  # a note may @mention colleagues
            author = await get_user(session, workspace_id=actor.workspace_id, user_id=author_id)
            await do_record_mentions(session, message=msg, author=author)
        return msg, True
    if message_in.is_private:
        raise InvalidInput("a customer message cannot be a private note", field="is_private")
    before = conv.message_count
    msg = await do_receive_api_message(
        session, conv=conv, text=message_in.text, channel=channel,
        content_type=message_in.content_type, attachments=message_in.attachments,
        client_message_id=message_in.client_message_id)
    return msg, conv.message_count != before


async def find_repeat_send(
    session: AsyncSession, *, conv: Conversation, client_message_id: str
) -> Message | None:
    """Return the message already stored under a send's idempotency key (None if new).

    Double-clicks, retries and resends after a reconnect carry the same key, so they find the
    first copy. A key already used in another conversation is refused rather than reused.
    """
    found = await find_message_by_client_id(session, workspace_id=conv.workspace_id,
                                            client_message_id=client_message_id)
    if found is not None and found.conversation_id != conv.id:
        raise Conflict("this client_message_id was already used in another conversation")
    return found


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
        await _reopen(session, conv, actor_kind="customer", actor_id=None, text=text)
    return await do_receive_inbound(session, workspace_id=conv.workspace_id, inbound=inbound)


async def check_create_conversation(
    session: AsyncSession, *, actor: Actor, conv_in: ConversationCreate
) -> Conversation:
    """Validate and open a conversation (optionally with its first customer message)."""
    await access_customer(session, actor=actor, customer_id=conv_in.customer_id)
    conv = await do_open_conversation(
        session, workspace_id=actor.workspace_id, customer_id=conv_in.customer_id,
        channel=conv_in.channel, subject=conv_in.subject, priority=conv_in.priority,
        language=conv_in.language, actor_kind=actor.audit_kind, actor_id=actor.user_id,
        text=conv_in.message or None,
    )
    if conv_in.labels:
        _set_labels(conv, conv_in.labels)
    if conv_in.team_id is not None or conv_in.assignee_id is not None:
        await do_assign(session, conv=conv, assignee_id=conv_in.assignee_id,
                        team_id=conv_in.team_id, actor_kind=actor.audit_kind,
                        actor_id=actor.user_id)
    if conv_in.message:
        await do_receive_api_message(session, conv=conv, text=conv_in.message,
                                     client_message_id=conv_in.client_message_id)
    return conv


async def do_assign(
    session: AsyncSession, *, conv: Conversation, assignee_id: int | None,
    team_id: int | None = None, actor_kind: str = "system", actor_id: int | None = None,
    reason: str | None = None, summary: list[str] | None = None,
) -> Conversation:
    """Assign (or transfer) a conversation to an agent and/or team of its workspace."""
    if assignee_id is not None:
        user = await get_user(session, workspace_id=conv.workspace_id, user_id=assignee_id)
        if not user.is_active:
            raise InvalidInput("cannot assign to a deactivated user", field="assignee_id")
    if team_id is not None:
        await get_team(session, workspace_id=conv.workspace_id, team_id=team_id)
    previous = (conv.assignee_id, conv.team_id)
    conv.assignee_id = assignee_id
    conv.team_id = team_id if team_id is not None else conv.team_id
    conv.assigned_at = utcnow() if assignee_id is not None else None
    if conv.owner != "resolved" and (assignee_id is not None or conv.owner == "agent"):
        conv.owner = "agent" if assignee_id is not None else "queued"
    kind = "transferred" if previous[0] is not None and assignee_id is not None else (
        "assigned" if assignee_id is not None else "unassigned")
    data = {"from_assignee_id": previous[0], "to_assignee_id": assignee_id,
            "from_team_id": previous[1], "to_team_id": conv.team_id, "reason": reason}
    log_event(session, conv, kind, actor_kind=actor_kind, actor_id=actor_id,
              data={**data, **({"summary": summary} if summary else {})})
    emit(session, ev.ConversationAssigned.of(conv, change=kind, **data),
         workspace_id=conv.workspace_id)
    return conv


async def do_set_status(
    session: AsyncSession, *, conv: Conversation, status: str, actor_kind: str = "system",
    actor_id: int | None = None, snoozed_until: dt.datetime | None = None,
) -> Conversation:
    """Move a conversation to open/pending/snoozed/resolved, logging resolve and reopen."""
    if status == conv.status:
        return conv
    if status == "snoozed" and (snoozed_until is None or snoozed_until <= utcnow()):
        raise InvalidInput("snoozing needs a future snoozed_until", field="snoozed_until")
    if conv.status == "resolved" and status != "resolved":
        return await _reopen(session, conv, actor_kind=actor_kind, actor_id=actor_id,
                             status=status)
    previous, conv.status = conv.status, status
    conv.snoozed_until = snoozed_until if status == "snoozed" else None
    if status == "resolved":
        conv.resolved_at = utcnow()
        conv.waiting_since = None
        conv.owner = "resolved"
        log_event(session, conv, "resolved", actor_kind=actor_kind, actor_id=actor_id)
        emit(session, ev.ConversationResolved.of(
            conv, resolved_by=actor_id if actor_kind == "user" else None),
            workspace_id=conv.workspace_id)
    else:
        log_event(session, conv, "snoozed" if status == "snoozed" else "status_changed",
                  actor_kind=actor_kind, actor_id=actor_id,
                  data={"from": previous, "to": status, **(
                      {"until": snoozed_until.isoformat()} if status == "snoozed"
                      and snoozed_until else {})})
    emit(session, ev.ConversationStatusChanged.of(conv, previous_status=previous),
         workspace_id=conv.workspace_id)
    return conv


async def _reopen(session: AsyncSession, conv: Conversation, *, actor_kind: str,
                  actor_id: int | None, status: str = "open",
                  text: str | None = None) -> Conversation:
    conv.status, conv.resolved_at, conv.snoozed_until = status, None, None
    conv.reopened_count += 1
    conv.owner = "agent" if conv.assignee_id is not None else await _unassigned_owner(
        session, conv.workspace_id, conv.channel)
    log_event(session, conv, "reopened", actor_kind=actor_kind, actor_id=actor_id)
    emit(session, ev.ConversationReopened.of(conv, text=text, sentiment=detect_sentiment(text)),
         workspace_id=conv.workspace_id)
    emit(session, ev.ConversationStatusChanged.of(conv, previous_status="resolved"),
         workspace_id=conv.workspace_id)
    return conv


def _set_labels(conv: Conversation, labels: list[str]) -> None:
    wanted = sorted({label.strip() for label in labels if label.strip()})
    if any(len(label) > 64 for label in wanted):
        raise InvalidInput("labels are at most 64 characters", field="labels")
    keep = [row for row in conv.label_rows if row.label in wanted]
    have = {row.label for row in keep}
    conv.label_rows[:] = keep + [
        ConversationLabel(workspace_id=conv.workspace_id, label=label)
        for label in wanted if label not in have
    ]


async def check_update_conversation(
    session: AsyncSession, *, actor: Actor, conversation_id: int, update: ConversationUpdate,
    summary: list[str] | None = None,
) -> Conversation:
    """Apply an agent's change of status, priority, assignment, team or labels.

    An assignment carries the optional transfer note and `summary` (what the conversation is
    about, for the colleague taking over) into the timeline.
    """
    conv = await access_conversation(session, actor=actor, conversation_id=conversation_id)
    fields = update.model_dump(exclude_unset=True)
    who = AuditedBy(actor_kind=actor.audit_kind, actor_id=actor.user_id)
    if update.unassign or "assignee_id" in fields or "team_id" in fields:
        assignee = None if update.unassign else fields.get("assignee_id", conv.assignee_id)
        await do_assign(session, conv=conv, assignee_id=assignee,
                        team_id=fields.get("team_id"), reason=update.transfer_note or None,
                        summary=summary, **who)
    if update.status:
        await do_set_status(session, conv=conv, status=update.status,
                            snoozed_until=update.snoozed_until, **who)
    if update.priority and update.priority != conv.priority:
        log_event(session, conv, "priority_changed", data={"from": conv.priority,
                                                          "to": update.priority}, **who)
        conv.priority = update.priority
    if update.labels is not None:
        _set_labels(conv, update.labels)
        log_event(session, conv, "labels_changed", data={"labels": conv.labels}, **who)
    for key in ("language", "intent"):
        if fields.get(key):
            setattr(conv, key, fields[key])
    emit(session, ev.ConversationUpdated.of(conv, fields=sorted(fields)),
         workspace_id=conv.workspace_id)
    return conv


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
            await _reopen(session, conv, actor_kind="customer", actor_id=None,
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


async def _unassigned_owner(session: AsyncSession, workspace_id: int, channel: str) -> str:
    """Return who answers an unassigned conversation: the bot if it serves the channel."""
    workspace = await get_workspace(session, workspace_id=workspace_id)
    return "bot" if bot_serves_channel(workspace.settings, channel) else "queued"


async def move_owner(session: AsyncSession, conv: Conversation, *, to: str,
                     allowed: tuple[str, ...]) -> bool:
    """Move ownership with a conditional UPDATE (one writer at a time); tell if it moved."""
    result = await session.execute(
        update(Conversation)
        .where(Conversation.id == conv.id, Conversation.owner.in_(allowed))
        .values(owner=to)
        .execution_options(synchronize_session=False))
    if rowcount(result) != 1:
        await session.refresh(conv, ["owner"])
        return False
    set_committed_value(conv, "owner", to)
    return True


async def do_hold_bot_turn(session: AsyncSession, *, conv: Conversation) -> bool:
    """Lock the conversation for a bot reply; False when a human owns it now."""
    return await move_owner(session, conv, to="bot", allowed=("bot",))


async def do_handoff_to_human(
    session: AsyncSession, *, conv: Conversation, reason: str, intent: str | None = None,
    language: str | None = None, slots: dict[str, Any] | None = None,
    summary: list[str] | None = None, text: str | None = None,
) -> bool:
    """Hand a bot-owned conversation to the human queue once; a repeat does nothing.

    ``text`` is what the customer said to the bot: routing rules match it.
    """
    if not await move_owner(session, conv, to="queued", allowed=("bot",)):
        return False
    conv.intent = intent or conv.intent
    conv.language = language or conv.language
    context = {"reason": reason, "intent": conv.intent, "language": conv.language,
               "slots": slots or {}, "summary": summary or []}
    log_event(session, conv, "bot_handoff", actor_kind="bot", data=context)
    emit(session, ev.ConversationBotHandoff.of(
        conv, reason=reason, slots=slots or {}, summary=summary or [], text=text,
        sentiment=detect_sentiment(text)), workspace_id=conv.workspace_id)
    return True


def do_await_reply(conv: Conversation, *, low: int, high: int, until: dt.datetime,
                   ref: str) -> None:
    """Let a reply of just a number in [low, high] answer a question (until then), not reopen."""
    conv.attributes = {**(conv.attributes or {}), AWAITING_KEY: {
        "low": low, "high": high, "until": until.isoformat(), "ref": ref}}


def do_stop_awaiting_reply(conv: Conversation, *, ref: str) -> None:
    """Stop taking a number as the answer to the question `ref` (it was answered)."""
    attributes = dict(conv.attributes or {})
    if (attributes.get(AWAITING_KEY) or {}).get("ref") == ref:
        attributes.pop(AWAITING_KEY)
        conv.attributes = attributes


async def do_return_to_bot(
    session: AsyncSession, *, conv: Conversation, actor_kind: str, actor_id: int | None = None,
    reason: str | None = None,
) -> bool:
    """Give a human-owned conversation back to the bot (an agent's or a rule's decision)."""
    if actor_kind not in {"user", "agent", "system", "rule"}:
        raise InvalidInput("only an agent or a rule can return a conversation to the bot")
    if not await move_owner(session, conv, to="bot", allowed=("queued", "agent")):
        return False
    previous, conv.assignee_id, conv.assigned_at = conv.assignee_id, None, None
    data = {"reason": reason, "from_assignee_id": previous}
    log_event(session, conv, "returned_to_bot", actor_kind=actor_kind, actor_id=actor_id,
              data=data)
    emit(session, ev.ConversationReturnedToBot.of(conv, **data), workspace_id=conv.workspace_id)
    return True

