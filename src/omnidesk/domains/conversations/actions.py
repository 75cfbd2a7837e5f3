"""Conversation writes: the API's entries here, the rest by subject, all importable from here.

Subjects: `intake_actions` (a customer message from any way in), `message_actions` (store a
message, move clocks), `state_actions` (open, assign, status, labels), `ownership_actions`
(bot / queue / agent), `journal` (the log row, sentiment); plus `delivery_actions`,
`mention_actions`, `secret_actions` and `team_actions`. Other domains import these names from
this module only. Every function mutates, logs and writes its outbox event in the caller's
transaction; the caller commits once.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.context import Actor
from omnidesk.core.errors import InvalidInput
from omnidesk.domains.agents.service import get_user
from omnidesk.domains.conversations.intake_actions import (
    DEFAULT_REOPEN_WINDOW_HOURS,
    do_claim_inbound_event,
    do_receive_api_message,
    do_receive_inbound,
    do_store_raw_event,
    do_take_inbound,
)
from omnidesk.domains.conversations.journal import (
    AuditedBy,
    check_channel,
    detect_sentiment,
    log_event,
)
from omnidesk.domains.conversations.mention_actions import do_record_mentions
from omnidesk.domains.conversations.message_actions import do_add_message, find_repeat_send
from omnidesk.domains.conversations.models import Conversation, Message
from omnidesk.domains.conversations.ownership_actions import (
    do_await_reply,
    do_handoff_to_human,
    do_hold_bot_turn,
    do_return_to_bot,
    do_stop_awaiting_reply,
    move_owner,
)
from omnidesk.domains.conversations.schemas import ConversationCreate, MessageCreate, RawInbound
from omnidesk.domains.conversations.service import access_conversation, access_customer
from omnidesk.domains.conversations.state_actions import (
    AssignmentChange,
    assign_row_ctes,
    assign_row_params,
    assignment_change,
    check_update_conversation,
    do_assign,
    do_assign_row,
    do_open_conversation,
    do_reopen,
    do_set_status,
    set_labels,
)

__all__ = [
    "DEFAULT_REOPEN_WINDOW_HOURS",
    "AssignmentChange",
    "AuditedBy",
    "assign_row_ctes",
    "assign_row_params",
    "assignment_change",
    "check_create_conversation",
    "check_post_message",
    "check_update_conversation",
    "detect_sentiment",
    "do_add_message",
    "do_assign",
    "do_assign_row",
    "do_await_reply",
    "do_claim_inbound_event",
    "do_handoff_to_human",
    "do_hold_bot_turn",
    "do_open_conversation",
    "do_receive_api_message",
    "do_receive_inbound",
    "do_reopen",
    "do_return_to_bot",
    "do_set_status",
    "do_stop_awaiting_reply",
    "do_store_raw_event",
    "do_take_inbound",
    "find_repeat_send",
    "log_event",
    "move_owner",
]


async def check_post_message(
    session: AsyncSession, *, actor: Actor, conversation_id: int, message_in: MessageCreate,
    raw: RawInbound | None = None,
) -> tuple[Message, bool]:
    """Validate an API/agent message and store it; say whether it is new (not a repeat).

    Customer-authored messages go through intake (`do_take_inbound`: the raw request `raw`,
    else the message as JSON, is stored first), deduplicated by the client's message id;
    agent, bot and system messages are stored directly.
    """
    conv = await access_conversation(session, actor=actor, conversation_id=conversation_id)
    channel = check_channel(message_in.channel or conv.channel)
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
    return await do_receive_api_message(
        session, conv=conv, text=message_in.text, channel=channel,
        content_type=message_in.content_type, attachments=message_in.attachments,
        client_message_id=message_in.client_message_id,
        raw=raw or RawInbound.of_json(message_in.model_dump(mode="json")))


async def check_create_conversation(
    session: AsyncSession, *, actor: Actor, conv_in: ConversationCreate,
    raw: RawInbound | None = None,
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
        set_labels(conv, conv_in.labels)
    if conv_in.team_id is not None or conv_in.assignee_id is not None:
        await do_assign(session, conv=conv, assignee_id=conv_in.assignee_id,
                        team_id=conv_in.team_id, actor_kind=actor.audit_kind,
                        actor_id=actor.user_id)
    if conv_in.message:
        await do_receive_api_message(
            session, conv=conv, text=conv_in.message, client_message_id=conv_in.client_message_id,
            raw=raw or RawInbound.of_json(conv_in.model_dump(mode="json")))
    return conv
