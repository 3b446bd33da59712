"""Which unit sent which monthly submission, and when: source_submission, for reporting coverage.

A files source opts in with a `submissions:` block: a file-name pattern with named groups `unit` and `month`
(e.g. 440000_2024-03.xlsx) and the deadline day of the following month. Restated on every run of the source,
in the same transaction as its facts:
- a file present = that unit's month reported; its event rows (totals row excluded, quarantined rows included)
  are counted, so a file with no event rows is "reported zero"; a month without a file is absent ("not
  reported" once due, see metrics/coverage.py);
- received_at is the earliest file time the store has seen for the month; a re-sent file keeps it and sets
  revised_at, so a correction does not turn an on-time month late. A month first seen already re-sent
  counts from its current file time (the store cannot know better).
Row counts come from the run's own reading when it read the whole folder (a files connector always does when
anything changed); a new or changed file in a run that read nothing had no event rows, which is confirmed by
reading that one file.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from etl.config import SourceSpec
from etl.connectors.files import FilesConnector
from etl.transform import Outcome
from etl.validation import unit_code
from metrics.models import SourceSubmission, SubmissionRule

_MONTH = re.compile(r"(\d{4})-?(\d{1,2})")


def _month(text: str) -> dt.date | None:
    m = _MONTH.fullmatch(text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    return dt.date(int(m.group(1)), int(m.group(2)), 1)


def _count_rows(spec: SourceSpec, path: Path) -> int:
    """Event rows of one file, read the way the connector reads it."""
    connector = FilesConnector(spec)
    return sum(len(chunk) for chunk in connector._read(path, ""))  # noqa: SLF001 - same reader, one file


def found_submissions(spec: SourceSpec, outcome: Outcome, stored: dict) -> dict[tuple[str, dt.date], dict]:
    """(unit, month) -> file_ref, file time and rows for every matching file now in the folder."""
    rule = spec.submissions
    pattern = re.compile(rule.file_pattern)
    read_rows = outcome.file_rows  # None when the run did not read the whole folder
    found: dict[tuple[str, dt.date], dict] = {}
    for path in sorted(Path(spec.folder).glob(spec.pattern)):
        match = pattern.fullmatch(path.name)
        if match is None:
            continue
        unit, month = unit_code(match.group("unit")), _month(match.group("month"))
        if unit is None or month is None or month < rule.first_month:
            continue  # not attributable: its rows still load (or are quarantined) as facts
        modified = dt.datetime.fromtimestamp(int(path.stat().st_mtime), dt.timezone.utc)
        known = stored.get((unit, month))
        if read_rows is not None:
            rows = read_rows.get(path.name, 0)
        elif known is not None and known.file_ref == path.name and modified <= max(
                filter(None, (known.received_at, known.revised_at))):
            rows = known.rows
        else:
            rows = _count_rows(spec, path)
        entry = found.get((unit, month))
        if entry is None:
            found[(unit, month)] = {"file_ref": path.name, "modified": modified, "rows": rows}
        else:  # two files for one month (e.g. two spellings): one submission, rows added up
            entry.update(rows=entry["rows"] + rows, modified=max(entry["modified"], modified))
    return found


def restate_submissions(session: Session, spec: SourceSpec, run_id: int, outcome: Outcome,
                        now: dt.datetime) -> int:
    """Bring source_submission in line with the folder; unchanged months keep their row (and run_id)."""
    rule = spec.submissions
    if rule is None:
        return 0
    current = session.get(SubmissionRule, spec.name)
    if current is None:
        session.add(SubmissionRule(source=spec.name, deadline_day=rule.deadline_day, first_month=rule.first_month,
                                   updated_at=now))
    elif (current.deadline_day, current.first_month) != (rule.deadline_day, rule.first_month):
        current.deadline_day, current.first_month, current.updated_at = rule.deadline_day, rule.first_month, now
    stored = {(s.unit_code, s.month): s for s in
              session.scalars(select(SourceSubmission).where(SourceSubmission.source == spec.name))}
    found = found_submissions(spec, outcome, stored)
    for key in sorted(set(stored) - set(found)):
        session.execute(delete(SourceSubmission).where(SourceSubmission.source == spec.name,
                                                       SourceSubmission.unit_code == key[0],
                                                       SourceSubmission.month == key[1]))
    new = []
    for (unit, month), entry in sorted(found.items()):
        old = stored.get((unit, month))
        if old is None:
            new.append({"source": spec.name, "unit_code": unit, "month": month, "file_ref": entry["file_ref"],
                        "received_at": entry["modified"], "revised_at": None, "rows": entry["rows"],
                        "run_id": run_id})
            continue
        received = min(old.received_at, entry["modified"])
        revised = entry["modified"] if entry["modified"] > received else None
        revised = max(filter(None, (revised, old.revised_at)), default=None)
        if (old.file_ref, old.received_at, old.revised_at, old.rows) != (entry["file_ref"], received, revised,
                                                                         entry["rows"]):
            old.file_ref, old.received_at, old.revised_at, old.rows, old.run_id = (
                entry["file_ref"], received, revised, entry["rows"], run_id)
    if new:
        session.execute(insert(SourceSubmission), new)
    return len(found)
