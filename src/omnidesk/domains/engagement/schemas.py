"""Engagement API shapes: widget sessions and messages, widget settings, message templates."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from omnidesk.core.schemas import Id, Patch


class WidgetSessionCreate(BaseModel):
    """Start or restore a visitor session; identified visitors send user_id and signature."""

    workspace: str = Field(min_length=1, max_length=64)
    token: str | None = Field(None, max_length=200)
    user_id: str | None = Field(None, max_length=200)
    signature: str | None = Field(None, max_length=128)
    name: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=254)
    locale: str | None = Field(None, pattern=r"^(ko|en)$")


class WidgetSessionRead(BaseModel):
    token: str
    verified: bool
    name: str | None
    email: str | None


class VisitorMessageCreate(BaseModel):
    """A visitor's message; client_message_id makes retries after a reconnect idempotent."""

    text: str = Field(min_length=1, max_length=5000)
    client_message_id: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


class VisitorMessageRead(BaseModel):
    id: int
    conversation_id: int
    author_kind: str
    author_name: str | None
    text: str
    attachments: list[Any]
    created_at: dt.datetime
    client_message_id: str | None = None
    survey: dict[str, Any] | None = None  # a survey question: id, kind, low, high, comment
    proactive: bool = False  # sent by a campaign before the visitor wrote (shown as a preview)
    quick_replies: list[str] = Field(default_factory=list)  # answers to tap (the bot's choices)
    cards: list[dict[str, str]] = Field(default_factory=list)  # links to open: title, url


class WidgetSettings(BaseModel):
    """A workspace's widget look and behaviour (stored in Workspace.settings['widget'])."""

    color: str = Field("#3b5bdb", pattern=r"^#[0-9a-fA-F]{6}$")
    position: Literal["right", "left"] = Field("right", description="corner of the launcher")
    launcher_text_ko: str = Field("", max_length=30, description="label beside the launcher icon")
    launcher_text_en: str = Field("", max_length=30)
    title_ko: str = "고객센터"
    title_en: str = "Support"
    greeting_ko: str = "안녕하세요! 무엇을 도와드릴까요?"
    greeting_en: str = "Hi there! How can we help?"
    offline_ko: str = "지금은 상담 시간이 아닙니다. 메시지를 남겨 주시면 영업시간에 답변드릴게요."
    offline_en: str = "We're away right now. Leave a message and we'll reply during business hours."
    prechat_fields: list[Literal["name", "email"]] = Field(
        default_factory=list, description="asked before the first message: name, email")
    frame_ancestors: str = Field(
        "*", pattern=r"^[A-Za-z0-9*:/.' -]+$",
        description="CSP frame-ancestors sources: the sites allowed to embed the widget")
    max_attachment_bytes: int = 5 * 1024 * 1024


VARIABLE = r"^[A-Za-z0-9_가-힣.]{1,40}$"


class TemplateCreate(BaseModel):
    """An approved template of an inbox: its provider code, text and variables."""

    model_config = ConfigDict(extra="forbid")

    inbox_id: Id
    code: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    language: str = Field("ko", pattern=r"^[a-z]{2}(_[A-Z]{2})?$")
    name: str = Field(min_length=1, max_length=120)
    body: str = Field(min_length=1, max_length=1000)
    variables: list[Annotated[str, Field(pattern=VARIABLE)]] = Field(default_factory=list,
                                                                      max_length=20)
    purpose: Literal["service", "marketing"] = "service"
    status: Literal["approved", "pending", "rejected"] = "approved"


class TemplateUpdate(Patch):
    """Change a template's text, variables or review status."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=120)
    body: str | None = Field(None, min_length=1, max_length=1000)
    variables: list[Annotated[str, Field(pattern=VARIABLE)]] | None = Field(None, max_length=20)
    purpose: Literal["service", "marketing"] | None = None
    status: Literal["approved", "pending", "rejected"] | None = None


class TemplateRead(BaseModel):
    """A template as listed per inbox."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    inbox_id: int
    code: str
    language: str
    name: str
    body: str
    variables: list[str]
    purpose: str
    status: str


class TemplateMessageCreate(BaseModel):
    """Send an approved template in a conversation, with a value for each variable."""

    model_config = ConfigDict(extra="forbid")

    template_id: Id
    params: dict[Annotated[str, Field(pattern=VARIABLE)],
                 Annotated[str, Field(max_length=500)]] = Field(default_factory=dict,
                                                                max_length=20)
    sms_fallback: bool = Field(True, description="Resend as SMS/LMS if the provider refuses.")


PROPERTIES_MAX_BYTES = 4096
Scalar = str | int | float | bool | None


def _check_properties(value: dict[str, Any]) -> dict[str, Any]:
    """Keep properties small and flat: ≤ 30 keys of ≤ 40 characters, scalars or short lists."""
    if len(value) > 30:
        raise ValueError("properties take at most 30 keys")
    for key, item in value.items():
        if not 0 < len(key) <= 40:
            raise ValueError("property names are 1 to 40 characters")
        items = item if isinstance(item, list) else [item]
        if len(items) > 50 or not all(isinstance(i, Scalar) for i in items):
            raise ValueError(f"property {key} must be a string, number, true/false or a short "
                             "list of them")
    if len(json.dumps(value, ensure_ascii=False).encode()) > PROPERTIES_MAX_BYTES:
        raise ValueError(f"properties are too large: at most {PROPERTIES_MAX_BYTES // 1024} KB")
    return value


Properties = Annotated[dict[str, Any], AfterValidator(_check_properties)]


class TrackCreate(BaseModel):
    """What the widget's `omnidesk.track(name, properties)` sends for the visitor."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=32, pattern=r"^[a-z_]+$",
                      description="page_view, product_view, cart, checkout, error, search…")
    properties: Properties = Field(default_factory=dict)
    url: str | None = Field(None, max_length=500)


class BusinessEventCreate(BaseModel):
    """A business event about a customer (order shipped, delivery delayed, payment failed)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=32, pattern=r"^[a-z_]+$")
    customer_id: Id | None = None
    external_id: str | None = Field(None, min_length=1, max_length=120,
                                    description="The store's customer id, instead of ours.")
    properties: Properties = Field(default_factory=dict)
    product_external_id: str | None = Field(None, max_length=64)
    url: str | None = Field(None, max_length=500)
    occurred_at: dt.datetime | None = None


class BehaviourRead(BaseModel):
    """A stored behaviour or business event."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    customer_id: int
    kind: str
    source: str
    url: str | None
    product_external_id: str | None
    data: dict[str, Any]
    occurred_at: dt.datetime


# A customer message that is one of these (case, spaces and punctuation aside) opts out of
# marketing on its channel: the same words everywhere, so a customer never has to guess.
OPT_OUT_KEYWORDS = ("수신거부", "광고거부", "광고수신거부", "STOP", "STOPALL", "UNSUBSCRIBE")


class EngagementSettings(BaseModel):
    """A workspace's `settings["engagement"]`: the marketing frequency cap.

    The night window (21:00–08:00 in the workspace's time zone) is the law's
    (정보통신망법 제50조 ③), not a setting: marketing then needs the customer's night consent.
    """

    model_config = ConfigDict(extra="forbid")

    frequency_cap: int = Field(2, ge=1, le=50,
                               description="Marketing messages one customer gets at most …")
    frequency_days: int = Field(7, ge=1, le=90, description="… within this many days.")


class ConsentUpdate(BaseModel):
    """Record a customer's marketing consent on a channel (`any`: every channel)."""

    model_config = ConfigDict(extra="forbid")

    channel: str = Field(min_length=2, max_length=16)
    marketing: bool
    night: bool = False
    source: str = Field("staff", min_length=1, max_length=40)


class ConsentRead(BaseModel):
    """A customer's consent on one channel."""

    model_config = ConfigDict(from_attributes=True)

    channel: str
    marketing: bool
    night: bool
    source: str
    opted_out_at: dt.datetime | None
    updated_at: dt.datetime


class CampaignTrigger(BaseModel):
    """When a campaign fires for a customer.

    `cart_idle`: the cart last changed `minutes` ago, worth at least `min_value`, with no
    checkout or purchase since. `event`: a behaviour or business event of kind `event` (only
    failed ones with `only_errors`). `repeat_visit`: the `count`-th view today of a page whose
    URL contains `url_contains`.
    """

    model_config = ConfigDict(extra="forbid")

    kind: Literal["cart_idle", "event", "repeat_visit"]
    minutes: int = Field(20, ge=1, le=1440)
    min_value: float = Field(0, ge=0, le=1e12)
    event: str | None = Field(None, max_length=32)
    only_errors: bool = False
    url_contains: str | None = Field(None, min_length=1, max_length=200)
    count: int = Field(3, ge=1, le=100)


class CampaignAudience(BaseModel):
    """Who a campaign may reach: customers in any listed tier and any listed segment."""

    model_config = ConfigDict(extra="forbid")

    tiers: list[Annotated[str, Field(max_length=40)]] = Field(default_factory=list,
                                                              max_length=20)
    segments: list[Annotated[str, Field(max_length=40)]] = Field(default_factory=list,
                                                                 max_length=20)


class CampaignAction(BaseModel):
    """What a campaign does: a widget message (bot or a named agent), a 알림톡 template with
    SMS fallback, an email, or a task (private note, assigned) for an agent.

    Texts and template values may say `{name}` (the customer's name), `{value}` (the cart's or
    order's worth) and `{order}` (the event's order number).
    """

    model_config = ConfigDict(extra="forbid")

    kind: Literal["widget", "alimtalk", "email", "task"]
    text: str = Field("", max_length=2000)
    author_id: Id | None = None
    template_id: Id | None = None
    params: dict[Annotated[str, Field(pattern=VARIABLE)],
                 Annotated[str, Field(max_length=200)]] = Field(default_factory=dict,
                                                                max_length=20)
    subject: str | None = Field(None, max_length=200)
    team_id: Id | None = None
    assignee_id: Id | None = None


class CampaignCreate(BaseModel):
    """A proactive campaign: trigger, audience, action, purpose and conversion window."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120)
    enabled: bool = True
    purpose: Literal["service", "marketing"] = "service"
    trigger: CampaignTrigger
    audience: CampaignAudience = Field(default_factory=CampaignAudience)
    action: CampaignAction
    conversion_hours: int = Field(24, ge=1, le=720)


class CampaignUpdate(Patch):
    """Change any part of a campaign."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=120)
    enabled: bool | None = None
    purpose: Literal["service", "marketing"] | None = None
    trigger: CampaignTrigger | None = None
    audience: CampaignAudience | None = None
    action: CampaignAction | None = None
    conversion_hours: int | None = Field(None, ge=1, le=720)


class CampaignStats(BaseModel):
    """What a campaign achieved: sent, opened, replied, converted, opted out, held back."""

    sent: int = 0
    opened: int = 0
    replied: int = 0
    converted: int = 0
    opted_out: int = 0
    suppressed: dict[str, int] = Field(default_factory=dict)  # by reason


class CampaignRead(BaseModel):
    """A campaign with its report."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    enabled: bool
    purpose: str
    trigger: CampaignTrigger
    audience: CampaignAudience
    action: CampaignAction
    conversion_hours: int
    created_at: dt.datetime
    stats: CampaignStats = Field(default_factory=CampaignStats)
