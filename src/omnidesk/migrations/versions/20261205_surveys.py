"""surveys, answers, opt-outs and follow-ups (feedback domain)

Revision ID: 20261205_surveys
Revises: 20261204_channels
Create Date: 2026-12-05 06:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import omnidesk.core.db

revision = '20261205_surveys'
down_revision = '20261204_channels'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('survey_settings',
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('timing', sa.String(length=16), nullable=False),
    sa.Column('delay_hours', sa.Integer(), nullable=False),
    sa.Column('audience', sa.String(length=8), nullable=False),
    sa.Column('inbox_ids', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=False),
    sa.Column('cap_days', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Boolean(), nullable=False),
    sa.Column('low_csat', sa.Integer(), nullable=False),
    sa.Column('low_nps', sa.Integer(), nullable=False),
    sa.Column('low_ces', sa.Integer(), nullable=False),
    sa.Column('reopen_on_low', sa.Boolean(), nullable=False),
    sa.Column('link_ttl_hours', sa.Integer(), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('created_at', omnidesk.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', omnidesk.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('workspace_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_survey_settings_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_settings')),
    sa.UniqueConstraint('workspace_id', name=op.f('uq_survey_settings_workspace_id'))
    )
    with op.batch_alter_table('survey_settings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_settings_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('survey_opt_outs',
    sa.Column('customer_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('created_at', omnidesk.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('workspace_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_survey_opt_outs_customer_id_customers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_survey_opt_outs_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_opt_outs')),
    sa.UniqueConstraint('workspace_id', 'customer_id', name=op.f('uq_survey_opt_outs_workspace_id_customer_id'))
    )
    with op.batch_alter_table('survey_opt_outs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_opt_outs_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('surveys',
    sa.Column('conversation_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('customer_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('resolution', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('inbox_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('agent_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('team_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('intent', sa.String(length=80), nullable=True),
    sa.Column('handled_by', sa.String(length=8), nullable=False),
    sa.Column('delivery', sa.String(length=16), nullable=True),
    sa.Column('message_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('due_at', omnidesk.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', omnidesk.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('expires_at', omnidesk.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answered_at', omnidesk.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', omnidesk.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('workspace_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['users.id'], name=op.f('fk_surveys_agent_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_surveys_conversation_id_conversations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_surveys_customer_id_customers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['inbox_id'], ['inboxes.id'], name=op.f('fk_surveys_inbox_id_inboxes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_surveys_message_id_messages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_surveys_team_id_teams'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_surveys_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_surveys')),
    sa.UniqueConstraint('workspace_id', 'conversation_id', 'resolution', name=op.f('uq_surveys_workspace_id_conversation_id_resolution'))
    )
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_surveys_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index('ix_surveys_status_due', ['status', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_surveys_workspace_id'), ['workspace_id'], unique=False)
        batch_op.create_index('ix_surveys_ws_customer_created', ['workspace_id', 'customer_id', 'created_at'], unique=False)

    op.create_table('survey_answers',
    sa.Column('survey_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('conversation_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('customer_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('inbox_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('agent_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('team_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('intent', sa.String(length=80), nullable=True),
    sa.Column('handled_by', sa.String(length=8), nullable=False),
    sa.Column('is_low', sa.Boolean(), nullable=False),
    sa.Column('via', sa.String(length=16), nullable=False),
    sa.Column('created_at', omnidesk.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('workspace_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['users.id'], name=op.f('fk_survey_answers_agent_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_survey_answers_conversation_id_conversations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_survey_answers_customer_id_customers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['inbox_id'], ['inboxes.id'], name=op.f('fk_survey_answers_inbox_id_inboxes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_answers_survey_id_surveys'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_survey_answers_team_id_teams'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_survey_answers_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_answers')),
    sa.UniqueConstraint('survey_id', name=op.f('uq_survey_answers_survey_id'))
    )
    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_answers_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_answers_workspace_id'), ['workspace_id'], unique=False)
        batch_op.create_index('ix_survey_answers_ws_created', ['workspace_id', 'created_at'], unique=False)

    op.create_table('feedback_followups',
    sa.Column('answer_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('conversation_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('team_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('owner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('agent_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', omnidesk.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', omnidesk.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('workspace_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['users.id'], name=op.f('fk_feedback_followups_agent_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['answer_id'], ['survey_answers.id'], name=op.f('fk_feedback_followups_answer_id_survey_answers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['closed_by'], ['users.id'], name=op.f('fk_feedback_followups_closed_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], name=op.f('fk_feedback_followups_conversation_id_conversations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_feedback_followups_owner_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_feedback_followups_team_id_teams'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_feedback_followups_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_followups')),
    sa.UniqueConstraint('answer_id', name=op.f('uq_feedback_followups_answer_id'))
    )
    with op.batch_alter_table('feedback_followups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_followups_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_followups_workspace_id'), ['workspace_id'], unique=False)
        batch_op.create_index('ix_feedback_followups_ws_status', ['workspace_id', 'status'], unique=False)



def downgrade() -> None:
    for table in ("feedback_followups", "survey_answers", "surveys", "survey_opt_outs",
                  "survey_settings"):
        op.drop_table(table)
