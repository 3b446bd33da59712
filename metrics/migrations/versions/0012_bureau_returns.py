"""bureau returns: filings, versions, workflow steps, notices, signatories and quarter sign-offs

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 06:00:00
"""
from alembic import op
import sqlalchemy as sa

from metrics.models import UTCDateTime

revision = '0012'
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('return_filing',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('return_type', sa.String(length=64), nullable=False),
    sa.Column('unit_code', sa.String(length=6), sa.ForeignKey('reporting_unit.code'), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('return_type', 'unit_code', 'period_start')
    )
    op.create_index('ix_return_filing_unit_code', 'return_filing', ['unit_code'])
    op.create_index('ix_return_filing_period_start', 'return_filing', ['period_start'])
    op.create_table('return_version',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('filing_id', sa.Integer(), sa.ForeignKey('return_filing.id'), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('figures', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('updated_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_by', sa.String(length=64), nullable=True),
    sa.Column('submitted_at', UTCDateTime(timezone=True), nullable=True),
    sa.Column('first_submitted_at', UTCDateTime(timezone=True), nullable=True),
    sa.Column('approved_at', UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('filing_id', 'version')
    )
    op.create_index('ix_return_version_filing_id', 'return_version', ['filing_id'])
    op.create_index('ix_return_version_approved_at', 'return_version', ['approved_at'])
    op.create_table('return_step',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('filing_id', sa.Integer(), sa.ForeignKey('return_filing.id'), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('changes', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_return_step_filing_id', 'return_step', ['filing_id'])
    op.create_table('return_notice',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('unit_code', sa.String(length=6), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('filing_id', sa.Integer(), sa.ForeignKey('return_filing.id'), nullable=True),
    sa.Column('sender', sa.String(length=64), nullable=False),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('read_at', UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_return_notice_unit_code', 'return_notice', ['unit_code'])
    op.create_table('return_signatory',
    sa.Column('user_name', sa.String(length=64), nullable=False),
    sa.Column('granted_at', UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('user_name')
    )
    op.create_table('quarter_signoff',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('bureau_code', sa.String(length=6), nullable=False),
    sa.Column('quarter', sa.String(length=8), nullable=False),
    sa.Column('signed_by', sa.String(length=64), nullable=False),
    sa.Column('signed_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('figures', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_quarter_signoff_bureau_code', 'quarter_signoff', ['bureau_code'])
    op.create_index('ix_quarter_signoff_quarter', 'quarter_signoff', ['quarter'])


def downgrade() -> None:
    for name in ('quarter_signoff', 'return_signatory', 'return_notice', 'return_step', 'return_version',
                 'return_filing'):
        op.drop_table(name)
