"""Returns in the coverage matrix: one cell per unit and period of each declared return type.

A cell carries three words, all decided here (the Data page, the brief and the Returns page read them):
- `return_state`: the return's own state: approved, submitted (with the bureau or with HQ), sent_back, due
  (nothing submitted, deadline not passed) or late (nothing submitted, deadline passed);
- `cell`: what the coverage cell shows: covered / covered_zero (approved; every figure zero), pending_submitted /
  pending_sent_back, missing_due / missing_late;
- `state`: the coverage matrix's word, so shares and the three statements hold for returns as for files:
  approved is reported (reported_zero when every figure is zero); anything else is not_reported once the
  deadline has passed (its figures are unknown, never zero) and not_due before.
"""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd
from sqlalchemy import Connection, and_, select

from metrics.returns.models import ReturnFiling, ReturnVersion
from metrics.returns.rules import Rule, load_rules
from metrics.returns.store import latest_versions
from metrics.units import all_units

RETURN_STATE_OF = {"submitted": "submitted", "bureau_approved": "submitted", "sent_back": "sent_back",
                   "approved": "approved"}
CELLS = ("covered", "covered_zero", "pending_submitted", "pending_sent_back", "missing_due", "missing_late")
STATEMENT_OF_CELL = {"covered": "reported", "covered_zero": "reported_zero"}  # every other cell: not reported


def all_zero(figures: dict) -> bool:
    values = [v for cells in figures.values() for v in (cells or {}).values()]
    return bool(values) and all(v == 0 for v in values)


def classify(status: str | None, figures: dict | None, due: dt.date, judged: dt.date) -> tuple[str, str, str]:
    """(return_state, cell, state) of one unit-period: `status` is its newest version's (None: no filing)."""
    return_state = RETURN_STATE_OF.get(status or "") or ("late" if judged > due else "due")
    if return_state == "approved":
        zero = all_zero(figures or {})
        return return_state, "covered_zero" if zero else "covered", "reported_zero" if zero else "reported"
    cell = {"submitted": "pending_submitted", "sent_back": "pending_sent_back", "due": "missing_due",
            "late": "missing_late"}[return_state]
    return return_state, cell, "not_reported" if judged > due else "not_due"


def return_cells(conn: Connection, first: dt.date, last: dt.date, *, judged: dt.date,
                 units: list[str] | None = None, rules: list[Rule] | None = None) -> list[dict]:
    """Every unit-period owed for a period overlapping first..last and ended before `judged` (the day the
    deadlines are judged at); `units` narrows to those codes (None: all)."""
    rules = load_rules(conn) if rules is None else rules
    if not rules:
        return []
    latest = latest_versions()
    filed = conn.execute(
        select(ReturnFiling.return_type, ReturnFiling.unit_code, ReturnFiling.period_start, ReturnVersion.status,
               ReturnVersion.figures, ReturnVersion.submitted_at)
        .join(latest, latest.c.filing_id == ReturnFiling.id)
        .join(ReturnVersion, and_(ReturnVersion.filing_id == ReturnFiling.id, ReturnVersion.version == latest.c.version))
        .where(ReturnFiling.return_type.in_([r.return_type for r in rules]),
               ReturnFiling.period_start <= last)).all()
    by_key = {(t, u, p): (status, figures, at) for t, u, p, status, figures, at in filed}
    wanted = None if units is None else set(units)
    rows = []
    for rule in rules:
        codes = [u.code for u in all_units().values() if u.kind == rule.level and (wanted is None or u.code in wanted)]
        for start in rule.periods(first, last, judged):
            due = rule.due_on(start)
            for code in sorted(codes):
                status, figures, at = by_key.get((rule.return_type, code, start), (None, None, None))
                return_state, cell, state = classify(status, json.loads(figures) if figures else None, due, judged)
                rows.append({"source": rule.return_type, "unit_code": code, "month": start, "state": state,
                             "rows": None, "received_at": at, "due_on": due,
                             "return_state": return_state, "cell": cell, "period": rule.label(start),
                             "metrics": ",".join(rule.metrics)})
    return rows


def cells_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["source", "unit_code", "month", "state", "rows", "received_at", "due_on",
                                       "return_state", "cell", "period", "metrics"])
