"""The quarantine as the Data page and CLI browse it: rows with their reasons, and counts per kind of reason.

Scoped by the principal: quarantine rows are record-level detail. National readers see every row (rows whose
unit could not be resolved included); a bureau user sees the rows resolved to its own bureau or its
sub-bureaus, and naming another unit raises AccessDenied.
"""
from __future__ import annotations

import re

import pandas as pd
from sqlalchemy import Engine, func, select

from metrics.access import Principal
from metrics.models import QuarantinedRow
from metrics.result_frame import result_frame
from metrics.units import children, get_unit

ROW_COLUMNS = ["id", "source", "unit_code", "row_ref", "reason", "raw", "run_id", "created_at"]
QUARANTINE_COLUMNS = ROW_COLUMNS  # the name metrics.api also exports
SUMMARY_COLUMNS = ["source", "reason_kind", "rows"]
_QUOTED = re.compile(r"'[^']*'")
_FIRST_SEEN = re.compile(r"\s*\(first seen in row [^)]*\)")


def reason_kind(reason: str) -> str:
    """The reason without its values: "amount_yuan '-35000' is below 0" -> "amount_yuan '…' is below 0"."""
    return _QUOTED.sub("'…'", _FIRST_SEEN.sub("", reason or "")).strip()


def _unit_codes(principal: Principal, unit: str | None) -> list[str] | None:
    """The unit codes a request may read; None = all rows."""
    if unit is None and principal.is_local:
        unit = principal.unit_code
    if unit is None:
        return None
    get_unit(unit)
    principal.require_detail(unit)
    return [unit, *(c.code for c in children(unit))]


def _scoped(query, principal: Principal, source: str | None, unit: str | None):
    codes = _unit_codes(principal, unit)
    if codes is not None:
        query = query.where(QuarantinedRow.unit_code.in_(codes))
    if source is not None:
        query = query.where(QuarantinedRow.source == source)
    return query


def quarantine_rows(engine: Engine, principal: Principal, *, source: str | None = None,
                    unit: str | None = None, limit: int = 500) -> pd.DataFrame:
    """The newest quarantined rows first (at most `limit`)."""
    q = _scoped(select(*(getattr(QuarantinedRow, c) for c in ROW_COLUMNS)), principal, source, unit)
    with engine.connect() as conn:
        rows = conn.execute(q.order_by(QuarantinedRow.id.desc()).limit(limit)).all()
    return result_frame(rows, ROW_COLUMNS)


def quarantine_summary(engine: Engine, principal: Principal, *, source: str | None = None,
                       unit: str | None = None) -> pd.DataFrame:
    """Rows per source and kind of reason, largest first."""
    q = _scoped(select(QuarantinedRow.source, QuarantinedRow.reason, func.count()), principal, source, unit)
    with engine.connect() as conn:
        rows = conn.execute(q.group_by(QuarantinedRow.source, QuarantinedRow.reason)).all()
    frame = pd.DataFrame([(s, reason_kind(r), n) for s, r, n in rows], columns=SUMMARY_COLUMNS)
    frame = frame.groupby(["source", "reason_kind"], as_index=False)["rows"].sum()
    return frame.sort_values(["rows", "source", "reason_kind"], ascending=[False, True, True]).reset_index(drop=True)


PAGE_COLUMNS = [c for c in ROW_COLUMNS if c != "raw"]  # the raw row is a detail, shown for one row on demand
_TEXT_COLUMNS = frozenset({"source", "unit_code", "row_ref", "reason"})


def quarantine_page(engine: Engine, principal: Principal, req, *, source: str | None = None,
                    unit: str | None = None):
    """One sorted, filtered page of the rows the principal may see (metrics.paging.PageRequest -> Page)."""
    from metrics.paging import fetch_page

    columns = {c: getattr(QuarantinedRow, c) for c in PAGE_COLUMNS}
    base = _scoped(select(*columns.values()), principal, source, unit)
    return fetch_page(engine, base, columns, req, tie_break=QuarantinedRow.id.desc(), text=_TEXT_COLUMNS)


def quarantine_raw(engine: Engine, principal: Principal, row_id: int) -> str | None:
    """The source row as read, for one quarantined row in the principal's scope (None outside it)."""
    q = _scoped(select(QuarantinedRow.raw).where(QuarantinedRow.id == int(row_id)), principal, None, None)
    with engine.connect() as conn:
        return conn.execute(q).scalar_one_or_none()
