"""Targets: HQ sets them per metric, nationally (CN) and per bureau, for a year or a campaign phase.

Every change inserts a new version (who, when, note) and an audit event in the same transaction; nothing
is updated in place. A bureau user reads its own bureau's targets and the national ones.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from metrics.access import Principal
from metrics.catalog import METRICS
from metrics.models import AuditEvent, utcnow
from metrics.target_models import Target
from metrics.units import NATION_CODE, UnknownUnitError, get_unit

TARGET_COLUMNS = ["metric", "unit_code", "period", "period_start", "period_end", "value", "version", "set_by",
                  "set_at", "note"]
CSV_COLUMNS = ("metric", "unit", "period", "value")
_PHASE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


class TargetError(ValueError):
    """A target request that cannot be carried out (bad file, not allowed)."""


@dataclass(frozen=True, slots=True)
class TargetKey:
    metric: str
    unit_code: str  # CN = the nation
    start: dt.date
    end: dt.date

    @property
    def period(self) -> str:
        return period_label(self.start, self.end)


def period_label(start: dt.date, end: dt.date) -> str:
    """'2025' for a calendar year, '2025-03-01..2025-08-31' for a campaign phase."""
    if start == dt.date(start.year, 1, 1) and end == dt.date(start.year, 12, 31):
        return str(start.year)
    return f"{start.isoformat()}..{end.isoformat()}"


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    text = text.strip()
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    match = _PHASE.match(text)
    if not match:
        raise ValueError(f"period '{text}' is neither a year (2026) nor a phase (2026-03-01..2026-08-31)")
    try:
        start, end = (dt.date.fromisoformat(part) for part in match.groups())
    except ValueError:
        raise ValueError(f"period '{text}' holds a date that does not exist") from None
    if start > end:
        raise ValueError(f"period '{text}' ends before it starts")
    return start, end


def check_unit(code: str) -> str:
    code = code.strip()
    if code.upper() in (NATION_CODE, "NATIONAL"):
        return NATION_CODE
    try:
        unit = get_unit(code)
    except UnknownUnitError:
        raise ValueError(f"unknown reporting unit '{code}' (use a bureau code, 000000 for HQ or CN)") from None
    if unit.kind == "sub_bureau":
        raise ValueError(f"{code} is a sub-bureau; targets are set for bureaus, HQ or the nation (CN)")
    return unit.code


def _parse_row(row: dict[str, str]) -> tuple[TargetKey, int, str | None]:
    metric = (row.get("metric") or "").strip()
    if metric not in METRICS:
        raise ValueError(f"unknown metric '{metric}'")
    unit = check_unit(row.get("unit") or "")
    start, end = parse_period(row.get("period") or "")
    raw = (row.get("value") or "").strip().replace(",", "")
    if not re.fullmatch(r"\d+", raw) or int(raw) <= 0:
        raise ValueError(f"value '{row.get('value')}' is not a positive whole number "
                         f"({'yuan' if METRICS[metric].unit == 'yuan' else METRICS[metric].unit})")
    return TargetKey(metric, unit, start, end), int(raw), (row.get("note") or "").strip() or None


def read_targets_csv(path: Path) -> list[tuple[TargetKey, int, str | None]]:
    """Every row of a targets CSV file (see parse_targets_csv)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise TargetError(f"{path}: cannot be read as a UTF-8 CSV: {exc}") from None
    return parse_targets_csv(text, str(path))


def parse_targets_csv(text: str, origin: str) -> list[tuple[TargetKey, int, str | None]]:
    """Every row of a targets CSV (metric, unit, period, value[, note]); any bad row fails the whole file
    with one line per bad row, numbered as a spreadsheet shows them (the header is line 1)."""
    try:
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise TargetError(f"{origin}: missing column(s) {', '.join(missing)}; expected "
                              f"{','.join(CSV_COLUMNS)}[,note]")
        rows, errors, seen = [], [], {}
        for line, row in enumerate(reader, start=2):
            try:
                key, value, note = _parse_row(row)
            except ValueError as exc:
                errors.append(f"line {line}: {exc}")
                continue
            if key in seen:
                errors.append(f"line {line}: repeats line {seen[key]} ({key.metric}, {key.unit_code}, {key.period})")
                continue
            seen[key] = line
            rows.append((key, value, note))
    except csv.Error as exc:
        raise TargetError(f"{origin}: not a CSV file: {exc}") from None
    if errors:
        raise TargetError("\n".join([f"{origin}: {len(errors)} bad row(s), nothing imported", *errors]))
    if not rows:
        raise TargetError(f"{origin}: no targets in the file")
    return rows


def set_targets(engine: Engine, principal: Principal, rows: list[tuple[TargetKey, int, str | None]], *,
                now: dt.datetime | None = None, origin: str = "admin") -> int:
    """Insert a new version of each target whose value or note changed; returns how many versions were added."""
    principal.require_admin()
    now = now or utcnow()
    added = 0
    with Session(engine) as s, s.begin():
        for key, value, note in rows:
            latest = s.scalar(select(Target).where(*_key_filter(key)).order_by(Target.version.desc()).limit(1))
            if latest is not None and latest.value == value and latest.note == note:
                continue
            version = 1 if latest is None else latest.version + 1
            s.add(Target(metric_id=key.metric, unit_code=key.unit_code, period_start=key.start, period_end=key.end,
                         version=version, value=value, set_by=principal.name, set_at=now, note=note))
            s.add(AuditEvent(at=now, actor=principal.name, action="target_set", detail=json.dumps(
                {"metric": key.metric, "unit": key.unit_code, "period": key.period, "value": value,
                 "version": version, "previous": None if latest is None else latest.value, "via": origin},
                ensure_ascii=False)))
            added += 1
    return added


def _key_filter(key: TargetKey):
    return (Target.metric_id == key.metric, Target.unit_code == key.unit_code, Target.period_start == key.start,
            Target.period_end == key.end)


def visible_units(principal: Principal) -> set[str] | None:
    """None: every unit; a bureau user sees its own bureau and the nation."""
    if principal.role == "bureau":
        return {principal.unit_code or "", NATION_CODE}
    return None


def _frame(rows) -> pd.DataFrame:
    return pd.DataFrame([{"metric": r.metric_id, "unit_code": r.unit_code,
                          "period": period_label(r.period_start, r.period_end), "period_start": r.period_start,
                          "period_end": r.period_end, "value": int(r.value), "version": r.version,
                          "set_by": r.set_by, "set_at": r.set_at, "note": r.note} for r in rows],
                        columns=TARGET_COLUMNS)


def current_targets(engine: Engine, principal: Principal, *, on: dt.date | None = None,
                    metric: str | None = None, unit: str | None = None) -> pd.DataFrame:
    """The current version of every target the principal may see (TARGET_COLUMNS); with `on`, only the
    targets whose period contains that day; with `unit`, only that unit's (CN: the nation's)."""
    latest = (select(Target.metric_id, Target.unit_code, Target.period_start, Target.period_end,
                     func.max(Target.version).label("version"))
              .group_by(Target.metric_id, Target.unit_code, Target.period_start, Target.period_end).subquery())
    q = select(Target).join(latest, (Target.metric_id == latest.c.metric_id) &
                            (Target.unit_code == latest.c.unit_code) &
                            (Target.period_start == latest.c.period_start) &
                            (Target.period_end == latest.c.period_end) & (Target.version == latest.c.version))
    units = visible_units(principal)
    if units is not None:
        q = q.where(Target.unit_code.in_(sorted(units)))
    if on is not None:
        q = q.where(Target.period_start <= on, Target.period_end >= on)
    if metric is not None:
        q = q.where(Target.metric_id == metric)
    if unit is not None:
        q = q.where(Target.unit_code == unit)
    with Session(engine) as s:
        rows = s.scalars(q.order_by(Target.period_start, Target.metric_id, Target.unit_code)).all()
    return _frame(rows)


def target_history(engine: Engine, principal: Principal, key: TargetKey) -> pd.DataFrame:
    """Every version of one target, oldest first."""
    units = visible_units(principal)
    if units is not None and key.unit_code not in units:
        return _frame([])
    with Session(engine) as s:
        return _frame(s.scalars(select(Target).where(*_key_filter(key)).order_by(Target.version)).all())
