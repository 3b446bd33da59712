"""The periods of a window at a grain, as plain arrays: what a series is laid out on.

The same periods as period_index, pandas' own (first days from the period of the window's first day up to its
last day), without building them through pandas row by row. pandas' period helpers live here, not in
metrics.windows, so that the commands which only need dates do not import pandas.
"""
from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np
import pandas as pd

from metrics.windows import GRAINS, InvalidWindowError, Window, add_months

_PANDAS_FREQ = {"day": "D", "week": "W-MON", "month": "MS", "quarter": "QS", "year": "YS"}

EPOCH = dt.date(1970, 1, 1)
_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def period_start(days: pd.Series, grain: str) -> pd.Series:
    """The first day of the period each day falls in."""
    if grain not in GRAINS:
        raise InvalidWindowError(f"unknown grain '{grain}'; use one of {', '.join(GRAINS)}")
    ts = pd.to_datetime(days)
    if grain == "day":
        out = ts
    elif grain == "week":
        out = ts - pd.to_timedelta(ts.dt.day_of_week, unit="D")
    else:
        out = ts.dt.to_period({"month": "M", "quarter": "Q", "year": "Y"}[grain]).dt.start_time
    return out.dt.normalize()


def period_index(window: Window, grain: str) -> pd.DatetimeIndex:
    first = period_start(pd.Series([window.start]), grain).iloc[0]
    return pd.date_range(first, pd.Timestamp(window.end), freq=_PANDAS_FREQ[grain])


@cache
def _index_dtype(grain: str) -> np.dtype:
    """The resolution pandas gives period_index at this grain (it differs by grain), asked once."""
    return period_index(Window(EPOCH, EPOCH), grain).dtype


def _first_of_period(day: dt.date, grain: str) -> dt.date:
    if grain == "day":
        return day
    if grain == "week":
        return day - dt.timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    if grain == "quarter":
        return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return dt.date(day.year, 1, 1)


def _label(first: dt.date, grain: str) -> str:
    if grain == "quarter":
        return f"{first.year}Q{(first.month - 1) // 3 + 1}"
    if grain == "year":
        return str(first.year)
    return first.isoformat()[:7]


class PeriodGrid:
    """Periods of `window` at `grain`: first days (`days`, days since 1970-01-01), `index` and `labels`."""

    def __init__(self, window: Window, grain: str):
        if grain not in GRAINS:
            raise InvalidWindowError(f"unknown grain '{grain}'; use one of {', '.join(GRAINS)}")
        first = _first_of_period(window.start, grain)
        if grain in ("day", "week"):
            self.days = np.arange((first - EPOCH).days, (window.end - EPOCH).days + 1, 1 if grain == "day" else 7,
                                  dtype=np.int64)
            self.labels = np.datetime_as_string(self.days.astype("datetime64[D]"), unit="D").tolist()
        else:
            firsts, month = [], first
            while month <= window.end:
                firsts.append(month)
                month = add_months(month, _MONTHS[grain])
            self.days = np.array([(f - EPOCH).days for f in firsts], dtype=np.int64)
            self.labels = [_label(f, grain) for f in firsts]
        self.grain = grain

    def __len__(self) -> int:
        return len(self.days)

    @property
    def index(self) -> pd.DatetimeIndex:
        return pd.DatetimeIndex(self.days.astype("datetime64[D]").astype(_index_dtype(self.grain)))

    def columns(self, days: np.ndarray) -> np.ndarray:
        """The period (column) each day, in days since 1970-01-01, falls in."""
        return np.searchsorted(self.days, days, side="right") - 1
