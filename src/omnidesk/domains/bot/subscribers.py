"""The bot's event handlers: answer customer messages on conversations the bot owns."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from omnidesk.core.errors import NotFound
from omnidesk.core.events import DeliveredEvent, Handler, SubscriberRegistry
from omnidesk.domains.bot.engine import BotDeps, handle_customer_message
from omnidesk.domains.conversations.events import MessageCreated

log = logging.getLogger(__name__)


def for_the_bot(event: MessageCreated) -> bool:
    """Tell whether the bot answers this message: a customer's public words on a thread the
    bot owns or one waiting for a person (the bot then answers only what it is sure of)."""
    return (event.author_kind == "customer" and not event.is_private
            and event.owner in (None, "bot", "queued"))


def make_handler(deps: BotDeps) -> Handler:
    """Build the message.created handler bound to the bot's dependencies."""

    async def answer_customer(event: DeliveredEvent[MessageCreated],
                              session: AsyncSession) -> None:
        """Answer a customer's public message when the bot owns the conversation."""
        if event.workspace_id is None:
            return
        try:
            await handle_customer_message(
                session, deps, workspace_id=event.workspace_id,
                conversation_id=event.data.conversation_id, message_id=event.data.message_id,
                text=event.data.text)
        except NotFound:
            log.info("bot skipped a message of a deleted conversation",
                     extra={"event_id": event.id})

    return answer_customer


def register(registry: SubscriberRegistry, deps: BotDeps) -> None:
    """Add the bot's subscriber."""
    registry.subscribe(MessageCreated, name="bot.answer", when=for_the_bot,
                       reads=("author_kind", "is_private", "owner", "conversation_id",
                              "message_id", "text"))(make_handler(deps))
