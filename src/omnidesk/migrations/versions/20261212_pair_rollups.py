"""analytics: pair rollups (two of channel, inbox, team, language per local day), monthly rows
of every daily cell, and the facts' (workspace, agent|intent, created_at) indexes

Revision ID: 20261212_pair_rollups
Revises: 20261211_heatmap_rollups
Create Date: 2026-12-06 21:20:00

A report sliced by two of the pair dimensions (or by one and grouped by another) reads the
pair's daily rows instead of scanning the facts, and a long range reads its whole months from
the monthly rows (``dimension`` = "month:" + the daily dimension, ``day`` = the month's first
day). An upgraded install keeps its history: the pair rows of the days already counted are
summed from the facts (each fact's counters by the application's expressions,
``analytics.counters``, for the columns the daily table has at this revision), then the monthly
rows from the daily rows (every counter column summed). `omnidesk report rebuild` recomputes
everything from the stored history.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "20261212_pair_rollups"
down_revision = "20261211_heatmap_rollups"
branch_labels = None
depends_on = None

# As of this revision (analytics.models: PAIR_DIMENSIONS, PAIR_SEPARATOR, MONTHLY_PREFIX).
PAIR_COLUMNS = {"channel": "channel", "inbox": "inbox_id", "team": "team_id",
                "language": "language"}
PAIRS = tuple((first, second) for index, first in enumerate(PAIR_COLUMNS)
              for second in tuple(PAIR_COLUMNS)[index + 1:])
SEPARATOR = "|"  # each component with "%" and "|" percent-encoded
MONTHLY = "month:"
DAILY = "analytics_daily_rollups"
KEY_LENGTH = 300
PAGE = 5000


def upgrade() -> None:
    with op.batch_alter_table(DAILY) as batch:
        batch.alter_column("dimension", type_=sa.String(length=40),
                           existing_type=sa.String(length=16), existing_nullable=False)
    op.create_index("ix_analytics_facts_ws_agent", "analytics_conversation_facts",
                    ["workspace_id", "agent_id", "created_at"])
    op.create_index("ix_analytics_facts_ws_intent", "analytics_conversation_facts",
                    ["workspace_id", "intent", "created_at"])
    counters = [c["name"] for c in sa.inspect(op.get_bind()).get_columns(DAILY)
                if c["name"] not in ("id", "workspace_id", "dimension", "key", "day")]
    _pairs(counters)
    _months(counters)


def _pairs(counters: list[str]) -> None:
    """Sum the facts of each workspace into the pair rows of their local days."""
    from omnidesk.domains.analytics.counters import DAILY_EXPRESSIONS
    from omnidesk.domains.analytics.models import ConversationFact as F

    bind = op.get_bind()
    names = [name for name in counters if name in DAILY_EXPRESSIONS]
    daily = sa.table(DAILY, *(sa.column(name) for name in (
        "workspace_id", "dimension", "key", "day", *counters)))
    zones = bind.execute(sa.text("SELECT id, timezone FROM workspaces")).all()
    for workspace_id, timezone in zones:
        zone = ZoneInfo(str(timezone or "Asia/Seoul"))
        cells: dict[tuple[str, str, dt.date], dict[str, float]] = defaultdict(
            lambda: dict.fromkeys(counters, 0.0))
        last = 0
        while True:  # keyset pages of the workspace's facts
            rows = bind.execute(
                sa.select(F.id, F.created_at, *(getattr(F, c) for c in PAIR_COLUMNS.values()),
                          *(DAILY_EXPRESSIONS[name].label(name) for name in names))
                .where(F.workspace_id == workspace_id, F.id > last)
                .order_by(F.id).limit(PAGE)).all()
            if not rows:
                break
            for row in rows:
                at = row.created_at if row.created_at.tzinfo else row.created_at.replace(
                    tzinfo=dt.UTC)
                day = at.astimezone(zone).date()
                keys = {name: "" if getattr(row, column) is None
                        else str(getattr(row, column))[:KEY_LENGTH]
                        for name, column in PAIR_COLUMNS.items()}
                for first, second in PAIRS:
                    cell = cells[(f"{first}+{second}",
                                  _component(keys[first]) + SEPARATOR + _component(keys[second]),
                                  day)]
                    for name in names:
                        cell[name] += float(row._mapping[name] or 0)
            last = rows[-1].id
        rows_out: list[dict[str, Any]] = [
            {"workspace_id": workspace_id, "dimension": dimension, "key": key, "day": day,
             **{name: (value if name.endswith("_sum") else round(value))
                for name, value in values.items()}}
            for (dimension, key, day), values in cells.items()]
        for start in range(0, len(rows_out), 500):
            bind.execute(daily.insert(), rows_out[start:start + 500])


def _component(key: str) -> str:
    return key.replace("%", "%25").replace(SEPARATOR, "%7C")


def _months(counters: list[str]) -> None:
    """Sum every daily row into the row of its local month (pairs included)."""
    bind = op.get_bind()
    daily = sa.table(DAILY, *(sa.column(name) for name in (
        "workspace_id", "dimension", "key", *counters)), sa.column("day", sa.Date))
    month = (sa.func.date(daily.c.day, "start of month") if bind.dialect.name == "sqlite"
             else sa.cast(sa.func.date_trunc("month", daily.c.day), sa.Date))
    query = (sa.select(daily.c.workspace_id, sa.literal(MONTHLY, sa.String()).concat(daily.c.dimension),
                       daily.c.key, month, *(sa.func.sum(daily.c[name]) for name in counters))
             .where(~daily.c.dimension.startswith(MONTHLY))
             .group_by(daily.c.workspace_id, daily.c.dimension, daily.c.key, month))
    bind.execute(daily.insert().from_select(
        ["workspace_id", "dimension", "key", "day", *counters], query))


def downgrade() -> None:
    bind = op.get_bind()
    bind.execute(sa.text(f"DELETE FROM {DAILY} WHERE dimension LIKE '%+%'"
                         f" OR dimension LIKE '{MONTHLY}%'"))
    op.drop_index("ix_analytics_facts_ws_intent", table_name="analytics_conversation_facts")
    op.drop_index("ix_analytics_facts_ws_agent", table_name="analytics_conversation_facts")
    with op.batch_alter_table(DAILY) as batch:
        batch.alter_column("dimension", type_=sa.String(length=16),
                           existing_type=sa.String(length=40), existing_nullable=False)
