"""Writing returns: save, submit, approve, send back. Every step is a return_step row and an audit event.

All steps take the principal explicitly and check it here, below any page or API route.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from metrics.access import Principal
from metrics.models import AuditEvent, utcnow
from metrics.returns.checks import CheckedFigures, NumberParser, RowProblem, check_figures
from metrics.returns.models import ReturnFiling, ReturnNotice, ReturnStep, ReturnVersion
from metrics.returns.types import ReturnType
from metrics.returns.workflow import EDITABLE, WorkflowError, require_fill, require_read, require_review
from metrics.units import get_unit

Clock = Callable[[], dt.datetime]


class ReturnNotFound(LookupError):
    pass


class FiguresRejected(ValueError):
    """Figures that fail the per-row checks; `problems` names each field and row."""

    def __init__(self, rtype: ReturnType, problems: tuple[RowProblem, ...]):
        self.rtype, self.problems = rtype, problems
        super().__init__("; ".join(p.message(rtype, "en") for p in problems[:5]))


@dataclass(frozen=True)
class ReturnsStore:
    engine: Engine
    types: Mapping[str, ReturnType]
    parse_number: NumberParser
    clock: Clock = utcnow

    def rtype(self, name: str) -> ReturnType:
        if name not in self.types:
            raise ValueError(f"unknown return type '{name}'; known: {', '.join(sorted(self.types))}")
        return self.types[name]

    def check(self, return_type: str, given: Mapping) -> CheckedFigures:
        return check_figures(self.rtype(return_type), given, self.parse_number)

    # -- steps --------------------------------------------------------------------------------------------
    def save(self, principal: Principal, return_type: str, unit_code: str, period: str, given: Mapping, *,
             submit: bool = False) -> int:
        """Store figures as the editable version (a new version after approval); with `submit`, submit them.

        Returns the filing id. Figures failing a check are refused whole (FiguresRejected) on submit; a draft
        keeps what parses and is refused only for rows or fields the type does not have.
        """
        rtype = self.rtype(return_type)
        unit = get_unit(unit_code)
        require_fill(principal, unit_code)
        if unit.kind != rtype.level:
            raise ValueError(f"{rtype.id} is filled in by each {rtype.level}; {unit_code} is a {unit.kind}")
        start = rtype.period_start(period)
        if start < rtype.first_period:
            raise ValueError(f"{rtype.id} starts with {rtype.period_label(rtype.first_period)}")
        checked = check_figures(rtype, given, self.parse_number)
        structural = tuple(p for p in checked.problems if p.code in ("unknown_row", "unknown_field"))
        if structural or (submit and not checked.ok):
            raise FiguresRejected(rtype, structural if structural else checked.problems)
        now = self.clock()
        with Session(self.engine) as s, s.begin():
            filing = s.scalar(select(ReturnFiling).where(ReturnFiling.return_type == return_type,
                                                         ReturnFiling.unit_code == unit_code,
                                                         ReturnFiling.period_start == start))
            if filing is None:
                filing = ReturnFiling(return_type=return_type, unit_code=unit_code, period_start=start, created_at=now)
                s.add(filing)
                s.flush()
            latest = _latest(s, filing.id)
            old = json.loads(latest.figures) if latest is not None else {}
            if latest is None or latest.status == "approved":
                latest = ReturnVersion(filing_id=filing.id, version=(latest.version + 1) if latest else 1,
                                       status="draft", figures="{}", created_by=principal.name, updated_at=now)
                s.add(latest)
                s.flush()
            elif latest.status not in EDITABLE:
                raise WorkflowError(f"return {filing.id} is {latest.status} and under review; it cannot change now")
            before = latest.status
            latest.figures = json.dumps(checked.figures, sort_keys=True)
            latest.status, latest.updated_at = ("submitted" if submit else "draft"), now
            if submit:
                latest.submitted_by, latest.submitted_at = principal.name, now
                latest.first_submitted_at = latest.first_submitted_at or now
            self._step(s, filing, latest, principal, "submit" if submit else "save", before, now,
                       changes=_changes(old, checked.figures))
            return filing.id

    def submit(self, principal: Principal, filing_id: int) -> None:
        with Session(self.engine) as s:
            filing = _filing(s, filing_id)
            latest = _latest(s, filing_id)
        if latest is None or latest.status not in EDITABLE:
            raise WorkflowError(f"return {filing_id} is {latest.status if latest else 'empty'}; nothing to submit")
        self.save(principal, filing.return_type, filing.unit_code,
                  self.rtype(filing.return_type).period_label(filing.period_start), json.loads(latest.figures),
                  submit=True)

    def approve(self, principal: Principal, filing_id: int) -> str:
        return self._review(principal, filing_id, "approve", None)

    def send_back(self, principal: Principal, filing_id: int, reason: str) -> str:
        reason = (reason or "").strip()
        if not reason:
            raise ValueError("sending a return back needs a reason")
        return self._review(principal, filing_id, "send_back", reason[:2000])

    def _review(self, principal: Principal, filing_id: int, action: str, reason: str | None) -> str:
        now = self.clock()
        with Session(self.engine) as s, s.begin():
            filing = _filing(s, filing_id)
            require_read(principal, filing.unit_code)
            latest = _latest(s, filing_id, lock=True)
            if latest is None:
                raise WorkflowError(f"return {filing_id} has no version")
            after = require_review(principal, filing.unit_code, latest.status, latest.submitted_by)
            before = latest.status
            latest.status, latest.updated_at = (after if action == "approve" else "sent_back"), now
            if latest.status == "approved":
                latest.approved_at = now
            self._step(s, filing, latest, principal, action, before, now, reason=reason)
            if action == "send_back" or latest.status == "approved":
                s.add(ReturnNotice(at=now, unit_code=filing.unit_code, kind=latest.status, filing_id=filing.id,
                                   sender=principal.name,
                                   detail=json.dumps({"reason": reason, "version": latest.version},
                                                     ensure_ascii=False)))
            return latest.status

    def _step(self, s: Session, filing: ReturnFiling, version: ReturnVersion, principal: Principal, action: str,
              before: str | None, now: dt.datetime, *, reason: str | None = None, changes: list | None = None) -> None:
        s.add(ReturnStep(filing_id=filing.id, version=version.version, at=now, actor=principal.name, action=action,
                         from_status=before, to_status=version.status, reason=reason,
                         changes=json.dumps(changes, ensure_ascii=False) if changes is not None else None))
        s.add(AuditEvent(at=now, actor=principal.name, action=f"return_{action}", detail=json.dumps(
            {"return": filing.id, "type": filing.return_type, "unit": filing.unit_code,
             "period": filing.period_start.isoformat(), "version": version.version, "status": version.status,
             "reason": reason, "changed": len(changes or [])}, ensure_ascii=False)))


def _filing(s: Session, filing_id: int) -> ReturnFiling:
    filing = s.get(ReturnFiling, filing_id)
    if filing is None:
        raise ReturnNotFound(f"no return {filing_id}")
    return filing


def _latest(s: Session, filing_id: int, *, lock: bool = False) -> ReturnVersion | None:
    q = (select(ReturnVersion).where(ReturnVersion.filing_id == filing_id)
         .order_by(ReturnVersion.version.desc()).limit(1))
    if lock and s.get_bind().dialect.name == "postgresql":
        q = q.with_for_update()  # two reviewers at once: the second sees the first's status
    return s.scalar(q)


def latest_versions():
    """Subquery of each filing's newest version number."""
    q = select(ReturnVersion.filing_id, func.max(ReturnVersion.version).label("version")).group_by(
        ReturnVersion.filing_id)
    return q.subquery()


def _changes(old: Mapping, new: Mapping) -> list[dict]:
    out = []
    for row, cells in new.items():
        for name, value in cells.items():
            before = (old.get(row) or {}).get(name)
            if before != value:
                out.append({"row": row, "field": name, "old": before, "new": value})
    return out
