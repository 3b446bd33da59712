"""When events happen: campaign ramp-up, quarter-end pushes, Spring Festival and National Day dips, weekends.

Counts inside the calibration window are drawn exactly; after it they continue at the same rate (Poisson).
"""
from __future__ import annotations

import datetime as dt

import numpy as np

from metrics.windows import CAMPAIGN_START

WINDOW_START = CAMPAIGN_START
WINDOW_END = dt.date(2025, 11, 30)  # the published report's cut-off
# Chinese New Year's day; the office week around it is nearly empty.
SPRING_FESTIVALS = (dt.date(2024, 2, 10), dt.date(2025, 1, 29), dt.date(2026, 2, 17), dt.date(2027, 2, 6))
_EPOCH = np.datetime64("1970-01-01", "D")


def day_range(start: dt.date, end: dt.date) -> np.ndarray:
    return np.arange(np.datetime64(start, "D"), np.datetime64(end, "D") + 1)


def to_date(day: np.datetime64) -> dt.date:
    return _EPOCH.astype(dt.date) + dt.timedelta(days=int((day - _EPOCH).astype(int)))


def activity_weights(days: np.ndarray, *, weekend: float = 0.25) -> np.ndarray:
    """Relative event rate per day."""
    as_int = (days - np.datetime64(WINDOW_START, "D")).astype(int)
    months = as_int / 30.44
    ramp = 0.3 + 0.7 * np.minimum(1.0, months / 5.0)  # the campaign takes about five months to reach speed
    growth = 1.0 + 0.06 * months / 12.0
    weekday = (days.astype("datetime64[D]").view("int64") - 4) % 7  # 0 = Monday
    week = np.where(weekday >= 5, weekend, 1.0)
    dates = days.astype("datetime64[D]").astype(object)
    month = np.array([d.month for d in dates])
    dom = np.array([d.day for d in dates])
    quarter_end = np.where((month % 3 == 0) & (dom >= 19), 1.7, 1.0)
    holiday = np.ones(len(days))
    for cny in SPRING_FESTIVALS:
        offset = (days - np.datetime64(cny, "D")).astype(int)
        around = np.where((offset >= -12) & (offset <= 16), 0.6, holiday)
        holiday = np.where((offset >= -3) & (offset <= 7), 0.12, around)
    holiday = np.where((month == 10) & (dom <= 7), 0.25, holiday)
    return ramp * growth * week * quarter_end * holiday


def draw_days(rng: np.random.Generator, n_window: int, until: dt.date, *, weekend: float = 0.25,
              start: dt.date = WINDOW_START) -> list[dt.date]:
    """Exactly n_window days inside [start, WINDOW_END]; then the same rate on to `until` (sorted)."""
    window_days = day_range(start, WINDOW_END)
    weights = activity_weights(window_days, weekend=weekend)
    chosen = [d for d in rng.choice(window_days, size=n_window, p=weights / weights.sum())
              if d <= np.datetime64(until, "D")]
    if until > WINDOW_END:
        later = day_range(WINDOW_END + dt.timedelta(days=1), until)
        rate = activity_weights(later, weekend=weekend) * n_window / weights.sum()
        counts = rng.poisson(rate)
        chosen.extend(np.repeat(later, counts))
    return sorted(to_date(d) for d in chosen)


def quarter_index(day: dt.date) -> int:
    return (day.year - WINDOW_START.year) * 4 + (day.month - 1) // 3


def shanghai_timestamp(day: dt.date, rng: np.random.Generator, *, lo_hour: int = 8, hi_hour: int = 19) -> str:
    seconds = int(rng.integers(lo_hour * 3600, hi_hour * 3600))
    stamp = dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=seconds)
    return stamp.strftime("%Y-%m-%d %H:%M:%S")


def lag_days(rng: np.random.Generator, mean: float, size: int | None = None):
    """Working lags: mostly days, sometimes weeks (geometric, at least one day)."""
    return rng.geometric(1.0 / mean, size=size)
