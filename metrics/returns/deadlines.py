"""Deadlines and coverage of returns: per unit and period, due / submitted / sent_back / approved / late.

- due: the period has ended, nothing submitted yet, the deadline not passed;
- late: nothing submitted (a draft does not count) and the deadline has passed: the overdue list;
- submitted: with a reviewer (at the bureau or at HQ); sent_back: with the filer again; approved: by HQ.
`late_submission` marks a return first submitted after its deadline, whatever its state now.
HQ (leadership, admin) sends reminders: one in-app notice per overdue unit, audited.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from metrics.access import AccessDenied, Principal
from metrics.models import AuditEvent
from metrics.returns.coverage_cells import classify
from metrics.returns.models import ReturnNotice
from metrics.returns.reads import list_returns
from metrics.returns.types import ReturnType
from metrics.returns.workflow import HQ_ROLES, scope_units
from metrics.units import all_units, bureau_of

STATES = ("due", "submitted", "sent_back", "approved", "late")
COLUMNS = ["return_type", "unit_code", "bureau_code", "period", "due_on", "state", "late_submission", "return_id",
           "version"]


def returns_coverage(engine: Engine, principal: Principal, types: Mapping[str, ReturnType], *, as_of: dt.date,
                     return_type: str | None = None) -> pd.DataFrame:
    """Every (unit, period) a return is expected for, up to `as_of`, with its state (COLUMNS)."""
    filed = list_returns(engine, principal, types, return_type=return_type)
    by_key = {(r.return_type, r.unit_code, r.period): r for r in filed.itertuples()}
    visible = scope_units(principal)
    rows = []
    for rtype in ([types[return_type]] if return_type else list(types.values())):
        units = [u.code for u in all_units().values() if u.kind == rtype.level
                 and (visible is None or u.code in visible)]
        for start in rtype.periods_until(as_of):
            label, due = rtype.period_label(start), rtype.due_on(start)
            for code in units:
                got = by_key.get((rtype.id, code, label))
                state = classify(None if got is None else got.status, None, due, as_of)[0]  # as in the matrix
                rows.append((rtype.id, code, bureau_of(code), label, due.isoformat(), state,
                             bool(got is not None and got.late), None if got is None else int(got.id),
                             None if got is None else int(got.version)))
    return pd.DataFrame(rows, columns=COLUMNS)


def overdue(engine: Engine, principal: Principal, types: Mapping[str, ReturnType], *, as_of: dt.date) -> pd.DataFrame:
    """The unit-periods whose deadline passed with nothing submitted."""
    matrix = returns_coverage(engine, principal, types, as_of=as_of)
    return matrix[matrix["state"] == "late"].reset_index(drop=True)


def send_reminders(engine: Engine, principal: Principal, types: Mapping[str, ReturnType], *, as_of: dt.date,
                   units: list[str] | None = None) -> int:
    """One in-app reminder per overdue unit-period (of `units`, when given); HQ only. Returns how many."""
    if principal.role not in HQ_ROLES:
        raise AccessDenied(f"{principal.name} ({principal.role}) may not send reminders; HQ reviewers do")
    late = overdue(engine, principal, types, as_of=as_of)
    if units is not None:
        late = late[late["unit_code"].isin(units)]
    with Session(engine) as s, s.begin():
        for r in late.itertuples():
            s.add(ReturnNotice(unit_code=r.unit_code, kind="reminder", sender=principal.name, detail=json.dumps(
                {"return_type": r.return_type, "period": r.period, "due_on": r.due_on}, ensure_ascii=False)))
        s.add(AuditEvent(actor=principal.name, action="return_remind",
                         detail=json.dumps({"reminders": len(late), "as_of": as_of.isoformat()})))
    return len(late)
