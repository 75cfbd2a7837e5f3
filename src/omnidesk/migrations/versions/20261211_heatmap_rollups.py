"""analytics: the daily rollups count conversations and first responses per local hour, so the
hour-of-week heatmap of whole days reads one row a day instead of 24 hourly rows

Revision ID: 20261211_heatmap_rollups
Revises: 20261210_occupancy
Create Date: 2026-12-06 19:10:00

The days counted before this revision get their hour columns from the hourly rollups (each UTC
hour placed in the workspace's local day and hour), so the heatmap keeps its history without a
rebuild; `omnidesk report rebuild --workspace SLUG` recomputes everything from the facts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "20261211_heatmap_rollups"
down_revision = "20261210_occupancy"
branch_labels = None
depends_on = None

# The hour columns as of this revision (analytics.models.HOUR_COUNTERS).
HEAT = ("conversations", "first_responses", "first_response_seconds_sum")
COLUMNS = tuple(f"hour{hour}_{name}" for hour in range(24) for name in HEAT)


def upgrade() -> None:
    with op.batch_alter_table("analytics_daily_rollups") as batch:
        for name in COLUMNS:
            batch.add_column(sa.Column(
                name, sa.Float() if name.endswith("_sum") else sa.BigInteger(), nullable=False,
                server_default=sa.text("0")))
    with op.batch_alter_table("analytics_daily_rollups") as batch:
        for name in COLUMNS:  # the models write every counter: no default is left behind
            batch.alter_column(name, server_default=None)
    _backfill()


def _backfill() -> None:
    """Fill the hour columns of the days counted before this revision from the hourly rollups
    (UTC hours placed in each workspace's local day and hour; a zone whose offset is not whole
    hours splits an hour between two local hours, so `omnidesk report rebuild` is exact there)."""
    bind = op.get_bind()
    hourly = sa.table("analytics_rollups", sa.column("workspace_id"), sa.column("dimension"),
                      sa.column("key"), sa.column("hour", sa.DateTime(timezone=True)),
                      *(sa.column(name) for name in HEAT))
    daily = sa.table("analytics_daily_rollups", sa.column("workspace_id"),
                     sa.column("dimension"), sa.column("key"), sa.column("day", sa.Date),
                     *(sa.column(name) for name in COLUMNS))
    zones = bind.execute(sa.text("SELECT id, timezone FROM workspaces")).all()
    for workspace_id, timezone in zones:
        zone = ZoneInfo(str(timezone or "Asia/Seoul"))
        cells: dict[tuple[str, str, dt.date], dict[str, float]] = defaultdict(dict)
        rows = bind.execute(sa.select(hourly.c.dimension, hourly.c.key, hourly.c.hour,
                                      *(hourly.c[name] for name in HEAT))
                            .where(hourly.c.workspace_id == workspace_id))
        for row in rows:
            at = row.hour if row.hour.tzinfo else row.hour.replace(tzinfo=dt.UTC)
            local = at.astimezone(zone)
            cell = cells[(row.dimension, row.key, local.date())]
            for name in HEAT:
                column = f"hour{local.hour}_{name}"
                cell[column] = cell.get(column, 0.0) + float(getattr(row, name) or 0)
        for (dimension, key, day), values in cells.items():
            bind.execute(daily.update().where(
                daily.c.workspace_id == workspace_id, daily.c.dimension == dimension,
                daily.c.key == key, daily.c.day == day).values(
                {name: (value if name.endswith("_sum") else round(value))
                 for name, value in values.items()}))


def downgrade() -> None:
    with op.batch_alter_table("analytics_daily_rollups") as batch:
        for name in COLUMNS:
            batch.drop_column(name)
