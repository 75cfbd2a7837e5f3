"""analytics: daily rollups per local day (counters, survey scores, duration histograms)

Revision ID: 20261207_reports
Revises: 20261207_engage
Create Date: 2026-12-05 15:40:00

The table starts empty: run `omnidesk report rebuild --workspace SLUG` after upgrading (the
rebuild recomputes the facts, the hourly and the daily rollups; `omnidesk demo load` does it).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '20261207_reports'
down_revision = '20261207_engage'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
# The counter columns as of this revision (analytics.models.DAILY_COUNTERS).
COUNTERS = (
    "conversations", "bot_conversations", "handoffs", "self_service_confirmed",
    "self_service_assumed", "first_responses", "first_response_seconds_sum",
    "first_response_business_seconds_sum", "first_responses_within_target", "resolved",
    "resolution_seconds_sum", "resolution_business_seconds_sum", "agent_replies", "reopened",
    "reopened_resolved", "fcr_settled", "fcr_yes", "sla_settled", "sla_met", "csat_count",
    "csat_sum", "csat_satisfied", "nps_count", "nps_promoters", "nps_detractors", "ces_count",
    "ces_sum", "bot_unhelpful",
    *(f"{kind}_{score}" for kind, low, high in (("csat", 1, 5), ("nps", 0, 10), ("ces", 1, 7))
      for score in range(low, high + 1)),
    *(f"{prefix}_h{index}" for prefix in ("fr", "frb", "res", "resb") for index in range(72)),
)


def upgrade() -> None:
    op.create_table(
        'analytics_daily_rollups',
        sa.Column('id', ID, autoincrement=True, nullable=False),
        sa.Column('workspace_id', ID, nullable=False),
        sa.Column('dimension', sa.String(length=16), nullable=False),
        sa.Column('key', sa.String(length=300), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        *[sa.Column(name, sa.Float() if name.endswith("_sum") else sa.BigInteger(),
                    nullable=False) for name in COUNTERS],
        sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'],
                                name=op.f('fk_analytics_daily_rollups_workspace_id_workspaces'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_analytics_daily_rollups')),
        sa.UniqueConstraint('workspace_id', 'dimension', 'key', 'day',
                            name=op.f('uq_analytics_daily_rollups_workspace_id_dimension_key_day')),
    )


def downgrade() -> None:
    op.drop_table('analytics_daily_rollups')
