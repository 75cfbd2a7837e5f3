"""The bot domain's events: what the bot did on a conversation, settings changes."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from omnidesk.core.events import Event


class BotActionTaken(Event):
    """The bot did something on a conversation: `action` names it, `details` says the rest."""

    name: ClassVar[str] = "bot.action_taken"
    example: ClassVar[dict[str, Any]] = {"conversation_id": 41, "customer_id": 7,
                                         "action": "order_cancelled",
                                         "order_number": "HB2026111900123",
                                         "details": {"reason": "ordered by mistake"}}

    conversation_id: int
    customer_id: int
    action: str
    order_number: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)


class BotSettingsUpdated(Event):
    """An admin changed the bot's settings (`fields` names what)."""

    name: ClassVar[str] = "bot.settings_updated"
    example: ClassVar[dict[str, Any]] = {"fields": ["enabled", "tone"]}

    fields: list[str]
