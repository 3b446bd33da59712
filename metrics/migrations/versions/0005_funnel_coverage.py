"""record-level referral reconciliation and reporting coverage

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 06:00:00

referral_record / police_record hold the loaded rows of the two sides of the interagency funnel;
submission_rule / source_submission hold which bureau sent which monthly submission, and when.
"""
from alembic import op
import sqlalchemy as sa

from metrics.models import UTCDateTime

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('referral_record',
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('clue_id', sa.String(length=64), nullable=False),
    sa.Column('referral_no', sa.String(length=64), nullable=True),
    sa.Column('unit_code', sa.String(length=6), nullable=False),
    sa.Column('bureau_code', sa.String(length=6), nullable=False),
    sa.Column('identified_on', sa.Date(), nullable=True),
    sa.Column('referred_on', sa.Date(), nullable=True),
    sa.Column('amount_yuan', sa.BigInteger(), nullable=True),
    sa.Column('police_unit', sa.String(length=128), nullable=True),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('source', 'clue_id')
    )
    op.create_index('ix_referral_record_referral_no', 'referral_record', ['referral_no'])
    op.create_index('ix_referral_record_bureau_code', 'referral_record', ['bureau_code'])
    op.create_index('ix_referral_record_identified_on', 'referral_record', ['identified_on'])
    op.create_table('police_record',
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('intake_id', sa.String(length=64), nullable=False),
    sa.Column('cited_referral_no', sa.String(length=64), nullable=True),
    sa.Column('unit_code', sa.String(length=6), nullable=False),
    sa.Column('bureau_code', sa.String(length=6), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('accepted_on', sa.Date(), nullable=True),
    sa.Column('filed_on', sa.Date(), nullable=True),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('source', 'intake_id')
    )
    op.create_index('ix_police_record_cited_referral_no', 'police_record', ['cited_referral_no'])
    op.create_index('ix_police_record_bureau_code', 'police_record', ['bureau_code'])
    op.create_index('ix_police_record_received_on', 'police_record', ['received_on'])
    op.create_table('submission_rule',
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('deadline_day', sa.Integer(), nullable=False),
    sa.Column('first_month', sa.Date(), nullable=False),
    sa.Column('updated_at', UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('source')
    )
    op.create_table('source_submission',
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('unit_code', sa.String(length=6), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('file_ref', sa.String(length=256), nullable=False),
    sa.Column('received_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('revised_at', UTCDateTime(timezone=True), nullable=True),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('source', 'unit_code', 'month')
    )


def downgrade() -> None:
    op.drop_table('source_submission')
    op.drop_table('submission_rule')
    op.drop_table('police_record')
    op.drop_table('referral_record')
