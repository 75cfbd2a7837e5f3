"""Bot writes: replies with their provenance, recorded actions, handoffs, settings and models."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.audit import audit
from omnidesk.core.context import Actor
from omnidesk.core.errors import InvalidInput
from omnidesk.core.events import emit
from omnidesk.core.schemas import merge_patch
from omnidesk.domains.bot.dialogue import DialogueState
from omnidesk.domains.bot.events import BotActionTaken, BotSettingsUpdated
from omnidesk.domains.bot.policy import FLOW_INTENTS, BotSettings, bot_settings
from omnidesk.domains.bot.service import shipped_training_rows
from omnidesk.domains.bot.summary import handoff_summary
from omnidesk.domains.bot.worklog import bot_work
from omnidesk.domains.conversations.actions import (
    do_add_message,
    do_handoff_to_human,
    log_event,
)
from omnidesk.domains.conversations.events import ConversationCustomerChanged
from omnidesk.domains.conversations.models import CHANNELS, Conversation, Message
from omnidesk.domains.customers.actions import do_link_verified_visitor
from omnidesk.domains.nlu.actions import do_store_model
from omnidesk.domains.nlu.models import NluModel
from omnidesk.domains.nlu.service import train_intent_model_from_rows
from omnidesk.domains.workspaces.service import get_workspace


async def do_bot_reply(session: AsyncSession, *, conv: Conversation, text: str,
                       meta: dict[str, Any]) -> Message:
    """Post the bot's reply; agents see its intent, confidence and source in ``meta["bot"]``
    (choices in ``meta["quick_replies"]``, article cards in ``meta["cards"]``)."""
    return await do_add_message(session, conv=conv, text=text, author_kind="bot", meta=meta)


def do_record_bot_action(session: AsyncSession, *, conv: Conversation,
                         action: dict[str, Any]) -> None:
    """Record what the bot did on the conversation (event log + outbox event)."""
    log_event(session, conv, "bot_action", actor_kind="bot", data=action)
    details = {k: v for k, v in action.items() if k not in {"action", "order_number"}}
    emit(session, BotActionTaken(conversation_id=conv.id, customer_id=conv.customer_id,
                                 action=str(action["action"]),
                                 order_number=action.get("order_number"), details=details),
         workspace_id=conv.workspace_id)


async def do_link_verified_customer(session: AsyncSession, *, conv: Conversation,
                                    customer_id: int, by: str) -> None:
    """Make the customer a visitor proved to be (order number + phone/email) the
    conversation's customer, folding the anonymous visitor in; record it as a bot action."""
    before = conv.customer_id
    if before != customer_id and await do_link_verified_visitor(
            session, workspace_id=conv.workspace_id, visitor_id=before, customer_id=customer_id):
        conv.customer_id = customer_id  # the merge's subscriber moves the visitor's others
        emit(session, ConversationCustomerChanged(
            conversation_ids=[conv.id], from_customer_id=before, customer_id=customer_id),
            workspace_id=conv.workspace_id)
    do_record_bot_action(session, conv=conv, action={
        "action": "customer_verified", "customer_id": customer_id, "by": by,
        "linked": conv.customer_id == customer_id})


async def do_bot_handoff(
    session: AsyncSession, *, conv: Conversation, state: DialogueState, reason: str,
    intent: str | None, confidence: float | None, language: str,
    customer_messages: list[str],
) -> bool:
    """Hand the conversation to humans once, with a summary note in the agents' language."""
    workspace = await get_workspace(session, workspace_id=conv.workspace_id)
    locale = "ko" if (workspace.default_locale or "ko").startswith("ko") else "en"
    summary = handoff_summary(reason=reason, intent=intent, confidence=confidence,
                              language=language, state=state,
                              customer_messages=customer_messages, locale=locale,
                              work=await bot_work(session, conv=conv, locale=locale))
    moved = await do_handoff_to_human(session, conv=conv, reason=reason, intent=intent,
                                      language=language, slots=state.public_slots(),
                                      summary=summary, text="\n".join(customer_messages))
    if moved:
        await do_add_message(session, conv=conv, text="\n".join(summary), author_kind="bot",
                             is_private=True, meta={"bot": {"kind": "handoff_summary",
                                                            "reason": reason}})
    return moved


async def check_update_bot_settings(session: AsyncSession, *, actor: Actor,
                                    changes: dict[str, Any]) -> BotSettings:
    """Refuse unknown channels and intents the bot has no task flow for, then store the changes."""
    actor.require("admin")  # an agent hears "forbidden" before any detail of the values
    if unknown := sorted(set(changes.get("channels") or []) - set(CHANNELS)):
        raise InvalidInput(f"unknown channels: {', '.join(unknown)}", field="channels")
    if set(changes.get("intents") or []) - set(FLOW_INTENTS):
        raise InvalidInput(f"intents must be among {', '.join(FLOW_INTENTS)}", field="intents")
    return await do_update_bot_settings(session, actor=actor, changes=changes)


async def do_update_bot_settings(session: AsyncSession, *, actor: Actor,
                                 changes: dict[str, Any]) -> BotSettings:
    """Validate and store changes to the workspace's bot settings (admins only)."""
    actor.require("admin")
    workspace = await get_workspace(session, workspace_id=actor.workspace_id)
    current = bot_settings(workspace.settings).model_dump()
    updated = BotSettings.model_validate(merge_patch(current, changes))
    workspace.settings = {**(workspace.settings or {}), "bot": updated.model_dump()}
    audit(session, workspace_id=actor.workspace_id, action="bot.settings_updated",
          actor_kind=actor.audit_kind, actor_id=actor.user_id, object_type="workspace",
          object_id=actor.workspace_id, data={"fields": sorted(changes)},
          before=current, after=updated.model_dump(mode="json"))
    emit(session, BotSettingsUpdated(fields=sorted(changes)), workspace_id=actor.workspace_id)
    return updated


async def do_train_workspace_model(
    session: AsyncSession, *, workspace_id: int,
    rows: Iterable[dict[str, str]] | None = None, source: str = "shipped",
) -> NluModel:
    """Train an intent model (the shipped utterances unless rows are given) and activate it."""
    data = list(rows) if rows is not None else shipped_training_rows()
    model = await asyncio.to_thread(train_intent_model_from_rows, data)
    return await do_store_model(session, workspace_id=workspace_id, model=model, source=source)
