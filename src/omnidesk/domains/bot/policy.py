"""Per-workspace bot settings (``settings["bot"]``) and the handoff policy."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from omnidesk.domains.assist.schemas import DEFAULT_VIP_KEYS
from omnidesk.domains.conversations.models import DEFAULT_BOT_CHANNELS
from omnidesk.domains.nlu.schemas import MessageUnderstanding

FLOW_INTENTS = ("order_status", "cancel_order", "change_address", "return_request",
                "exchange_request", "refund_status", "membership_tier")
HUMAN_INTENT = "talk_to_agent"


class BotSettings(BaseModel):
    """What the bot may do in a workspace and when it hands off to a human."""

    enabled: bool = False
    channels: list[str] = Field(default_factory=lambda: list(DEFAULT_BOT_CHANNELS))
    greeting: dict[str, str] = Field(default_factory=dict, description="Per language: ko, en")
    tone: Literal["friendly", "formal"] = "friendly"
    intents: list[str] = Field(default_factory=lambda: list(FLOW_INTENTS),
                               description="Task flows the bot may run (act on)")
    min_confidence: float = Field(0.5, ge=0, le=1)
    max_misses: int = Field(2, ge=1, le=10, description="Low-confidence/OOS turns before handoff")
    frustration_threshold: float = Field(0.7, ge=0, le=1)
    negative_sentiment_threshold: float = Field(-0.6, ge=-1, le=0)
    handoff_vip: bool = True
    vip_tiers: list[str] = Field(default_factory=lambda: list(DEFAULT_VIP_KEYS))
    max_verification_attempts: int = Field(2, ge=1, le=5)
    support_email: str | None = None
    answer_min_score: float = Field(9.0, ge=0)

    def serves(self, channel: str) -> bool:
        """Tell whether the bot answers on this channel."""
        return self.enabled and channel in self.channels


def bot_settings(workspace_settings: dict[str, Any] | None) -> BotSettings:
    """Parse the workspace's bot settings, defaults filled in."""
    return BotSettings.model_validate((workspace_settings or {}).get("bot") or {})


def handoff_reason(u: MessageUnderstanding, settings: BotSettings, *,
                   answering: bool = False) -> str | None:
    """Return why this message must go to a human at once, or None.

    While the customer answers a yes/no question or picks from a list, only an explicit request
    for a person (not the classifier's guess: "네 바꿔주세요" is a yes) counts.
    """
    intent = u.intent.intent if u.intent else None
    confident = u.intent is not None and u.intent.confidence >= settings.min_confidence
    if u.analysis.wants_human or (intent == HUMAN_INTENT and confident and not answering):
        return "customer_asked"
    if u.analysis.frustration >= settings.frustration_threshold:
        return "frustration"
    if u.analysis.sentiment_score <= settings.negative_sentiment_threshold:
        return "negative_sentiment"
    return None


def is_miss(u: MessageUnderstanding, settings: BotSettings) -> bool:
    """Tell whether the bot did not understand: out of scope or below the confidence bar."""
    return u.intent is None or u.intent.is_oos or u.intent.confidence < settings.min_confidence


def switches_flow(u: MessageUnderstanding, settings: BotSettings, current: str | None) -> bool:
    """Tell whether a message mid-flow confidently asks for another task flow."""
    if u.intent is None or u.intent.is_oos or u.intent.intent == current:
        return False
    return u.intent.intent in FLOW_INTENTS and u.intent.confidence >= max(
        settings.min_confidence, 0.6)
