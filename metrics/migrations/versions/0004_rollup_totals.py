"""rollups summed over categories

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 05:00:00

Most views ask for a metric over all categories; these tables hold that sum so a query reads one row per
metric, unit and day (or month) instead of one per category. Filled from the existing rollups here and kept in
step by metrics.store.refresh_rollups afterwards.
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('agg_day_total',
    sa.Column('metric_id', sa.String(length=40), nullable=False),
    sa.Column('unit_code', sa.String(length=6), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('metric_id', 'unit_code', 'day')
    )
    op.create_table('agg_month_total',
    sa.Column('metric_id', sa.String(length=40), nullable=False),
    sa.Column('unit_code', sa.String(length=6), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('metric_id', 'unit_code', 'month')
    )
    op.execute("INSERT INTO agg_day_total (metric_id, unit_code, day, value) "
               "SELECT metric_id, unit_code, day, sum(value) FROM agg_day GROUP BY metric_id, unit_code, day")
    op.execute("INSERT INTO agg_month_total (metric_id, unit_code, month, value) "
               "SELECT metric_id, unit_code, month, sum(value) FROM agg_month GROUP BY metric_id, unit_code, month")


def downgrade() -> None:
    op.drop_table('agg_month_total')
    op.drop_table('agg_day_total')
