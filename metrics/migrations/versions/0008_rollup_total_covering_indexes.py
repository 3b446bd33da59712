"""covering indexes on the category-summed rollups

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-27 08:00:00

Every view without a category reads agg_day_total and agg_month_total as (metric_id, unit_code, day or
month) ranges and sums value. With value in the index both backends answer from the index alone (an
index-only scan on PostgreSQL, a covering index on SQLite) instead of visiting one table row per entry.

PostgreSQL (15) also gets (metric_id, day, unit_code, value): a read of a few days for all 36 bureaus is then
one range per metric instead of one index descent per metric and bureau (540 for a full breakdown), which
cost more than the rows. SQLite's descents are cheap and it would sort for the GROUP BY, so it has no use
for it.

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
    if op.get_bind().dialect.name == "postgresql":
        op.create_index('ix_agg_day_total_metric_day', 'agg_day_total', ['metric_id', 'day', 'unit_code', 'value'])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index('ix_agg_day_total_metric_day', table_name='agg_day_total')
    op.drop_index('ix_agg_month_total_value', table_name='agg_month_total')
    op.drop_index('ix_agg_day_total_value', table_name='agg_day_total')
