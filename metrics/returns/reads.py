"""Reading returns: lists and one return with its history (scoped by the principal), and the approved rows
the `returns` source kind loads (system only)."""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

import numpy as np
import pandas as pd
from sqlalchemy import Engine, and_, select
from sqlalchemy.orm import Session

from metrics.access import Principal
from metrics.quality import ANOMALY_Z, robust_z
from metrics.returns.checks import totals
from metrics.returns.models import ReturnFiling, ReturnNotice, ReturnStep, ReturnVersion
from metrics.returns.store import ReturnNotFound, latest_versions
from metrics.returns.types import ReturnType
from metrics.returns.workflow import require_read, scope_units
from metrics.windows import TZ

LIST_COLUMNS = ["id", "return_type", "unit_code", "period", "version", "status", "submitted_by", "submitted_at",
                "approved_at", "due_on", "late", "reason"]


def _local_day(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else moment.astimezone(TZ).date()


def _iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds")


def list_returns(engine: Engine, principal: Principal, types: Mapping[str, ReturnType], *,
                 return_type: str | None = None, period: str | None = None, unit: str | None = None,
                 status: str | None = None) -> pd.DataFrame:
    """One row per filing (its newest version), newest period first; only units the principal may see."""
    latest = latest_versions()
    q = (select(ReturnFiling, ReturnVersion).join(latest, latest.c.filing_id == ReturnFiling.id)
         .join(ReturnVersion, and_(ReturnVersion.filing_id == ReturnFiling.id,
                                   ReturnVersion.version == latest.c.version)))
    units = scope_units(principal)
    if units is not None:
        q = q.where(ReturnFiling.unit_code.in_(units))
    if unit is not None:
        require_read(principal, unit)
        q = q.where(ReturnFiling.unit_code == unit)
    if return_type is not None:
        if return_type not in types:
            raise ValueError(f"unknown return type '{return_type}'")
        q = q.where(ReturnFiling.return_type == return_type)
        if period is not None:
            q = q.where(ReturnFiling.period_start == types[return_type].period_start(period))
    if status is not None:
        q = q.where(ReturnVersion.status == status)
    with Session(engine) as s:
        pairs = s.execute(q.order_by(ReturnFiling.period_start.desc(), ReturnFiling.unit_code)).all()
        reasons = _last_reasons(s, [f.id for f, _ in pairs])
    rows = []
    for filing, version in pairs:
        rtype = types.get(filing.return_type)
        if rtype is None or (period is not None and return_type is None
                             and rtype.period_label(filing.period_start) != period):
            continue
        due = rtype.due_on(filing.period_start)
        first = _local_day(version.first_submitted_at)
        rows.append({"id": filing.id, "return_type": filing.return_type, "unit_code": filing.unit_code,
                     "period": rtype.period_label(filing.period_start), "version": version.version,
                     "status": version.status, "submitted_by": version.submitted_by,
                     "submitted_at": _iso(version.submitted_at), "approved_at": _iso(version.approved_at),
                     "due_on": due.isoformat(), "late": bool(first is not None and first > due),
                     "reason": reasons.get(filing.id) if version.status == "sent_back" else None})
    return pd.DataFrame(rows, columns=LIST_COLUMNS)


def _last_reasons(s: Session, ids: list[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        for filing_id, reason in s.execute(select(ReturnStep.filing_id, ReturnStep.reason).where(
                ReturnStep.filing_id.in_(ids[start:start + 500]), ReturnStep.action == "send_back")
                .order_by(ReturnStep.id)):
            out[filing_id] = reason
    return out


def get_return(engine: Engine, principal: Principal, types: Mapping[str, ReturnType], filing_id: int) -> dict:
    """A filing with every version's figures and 合计, and every step (who, when, what, what changed)."""
    with Session(engine) as s:
        filing = s.get(ReturnFiling, filing_id)
        if filing is None:
            raise ReturnNotFound(f"no return {filing_id}")
        require_read(principal, filing.unit_code)
        versions = s.scalars(select(ReturnVersion).where(ReturnVersion.filing_id == filing_id)
                             .order_by(ReturnVersion.version)).all()
        steps = s.scalars(select(ReturnStep).where(ReturnStep.filing_id == filing_id).order_by(ReturnStep.id)).all()
    rtype = types[filing.return_type]
    return {
        "id": filing.id, "return_type": filing.return_type, "unit_code": filing.unit_code,
        "period": rtype.period_label(filing.period_start), "due_on": rtype.due_on(filing.period_start).isoformat(),
        "versions": [{"version": v.version, "status": v.status, "figures": json.loads(v.figures),
                      "totals": totals(rtype, json.loads(v.figures)), "submitted_by": v.submitted_by,
                      "submitted_at": _iso(v.submitted_at), "approved_at": _iso(v.approved_at)} for v in versions],
        "steps": [{"version": st.version, "at": _iso(st.at), "actor": st.actor, "action": st.action,
                   "from": st.from_status, "to": st.to_status, "reason": st.reason,
                   "changes": json.loads(st.changes) if st.changes else []} for st in steps],
    }


def approved_rows(engine: Engine, principal: Principal, rtype: ReturnType) -> pd.DataFrame:
    """Every row of the newest HQ-approved version of each filing of `rtype` (system reads only).

    Columns: row_ref (filing, version, row), unit_code, period_end (ISO day the figures count on), approved_at
    (ISO timestamp, the watermark), row and one column per field with the stored figure (None when blank).
    """
    principal.require_admin()
    q = (select(ReturnFiling, ReturnVersion).join(ReturnVersion, ReturnVersion.filing_id == ReturnFiling.id)
         .where(ReturnFiling.return_type == rtype.id, ReturnVersion.status == "approved")
         .order_by(ReturnFiling.id, ReturnVersion.version))
    best: dict[int, tuple[ReturnFiling, ReturnVersion]] = {}
    with Session(engine) as s:
        for filing, version in s.execute(q):
            best[filing.id] = (filing, version)  # ordered by version: the newest approved one wins
    rows = []
    for filing, version in best.values():
        figures = json.loads(version.figures)
        for row in rtype.rows:
            rows.append({"row_ref": f"R{filing.id}v{version.version}:{row}", "unit_code": filing.unit_code,
                         "period_end": rtype.period_end(filing.period_start).isoformat(),
                         "approved_at": version.approved_at.astimezone(dt.timezone.utc).isoformat(), "row": row,
                         **{name: (figures.get(row) or {}).get(name) for name in rtype.fields}})
    return pd.DataFrame(rows, columns=["row_ref", "unit_code", "period_end", "approved_at", "row", *rtype.fields],
                        dtype=object)


def history_warnings(engine: Engine, principal: Principal, rtype: ReturnType, unit_code: str,
                     period_start: dt.date, field_totals: Mapping[str, int]) -> list[dict]:
    """Fields whose 合计 is far outside the unit's own approved earlier periods (metrics.quality's rule)."""
    require_read(principal, unit_code)
    with Session(engine) as s:
        earlier = [json.loads(v.figures) for v in s.scalars(
            select(ReturnVersion).join(ReturnFiling, ReturnFiling.id == ReturnVersion.filing_id)
            .where(ReturnFiling.return_type == rtype.id, ReturnFiling.unit_code == unit_code,
                   ReturnFiling.period_start < period_start, ReturnVersion.status == "approved")
            .order_by(ReturnFiling.period_start, ReturnVersion.version))]
    out = []
    for name, value in field_totals.items():
        history = np.array([totals(rtype, f)[name] for f in earlier], dtype=float)
        z = robust_z(history, float(value))
        if z is not None and abs(z) >= ANOMALY_Z:
            out.append({"field": name, "value": int(value), "median": float(np.median(history)), "z": round(z, 2)})
    return out


def notices(engine: Engine, principal: Principal, *, limit: int = 50) -> pd.DataFrame:
    """In-app notices addressed to the principal's unit (HQ readers see every notice)."""
    q = select(ReturnNotice).order_by(ReturnNotice.id.desc()).limit(limit)
    units = scope_units(principal)
    if units is not None:
        q = q.where(ReturnNotice.unit_code.in_(units))
    with Session(engine) as s:
        rows = [{"id": n.id, "at": _iso(n.at), "unit_code": n.unit_code, "kind": n.kind, "return_id": n.filing_id,
                 "sender": n.sender, **(json.loads(n.detail) if n.detail else {})} for n in s.scalars(q)]
    return pd.DataFrame(rows, columns=["id", "at", "unit_code", "kind", "return_id", "sender", "reason", "version",
                                       "period", "due_on", "return_type"])  # a reminder's detail names its due day
