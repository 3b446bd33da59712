"""Targets, scorecard and notices for the signed-in user: every read passes the request's principal."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.api import (Scorecard, TargetError, current_targets, mark_read, notices, parse_targets_csv,
                         scorecard, set_targets, target_status)

from dashboard.data import current_principal, get_context


def judged_day(window_end: dt.date) -> dt.date:
    """Targets are judged at the end of the chosen period, never later than today."""
    return min(window_end, get_context().today())


def statuses(as_of: dt.date, unit: str | None = None, metric: str | None = None) -> pd.DataFrame:
    return target_status(get_context().engine, current_principal(), as_of=as_of, unit=unit, metric=metric)


def targets() -> pd.DataFrame:
    return current_targets(get_context().engine, current_principal())


def standing(as_of: dt.date) -> Scorecard:
    return scorecard(get_context().engine, current_principal(), as_of=as_of)


def import_targets(text: str, filename: str) -> tuple[str | None, int, int]:
    """(error, targets read, versions added) for an uploaded CSV, as the signed-in administrator."""
    principal = current_principal()
    principal.require_admin()
    try:
        rows = parse_targets_csv(text, filename)
    except TargetError as exc:
        return str(exc), 0, 0
    return None, len(rows), set_targets(get_context().engine, principal, rows, origin=f"upload:{filename}")


def my_notices() -> pd.DataFrame:
    return notices(get_context().engine, current_principal())


def read_all_notices() -> int:
    return mark_read(get_context().engine, current_principal())
