"""covering indexes on the category-summed rollups

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-27 08:00:00

Every view without a category reads agg_day_total and agg_month_total as (metric_id, unit_code, day or
month) ranges and sums value. With value in the index both backends answer from the index alone (an
index-only scan on PostgreSQL, a covering index on SQLite) instead of visiting one table row per entry.

0007 is reserved for the rollup-refresh rewrite: whichever of the two lands second revises the other.
"""
from alembic import op

revision = '0008'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_agg_day_total_value', 'agg_day_total', ['metric_id', 'unit_code', 'day', 'value'])
    op.create_index('ix_agg_month_total_value', 'agg_month_total', ['metric_id', 'unit_code', 'month', 'value'])


def downgrade() -> None:
    op.drop_index('ix_agg_month_total_value', table_name='agg_month_total')
    op.drop_index('ix_agg_day_total_value', table_name='agg_day_total')
