"""engagement: contact-reason models (intent predicted from behaviour), one row per version

Revision ID: 20261207_engage
Revises: 20261206_coord
Create Date: 2026-12-05 15:45:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import omnidesk.core.db

revision = '20261207_engage'
down_revision = '20261206_coord'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('contact_reason_models',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('model_bytes', sa.LargeBinary(), nullable=False),
    sa.Column('metrics', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('labels', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=True),
    sa.Column('created_at', omnidesk.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('workspace_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_contact_reason_models_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_reason_models')),
    sa.UniqueConstraint('workspace_id', 'version', name=op.f('uq_contact_reason_models_workspace_id_version'))
    )
    with op.batch_alter_table('contact_reason_models', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_reason_models_workspace_id'), ['workspace_id'], unique=False)
        batch_op.create_index('ix_contact_reason_models_ws_active', ['workspace_id', 'is_active'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('contact_reason_models', schema=None) as batch_op:
        batch_op.drop_index('ix_contact_reason_models_ws_active')
        batch_op.drop_index(batch_op.f('ix_contact_reason_models_workspace_id'))
    op.drop_table('contact_reason_models')
