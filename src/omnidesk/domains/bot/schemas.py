"""Bot API shapes: settings read/update and the result of training a model."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from omnidesk.core.schemas import Patch
from omnidesk.domains.bot.policy import BotSettings


class BotSettingsRead(BotSettings):
    """The workspace's bot settings, defaults filled in."""


class BotSettingsUpdate(Patch):
    """Change some bot settings (a merge patch): omitted fields stay, null clears support_email."""

    model_config = ConfigDict(extra="forbid")
    nullable = frozenset({"support_email"})

    enabled: bool | None = None
    channels: list[str] | None = None
    greeting: dict[str, str | None] | None = Field(
        None, description="Per language; a language set to null loses its greeting")
    tone: Literal["friendly", "formal"] | None = None
    intents: list[str] | None = None
    min_confidence: float | None = Field(None, ge=0, le=1)
    max_misses: int | None = Field(None, ge=1, le=10)
    frustration_threshold: float | None = Field(None, ge=0, le=1)
    negative_sentiment_threshold: float | None = Field(None, ge=-1, le=0)
    handoff_vip: bool | None = None
    vip_tiers: list[str] | None = None
    max_verification_attempts: int | None = Field(None, ge=1, le=5)
    support_email: str | None = Field(None, max_length=254)
    answer_min_score: float | None = Field(None, ge=0)


class TrainIn(BaseModel):
    """Train from these labelled rows, or from the shipped demo-store utterances when empty."""

    rows: list[dict[str, str]] = Field(default_factory=list, max_length=50000)


class NluModelRead(BaseModel):
    """A stored intent model version (without its bytes)."""

    model_config = ConfigDict(from_attributes=True)

    version: int
    labels: list[Any]
    metrics: dict[str, Any]
    source: str | None
    is_active: bool
    created_at: dt.datetime
