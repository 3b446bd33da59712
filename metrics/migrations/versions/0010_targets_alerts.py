"""targets (versioned) and alerts (events, subscriptions, notices)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 05:40:00
"""
import sqlalchemy as sa
from alembic import op

from metrics.models import UTCDateTime

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'target',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('metric_id', sa.String(40), nullable=False),
        sa.Column('unit_code', sa.String(6), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('period_end', sa.Date(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.Column('set_by', sa.String(64), nullable=False),
        sa.Column('set_at', UTCDateTime(), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.UniqueConstraint('metric_id', 'unit_code', 'period_start', 'period_end', 'version',
                            name='uq_target_version'))
    op.create_index('ix_target_unit_code', 'target', ['unit_code'])
    op.create_table(
        'alert_event',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('rule', sa.String(32), nullable=False),
        sa.Column('event_key', sa.String(256), nullable=False, unique=True),
        sa.Column('unit_code', sa.String(6), nullable=True),
        sa.Column('detail', sa.Text(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False))
    op.create_index('ix_alert_event_rule', 'alert_event', ['rule'])
    op.create_table(
        'alert_subscription',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('app_user.id'), nullable=False),
        sa.Column('rule', sa.String(32), nullable=False),
        sa.Column('email', sa.String(256), nullable=True),
        sa.Column('lang', sa.String(2), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.UniqueConstraint('user_id', 'rule', name='uq_alert_subscription'))
    op.create_index('ix_alert_subscription_user_id', 'alert_subscription', ['user_id'])
    op.create_table(
        'alert_notice',
        sa.Column('event_id', sa.Integer(), sa.ForeignKey('alert_event.id'), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('app_user.id'), primary_key=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('emailed_at', UTCDateTime(), nullable=True),
        sa.Column('read_at', UTCDateTime(), nullable=True))
    op.create_index('ix_alert_notice_user', 'alert_notice', ['user_id', 'emailed_at'])


def downgrade() -> None:
    op.drop_table('alert_notice')
    op.drop_table('alert_subscription')
    op.drop_table('alert_event')
    op.drop_table('target')
