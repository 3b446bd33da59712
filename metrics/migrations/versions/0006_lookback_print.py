"""lookback fingerprint on source_watermark

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 06:20:00

source_watermark.lookback_print holds `since|count|hash` of the rows in the source's lookback window as of
the last committed run, so an incremental run whose probe returns the same rows stops without restating.
"""
from alembic import op
import sqlalchemy as sa

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('source_watermark', sa.Column('lookback_print', sa.String(length=160), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('source_watermark') as batch:
        batch.drop_column('lookback_print')
