"""Assist API shapes: the customer 360 profile, suggestions, templates and canned responses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from omnidesk.core.schemas import Id, Patch
from omnidesk.domains.commerce.schemas import OrderRead

# The key that makes a customer a VIP (tier, segment or tag) until a workspace sets its own
# (``service.vip_keys``; the bot settings' "VIP tiers").
DEFAULT_VIP_KEYS = ("vip",)


class ContactRead(BaseModel):
    """Personal data, masked unless revealed."""

    name: str
    email: str | None
    phone: str | None
    identities: list[dict[str, Any]]
    address: str | None
    masked: bool
    revealed_fields: list[str] = []


class TierRead(BaseModel):
    """Tier and the amount left to the next one."""

    key: str
    name: str
    next_key: str | None
    next_name: str | None
    spent: Decimal
    remaining: Decimal
    progress: float
    spent_text: str
    remaining_text: str


class PastConversation(BaseModel):
    """One earlier (or the current) conversation, on any channel."""

    id: int
    channel: str
    status: str
    intent: str | None
    intent_label: str
    subject: str | None
    labels: list[str]
    order_number: str | None
    csat: float | None
    created_at: dt.datetime
    resolved_at: dt.datetime | None
    outcome: str
    is_current: bool = False


class LastIssue(BaseModel):
    """The customer's previous issue: what it was about, which product, how long ago."""

    conversation_id: int
    intent: str | None
    intent_label: str
    product: str | None
    order_number: str | None
    days_ago: int
    outcome: str


class NamedRead(BaseModel):
    """A segment or persona with its readable description."""

    key: str
    name: str
    description: str


class CustomerProfile(BaseModel):
    """Everything the agent sees about a customer beside a conversation."""

    customer_id: int
    locale: str
    contact: ContactRead
    attributes: dict[str, Any]
    tags: list[str]
    tier: TierRead
    lifetime_value: Decimal
    currency: str
    orders: list[OrderRead]
    open_order: OrderRead | None
    behaviour: list[dict[str, Any]]
    conversations: list[PastConversation]
    last_issue: LastIssue | None
    open_issues: list[dict[str, Any]]
    csat_history: list[dict[str, Any]]
    segments: list[NamedRead]
    persona: NamedRead | None
    notes: list[dict[str, Any]]
    product_names_en: dict[str, str] = {}  # store (Korean) product name -> English name


class RevealIn(BaseModel):
    """Which personal fields to reveal and why (the reason goes to the access log)."""

    fields: list[str] | None = None
    reason: str | None = Field(None, max_length=200)


class NoteIn(BaseModel):
    """A note about a customer."""

    body: str = Field(min_length=1, max_length=4000)


class CannedResponseCreate(BaseModel):
    """A new canned response; scope team needs team_id, personal belongs to its creator."""

    shortcut: str = Field(min_length=1, max_length=40, pattern=r"^[\w가-힣.-]+$")
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=5000)
    locale: str | None = Field(None, pattern="^(ko|en)$")
    scope: str = Field("workspace", pattern="^(workspace|team|personal)$")
    team_id: Id | None = None


class CannedResponseUpdate(Patch):
    """Changes to a canned response."""

    shortcut: str | None = Field(None, min_length=1, max_length=40, pattern=r"^[\w가-힣.-]+$")
    title: str | None = Field(None, min_length=1, max_length=200)
    body: str | None = Field(None, min_length=1, max_length=5000)
    locale: str | None = Field(None, pattern="^(ko|en)$")
    scope: str | None = Field(None, pattern="^(workspace|team|personal)$",
                              description="Share (workspace, team) or keep it to yourself")
    team_id: Id | None = None


class CannedResponseRead(BaseModel):
    """A canned response."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    shortcut: str
    title: str
    body: str
    locale: str | None
    scope: str
    owner_id: int | None
    team_id: int | None
    position: int = 0


class CannedChoice(BaseModel):
    """A canned response as the composer's picker offers it for one conversation."""

    id: int
    shortcut: str
    title: str
    locale: str | None
    scope: str
    text: str = Field(description="The body with this conversation's variables filled in")
    missing: list[str] = Field(description="Variables this conversation cannot fill; the picker "
                                           "refuses to insert the reply while any remain")


class CannedMove(BaseModel):
    """Move a canned response one place up or down within its scope."""

    direction: Literal["up", "down"]


class Suggestion(BaseModel):
    """A ranked reply suggestion or article, with where it came from."""

    source: str  # canned | conversation | article | llm
    title: str
    text: str
    score: float
    ref: str | None = None


class Warning(BaseModel):
    """Something to fix in the draft before sending."""

    kind: str  # pii | tone
    code: str
    message: str


class NextAction(BaseModel):
    """A suggested next step, optionally tied to an order action."""

    code: str
    message: str
    action: str | None = None
    order_number: str | None = None


class AssistRead(BaseModel):
    """The assist panel: greeting, closing, suggestions, articles, next actions and warnings.

    `locale` is the agent's language (labels, actions, summary); `reply_locale` the customer's
    (greeting, closing, suggested replies, draft).
    """

    locale: str
    reply_locale: str
    greeted: bool  # an agent has already replied in this conversation
    greeting: str | None
    closing: str | None
    suggestions: list[Suggestion]
    articles: list[Suggestion]
    next_actions: list[NextAction]
    warnings: list[Warning]
    summary: list[str]
    draft: str | None = None


class RecognitionTemplate(BaseModel):
    """One greeting or closing template: locale, conditions that must hold, text with {vars}."""

    locale: str = Field(pattern="^(ko|en)$")
    when: list[str] = Field(default_factory=list, max_length=10)
    text: str = Field(min_length=1, max_length=500)


class RecognitionSettings(Patch):
    """The workspace's recognition templates; a PATCH replaces only the lists it gives."""

    greeting: list[RecognitionTemplate] | None = Field(None, max_length=50)
    closing: list[RecognitionTemplate] | None = Field(None, max_length=50)
    workspace_name: dict[str, str] | None = Field(
        None, description="The business's name per locale in messages, e.g. {'en': 'Hanbit'}")
