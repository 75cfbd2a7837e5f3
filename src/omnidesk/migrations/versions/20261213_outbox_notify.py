"""core: new outbox events wake the dispatchers of other processes (PostgreSQL NOTIFY)

Revision ID: 20261213_outbox_notify
Revises: 20261212_pair_rollups
Create Date: 2026-12-07 15:00:00

A statement-level trigger on ``outbox_events`` sends ``NOTIFY omnidesk_outbox`` at commit, and
each running dispatcher LISTENs (``core/wakeup.py``), so a worker starts on a message a web
process stored at once instead of at its next poll. Nothing on SQLite.
"""

from __future__ import annotations

from alembic import op

from omnidesk.core.wakeup import drop_outbox_notify, ensure_outbox_notify

revision = "20261213_outbox_notify"
down_revision = "20261212_pair_rollups"
branch_labels = None
depends_on = None


def upgrade() -> None:
    ensure_outbox_notify(op.get_bind())


def downgrade() -> None:
    drop_outbox_notify(op.get_bind())
