"""Engagement API shapes: widget sessions and messages, widget settings, message templates."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

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


class WidgetSettings(BaseModel):
    """A workspace's widget look and behaviour (stored in Workspace.settings['widget'])."""

    color: str = Field("#3b5bdb", pattern=r"^#[0-9a-fA-F]{6}$")
    title_ko: str = "고객센터"
    title_en: str = "Support"
    greeting_ko: str = "안녕하세요! 무엇을 도와드릴까요?"
    greeting_en: str = "Hi there! How can we help?"
    offline_ko: str = "지금은 상담 시간이 아닙니다. 메시지를 남겨 주시면 영업시간에 답변드릴게요."
    offline_en: str = "We're away right now. Leave a message and we'll reply during business hours."
    prechat_fields: list[str] = Field(default_factory=list, description="subset of name, email")
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
