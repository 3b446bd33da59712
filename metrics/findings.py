"""Data-quality findings on source files as the CLI and the Data page read them (a 合计 row that disagrees
with the rows it closes: "reported with a discrepancy"). Scoped like the quarantine: a bureau user sees the
findings on its own bureau's and sub-bureaus' files; national readers see all.
"""
from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from metrics.access import Principal
from metrics.onboarding_models import FileFinding
from metrics.quarantine import _unit_codes

FINDING_COLUMNS = ["source", "file_ref", "unit_code", "month", "kind", "detail", "run_id", "created_at"]


def file_findings(engine: Engine, principal: Principal, *, source: str | None = None,
                  unit: str | None = None) -> pd.DataFrame:
    """Every current finding, by source and file."""
    query = select(*(getattr(FileFinding, c) for c in FINDING_COLUMNS))
    codes = _unit_codes(principal, unit)
    if codes is not None:
        query = query.where(FileFinding.unit_code.in_(codes))
    if source is not None:
        query = query.where(FileFinding.source == source)
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(FileFinding.source, FileFinding.file_ref, FileFinding.id)).all()
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)
