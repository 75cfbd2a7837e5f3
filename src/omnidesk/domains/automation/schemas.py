"""Automation request and answer shapes: conditions, actions, rules, runs and dry runs.

Conditions and actions are data from fixed tables (fields, operators, action types), never code,
so a rule cannot run anything the runner does not know.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from omnidesk.core.schemas import Id, Patch
from omnidesk.domains.conversations.schemas import Priority

LIST_OPS = ("in", "not_in")
CONDITION_OPS: dict[str, tuple[str, ...]] = {
    "inbox": LIST_OPS, "channel": LIST_OPS, "language": LIST_OPS, "intent": LIST_OPS,
    "sentiment": LIST_OPS, "tier": LIST_OPS, "segment": LIST_OPS, "status": LIST_OPS,
    "priority": LIST_OPS, "label": LIST_OPS,
    "text": ("contains", "not_contains"),
    "business_hours": ("is",),
    "attribute": ("eq", "neq", "contains", "exists", "gt", "lt"),
    "minutes_since_last_reply": ("gte", "lte"), "score": ("gte", "lte"),
    "minutes_since_customer_message": ("gte", "lte"),
}
"""Each condition field and the operators it takes (the one table forms and checks read)."""

ActionType = Literal[
    "assign_agent", "assign_team", "set_priority", "add_label", "remove_label", "reply",
    "note", "snooze", "resolve", "reopen", "notify", "webhook", "send_survey",
]
ACTION_PARAMS: dict[str, tuple[str, ...]] = {
    "assign_agent": ("user_id",), "assign_team": ("team_id",), "set_priority": ("priority",),
    "add_label": ("label",), "remove_label": ("label",), "reply": ("text",), "note": ("text",),
    "snooze": ("hours",), "resolve": (), "reopen": (), "notify": ("text",),
    "webhook": ("endpoint_id",), "send_survey": (),
}
"""Each action type and the parameters it needs (notify also takes user_id, or the assignee)."""


class Condition(BaseModel):
    """One test on the event, its conversation or its customer; all of a rule's must hold."""

    model_config = ConfigDict(extra="forbid")

    field: Literal[
        "inbox", "channel", "language", "intent", "sentiment", "tier", "segment", "status",
        "priority", "label", "text", "business_hours", "attribute",
        "minutes_since_last_reply", "minutes_since_customer_message", "score",
    ]
    op: str
    value: list[str | int] | str | int | float | bool | None = None
    key: str | None = Field(default=None, max_length=64)  # the attribute's name

    @model_validator(mode="after")
    def _check(self) -> Condition:
        if self.op not in CONDITION_OPS[self.field]:
            raise ValueError(f"{self.field} takes the operators {', '.join(CONDITION_OPS[self.field])}")
        if self.op in LIST_OPS + ("contains", "not_contains") and self.field != "attribute":
            values = self.value if isinstance(self.value, list) else [self.value]
            if not values or any(v is None or v == "" or isinstance(v, bool | float)
                                 for v in values):
                raise ValueError(f"{self.field} needs at least one value")
            self.value = [v for v in values if isinstance(v, str | int)]
        if self.field == "business_hours" and not isinstance(self.value, bool):
            raise ValueError("business_hours takes true (open) or false (closed)")
        if (self.field.startswith("minutes_") or self.field == "score") and (
                isinstance(self.value, bool) or not isinstance(self.value, int | float)
                or self.value < 0):
            raise ValueError(f"{self.field} takes a number of minutes")
        if self.field == "attribute" and not self.key:
            raise ValueError("an attribute condition names the attribute (key)")
        return self


class Action(BaseModel):
    """One step a rule or macro takes, with the parameters its type needs."""

    model_config = ConfigDict(extra="forbid")

    type: ActionType
    user_id: Id | None = None
    team_id: Id | None = None
    priority: Priority | None = None
    label: str | None = Field(default=None, min_length=1, max_length=64)
    text: str | None = Field(default=None, min_length=1, max_length=4000)
    hours: float | None = Field(default=None, gt=0, le=24 * 90)
    endpoint_id: Id | None = None

    @model_validator(mode="after")
    def _check(self) -> Action:
        missing = [p for p in ACTION_PARAMS[self.type] if getattr(self, p) is None]
        if missing:
            raise ValueError(f"{self.type} needs {', '.join(missing)}")
        return self

    def params(self) -> dict[str, Any]:
        """Return the parameters set on this action (for logs and the timeline)."""
        return self.model_dump(exclude_none=True, exclude={"type"})



class RuleFields(BaseModel):
    """What an admin sets on a rule."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120)
    events: list[str] = Field(min_length=1, max_length=20)
    conditions: list[Condition] = Field(default_factory=list, max_length=30)
    actions: list[Action] = Field(min_length=1, max_length=20)
    enabled: bool = True
    stop_processing: bool = False


class RuleCreate(RuleFields):
    """A new rule; without a position it goes last."""

    position: int | None = Field(default=None, ge=0, le=10_000)


class RuleUpdate(Patch):
    """Change some of a rule's fields."""

    model_config = ConfigDict(extra="forbid")
    nullable: ClassVar[frozenset[str]] = frozenset()

    name: str | None = Field(default=None, min_length=1, max_length=120)
    events: list[str] | None = Field(default=None, min_length=1, max_length=20)
    conditions: list[Condition] | None = Field(default=None, max_length=30)
    actions: list[Action] | None = Field(default=None, min_length=1, max_length=20)
    enabled: bool | None = None
    stop_processing: bool | None = None
    position: int | None = Field(default=None, ge=0, le=10_000)


class RuleRead(BaseModel):
    """A stored rule."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    events: list[str]
    conditions: list[dict[str, Any]]
    actions: list[dict[str, Any]]
    position: int
    enabled: bool
    stop_processing: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class RunRead(BaseModel):
    """One run of a rule: what it did, or why it stopped."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    rule_id: int
    event_id: int | None
    event_name: str
    conversation_id: int | None
    status: str
    detail: dict[str, Any]
    created_at: dt.datetime


class DryRunItem(BaseModel):
    """What a rule would have done on one past event."""

    event_id: int
    event_name: str
    at: dt.datetime
    conversation_id: int | None
    matched: bool
    failed: list[str] = Field(default_factory=list)  # the conditions that did not hold
    actions: list[str] = Field(default_factory=list)  # what would have run


class DryRunRead(BaseModel):
    """A rule replayed (without acting) over the last matching events."""

    rule_id: int
    events_checked: int
    would_run: int
    items: list[DryRunItem]


class EndpointCreate(BaseModel):
    """A URL to send the chosen catalogue events to."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120)
    url: str = Field(min_length=8, max_length=2000)
    events: list[str] = Field(min_length=1, max_length=100)
    enabled: bool = True


class EndpointUpdate(Patch):
    """Change an endpoint; `rotate_secret` issues a new signing secret (shown once)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=120)
    url: str | None = Field(default=None, min_length=8, max_length=2000)
    events: list[str] | None = Field(default=None, min_length=1, max_length=100)
    enabled: bool | None = None
    rotate_secret: bool | None = None


class EndpointRead(BaseModel):
    """A stored endpoint; the secret shows only its last characters."""

    id: int
    name: str
    url: str
    events: list[str]
    enabled: bool
    secret_hint: str
    created_at: dt.datetime


class EndpointSecretRead(EndpointRead):
    """An endpoint just created or re-keyed, with its whole signing secret (shown once)."""

    secret: str


class WebhookDeliveryRead(BaseModel):
    """One event sent (or being sent) to an endpoint, with the outbox's retry state."""

    id: int
    event_id: int
    event_name: str
    status: str  # pending | delivered | failing | dead
    attempts: int
    response_status: int | None
    error: str | None
    duration_ms: int | None
    last_attempt_at: dt.datetime | None
    delivered_at: dt.datetime | None
    next_attempt_at: dt.datetime | None
    created_at: dt.datetime


class AllowedHostCreate(BaseModel):
    """A host webhooks may reach even when it resolves to a private address."""

    model_config = ConfigDict(extra="forbid")

    host: str = Field(min_length=1, max_length=255, pattern=r"^[A-Za-z0-9.\-:\[\]]+$")


class MacroCreate(BaseModel):
    """A new macro: personal (yours), team (a supervisor's, for one team) or workspace (admins)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120)
    scope: Literal["personal", "team", "workspace"] = "personal"
    team_id: Id | None = None
    actions: list[Action] = Field(min_length=1, max_length=20)

    @model_validator(mode="after")
    def _check(self) -> MacroCreate:
        if (self.scope == "team") != (self.team_id is not None):
            raise ValueError("a team macro names its team_id; other scopes name none")
        if any(a.type == "webhook" for a in self.actions):
            raise ValueError("macros cannot call webhooks (rules send their event)")
        return self


class MacroRead(BaseModel):
    """A stored macro."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    scope: str
    owner_id: int | None
    team_id: int | None
    actions: list[dict[str, Any]]


class MacroRun(BaseModel):
    """Run a macro on a conversation."""

    model_config = ConfigDict(extra="forbid")

    conversation_id: Id


class MacroRunRead(BaseModel):
    """What each step of a macro run did."""

    macro_id: int
    conversation_id: int
    steps: list[dict[str, str]]
