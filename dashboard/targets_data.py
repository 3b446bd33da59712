"""Targets, scorecard and notices for the signed-in user: every read passes the request's principal."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.api import Scorecard, TargetError, parse_targets_csv

from dashboard.data import current_principal, get_context, get_query


def judged_day(window_end: dt.date) -> dt.date:
    """Targets are judged at the end of the chosen period, never later than today."""
    return min(window_end, get_context().today())


def statuses(as_of: dt.date, unit: str | None = None, metric: str | None = None) -> pd.DataFrame:
    return get_query().targets.status(as_of=as_of, unit=unit, metric=metric)


def targets() -> pd.DataFrame:
    return get_query().targets.current()


def standing(as_of: dt.date) -> Scorecard:
    return get_query().targets.scorecard(as_of=as_of)


def import_targets(text: str, filename: str) -> tuple[str | None, int, int]:
    """(error, targets read, versions added) for an uploaded CSV, as the signed-in administrator."""
    principal = current_principal()
    principal.require_admin()
    try:
        rows = parse_targets_csv(text, filename)
    except TargetError as exc:
        return str(exc), 0, 0
    return None, len(rows), get_query().targets.set(rows, origin=f"upload:{filename}")


def my_notices() -> pd.DataFrame:
    return get_query().alerts.notices()


def read_all_notices() -> int:
    return get_query().alerts.mark_read()
