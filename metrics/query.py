"""The query API: frozen requests in, frozen results (pandas DataFrames) out.

Reads only the rollups (agg_month for whole months, agg_day for edge days); sub-bureau edge days come
from an index range of the fact table. Every request is checked against the principal.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import pandas as pd
from sqlalchemy import BigInteger, Connection, Date, Engine, Integer, cast, func, literal, select, union_all

from metrics.access import SYSTEM, Principal
from metrics.catalog import METRICS
from metrics.models import NATION, AggDay, AggDayTotal, AggMonth, AggMonthTotal, DailyFact
from metrics.requests import (BreakdownRequest, QueryResult, SeriesRequest, TotalsRequest, UnitsSeriesRequest,
                              check_metrics)
from metrics.units import bureaus, children, get_unit
from metrics.windows import CAMPAIGN_START, GRAINS, InvalidWindowError, Window, period_index, period_label, period_start

# The connection of the enclosing MetricsQuery.connection() block, per thread / task.
_SHARED_CONNECTION: ContextVar[Connection | None] = ContextVar("imd_shared_connection", default=None)


def _rollup_key(unit: str | None) -> str:
    return NATION if unit is None else unit


def _period_start_sql(day_col, grain: str, dialect: str):
    """The day column as the first day of its week (Monday) or month, for summing day rows in SQL.

    Quarters and years group by month here; pandas finishes them (period_start is idempotent).
    """
    if grain == "day":
        return day_col
    if dialect == "sqlite":
        if grain == "week":  # strftime('%w') is 0 on Sunday
            offset = func.printf("-%d days", (cast(func.strftime("%w", day_col), Integer) + 6) % 7)
            return func.date(day_col, offset, type_=Date)
        return func.date(day_col, "start of month", type_=Date)
    return cast(func.date_trunc("week" if grain == "week" else "month", day_col), Date)


class MetricsQuery:
    def __init__(self, engine: Engine, principal: Principal = SYSTEM):
        self.engine = engine
        self.principal = principal

    def as_principal(self, principal: Principal) -> MetricsQuery:
        return type(self)(self.engine, principal)

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """One pooled connection for every read inside the block: a view of several reads pays one checkout
        (and, on PostgreSQL, one pre-ping and one rollback) instead of one per read."""
        shared = _SHARED_CONNECTION.get()
        if shared is not None and shared.engine is self.engine:
            yield shared
            return
        with self.engine.connect() as conn:
            token = _SHARED_CONNECTION.set(conn)
            try:
                yield conn
            finally:
                _SHARED_CONNECTION.reset(token)

    # -- scope checks ---------------------------------------------------------------------------------
    def _check_unit(self, unit: str | None) -> None:
        if unit is None:
            return
        u = get_unit(unit)
        if u.kind == "sub_bureau":
            self.principal.require_detail(unit)

    # -- raw fetch ------------------------------------------------------------------------------------
    def _fetch(self, metrics: tuple[str, ...], window: Window, units: list[str], *, sub_level: bool,
               category: str | None, with_date: bool, day_resolution: bool = False,
               by_category: bool = False, grain: str = "day") -> pd.DataFrame:
        """Sum values per metric and unit (and category / date when asked) over the window.

        Whole months come from agg_month (dated by month start), the edge days from the daily tables. With a
        date, day rows are summed in SQL to the start of their week or month when the grain allows, so a long
        weekly series moves weeks, not days, into Python.
        """
        rows = self._rows(metrics, window, units, sub_level=sub_level, category=category, with_date=with_date,
                          day_resolution=day_resolution, by_category=by_category, grain=grain)
        keys = ["metric_id", "unit_code"] + (["category"] if by_category else []) + (["date"] if with_date else [])
        if not rows:
            return pd.DataFrame({k: pd.Series(dtype="object") for k in keys} | {"value": pd.Series(dtype="int64")})
        frame = pd.DataFrame(dict(zip(keys + ["value"], map(list, zip(*rows)))))
        frame["value"] = frame["value"].astype("int64")
        return frame

    def _rows(self, metrics: tuple[str, ...], window: Window, units: list[str], *, sub_level: bool,
              category: str | None, with_date: bool, day_resolution: bool = False, by_category: bool = False,
              grain: str = "day") -> list[tuple]:
        """_fetch's rows as plain tuples (metric_id, unit_code[, category][, date], value), one per key."""
        parts = self._parts(metrics, window, units, sub_level=sub_level, category=category, with_date=with_date,
                            day_resolution=day_resolution, by_category=by_category, grain=grain)
        # One connection, one statement per part (a UNION ALL invites PostgreSQL to plan parallel workers,
        # whose start-up costs more than these small index reads). Parts are summed per key in plain Python:
        # each is already grouped, so there are few rows.
        with self.connection() as conn:
            results = [conn.execute(q).all() for q in parts]
        if len(results) == 1:
            rows = results[0]
        else:
            merged: dict[tuple, int] = {}
            for part in results:
                for *key, value in part:
                    merged[tuple(key)] = merged.get(tuple(key), 0) + int(value)
            rows = [(*k, v) for k, v in merged.items()]
        return rows

    def _parts(self, metrics: tuple[str, ...], window: Window, units: list[str], *, sub_level: bool,
               category: str | None, with_date: bool, day_resolution: bool = False, by_category: bool = False,
               grain: str = "day") -> list:
        """The grouped selects that together cover the window: whole months, then each edge-day range."""
        # Without a category filter or split, read the rollups already summed over categories.
        totals_only = category is None and not by_category
        month_table = AggMonthTotal if totals_only else AggMonth
        months = None if day_resolution else window.full_months()
        day_ranges: list[Window] = []
        parts: list = []
        if months is None:
            day_ranges.append(window)
        else:
            if window.start < months.start:
                day_ranges.append(Window(window.start, months.start - dt.timedelta(days=1)))
            if months.end < window.end:
                day_ranges.append(Window(months.end + dt.timedelta(days=1), window.end))
            parts.append(self._select(month_table, month_table.month, metrics, months, units, category,
                                      by_date=with_date, by_category=by_category))
        day_table = DailyFact if sub_level else (AggDayTotal if totals_only else AggDay)
        day_col = _period_start_sql(day_table.day, grain, self.engine.dialect.name)
        for rng in day_ranges:
            parts.append(self._select(day_table, day_col, metrics, rng, units, category,
                                      by_date=with_date, by_category=by_category, range_col=day_table.day))
        return parts

    def _select(self, table, date_col, metrics, window: Window, units, category, *, by_date: bool,
                by_category: bool, range_col=None):
        cols = [table.metric_id, table.unit_code]
        if by_category:
            cols.append(table.category)
        if by_date:
            cols.append(date_col.label("date"))
        q = (select(*cols, cast(func.sum(table.value), BigInteger).label("value"))
             .where(table.metric_id.in_(metrics), table.unit_code.in_(units),
                    (date_col if range_col is None else range_col).between(window.start, window.end))
             .group_by(*cols))
        if category is not None:
            q = q.where(table.category == category)
        return q

    # -- public API -----------------------------------------------------------------------------------
    def totals(self, req: TotalsRequest) -> QueryResult:
        check_metrics(req.metrics)
        self._check_unit(req.unit)
        key = _rollup_key(req.unit)
        sub = req.unit is not None and get_unit(req.unit).kind == "sub_bureau"
        raw = self._fetch(req.metrics, req.window, [key], sub_level=sub, category=req.category,
                          with_date=False)
        sums = raw.groupby("metric_id")["value"].sum() if not raw.empty else pd.Series(dtype="int64")
        frame = pd.DataFrame({
            "metric": list(req.metrics),
            "unit": [METRICS[m].unit for m in req.metrics],
            "value": [int(sums.get(m, 0)) for m in req.metrics],
        })
        frame["from"] = req.window.start.isoformat()
        frame["to"] = req.window.end.isoformat()
        frame["region"] = req.unit or NATION
        return QueryResult(req, frame)

    def totals_by_window(self, windows: tuple[Window, ...], metrics: tuple[str, ...], *, unit: str,
                         category: str | None = None) -> list[dict[str, int]]:
        """One unit's totals per metric for several windows in one statement (windows may overlap).

        Each window's parts carry the window's position as a label; a UNION ALL of a few single-unit index
        reads is too small for PostgreSQL to plan parallel workers.
        """
        check_metrics(metrics)
        self._check_unit(unit)
        sub = get_unit(unit).kind == "sub_bureau"
        labelled = [part.add_columns(literal(i, Integer).label("window"))
                    for i, window in enumerate(windows)
                    for part in self._parts(metrics, window, [unit], sub_level=sub, category=category,
                                            with_date=False)]
        with self.connection() as conn:
            rows = conn.execute(union_all(*labelled) if len(labelled) > 1 else labelled[0]).all()
        sums: list[dict[str, int]] = [dict.fromkeys(metrics, 0) for _ in windows]
        for metric, _unit, value, i in rows:
            sums[i][metric] += int(value)
        return sums

    def series(self, req: SeriesRequest) -> QueryResult:
        """One row per metric (and category, when split by it) and period; missing periods are zero.

        `direction` is always a column, so a split by direction is a facet, never a sum of unlike units.
        """
        check_metrics(req.metrics)
        self._check_unit(req.unit)
        if req.grain not in GRAINS:
            raise InvalidWindowError(f"unknown grain '{req.grain}'; use one of {', '.join(GRAINS)}")
        if req.split_by not in ("metric", "category", "direction"):
            raise ValueError(f"unknown split '{req.split_by}'; use metric, category or direction")
        by_category = req.split_by == "category"
        sub = req.unit is not None and get_unit(req.unit).kind == "sub_bureau"
        raw = self._fetch(req.metrics, req.window, [_rollup_key(req.unit)], sub_level=sub,
                          category=req.category, with_date=True, day_resolution=req.grain in ("day", "week"),
                          by_category=by_category, grain=req.grain)
        group = ["metric_id"] + (["category"] if by_category else [])
        raw["period"] = period_start(raw["date"], req.grain) if len(raw) else pd.Series(dtype="datetime64[ns]")
        index = period_index(req.window, req.grain)
        wide = raw.groupby(group + ["period"])["value"].sum().unstack("period")
        wide = wide.reindex(columns=index, fill_value=0).fillna(0).astype("int64")
        if not by_category:
            wide = wide.reindex(list(req.metrics), fill_value=0)
        if req.cumulative:
            wide = wide.cumsum(axis=1)
        wide.columns.name = "period"
        frame = wide.stack().rename("value").reset_index().rename(columns={"metric_id": "metric"})
        frame["value"] = frame["value"].astype("int64")
        frame["direction"] = frame["metric"].map({m: int(METRICS[m].direction) for m in set(frame["metric"])})
        frame["label"] = frame["period"].map({p: period_label(p, req.grain) for p in index})
        return QueryResult(req, frame)

    def units_series(self, req: UnitsSeriesRequest) -> QueryResult:
        """One metric's series for several units in one read: periods (index: period, label) x units."""
        check_metrics((req.metric,))
        for code in req.units:
            self._check_unit(code)
        if req.grain not in GRAINS:
            raise InvalidWindowError(f"unknown grain '{req.grain}'; use one of {', '.join(GRAINS)}")
        sub = [c for c in req.units if get_unit(c).kind == "sub_bureau"]
        rest = [c for c in req.units if c not in sub]
        raws = [self._fetch((req.metric,), req.window, codes, sub_level=is_sub, category=None, with_date=True,
                            day_resolution=req.grain in ("day", "week"), grain=req.grain)
                for codes, is_sub in ((rest, False), (sub, True)) if codes]
        raw = pd.concat(raws, ignore_index=True) if len(raws) > 1 else raws[0]
        index = period_index(req.window, req.grain)
        if len(raw):
            raw["period"] = period_start(raw["date"], req.grain)
            wide = raw.groupby(["period", "unit_code"])["value"].sum().unstack("unit_code")
        else:
            wide = pd.DataFrame(index=pd.DatetimeIndex([], name="period"))
        wide = wide.reindex(index=index, columns=list(req.units)).fillna(0).astype("int64")
        wide.index = pd.MultiIndex.from_arrays([index, [period_label(p, req.grain) for p in index]],
                                               names=["period", "label"])
        wide.columns.name = "unit_code"
        return QueryResult(req, wide)

    def breakdown(self, req: BreakdownRequest) -> QueryResult:
        check_metrics(req.metrics)
        if req.level == "bureau":
            units = bureaus()
        elif req.level == "sub_bureau":
            if req.parent is None:
                raise ValueError("a sub-bureau breakdown needs a parent bureau")
            self.principal.require_detail(req.parent)
            units = children(req.parent)
        else:
            raise ValueError(f"unknown level '{req.level}'; use bureau or sub_bureau")
        codes = [u.code for u in units]
        rows = self._rows(req.metrics, req.window, codes, sub_level=req.level == "sub_bureau",
                          category=req.category, with_date=False) if codes else []
        sums = {(unit, metric): value for metric, unit, value in rows}
        n = len(req.metrics)
        frame = pd.DataFrame({
            "unit_code": [u.code for u in units for _ in range(n)],
            "name_zh": [u.name_zh for u in units for _ in range(n)],
            "name_en": [u.name_en for u in units for _ in range(n)],
            "metric": list(req.metrics) * len(units),
            "value": pd.array([int(sums.get((u.code, m), 0)) for u in units for m in req.metrics], dtype="int64"),
            "population_10k": pd.array([u.population_10k for u in units for _ in range(n)], dtype="float64"),
            "gdp_100m_yuan": pd.array([u.gdp_100m_yuan for u in units for _ in range(n)], dtype="float64"),
        }, columns=["unit_code", "name_zh", "name_en", "metric", "value", "population_10k", "gdp_100m_yuan"])
        frame["per_10m_residents"] = frame["value"] / (frame["population_10k"] / 1000)
        frame["per_100b_gdp"] = frame["value"] / (frame["gdp_100m_yuan"] / 1000)
        return QueryResult(req, frame)

    def annotations(self, window: Window) -> pd.DataFrame:
        from metrics.models import Annotation

        q = select(Annotation.day, Annotation.kind, Annotation.label_zh, Annotation.label_en,
                   Annotation.unit_code).where(Annotation.day.between(window.start, window.end))
        with self.engine.connect() as conn:
            return pd.DataFrame(conn.execute(q.order_by(Annotation.day)).all(),
                                columns=["day", "kind", "label_zh", "label_en", "unit_code"])

    def data_range(self) -> Window | None:
        """First and last day with any fact: what 'campaign to date' means right now."""
        with self.engine.connect() as conn:
            lo = conn.scalar(select(func.min(AggDay.day)).where(AggDay.unit_code == NATION))
            hi = conn.scalar(select(func.max(AggDay.day)).where(AggDay.unit_code == NATION))
        if hi is None:
            return None
        return Window(min(lo or CAMPAIGN_START, CAMPAIGN_START), hi)
