"""Automation tables: rules, what each run did, and which events a rule's actions caused."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.core.db import Base, IdMixin, IdType, TimestampMixin, WorkspaceScoped, utcnow


class AutomationRule(Base, IdMixin, TimestampMixin, WorkspaceScoped):
    """When one of `events` happens and every condition holds, run `actions` in order."""

    __tablename__ = "automation_rules"
    __table_args__ = (Index("ix_automation_rules_ws_position", "workspace_id", "position"),)

    name: Mapped[str] = mapped_column(String(120))
    events: Mapped[list[Any]] = mapped_column(default=list)  # catalogue names
    conditions: Mapped[list[Any]] = mapped_column(default=list)  # [{field, op, value, key?}]
    actions: Mapped[list[Any]] = mapped_column(default=list)  # [{type, ...params}]
    position: Mapped[int] = mapped_column(default=0)
    enabled: Mapped[bool] = mapped_column(default=True)
    stop_processing: Mapped[bool] = mapped_column(default=False)


class AutomationRun(Base, IdMixin, WorkspaceScoped):
    """One rule run on one event: done (with what each action did), or stopped and why."""

    __tablename__ = "automation_runs"
    __table_args__ = (
        Index("ix_automation_runs_rule_conv", "rule_id", "conversation_id", "created_at"),
    )

    rule_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("automation_rules.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(IdType)
    event_name: Mapped[str] = mapped_column(String(80))
    conversation_id: Mapped[int | None] = mapped_column(IdType)
    status: Mapped[str] = mapped_column(String(16))  # done | stopped | failed
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AutomationCause(Base):
    """An outbox event written by rule actions, with the chain of rules that led to it.

    The loop guard reads it: an event caused by a rule never triggers that rule again, and a
    chain stops at a fixed depth.
    """

    __tablename__ = "automation_causes"

    event_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("outbox_events.id", ondelete="CASCADE"), primary_key=True)
    rule_ids: Mapped[list[Any]] = mapped_column(default=list)


class WebhookEndpoint(Base, IdMixin, TimestampMixin, WorkspaceScoped):
    """An outside URL that receives the catalogue events it subscribes to, signed."""

    __tablename__ = "webhook_endpoints"

    name: Mapped[str] = mapped_column(String(120))
    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(100))  # HMAC key; shown once, never logged
    events: Mapped[list[Any]] = mapped_column(default=list)
    enabled: Mapped[bool] = mapped_column(default=True)


class WebhookDelivery(Base, IdMixin, WorkspaceScoped):
    """One event for one endpoint: its last answer; retries and dead letters are the outbox's."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_endpoint_id", "endpoint_id", "id"),)

    endpoint_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("webhook_endpoints.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(IdType)  # the catalogue event sent
    event_name: Mapped[str] = mapped_column(String(80))
    request_event_id: Mapped[int | None] = mapped_column(IdType)  # its webhook.delivery_requested
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|delivered|failing
    attempts: Mapped[int] = mapped_column(default=0)
    response_status: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(String(500))
    duration_ms: Mapped[int | None]
    last_attempt_at: Mapped[dt.datetime | None]
    delivered_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class WebhookAllowedHost(Base, IdMixin, WorkspaceScoped):
    """A host an admin allows webhooks to reach even though it resolves to a private address."""

    __tablename__ = "webhook_allowed_hosts"
    __table_args__ = (UniqueConstraint("workspace_id", "host"),)

    host: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Macro(Base, IdMixin, TimestampMixin, WorkspaceScoped):
    """A named bundle of actions an agent runs on a conversation in one click."""

    __tablename__ = "automation_macros"

    name: Mapped[str] = mapped_column(String(120))
    scope: Mapped[str] = mapped_column(String(16))  # personal | team | workspace
    owner_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("users.id", ondelete="CASCADE"))  # personal macros
    team_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("teams.id", ondelete="CASCADE"))  # team macros
    actions: Mapped[list[Any]] = mapped_column(default=list)
