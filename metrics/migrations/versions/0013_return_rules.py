"""return rules: what each declared return type expects, for the coverage matrix

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 09:40:00
"""
from alembic import op
import sqlalchemy as sa

from metrics.models import UTCDateTime

revision = '0013'
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('return_rule',
    sa.Column('return_type', sa.String(length=64), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('period', sa.String(length=8), nullable=False),
    sa.Column('deadline_day', sa.Integer(), nullable=False),
    sa.Column('first_period', sa.Date(), nullable=False),
    sa.Column('metrics', sa.Text(), nullable=False),
    sa.Column('updated_at', UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('return_type')
    )


def downgrade() -> None:
    op.drop_table('return_rule')
