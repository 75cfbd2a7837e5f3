"""Who answers a conversation now (bot, queue, agent): conditional moves and awaited replies."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from omnidesk.core.db import rowcount
from omnidesk.core.errors import InvalidInput
from omnidesk.core.events import emit
from omnidesk.domains.conversations import events as ev
from omnidesk.domains.conversations.journal import detect_sentiment, log_event
from omnidesk.domains.conversations.models import Conversation
from omnidesk.domains.conversations.service import (
    AWAITING_KEY,
    bot_serves_channel,
)
from omnidesk.domains.workspaces.service import get_workspace


async def unassigned_owner(session: AsyncSession, workspace_id: int, channel: str) -> str:
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
