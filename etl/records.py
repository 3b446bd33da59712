"""Record-level tables (referral_record, police_record): the loaded rows themselves, for reconciliation.

A source opts in with a `record_table:` block (table + table column -> source field; the record id is the
row_ref). Records are restated exactly like the facts, in the same transaction: every record of a re-read row
and every record with a metric day inside a restated range is deleted, then the loaded rows of the scope are
inserted. So a quarantined, changed or vanished row takes its record with it, and re-running changes nothing.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import delete, insert, or_
from sqlalchemy.orm import Session

from etl.config import SourceSpec
from etl.connectors import Scope
from etl.transform import Outcome
from metrics.models import PoliceRecord, ReferralRecord
from metrics.store import delete_rows
from metrics.units import bureau_of

MODELS = {"referral_record": (ReferralRecord, "clue_id"), "police_record": (PoliceRecord, "intake_id")}
_IDS_PER_DELETE = 500
_ROWS_PER_INSERT = 5000


def _plain(value):
    """Typed pandas values as what the column takes: pd.NA -> None, numpy ints -> int."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, dt.date)):
        return value.item()
    return value


def record_rows(spec: SourceSpec, outcome: Outcome, run_id: int) -> list[dict]:
    model, id_column = MODELS[spec.record_table.table]
    frame = outcome.records
    if frame is None or frame.empty:
        return []
    columns = list(spec.record_table.columns)
    rows = []
    for values in zip(frame["ref"], frame["unit"], *(frame[f"rec:{c}"] for c in columns)):
        ref, unit, rest = values[0], values[1], values[2:]
        row = {"source": spec.name, id_column: str(ref), "unit_code": unit, "bureau_code": bureau_of(unit),
               "run_id": run_id}
        for column, value in zip(columns, rest):
            value = _plain(value)
            row[column] = (value.strip() or None) if isinstance(value, str) else value
        rows.append(row)
    return rows


def restate_records(session: Session, spec: SourceSpec, run_id: int, scope: Scope, outcome: Outcome,
                    ranges) -> int:
    """Replace the records of the scope; the caller owns the transaction. Returns the records written."""
    if spec.record_table is None:
        return 0
    model, id_column = MODELS[spec.record_table.table]
    ids = getattr(model, id_column)
    mine = model.source == spec.name
    if scope.full:
        delete_rows(session, delete(model).where(mine))
    else:
        refs = [str(r) for r in outcome.refs_read]
        for start in range(0, len(refs), _IDS_PER_DELETE):
            delete_rows(session, delete(model).where(mine, ids.in_(refs[start:start + _IDS_PER_DELETE])))
        # Rows gone from the source leave their days: records dated in a restated range go with the facts.
        dated = [getattr(model, column) for column, field in spec.record_table.columns.items()
                 if field in spec.date_fields]
        for lo, hi in ranges:
            if dated:
                delete_rows(session, delete(model).where(mine, or_(*(c.between(lo, hi) for c in dated))))
    rows = record_rows(spec, outcome, run_id)
    for start in range(0, len(rows), _ROWS_PER_INSERT):
        session.execute(insert(model), rows[start:start + _ROWS_PER_INSERT])
    return len(rows)
