"""Which metrics carry a category at all: a source that records none (police intake, publications, activity
sheets, documents) has no figure for a category, which is not the same as a figure of zero."""
from __future__ import annotations

from sqlalchemy import Engine, select

from metrics.catalog import UNCATEGORISED
from metrics.models import NATION, AggMonth


def categorised_metrics(engine: Engine) -> frozenset[str]:
    """The metrics with any categorised row in the store (read from the nation's monthly rollup: a few
    thousand rows at most)."""
    q = select(AggMonth.metric_id).where(AggMonth.unit_code == NATION,
                                         AggMonth.category != UNCATEGORISED).distinct()
    with engine.connect() as conn:
        return frozenset(conn.scalars(q))
