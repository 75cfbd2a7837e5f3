"""analytics: the daily rollups count conversations and first responses per local hour, so the
hour-of-week heatmap of whole days reads one row a day instead of 24 hourly rows

Revision ID: 20261211_heatmap_rollups
Revises: 20261210_occupancy
Create Date: 2026-12-06 19:10:00

The new columns start at 0: run `omnidesk report rebuild --workspace SLUG` after upgrading (the
rebuild recomputes the facts and every rollup), or the heatmap shows no conversations for days
counted before the upgrade.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20261211_heatmap_rollups"
down_revision = "20261210_occupancy"
branch_labels = None
depends_on = None

# The hour columns as of this revision (analytics.models.HOUR_COUNTERS).
COLUMNS = tuple(f"hour{hour}_{name}" for hour in range(24) for name in (
    "conversations", "first_responses", "first_response_seconds_sum"))


def upgrade() -> None:
    with op.batch_alter_table("analytics_daily_rollups") as batch:
        for name in COLUMNS:
            batch.add_column(sa.Column(
                name, sa.Float() if name.endswith("_sum") else sa.BigInteger(), nullable=False,
                server_default=sa.text("0")))
    with op.batch_alter_table("analytics_daily_rollups") as batch:
        for name in COLUMNS:  # the models write every counter: no default is left behind
            batch.alter_column(name, server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("analytics_daily_rollups") as batch:
        for name in COLUMNS:
            batch.drop_column(name)
