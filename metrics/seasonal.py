"""Expected by now: the share of a period's total a unit normally has by a given day, from its own history.

A day's expected weight is a product of three factors fitted to the unit's earlier complete years:
- its kind: a working day, a rest day, a Spring Festival holiday day, a working day in the Spring Festival
  week (seven days either side of the holiday), a National Day holiday day. Working days and holidays come
  from the official calendar (the `chinese-calendar` package; years it does not cover yet fall back to
  Monday-Friday with no holidays, flagged in the result);
- its place in the quarter (month of the quarter x ten-day third), which is where a quarter-end surge shows;
- its quarter of the year.
The factors are fitted by iterative proportional fitting (raking) of the daily totals, each year scaled to
its own mean so growth between years does not tilt the shape. A moving holiday (Spring Festival in January
one year, February the next) is carried by the day kind, not by the calendar month.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar
import numpy as np
from sqlalchemy import Engine, func, select

from metrics.models import AggDayTotal

KINDS = ("work", "rest", "sf_holiday", "sf_week", "nd_holiday")
_SF, _ND = "Spring Festival", "National Day"
RAKING_ROUNDS = 25


@lru_cache(maxsize=64)
def _year_kinds(year: int) -> tuple[np.ndarray, bool]:
    """Kind index of every day of `year`, and whether the official calendar covered it."""
    days = [dt.date(year, 1, 1) + dt.timedelta(days=i) for i in range((dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days)]
    try:
        details = [chinese_calendar.get_holiday_detail(d) for d in days]
        workday = [chinese_calendar.is_workday(d) for d in days]
    except NotImplementedError:  # a year the package does not know yet
        return np.array([0 if d.weekday() < 5 else 1 for d in days], dtype=np.int8), False
    kinds = np.array([0 if w else 1 for w in workday], dtype=np.int8)
    names = [name if holiday else None for holiday, name in details]
    for i, name in enumerate(names):
        if name == _SF:
            kinds[i] = 2
        elif name == _ND:
            kinds[i] = 4
    sf = [i for i, name in enumerate(names) if name == _SF]
    if sf:  # the office week around the holiday
        for i in range(max(0, sf[0] - 7), min(len(days), sf[-1] + 8)):
            if kinds[i] == 0:
                kinds[i] = 3
    return kinds, True


def _features(start: dt.date, end: dt.date) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """kind, place in quarter (0..8) and quarter (0..3) of every day in [start, end]."""
    kinds, covered = [], True
    for year in range(start.year, end.year + 1):
        k, ok = _year_kinds(year)
        lo = (max(start, dt.date(year, 1, 1)) - dt.date(year, 1, 1)).days
        hi = (min(end, dt.date(year, 12, 31)) - dt.date(year, 1, 1)).days
        kinds.append(k[lo:hi + 1])
        covered &= ok
    days = np.arange(np.datetime64(start), np.datetime64(end) + 1)
    months = days.astype("datetime64[M]").astype(int) % 12  # 0 = January
    dom = (days - days.astype("datetime64[M]")).astype(int) + 1
    slot = (months % 3) * 3 + np.minimum((dom - 1) // 10, 2)
    return np.concatenate(kinds), slot, months // 3, covered


@dataclass(frozen=True, slots=True)
class Profile:
    """Fitted factors; `source` says whose history they come from (own, national, working_days)."""

    kind: np.ndarray  # len(KINDS)
    slot: np.ndarray  # 9
    quarter: np.ndarray  # 4
    source: str
    years: tuple[int, ...]
    calendar_covered: bool = True

    def weights(self, start: dt.date, end: dt.date) -> np.ndarray:
        kind, slot, quarter, _ = _features(start, end)
        return self.kind[kind] * self.slot[slot] * self.quarter[quarter]

    def share(self, start: dt.date, end: dt.date, on: dt.date) -> float:
        """Expected share of the [start, end] total by the end of `on`."""
        if on < start:
            return 0.0
        if on >= end:
            return 1.0
        w = self.weights(start, end)
        total = w.sum()
        if total <= 0:
            return ((on - start).days + 1) / ((end - start).days + 1)
        return float(w[: (on - start).days + 1].sum() / total)


def working_days_profile() -> Profile:
    """No history: every working day counts the same and rest days nothing."""
    return Profile(np.array([1.0, 0.0, 0.0, 1.0, 0.0]), np.ones(9), np.ones(4), "working_days", ())


def fit(values: np.ndarray, start: dt.date, years: tuple[int, ...], source: str) -> Profile:
    """Rake kind x slot x quarter factors to daily `values` (from `start`) over the complete `years`."""
    kinds, slots, quarters, scaled = [], [], [], []
    for year in years:
        lo = (dt.date(year, 1, 1) - start).days
        n = (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days
        v = values[lo:lo + n].astype(float)
        k, s, q, _ = _features(dt.date(year, 1, 1), dt.date(year, 12, 31))
        kinds.append(k), slots.append(s), quarters.append(q), scaled.append(v / max(v.mean(), 1e-9))
    k, s, q, v = (np.concatenate(x) for x in (kinds, slots, quarters, scaled))
    factors = [np.ones(len(KINDS)), np.ones(9), np.ones(4)]
    groups = [k, s, q]
    for _ in range(RAKING_ROUNDS):
        for i, group in enumerate(groups):
            others = np.prod([factors[j][groups[j]] for j in range(3) if j != i], axis=0)
            observed = np.bincount(group, weights=v, minlength=len(factors[i]))
            predicted = np.bincount(group, weights=others, minlength=len(factors[i]))
            factors[i] = np.where(predicted > 0, observed / np.where(predicted > 0, predicted, 1), 1.0)
    return Profile(*factors, source=source, years=years)


def history_years(first: dt.date | None, last: dt.date | None, before: int, at_most: int) -> tuple[int, ...]:
    """Complete calendar years with data, before `before`, the latest `at_most` of them."""
    if first is None or last is None:
        return ()
    years = [y for y in range(first.year, before) if dt.date(y, 1, 1) >= first and dt.date(y, 12, 31) <= last]
    return tuple(years[-at_most:])


def daily_values(engine: Engine, metric: str, unit_key: str, years: tuple[int, ...]) -> np.ndarray:
    """Daily totals of one rollup key over the years, zeros included."""
    start, end = dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31)
    q = (select(AggDayTotal.day, AggDayTotal.value)
         .where(AggDayTotal.metric_id == metric, AggDayTotal.unit_code == unit_key,
                AggDayTotal.day.between(start, end)))
    out = np.zeros((end - start).days + 1)
    with engine.connect() as conn:
        for day, value in conn.execute(q):
            out[(day - start).days] += value
    return out


def data_span(engine: Engine, metric: str, unit_key: str) -> tuple[dt.date | None, dt.date | None]:
    with engine.connect() as conn:
        return conn.execute(select(func.min(AggDayTotal.day), func.max(AggDayTotal.day))
                            .where(AggDayTotal.metric_id == metric, AggDayTotal.unit_code == unit_key)).one()


def unit_profile(engine: Engine, metric: str, unit_key: str, year: int, *, nation_key: str,
                 min_events: int, max_years: int) -> Profile:
    """The unit's own profile; the nation's when the unit's history is thin; working days when neither has
    a complete earlier year."""
    candidates = [unit_key] if unit_key == nation_key else [unit_key, nation_key]
    for key in candidates:
        first, last = data_span(engine, metric, key)
        years = history_years(first, last, year, max_years)
        if not years:
            continue
        values = daily_values(engine, metric, key, years)
        if values.sum() < min_events and key != nation_key:
            continue
        if values.sum() <= 0:
            continue
        return fit(values, dt.date(years[0], 1, 1), years, "own" if key == unit_key else "national")
    return working_days_profile()


def calendar_covered(start: dt.date, end: dt.date) -> bool:
    return _features(start, end)[3]
