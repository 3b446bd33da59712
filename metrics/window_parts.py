"""Which rollup rows add up to a window: whole months from a month table, the other days from a day table.

A partial month at either edge is read day by day, unless the window covers most of it: then it is read as
the whole month minus the days outside the window, so no edge costs more than about half a month of day rows
per key. The month rows are the sums of their days (metrics.store keeps them so), which makes both readings
equal.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from metrics.windows import Window, add_months, month_end

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Part:
    """Rows of one table (`month` rows dated by their first day, or `day` rows) from start to end, added or
    subtracted."""

    table: str  # month | day
    start: dt.date
    end: dt.date
    sign: int = 1


def window_parts(window: Window, *, days_only: bool = False, complements: bool = True) -> list[Part]:
    """Parts whose signed sum is the window's sum. `days_only` reads every day (a daily or weekly series);
    without `complements` a partial month is always read day by day (every key read is then in the window)."""
    if days_only:
        return [Part("day", window.start, window.end)]
    first, last = window.start.replace(day=1), window.end.replace(day=1)
    whole_from, whole_to = first, last  # the months read whole, by their first days
    days: list[Part] = []
    for month in sorted({first, last}):
        lo, hi = max(window.start, month), min(window.end, month_end(month))
        if lo == month and hi == month_end(month):
            continue  # a whole month
        covered = (hi - lo).days + 1
        outside = (month_end(month) - month).days + 1 - covered
        if complements and outside + 2 < covered:  # the month row and the few days outside are fewer rows
            if lo > month:
                days.append(Part("day", month, lo - ONE_DAY, -1))
            if hi < month_end(month):
                days.append(Part("day", hi + ONE_DAY, month_end(month), -1))
            continue
        days.append(Part("day", lo, hi))
        if month == whole_from:
            whole_from = add_months(month, 1)
        if month == whole_to:
            whole_to = add_months(month, -1)
    parts = [Part("month", whole_from, whole_to)] if whole_from <= whole_to else []
    return parts + days
