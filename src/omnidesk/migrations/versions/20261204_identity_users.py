"""staff emails are unique per workspace, so creating a user reveals no other workspace's staff

Revision ID: 20261204_identity_users
Revises: 20261204_calendar
Create Date: 2026-12-04 17:45:00
"""

from __future__ import annotations

from alembic import op

revision = "20261204_identity_users"
down_revision = "20261204_calendar"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_email"), type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_users_workspace_id_email"),
                                          ["workspace_id", "email"])
        batch_op.create_index(batch_op.f("ix_users_email"), ["email"], unique=False)


def downgrade() -> None:
    # Fails while one email belongs to staff of two workspaces (it could not be stored before).
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_email"))
        batch_op.drop_constraint(batch_op.f("uq_users_workspace_id_email"), type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_users_email"), ["email"])
