"""The catalogue events a rule may trigger on (one list: the subscriber, checks and forms)."""

from __future__ import annotations

from omnidesk.core.events import Event
from omnidesk.domains.commerce import events as commerce
from omnidesk.domains.conversations import events as conversations
from omnidesk.domains.feedback import events as feedback
from omnidesk.domains.routing import events as routing

TRIGGERS: tuple[type[Event], ...] = (
    conversations.ConversationCreated, conversations.ConversationAssigned,
    conversations.ConversationBotHandoff, conversations.ConversationStatusChanged,
    conversations.ConversationResolved, conversations.ConversationReopened,
    conversations.MessageCreated, routing.SlaWarning, routing.SlaBreached,
    commerce.OrderCreated, commerce.OrderUpdated, feedback.SurveyAnswered,
)
TRIGGER_NAMES: tuple[str, ...] = tuple(t.name for t in TRIGGERS)
BY_NAME: dict[str, type[Event]] = {t.name: t for t in TRIGGERS}


def accepts(event: Event) -> bool:
    """Tell whether rules look at this event: of messages, only what customers write."""
    if isinstance(event, conversations.MessageCreated):
        return event.author_kind == "customer" and not event.is_private
    return True
