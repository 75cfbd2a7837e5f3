"""Analytics tables: one fact row per conversation and additive hourly rollups of those facts.

The facts are recomputed from the stored timestamps and the conversation event log whenever a
catalogue event touches a conversation; each change applies its difference to the rollups, so
report pages read a few hundred rollup rows (or an index range of facts for percentiles), never
the message tables. The daily table also holds pair rows (two of channel, inbox, team and
language: ``PAIRS``, chosen below) and a monthly row of every daily cell (``MONTHLY_PREFIX``).
Definitions: ``docs/metrics.md``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from omnidesk.core.db import STATISTICS, Base, IdMixin, IdType, WorkspaceScoped, utcnow

# Counters summed by the rollups; each is a column of ``KpiRollup`` (see docs/metrics.md).
COUNTERS = (
    "conversations", "bot_conversations", "handoffs", "self_service_confirmed",
    "self_service_assumed", "first_responses", "first_response_seconds_sum",
    "first_response_business_seconds_sum", "first_responses_within_target", "resolved",
    "resolution_seconds_sum", "resolution_business_seconds_sum", "agent_replies", "reopened",
    "reopened_resolved",
    "fcr_settled", "fcr_yes", "sla_settled", "sla_met", "csat_count", "csat_sum",
    "csat_satisfied", "nps_count", "nps_promoters", "nps_detractors", "ces_count", "ces_sum",
)
DIMENSIONS = ("all", "channel", "inbox", "team", "agent", "intent", "language")

# The daily rollups (per local day of the workspace) add what reports would otherwise read from
# the facts: survey score counts, unhelpful bot answers, and a histogram of each duration whose
# median and p90 reports show. Histogram bucket 0 holds durations under 1 s; bucket i holds
# [RATIO^(i-1), RATIO^i) seconds; the last bucket is open-ended (~70 days and over).
HISTOGRAMS = {"fr": "first_response_seconds", "frb": "first_response_business_seconds",
              "res": "resolution_seconds", "resb": "resolution_business_seconds"}
HISTOGRAM_RATIO = 1.25
HISTOGRAM_BUCKETS = 72
SCORE_COUNTERS = tuple(f"{kind}_{score}" for kind, low, high in (
    ("csat", 1, 5), ("nps", 0, 10), ("ces", 1, 7)) for score in range(low, high + 1))
HISTOGRAM_COUNTERS = tuple(f"{prefix}_h{index}" for prefix in HISTOGRAMS
                           for index in range(HISTOGRAM_BUCKETS))
# The hour-of-week heatmap: per local hour of the row's day (whose weekday is fixed), the
# conversations created then and their first responses, so any range of whole days sums one row
# a day (at most 400), grouped by weekday, instead of 24 hourly rows a day.
HOUR_COUNTERS = tuple(f"hour{hour}_{name}" for hour in range(24) for name in (
    "conversations", "first_responses", "first_response_seconds_sum"))
DAILY_COUNTERS = (*COUNTERS, "bot_unhelpful", *SCORE_COUNTERS, *HISTOGRAM_COUNTERS,
                  *HOUR_COUNTERS)
FLOAT_COUNTERS = frozenset(name for name in DAILY_COUNTERS if name.endswith("_sum"))
DAILY_DIMENSIONS = (*DIMENSIONS, "handoff_reason", "bot_article")
# Pair rollups: a report sliced by two of these (or by one and grouped by another) reads the
# daily rows of the pair instead of a year of facts. Only the wide, low-cardinality dimensions a
# supervisor filters by: a workspace has a handful of channels and languages and tens of inboxes
# and teams, and an inbox belongs to one channel, so each pair has about as many keys a day as
# its wider member (the bench: channel+team 48, inbox+team 48, team+language 12). Agent and
# intent (tens to hundreds of keys each; agent x intent alone would triple the table) stay on the
# facts, whose (workspace, agent|intent, created_at) indexes make a slice on them an index range.
# A pair's key is its two keys (in DIMENSIONS order, "" when unknown) joined by PAIR_SEPARATOR,
# each with "%" and the separator percent-encoded, so no component holds the separator (values
# come from the API too, and the database layer drops control characters, so no invisible
# character can serve).
PAIR_DIMENSIONS = ("channel", "inbox", "team", "language")
PAIRS = tuple((first, second) for index, first in enumerate(PAIR_DIMENSIONS)
              for second in PAIR_DIMENSIONS[index + 1:])
PAIR_SEPARATOR = "|"


def pair_name(first: str, second: str) -> str:
    """Return the daily-rollup dimension of a pair ("channel+team"; components in order)."""
    return f"{first}+{second}"


def pair_component(key: str) -> str:
    """Return one component of a pair key as stored (separator and "%" percent-encoded)."""
    return key.replace("%", "%25").replace(PAIR_SEPARATOR, "%7C")


def pair_key(first: str, second: str) -> str:
    """Return the key of a pair's cell from its two components' keys."""
    return pair_component(first) + PAIR_SEPARATOR + pair_component(second)


def pair_part(key: str, index: int) -> str:
    """Return component ``index`` (0 or 1) of a pair key, decoded."""
    return key.split(PAIR_SEPARATOR)[index].replace("%7C", PAIR_SEPARATOR).replace("%25", "%")


# Monthly rows: every daily cell also adds to the row of its local month (day = the month's
# first day) under the dimension MONTHLY_PREFIX + name, so a long range reads its whole months
# from monthly rows and only the partial head and tail from daily rows (by agent over a year:
# 42 rows a key instead of 365). A monthly row is the sum of its month's daily rows, every
# column alike (hour columns too, though the heatmap needs days for their weekdays).
MONTHLY_PREFIX = "month:"
ROLLUP_DIMENSIONS = (*DAILY_DIMENSIONS, *(pair_name(a, b) for a, b in PAIRS))


class ConversationFact(Base, IdMixin, WorkspaceScoped):
    """What analytics knows about one conversation, recomputed from its stored history."""

    __tablename__ = "analytics_conversation_facts"
    __table_args__ = (
        UniqueConstraint("conversation_id"),
        Index("ix_analytics_facts_ws_created", "workspace_id", "created_at"),
        Index("ix_analytics_facts_ws_open", "workspace_id", "resolved_at", "created_at"),
        Index("ix_analytics_facts_ws_customer", "workspace_id", "customer_id", "created_at"),
        Index("ix_analytics_facts_settles", "settles_at"),
        # a slice on a narrow dimension (no pair rollup) is an index range of the facts
        Index("ix_analytics_facts_ws_agent", "workspace_id", "agent_id", "created_at"),
        Index("ix_analytics_facts_ws_intent", "workspace_id", "intent", "created_at"),
        STATISTICS,
    )

    conversation_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("conversations.id", ondelete="CASCADE"))
    customer_id: Mapped[int] = mapped_column(IdType)
    channel: Mapped[str] = mapped_column(String(16))
    inbox_id: Mapped[int | None] = mapped_column(IdType)
    team_id: Mapped[int | None] = mapped_column(IdType)
    agent_id: Mapped[int | None] = mapped_column(IdType)
    intent: Mapped[str | None] = mapped_column(String(80))
    language: Mapped[str | None] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime]
    hour_of_week: Mapped[int] = mapped_column(Integer)  # local Monday 00:00 = 0 … 167
    first_response_at: Mapped[dt.datetime | None]
    first_response_seconds: Mapped[float | None] = mapped_column(Float)
    first_response_business_seconds: Mapped[float | None] = mapped_column(Float)
    first_response_within_target: Mapped[bool | None]
    resolved_at: Mapped[dt.datetime | None]
    resolution_seconds: Mapped[float | None] = mapped_column(Float)
    resolution_business_seconds: Mapped[float | None] = mapped_column(Float)
    agent_replies: Mapped[int] = mapped_column(Integer, default=0)
    reopened: Mapped[int] = mapped_column(Integer, default=0)
    bot_handled: Mapped[bool] = mapped_column(default=False)
    handed_off: Mapped[bool] = mapped_column(default=False)
    handoff_reason: Mapped[str | None] = mapped_column(String(64))
    bot_last_reply_at: Mapped[dt.datetime | None]
    bot_article: Mapped[str | None] = mapped_column(String(300))  # the bot's last citation
    self_service: Mapped[str | None] = mapped_column(String(16))  # confirmed | assumed
    recontact_at: Mapped[dt.datetime | None]  # the customer's next contact after it ended
    fcr: Mapped[bool | None]  # None until its 7-day window has passed
    sla_met: Mapped[bool | None]
    csat: Mapped[int | None] = mapped_column(Integer)
    nps: Mapped[int | None] = mapped_column(Integer)
    ces: Mapped[int | None] = mapped_column(Integer)
    settles_at: Mapped[dt.datetime | None]  # when a time window will change this fact
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class KpiRollup(Base, IdMixin, WorkspaceScoped):
    """Additive counters of the facts created in one UTC hour, per dimension value."""

    __tablename__ = "analytics_rollups"
    __table_args__ = (UniqueConstraint("workspace_id", "dimension", "key", "hour"),)

    dimension: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(80))  # "" for the whole workspace
    hour: Mapped[dt.datetime]
    conversations: Mapped[int] = mapped_column(BigInteger, default=0)
    bot_conversations: Mapped[int] = mapped_column(BigInteger, default=0)
    handoffs: Mapped[int] = mapped_column(BigInteger, default=0)
    self_service_confirmed: Mapped[int] = mapped_column(BigInteger, default=0)
    self_service_assumed: Mapped[int] = mapped_column(BigInteger, default=0)
    first_responses: Mapped[int] = mapped_column(BigInteger, default=0)
    first_response_seconds_sum: Mapped[float] = mapped_column(Float, default=0.0)
    first_response_business_seconds_sum: Mapped[float] = mapped_column(Float, default=0.0)
    first_responses_within_target: Mapped[int] = mapped_column(BigInteger, default=0)
    resolved: Mapped[int] = mapped_column(BigInteger, default=0)
    resolution_seconds_sum: Mapped[float] = mapped_column(Float, default=0.0)
    resolution_business_seconds_sum: Mapped[float] = mapped_column(Float, default=0.0)
    agent_replies: Mapped[int] = mapped_column(BigInteger, default=0)
    reopened: Mapped[int] = mapped_column(BigInteger, default=0)
    reopened_resolved: Mapped[int] = mapped_column(BigInteger, default=0)
    fcr_settled: Mapped[int] = mapped_column(BigInteger, default=0)
    fcr_yes: Mapped[int] = mapped_column(BigInteger, default=0)
    sla_settled: Mapped[int] = mapped_column(BigInteger, default=0)
    sla_met: Mapped[int] = mapped_column(BigInteger, default=0)
    csat_count: Mapped[int] = mapped_column(BigInteger, default=0)
    csat_sum: Mapped[float] = mapped_column(Float, default=0.0)
    csat_satisfied: Mapped[int] = mapped_column(BigInteger, default=0)
    nps_count: Mapped[int] = mapped_column(BigInteger, default=0)
    nps_promoters: Mapped[int] = mapped_column(BigInteger, default=0)
    nps_detractors: Mapped[int] = mapped_column(BigInteger, default=0)
    ces_count: Mapped[int] = mapped_column(BigInteger, default=0)
    ces_sum: Mapped[float] = mapped_column(Float, default=0.0)


# A Core table: ~330 counter columns are generated from the names above, not written out.
daily_rollups = Table(
    "analytics_daily_rollups", Base.metadata,
    Column("id", IdType, primary_key=True, autoincrement=True),
    Column("workspace_id", IdType, ForeignKey("workspaces.id", ondelete="CASCADE"),
           nullable=False),
    Column("dimension", String(40), nullable=False),  # "team", "channel+team", "month:team"
    Column("key", String(300), nullable=False),  # "" for the whole workspace
    Column("day", Date, nullable=False),  # the local day of creation (monthly: its 1st)
    *[Column(name, Float if name in FLOAT_COUNTERS else BigInteger, nullable=False, default=0)
      for name in DAILY_COUNTERS],
    UniqueConstraint("workspace_id", "dimension", "key", "day"),
)


class Goal(Base, IdMixin, WorkspaceScoped):
    """A SMART goal: a metric, a target, a period, a scope and an owner."""

    __tablename__ = "analytics_goals"

    name: Mapped[str] = mapped_column(String(200))
    metric: Mapped[str] = mapped_column(String(64))
    target: Mapped[float] = mapped_column(Float)
    period: Mapped[str] = mapped_column(String(16), default="month")  # week | month | quarter
    scope: Mapped[str] = mapped_column(String(16), default="workspace")  # workspace|team|inbox|agent
    scope_id: Mapped[int | None] = mapped_column(IdType)
    owner_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("users.id", ondelete="SET NULL"))
    off_track_notified_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AgentOccupancy(Base, IdMixin, WorkspaceScoped):
    """One agent's local day: seconds available (online) and seconds of those at capacity."""

    __tablename__ = "analytics_agent_occupancy"
    __table_args__ = (UniqueConstraint("workspace_id", "agent_id", "day"),)

    agent_id: Mapped[int] = mapped_column(IdType)
    day: Mapped[dt.date] = mapped_column(Date)  # the workspace's local day
    available_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    at_capacity_seconds: Mapped[float] = mapped_column(Float, default=0.0)


class AgentTimeline(Base, IdMixin, WorkspaceScoped):
    """Where the occupancy fold left one agent: presence, capacity and open conversations as
    of ``counted_until`` (time before it is in ``AgentOccupancy``)."""

    __tablename__ = "analytics_agent_timelines"
    __table_args__ = (UniqueConstraint("workspace_id", "agent_id"),)

    agent_id: Mapped[int] = mapped_column(IdType)
    presence: Mapped[str] = mapped_column(String(16), default="offline")
    capacity: Mapped[dict[str, Any]]  # capacity class -> conversations at once
    open_conversations: Mapped[dict[str, Any]]  # conversation id -> capacity class
    counted_until: Mapped[dt.datetime]


class AnalyticsCursor(Base, IdMixin):
    """How far a fold over the event log has read (the last outbox event id it folded)."""

    __tablename__ = "analytics_cursors"
    __table_args__ = (UniqueConstraint("name"),)

    name: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(BigInteger, default=0)
