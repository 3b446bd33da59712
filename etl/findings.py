"""Data-quality findings on whole files (a 合计 row that disagrees with its rows), kept in file_finding.

Replaced whenever the source's files are read again, in the run's transaction, so a corrected file clears
its finding. Each finding names the unit and month when the source's submissions pattern gives them.
"""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from etl.config import SourceSpec
from etl.submissions import _month
from etl.validation import unit_code
from metrics.onboarding_models import FileFinding
from metrics.store import delete_rows


def _attribution(spec: SourceSpec, file_ref: str) -> tuple[str | None, dt.date | None]:
    if spec.submissions is None:
        return None, None
    found = re.fullmatch(spec.submissions.file_pattern, file_ref)
    if found is None:
        return None, None
    return unit_code(found.group("unit")), _month(found.group("month"))


def restate_findings(session: Session, spec: SourceSpec, run_id: int, findings: list[dict] | None,
                     now: dt.datetime) -> None:
    """Replace the source's findings with those of this reading (None: the files were not read)."""
    if findings is None:
        return
    delete_rows(session, delete(FileFinding).where(FileFinding.source == spec.name))
    rows = []
    for f in findings:
        unit, month = _attribution(spec, f["file_ref"])
        rows.append({"source": spec.name, "file_ref": f["file_ref"][:256], "unit_code": unit, "month": month,
                     "kind": f["kind"], "detail": f["detail"], "run_id": run_id, "created_at": now})
    if rows:
        session.execute(insert(FileFinding), rows)
