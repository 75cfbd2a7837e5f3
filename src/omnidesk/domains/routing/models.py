"""Routing tables: queues, rules, agent presence and load, queue entries, SLA policies and clocks.

Agent load and capacity are plain integer columns per capacity class (voice, chat, email) so that
an assignment can claim capacity with one conditional UPDATE that the database checks atomically.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.core.db import Base, IdMixin, IdType, TimestampMixin, WorkspaceScoped, utcnow

ENTRY_STATUSES = ("waiting", "offered", "assigned", "done", "abandoned")
ACTIVE_ENTRY_STATUSES = ("waiting", "offered", "assigned")


class RoutingQueue(Base, IdMixin, TimestampMixin, WorkspaceScoped):
    """A queue per team or skill, with its matching strategy and overflow."""

    __tablename__ = "routing_queues"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    name: Mapped[str] = mapped_column(String(120))
    team_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("teams.id", ondelete="SET NULL"))
    required_skills: Mapped[dict[str, Any]] = mapped_column(default=dict)  # name -> min level
    strategy: Mapped[str] = mapped_column(String(24), default="longest_idle")
    sticky_window_seconds: Mapped[float] = mapped_column(default=0.0)
    overflow_queue_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("routing_queues.id", ondelete="SET NULL")
    )
    overflow_after_seconds: Mapped[float | None]
    offer_timeout_seconds: Mapped[float] = mapped_column(default=20.0)
    weights: Mapped[dict[str, Any]] = mapped_column(default=dict)  # QueuePolicy weight overrides
    is_default: Mapped[bool] = mapped_column(default=False)
    # Its own hours over the workspace's (workspaces.calendar override); None: the workspace's
    business_hours: Mapped[dict[str, Any] | None]


class RoutingRuleRow(Base, IdMixin, TimestampMixin, WorkspaceScoped):
    """An ordered rule: conditions on channel, language, intent, tier, segment, keywords."""

    __tablename__ = "routing_rules"
    __table_args__ = (Index("ix_routing_rules_ws_position", "workspace_id", "position"),)

    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    conditions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    queue_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("routing_queues.id", ondelete="CASCADE")
    )
    priority: Mapped[str | None] = mapped_column(String(16))
    is_active: Mapped[bool] = mapped_column(default=True)


class AgentStateRow(Base, IdMixin, WorkspaceScoped):
    """An agent's presence, capacity and current load per capacity class."""

    __tablename__ = "agent_states"
    __table_args__ = (Index("ix_agent_states_ws_presence", "workspace_id", "presence"),)

    user_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    presence: Mapped[str] = mapped_column(String(16), default="offline")
    voice_capacity: Mapped[int] = mapped_column(default=1)
    chat_capacity: Mapped[int] = mapped_column(default=3)
    email_capacity: Mapped[int] = mapped_column(default=5)
    voice_load: Mapped[int] = mapped_column(default=0)
    chat_load: Mapped[int] = mapped_column(default=0)
    email_load: Mapped[int] = mapped_column(default=0)
    idle_since: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_assignment_at: Mapped[dt.datetime | None]
    presence_changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class QueueEntry(Base, IdMixin, WorkspaceScoped):
    """A conversation's place in a queue; one row per conversation, reused when it re-queues."""

    __tablename__ = "queue_entries"
    __table_args__ = (
        Index("ix_queue_entries_ws_queue_status", "workspace_id", "queue_id", "status"),
        Index("ix_queue_entries_agent_status", "agent_id", "status"),
        Index("ix_queue_entries_customer", "workspace_id", "customer_id"),
    )

    conversation_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("conversations.id", ondelete="CASCADE"), unique=True
    )
    customer_id: Mapped[int] = mapped_column(IdType)
    queue_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("routing_queues.id", ondelete="CASCADE")
    )
    status: Mapped[str] = mapped_column(String(16), default="waiting")
    channel: Mapped[str] = mapped_column(String(16))  # capacity class: voice | chat | email
    language: Mapped[str | None] = mapped_column(String(8))
    required_skills: Mapped[dict[str, Any]] = mapped_column(default=dict)
    priority: Mapped[int] = mapped_column(default=1)
    vip: Mapped[bool] = mapped_column(default=False)
    sentiment: Mapped[float] = mapped_column(default=0.0)
    enqueued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sla_due_at: Mapped[dt.datetime | None]
    rule_name: Mapped[str | None] = mapped_column(String(120))
    agent_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("users.id", ondelete="SET NULL")
    )
    last_agent_id: Mapped[int | None] = mapped_column(IdType)
    last_agent_at: Mapped[dt.datetime | None]
    offer_expires_at: Mapped[dt.datetime | None]
    assigned_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]


class SlaPolicyRow(Base, IdMixin, TimestampMixin, WorkspaceScoped):
    """First-response and resolution targets per priority, in business seconds."""

    __tablename__ = "sla_policies"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    name: Mapped[str] = mapped_column(String(120))
    targets: Mapped[dict[str, Any]] = mapped_column(default=dict)
    warn_before_seconds: Mapped[float] = mapped_column(default=300.0)
    is_default: Mapped[bool] = mapped_column(default=False)


class SlaClockRow(Base, IdMixin, WorkspaceScoped):
    """The last evaluated state of one SLA target of one conversation (emits events once)."""

    __tablename__ = "sla_clocks"
    __table_args__ = (UniqueConstraint("conversation_id", "metric"),)

    conversation_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("conversations.id", ondelete="CASCADE")
    )
    metric: Mapped[str] = mapped_column(String(24))
    state: Mapped[str] = mapped_column(String(16), default="ok")
    due_at: Mapped[dt.datetime | None]
    evaluated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
