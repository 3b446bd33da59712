"""store-wide local unit aliases and data-quality findings on source files

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 06:00:00

local_unit_alias: spellings an administrator taught the store (`units alias add`), used by every source after its own
block's aliases. file_finding: what a run found wrong in a file that is not one row's fault, e.g. a 合计 row
that disagrees with the rows it closes (replaced whenever the file is read again).
"""
from alembic import op
import sqlalchemy as sa

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('local_unit_alias',
                    sa.Column('spelling', sa.String(length=200), nullable=False),
                    sa.Column('unit_code', sa.String(length=6), nullable=False),
                    sa.Column('added_by', sa.String(length=64), nullable=True),
                    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
                    sa.PrimaryKeyConstraint('spelling'))
    op.create_table('file_finding',
                    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
                    sa.Column('source', sa.String(length=64), nullable=False),
                    sa.Column('file_ref', sa.String(length=256), nullable=False),
                    sa.Column('unit_code', sa.String(length=6), nullable=True),
                    sa.Column('month', sa.Date(), nullable=True),
                    sa.Column('kind', sa.String(length=32), nullable=False),
                    sa.Column('detail', sa.Text(), nullable=False),
                    sa.Column('run_id', sa.Integer(), nullable=True),
                    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
                    sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_file_finding_source', 'file_finding', ['source'])


def downgrade() -> None:
    op.drop_index('ix_file_finding_source', table_name='file_finding')
    op.drop_table('file_finding')
    op.drop_table('local_unit_alias')
