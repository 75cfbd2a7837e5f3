"""Conversation reads: fetch with permission, inbox filters, messages and the event log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, String, bindparam, cast, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import raiseload

from omnidesk.core.context import Actor
from omnidesk.core.db import flush_pending, get_in_workspace
from omnidesk.core.errors import NotFound
from omnidesk.core.pagination import paginate
from omnidesk.core.pii.mask import mask_text
from omnidesk.domains.conversations.models import (
    DEFAULT_BOT_CHANNELS,
    SENT_MARKER,
    Conversation,
    ConversationEvent,
    ConversationLabel,
    InboundEvent,
    Message,
    MessageMention,
    MessageSecret,
)
from omnidesk.domains.customers.models import Customer
from omnidesk.domains.customers.service import get_visible_customer

AWAITING_KEY = "awaiting_reply"  # Conversation.attributes key: a question the customer may answer


def awaited_number(conv: Conversation, text: str | None, *, now: dt.datetime) -> int | None:
    """Return the number a customer's reply gives to the question the conversation awaits.

    A survey asks for a score; a reply that is just a number in its range (e.g. "4" to a 1–5
    question) answers it instead of reopening the conversation or waking the bot.
    """
    awaited = (conv.attributes or {}).get(AWAITING_KEY)
    value = (text or "").strip()
    if not awaited or not value.isdigit() or len(value) > 3:
        return None
    if dt.datetime.fromisoformat(awaited["until"]) <= now:
        return None
    number = int(value)
    return number if awaited["low"] <= number <= awaited["high"] else None


def bot_serves_channel(workspace_settings: dict[str, Any] | None, channel: str) -> bool:
    """Tell whether the workspace's bot answers new conversations on this channel."""
    bot = (workspace_settings or {}).get("bot") or {}
    channels = bot.get("channels")
    return bool(bot.get("enabled")) and channel in (
        DEFAULT_BOT_CHANNELS if channels is None else channels)


@dataclass(frozen=True)
class ConversationFilter:
    """Inbox filters; assignee may be a user id, 'me' or 'none'."""

    status: str | None = None
    assignee: str | None = None
    team_id: int | None = None
    channel: str | None = None
    label: str | None = None
    priority: str | None = None
    customer_id: int | None = None
    team_ids: tuple[int, ...] | None = None


async def get_conversation(
    session: AsyncSession, *, workspace_id: int, conversation_id: int
) -> Conversation:
    """Return a conversation of the workspace or raise NotFound."""
    return await get_in_workspace(session, Conversation, workspace_id=workspace_id,
                                  object_id=conversation_id, what="conversation")


async def get_conversation_people(
    session: AsyncSession, *, workspace_id: int, conversation_id: int
) -> tuple[int | None, int | None]:
    """Return a conversation's (assignee_id, team_id), for pushes to the screens concerned,
    without loading the conversation (one narrow read); raise NotFound."""
    await flush_pending(session)
    row = (await (await session.connection()).execute(_people_query(), {
        "conversation_id": conversation_id, "workspace_id": workspace_id})).first()
    if row is None:
        raise NotFound("conversation not found")
    return row[0], row[1]


@cache
def _people_query() -> Select[int | None, int | None]:
    """Build the people read once (every new message's push runs it; building costs more)."""
    return select(Conversation.assignee_id, Conversation.team_id).where(
        Conversation.id == bindparam("conversation_id"),
        Conversation.workspace_id == bindparam("workspace_id"))


def visible_clause(actor: Actor) -> ColumnElement[bool] | None:
    """Say which conversations a limited actor may see; None when it may see the workspace's.

    THE visibility rule: a limited staff member (``Actor.scope``) sees the conversations of
    their teams, of their inboxes, and those assigned to them; their customers follow
    (``visible_customer_ids``). Every route asks ``access_conversation``/``access_customer``
    or filters with these clauses, so an out-of-scope id answers 404 like an unknown one.
    """
    scope = actor.scope
    if scope is None:
        return None
    clauses: list[ColumnElement[bool]] = []
    if scope.team_ids:
        clauses.append(Conversation.team_id.in_(sorted(scope.team_ids)))
    if scope.inbox_ids:
        clauses.append(Conversation.inbox_id.in_(sorted(scope.inbox_ids)))
    if actor.user_id is not None:
        clauses.append(Conversation.assignee_id == actor.user_id)
    return or_(*clauses) if clauses else false()


def visible_customer_ids(actor: Actor) -> Select[int] | None:
    """Return the ids of the customers a limited actor may see (None: every customer)."""
    clause = visible_clause(actor)
    if clause is None:
        return None
    return select(Conversation.customer_id).where(
        Conversation.workspace_id == actor.workspace_id, clause)


def can_see(actor: Actor, conversation: Conversation) -> bool:
    """Tell whether the actor may see a conversation already loaded (same rule, in Python)."""
    scope = actor.scope
    if conversation.workspace_id != actor.workspace_id:
        return False
    return scope is None or (
        conversation.team_id in scope.team_ids or conversation.inbox_id in scope.inbox_ids
        or (actor.user_id is not None and conversation.assignee_id == actor.user_id))


async def access_conversation(
    session: AsyncSession, *, actor: Actor, conversation_id: int
) -> Conversation:
    """Fetch a conversation the actor may see, or raise NotFound (also when out of scope)."""
    conv = await get_conversation(session, workspace_id=actor.workspace_id,
                                  conversation_id=conversation_id)
    if not can_see(actor, conv):
        raise NotFound("conversation not found")
    return conv


async def attachment_visible(session: AsyncSession, *, actor: Actor, name: str) -> bool:
    """Tell whether the actor may download a stored file: False when only out-of-scope
    conversations' messages carry it (files no message carries, like article images, stay open)."""
    visible = visible_clause(actor)
    if visible is None:
        return True
    carried = (Message.workspace_id == actor.workspace_id) & cast(
        Message.attachments, String).contains(name, autoescape=True)
    if await session.scalar(select(Message.id).where(carried).limit(1)) is None:
        return True
    return await session.scalar(select(Message.id).join(
        Conversation, Conversation.id == Message.conversation_id).where(
        carried, visible).limit(1)) is not None


async def access_customer(session: AsyncSession, *, actor: Actor, customer_id: int) -> Customer:
    """Fetch a customer the actor may see, or raise NotFound (also when out of scope)."""
    return await get_visible_customer(session, workspace_id=actor.workspace_id,
                                      customer_id=customer_id, visible=visible_customer_ids(actor))


def filtered_query(actor: Actor, flt: ConversationFilter) -> Select[Conversation]:
    """Build the inbox query for the actor's workspace, visibility and the given filters."""
    query = select(Conversation).where(Conversation.workspace_id == actor.workspace_id)
    visible = visible_clause(actor)
    if visible is not None:
        query = query.where(visible)
    if flt.status:
        query = query.where(Conversation.status == flt.status)
    if flt.assignee == "me":
        query = query.where(Conversation.assignee_id == actor.user_id)
    elif flt.assignee == "none":
        query = query.where(Conversation.assignee_id.is_(None))
    elif flt.assignee:
        query = query.where(Conversation.assignee_id == int(flt.assignee))
    if flt.team_id is not None:
        query = query.where(Conversation.team_id == flt.team_id)
    if flt.team_ids is not None:
        query = query.where(Conversation.team_id.in_(flt.team_ids))
    if flt.channel:
        query = query.where(Conversation.channel == flt.channel)
    if flt.priority:
        query = query.where(Conversation.priority == flt.priority)
    if flt.customer_id is not None:
        query = query.where(Conversation.customer_id == flt.customer_id)
    if flt.label:
        labelled = select(ConversationLabel.conversation_id).where(
            ConversationLabel.workspace_id == actor.workspace_id,
            ConversationLabel.label == flt.label,
        )
        query = query.where(Conversation.id.in_(labelled))
    return query


async def list_conversations(
    session: AsyncSession, *, actor: Actor, flt: ConversationFilter, cursor: str | None,
    limit: int,
) -> list[Conversation]:
    """List conversations matching the filters, newest first, one page plus one row."""
    query = paginate(filtered_query(actor, flt), Conversation.id, cursor=cursor, limit=limit)
    return list((await session.scalars(query)).all())


INBOX_ORDERS = ("activity", "waiting")


async def list_inbox(
    session: AsyncSession, *, actor: Actor, flt: ConversationFilter, order: str = "activity",
    offset: int = 0, limit: int = 50,
) -> list[Conversation]:
    """List a page of the inbox: latest activity first, or the longest waiting first."""
    query = filtered_query(actor, flt)
    if order == "waiting":
        query = query.order_by(Conversation.waiting_since.is_(None),
                               Conversation.waiting_since.asc(), Conversation.id)
    else:
        query = query.order_by(Conversation.last_message_at.is_(None),
                               Conversation.last_message_at.desc(), Conversation.id.desc())
    return list((await session.scalars(query.offset(offset).limit(limit + 1))).all())


async def count_conversations(session: AsyncSession, *, actor: Actor,
                              flt: ConversationFilter) -> int:
    """Count conversations matching the filters (inbox view badges)."""
    sub = filtered_query(actor, flt).with_only_columns(Conversation.id).subquery()
    return int(await session.scalar(select(func.count()).select_from(sub)) or 0)


async def list_messages(
    session: AsyncSession, *, workspace_id: int, conversation_id: int, after_id: int = 0,
    include_private: bool = True, limit: int = 500,
) -> list[Message]:
    """List a conversation's messages in order, optionally only those after an id."""
    query = select(Message).where(
        Message.workspace_id == workspace_id,
        Message.conversation_id == conversation_id,
        Message.id > after_id,
    )
    if not include_private:
        query = query.where(Message.is_private.is_(False))
    return list((await session.scalars(query.order_by(Message.id).limit(limit))).all())


def shown_text(text: str) -> str:
    """Mask the personal data in a message text as staff see it until they reveal it."""
    return mask_text(text)


async def messages_with_secrets(session: AsyncSession, *, workspace_id: int,
                                message_ids: list[int]) -> set[int]:
    """Return which of the messages keep encrypted values (one query for a whole thread)."""
    if not message_ids:
        return set()
    rows = await session.scalars(select(MessageSecret.message_id).where(
        MessageSecret.workspace_id == workspace_id,
        MessageSecret.message_id.in_(message_ids)).distinct())
    return set(rows.all())


async def shown_texts(session: AsyncSession, *, workspace_id: int,
                      messages: Sequence[Message]) -> tuple[dict[int, str], set[int]]:
    """Return message texts as staff see them (the one rule for the web thread and the API) and
    the ids whose clear text differs: masked here or sealed by the privacy policy, so that only
    the logged reveal (`secret_actions.do_reveal_message`) shows it."""
    sealed = await messages_with_secrets(session, workspace_id=workspace_id,
                                         message_ids=[m.id for m in messages])
    shown = {m.id: shown_text(m.text) for m in messages if m.text}
    hidden = {m.id for m in messages if m.id in sealed or shown.get(m.id, m.text) != m.text}
    return shown, hidden


async def list_events(
    session: AsyncSession, *, workspace_id: int, conversation_id: int
) -> list[ConversationEvent]:
    """List the conversation's event log in order."""
    rows = await session.scalars(
        select(ConversationEvent)
        .where(ConversationEvent.workspace_id == workspace_id,
               ConversationEvent.conversation_id == conversation_id)
        .order_by(ConversationEvent.id)
    )
    return list(rows.all())


def _without_labels(query: Select[Conversation], load_labels: bool
                    ) -> Select[Conversation]:
    """Skip the labels' selectin query where the caller never reads them (the intake path).

    ``raiseload``, not ``noload``: reading labels then raises instead of seeing an empty list;
    a later query of the same conversation in the session loads them.
    """
    return query if load_labels else query.options(raiseload(Conversation.label_rows))


async def latest_conversation_for_customer(
    session: AsyncSession, *, workspace_id: int, customer_id: int, load_labels: bool = True,
    channel: str | None = None,
) -> Conversation | None:
    """Return the customer's most recent conversation on any channel (or on one)."""
    return await session.scalar(_latest_query(channel is not None, load_labels), {
        "workspace_id": workspace_id, "customer_id": customer_id, "channel": channel})


@cache
def _latest_query(by_channel: bool, load_labels: bool) -> Select[Conversation]:
    """Build the latest-conversation read once per variant (intake runs it for every message;
    building it cost as much as running it)."""
    query = select(Conversation).where(Conversation.workspace_id == bindparam("workspace_id"),
                                       Conversation.customer_id == bindparam("customer_id"))
    if by_channel:
        query = query.where(Conversation.channel == bindparam("channel"))
    return _without_labels(query.order_by(Conversation.id.desc()).limit(1), load_labels)


def was_sent(message: Message) -> bool:
    """Tell whether a provider already accepted this message (it is never sent again)."""
    return bool(message.provider_message_id or message.meta.get(SENT_MARKER))


async def find_message_by_client_id(
    session: AsyncSession, *, workspace_id: int, client_message_id: str
) -> Message | None:
    """Return an agent's or bot's message by the sender's idempotency key (a retried send)."""
    return await session.scalar(select(Message).where(
        Message.workspace_id == workspace_id, Message.client_message_id == client_message_id))


def api_message_key(customer_id: int, client_message_id: str) -> str:
    """Return the dedupe key of a customer message posted through the REST API."""
    return f"api:{customer_id}:{client_message_id}"


async def find_conversation_opened_by(
    session: AsyncSession, *, actor: Actor, channel: str, customer_id: int,
    client_message_id: str,
) -> Conversation | None:
    """Return the conversation an API call opened with this first message id (a retry)."""
    found = await find_message_by_provider_id(  # an API-opened conversation has no inbox
        session, workspace_id=actor.workspace_id, channel=channel,
        provider_message_id=api_message_key(customer_id, client_message_id), inbox_id=None)
    return None if found is None else await access_conversation(
        session, actor=actor, conversation_id=found.conversation_id)


async def find_message_by_provider_id(
    session: AsyncSession, *, workspace_id: int, channel: str, provider_message_id: str,
    inbox_id: int | None,
) -> Message | None:
    """Return a message of an inbox by its provider id (dedupe of redelivered webhooks)."""
    return await session.scalar(_by_provider_id_query(), {
        "workspace_id": workspace_id, "channel": channel,
        "provider_message_id": provider_message_id, "inbox_id": inbox_id})


@cache
def _by_provider_id_query() -> Select[Message]:
    """Build intake's dedupe read once (it runs for every message with a provider id)."""
    return select(Message).where(
        Message.workspace_id == bindparam("workspace_id"),
        Message.channel == bindparam("channel"),
        Message.provider_message_id == bindparam("provider_message_id"),
        Message.inbox_id.is_not_distinct_from(bindparam("inbox_id", type_=Message.inbox_id.type)),
    )


async def find_sent_message(
    session: AsyncSession, *, workspace_id: int, channel: str, provider_message_id: str,
    inbox_id: int | None,
) -> Message | None:
    """Return the outbound message a provider's status callback to an inbox is about.

    A reply sent without an inbox of its own went out through the first inbox of its kind, so
    a message of the inbox is preferred and one without an inbox is the fallback.
    """
    return await session.scalar(
        select(Message).where(
            Message.workspace_id == workspace_id, Message.channel == channel,
            Message.provider_message_id == provider_message_id,
            or_(Message.inbox_id == inbox_id, Message.inbox_id.is_(None)))
        .order_by(Message.inbox_id.is_(None)).limit(1))


async def get_inbound_event(session: AsyncSession, *, event_id: int,
                            workspace_id: int | None = None) -> InboundEvent | None:
    """Return a stored raw inbound event by id (scoped to a workspace when given)."""
    query = select(InboundEvent).where(InboundEvent.id == event_id)
    if workspace_id is not None:
        query = query.where(InboundEvent.workspace_id == workspace_id)
    return await session.scalar(query)


async def raw_event_stored(session: AsyncSession, *, workspace_id: int, inbox_id: int | None,
                           channel: str, dedupe_keys: tuple[str, ...]) -> bool:
    """Tell whether an inbox already holds a raw event under one of these dedupe keys."""
    scope = (InboundEvent.inbox_id == inbox_id if inbox_id is not None
             else InboundEvent.inbox_id.is_(None))
    found = await session.scalar(select(InboundEvent.id).where(
        InboundEvent.workspace_id == workspace_id, InboundEvent.channel == channel, scope,
        InboundEvent.dedupe_key.in_(dedupe_keys)).limit(1))
    return found is not None


async def list_customer_messages(
    session: AsyncSession, *, workspace_id: int, customer_id: int, after_id: int = 0,
    channel: str | None = None, include_private: bool = False, limit: int = 500,
) -> list[Message]:
    """List a customer's messages across their conversations after an id, oldest first."""
    owned = select(Conversation.id).where(Conversation.workspace_id == workspace_id,
                                          Conversation.customer_id == customer_id)
    query = select(Message).where(Message.workspace_id == workspace_id,
                                  Message.conversation_id.in_(owned), Message.id > after_id)
    if channel:
        query = query.where(Message.channel == channel)
    if not include_private:
        query = query.where(Message.is_private.is_(False))
    return list((await session.scalars(query.order_by(Message.id).limit(limit))).all())


async def get_message(session: AsyncSession, *, workspace_id: int, message_id: int) -> Message:
    """Return a message of the workspace or raise NotFound."""
    return await get_in_workspace(session, Message, workspace_id=workspace_id,
                                  object_id=message_id, what="message")


async def get_last_messages(
    session: AsyncSession, *, workspace_id: int, conversation_ids: set[int]
) -> dict[int, Message]:
    """Return each conversation's latest public message, keyed by conversation id (one query)."""
    if not conversation_ids:
        return {}
    latest = (
        select(func.max(Message.id))
        .where(Message.workspace_id == workspace_id,
               Message.conversation_id.in_(conversation_ids), Message.is_private.is_(False))
        .group_by(Message.conversation_id)
    )
    rows = await session.scalars(select(Message).where(Message.id.in_(latest)))
    return {m.conversation_id: m for m in rows.all()}


async def find_conversation(
    session: AsyncSession, *, workspace_id: int, conversation_id: int, load_labels: bool = True
) -> Conversation | None:
    """Return a conversation of the workspace, or None (threading hints may be stale)."""
    return await session.scalar(_without_labels(select(Conversation).where(
        Conversation.id == conversation_id, Conversation.workspace_id == workspace_id),
        load_labels))


async def get_last_inbound_message(session: AsyncSession, *, workspace_id: int,
                                   conversation_id: int, channel: str) -> Message | None:
    """Return the customer's latest message on a channel in a conversation (reply threading)."""
    return await session.scalar(
        select(Message).where(Message.workspace_id == workspace_id,
                              Message.conversation_id == conversation_id,
                              Message.channel == channel, Message.direction == "inbound")
        .order_by(Message.id.desc()).limit(1))


async def list_mentions(session: AsyncSession, *, actor: Actor,
                        limit: int = 50) -> list[tuple[MessageMention, Message]]:
    """List the actor's mentions, newest first, with the note that named them."""
    rows = await session.execute(
        select(MessageMention, Message).join(Message, Message.id == MessageMention.message_id)
        .where(MessageMention.workspace_id == actor.workspace_id,
               MessageMention.user_id == actor.user_id)
        .order_by(MessageMention.id.desc()).limit(limit))
    return [(mention, message) for mention, message in rows.all()]


async def count_unseen_mentions(session: AsyncSession, *, actor: Actor) -> int:
    """Count the actor's mentions not seen yet (the top bar's badge)."""
    return int(await session.scalar(select(func.count(MessageMention.id)).where(
        MessageMention.workspace_id == actor.workspace_id,
        MessageMention.user_id == actor.user_id, MessageMention.seen_at.is_(None))) or 0)


async def list_reopened(session: AsyncSession, *, actor: Actor,
                        limit: int = 20) -> list[Conversation]:
    """List open conversations a customer reopened, latest activity first (supervisor board)."""
    query = select(Conversation).where(
        Conversation.workspace_id == actor.workspace_id, Conversation.reopened_count > 0,
        Conversation.status != "resolved")
    visible = visible_clause(actor)
    if visible is not None:
        query = query.where(visible)
    query = query.order_by(Conversation.last_message_at.desc().nulls_last()).limit(limit)
    return list((await session.scalars(query)).all())


async def count_open_by_assignee(session: AsyncSession, *, workspace_id: int) -> dict[int, int]:
    """Count each agent's open (unresolved) conversations (the board's capacity flags)."""
    rows = await session.execute(
        select(Conversation.assignee_id, func.count(Conversation.id)).where(
            Conversation.workspace_id == workspace_id, Conversation.assignee_id.is_not(None),
            Conversation.status.in_(("open", "pending"))).group_by(Conversation.assignee_id))
    return {int(user_id or 0): int(n) for user_id, n in rows.all()}
