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
from metrics.result_frame import result_frame
from metrics.units import bureau_of

FINDING_COLUMNS = ["source", "file_ref", "unit_code", "month", "kind", "detail", "run_id", "created_at"]
DISCREPANCY_COLUMNS = ["source", "unit_code", "month", "findings"]


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
    return result_frame(rows, FINDING_COLUMNS)


def coverage_discrepancies(engine: Engine, principal: Principal, *, source: str | None = None) -> pd.DataFrame:
    """(source, bureau, month, findings): the coverage-matrix cells "reported with a discrepancy", to be shown
    over metrics.coverage.coverage_matrix's state (the matrix's rows are bureaus, so units roll up)."""
    found = file_findings(engine, principal, source=source)
    found = found[found["unit_code"].notna() & found["month"].notna()]
    if found.empty:
        return pd.DataFrame(columns=DISCREPANCY_COLUMNS)
    found = found.assign(unit_code=[bureau_of(c) for c in found["unit_code"]])
    return (found.groupby(["source", "unit_code", "month"], as_index=False).size()
            .rename(columns={"size": "findings"})[DISCREPANCY_COLUMNS])
