"""Routing API schemas: queues, rules, SLA policies, presence, agents and the live overview."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from omnidesk.core.schemas import Id, Patch
from omnidesk.domains.conversations.models import CHANNELS
from omnidesk.domains.nlu.schemas import SENTIMENT_LABELS
from omnidesk.domains.routing.assignment.engine import PRIORITY_LEVELS
from omnidesk.domains.routing.rules.matching import parse_rule
from omnidesk.domains.routing.service import POLICY_WEIGHTS
from omnidesk.domains.routing.sla.clocks import METRICS
from omnidesk.domains.workspaces.schemas import BusinessHours, CalendarStateRead

StrategyName = Literal["longest_idle", "least_busy", "round_robin", "best_skill"]
PriorityName = Literal["low", "normal", "high", "urgent"]
PresenceName = Literal["online", "busy", "away", "offline"]
SkillLevels = dict[str, int]


def check_skill_levels(value: SkillLevels) -> SkillLevels:
    """Require skill levels between 1 and 5."""
    bad = {name: level for name, level in value.items() if not 1 <= level <= 5}
    if bad:
        raise ValueError(f"skill levels must be 1..5: {bad}")
    return value


def check_known(values: Iterable[str], known: Collection[str], what: str) -> None:
    """Refuse names outside ``known``, listing the unknown ones and the known ones."""
    unknown = set(values) - set(known)
    if unknown:
        raise ValueError(f"unknown {what} {sorted(unknown)}; known: {list(known)}")


def check_weights(value: dict[str, float]) -> dict[str, float]:
    """Accept only the engine's weight names, with values of zero or more."""
    check_known(value, POLICY_WEIGHTS, "weights")
    if any(v < 0 for v in value.values()):
        raise ValueError("weights cannot be negative")
    return value


class QueueFields(Patch):
    """Fields shared by queue create and update (all optional on update)."""

    nullable = frozenset({"team_id", "overflow_queue_id", "overflow_after_seconds",
                          "business_hours"})

    team_id: Id | None = None
    required_skills: SkillLevels | None = None
    strategy: StrategyName | None = None
    sticky_window_seconds: float | None = Field(None, ge=0, le=30 * 86400)
    overflow_queue_id: Id | None = None
    overflow_after_seconds: float | None = Field(None, gt=0, le=7 * 86400)
    offer_timeout_seconds: float | None = Field(None, ge=5, le=600)
    weights: dict[str, float] | None = None
    is_default: bool | None = None
    business_hours: BusinessHours | None = None  # its own hours; null: the workspace's

    _skills = field_validator("required_skills")(
        lambda v: None if v is None else check_skill_levels(v)
    )
    _weights = field_validator("weights")(lambda v: None if v is None else check_weights(v))


class QueueCreate(QueueFields):
    name: str = Field(min_length=1, max_length=120)
    strategy: StrategyName | None = "longest_idle"

    @model_validator(mode="after")
    def _overflow_pair(self) -> QueueCreate:
        if (self.overflow_queue_id is None) != (self.overflow_after_seconds is None):
            raise ValueError("overflow_queue_id and overflow_after_seconds go together")
        return self


class QueueUpdate(QueueFields):
    name: str | None = Field(None, min_length=1, max_length=120)


class QueueRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    team_id: int | None
    required_skills: SkillLevels
    strategy: StrategyName
    sticky_window_seconds: float
    overflow_queue_id: int | None
    overflow_after_seconds: float | None
    offer_timeout_seconds: float
    weights: dict[str, float]
    is_default: bool
    business_hours: dict[str, Any] | None


class QueueHoursRead(CalendarStateRead):
    """Whether a queue is open by its calendar (its own hours or else the workspace's)."""

    queue_id: int
    own_hours: bool


class RuleConditions(BaseModel):
    """What a rule tests; within a field any value matches, across fields all must."""

    model_config = ConfigDict(extra="forbid")

    channel: list[str] = Field(default_factory=list)
    inbox: list[Id] = Field(default_factory=list, description="Inbox ids (channel accounts).")
    language: list[str] = Field(default_factory=list)
    intent: list[str] = Field(default_factory=list)
    predicted_intent: list[str] = Field(
        default_factory=list, description="The contact reason predicted from the customer's "
        "behaviour before they wrote (only a confident prediction counts).")
    tier: list[str] = Field(default_factory=list)
    segment: list[str] = Field(default_factory=list)
    sentiment: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)

    @field_validator("channel")
    @classmethod
    def _known_channels(cls, value: list[str]) -> list[str]:
        check_known(value, CHANNELS, "channels")
        return value

    @field_validator("sentiment")
    @classmethod
    def _known_sentiments(cls, value: list[str]) -> list[str]:
        check_known(value, SENTIMENT_LABELS, "sentiments")
        return value

    @field_validator("language", "intent", "predicted_intent", "tier", "segment", "keywords")
    @classmethod
    def _no_blanks(cls, value: list[str]) -> list[str]:
        cleaned = [v.strip() for v in value]
        if not all(cleaned) or any(len(v) > 120 for v in cleaned):
            raise ValueError("values must be 1..120 characters")
        return cleaned

    def stored(self) -> dict[str, Any]:
        """Return the non-empty conditions as stored (and check the engine accepts them)."""
        data = {k: v for k, v in self.model_dump().items() if v}
        parse_rule({"queue_id": 0, "conditions": data})
        return data


class RuleCreate(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    queue_id: Id
    conditions: RuleConditions = Field(default_factory=RuleConditions)
    priority: PriorityName | None = None
    position: int = Field(0, ge=0, le=100000)
    is_active: bool = True


class RuleUpdate(Patch):
    nullable = frozenset({"priority"})

    name: str | None = Field(None, min_length=1, max_length=120)
    queue_id: Id | None = None
    conditions: RuleConditions | None = None
    priority: PriorityName | None = None
    position: int | None = Field(None, ge=0, le=100000)
    is_active: bool | None = None


class RuleMove(BaseModel):
    direction: Literal["up", "down"]


class RuleRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    queue_id: int
    conditions: dict[str, list[str | int]]  # inbox ids are numbers
    priority: str | None
    position: int
    is_active: bool


def check_targets(value: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    """Require known priorities and metrics, with positive target seconds."""
    for priority, metrics in value.items():
        if priority not in PRIORITY_LEVELS:
            raise ValueError(f"unknown priority {priority!r}; known: {list(PRIORITY_LEVELS)}")
        for metric, seconds in metrics.items():
            if metric not in METRICS:
                raise ValueError(f"unknown SLA metric {metric!r}; known: {list(METRICS)}")
            if seconds <= 0:
                raise ValueError(f"{priority}.{metric} must be more than 0 seconds")
    return value


class SlaPolicyCreate(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    targets: dict[str, dict[str, float]] = Field(
        description="Business seconds per priority and metric, e.g. "
        '{"high": {"first_response": 900, "resolution": 14400}}'
    )
    warn_before_seconds: float = Field(300.0, ge=0, le=86400)
    is_default: bool = True

    _targets = field_validator("targets")(check_targets)


class SlaPolicyUpdate(Patch):
    name: str | None = Field(None, min_length=1, max_length=120)
    targets: dict[str, dict[str, float]] | None = None
    warn_before_seconds: float | None = Field(None, ge=0, le=86400)
    is_default: bool | None = None

    _targets = field_validator("targets")(lambda v: None if v is None else check_targets(v))


class SlaPolicyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    targets: dict[str, dict[str, float]]
    warn_before_seconds: float
    is_default: bool


class PresenceUpdate(BaseModel):
    presence: PresenceName


class ChannelLoad(BaseModel):
    load: int
    capacity: int


class AgentStateRead(BaseModel):
    user_id: int
    name: str
    role: str
    languages: list[str]
    team_ids: list[int]
    presence: PresenceName
    presence_changed_at: dt.datetime | None
    channels: dict[str, ChannelLoad]


class ConversationMove(BaseModel):
    """Move a conversation to another queue (back to waiting) or straight to an agent."""

    queue_id: Id | None = None
    agent_id: Id | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> ConversationMove:
        if (self.queue_id is None) == (self.agent_id is None):
            raise ValueError("give exactly one of queue_id or agent_id")
        return self


class QueueStats(BaseModel):
    queue_id: int
    name: str
    waiting: int
    offered: int
    assigned: int
    longest_wait_seconds: float
    sla_at_risk: int
    sla_breached: int
