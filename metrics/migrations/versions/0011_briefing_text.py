"""staff-written brief text (key work, next steps, case notes) per quarter

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-04 06:00:00

briefing_text holds the current (draft) text of a quarter's brief; publishing copies it into the frozen
payload of briefing_snapshot, so a published version never changes when the text is edited later.
"""
from alembic import op
import sqlalchemy as sa

import metrics.models

revision = '0011'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'briefing_text',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('quarter', sa.String(length=8), nullable=False),
        sa.Column('section', sa.String(length=16), nullable=False),
        sa.Column('field', sa.String(length=16), nullable=False),
        sa.Column('lang', sa.String(length=2), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('updated_by', sa.String(length=64), nullable=False),
        sa.Column('updated_at', metrics.models.UTCDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('quarter', 'section', 'field', 'lang', name='uq_briefing_text'),
    )
    op.create_index('ix_briefing_text_quarter', 'briefing_text', ['quarter'])


def downgrade() -> None:
    op.drop_index('ix_briefing_text_quarter', table_name='briefing_text')
    op.drop_table('briefing_text')
