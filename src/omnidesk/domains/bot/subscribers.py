"""The bot's event handlers: answer customer messages on conversations the bot owns."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.errors import NotFound
from omnidesk.core.events import DeliveredEvent, Handler, SubscriberRegistry
from omnidesk.domains.bot.engine import BotDeps, handle_customer_message
from omnidesk.domains.conversations.events import MESSAGE_CREATED

log = logging.getLogger(__name__)


def make_handler(deps: BotDeps) -> Handler:
    """Build the message.created handler bound to the bot's dependencies."""

    async def answer_customer(event: DeliveredEvent, session: AsyncSession) -> None:
        """Answer a customer's public message when the bot owns the conversation."""
        payload = event.payload
        if (event.workspace_id is None or payload.get("author_kind") != "customer"
                or payload.get("is_private") or payload.get("owner") not in (None, "bot")):
            return
        try:
            await handle_customer_message(
                session, deps, workspace_id=event.workspace_id,
                conversation_id=int(payload["conversation_id"]),
                message_id=int(payload["message_id"]), text=str(payload.get("text") or ""))
        except NotFound:
            log.info("bot skipped a message of a deleted conversation",
                     extra={"event_id": event.id})

    return answer_customer


def register(registry: SubscriberRegistry, deps: BotDeps) -> None:
    """Add the bot's subscriber."""
    registry.subscribe(MESSAGE_CREATED, name="bot.answer")(make_handler(deps))
