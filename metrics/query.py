"""The query API: frozen requests in, frozen results (pandas DataFrames) out.

Reads only the rollups (metrics.window_parts says which rows, metrics.rollup_sql sums them in one statement);
sub-bureau edge days come from an index range of the fact table. Every request is checked against the
principal. Results are laid out with numpy and become a DataFrame once, at the end.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, func, select

from metrics.access import Principal
from metrics.catalog import METRICS
from metrics.models import NATION, AggDay
from metrics.period_grid import PeriodGrid
from metrics.reads import BriefingReads, FunnelRequest, QualityReads
from metrics.requests import (BreakdownRequest, QueryResult, SeriesRequest, TotalsRequest, UnitsSeriesRequest,
                              check_metrics)
from metrics.result_frame import result_frame
from metrics.rollup_sql import Shape, sum_rows, sum_rows_by_window
from metrics.units import bureaus, children, get_unit
from metrics.window_parts import window_parts
from metrics.windows import CAMPAIGN_START, GRAINS, InvalidWindowError, Window


class _Shared:
    """The connection of a MetricsQuery.connection() block, and whether its transaction is serial yet."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.serial = conn.dialect.name != "postgresql"


# The enclosing MetricsQuery.connection() block, per thread / task.
_SHARED: ContextVar[_Shared | None] = ContextVar("imd_shared_connection", default=None)
# From about this many (metric, unit) keys a union of parts is costed high enough for a Parallel Append.
_PARALLEL_KEYS = 50
# The period a series' rows are summed to in SQL; quarters and years are finished from months.
_SQL_PERIOD = {"day": "day", "week": "week", "month": "month", "quarter": "month", "year": "month"}


def _rollup_key(unit: str | None) -> str:
    return NATION if unit is None else unit


def _is_sub(unit: str | None) -> bool:
    return unit is not None and get_unit(unit).kind == "sub_bureau"


def _check_grain(grain: str) -> None:
    if grain not in GRAINS:
        raise InvalidWindowError(f"unknown grain '{grain}'; use one of {', '.join(GRAINS)}")


class MetricsQuery:
    """Every read of the store, for one principal (required: nobody reads as "everyone" by forgetting it)."""

    def __init__(self, engine: Engine, principal: Principal, *, primary: Engine | None = None):
        """`primary`: where briefings and source status are read when `engine` is a read replica."""
        if not isinstance(principal, Principal):
            raise TypeError(f"MetricsQuery needs a Principal, not {type(principal).__name__}")
        self.engine = engine
        self.principal = principal
        self.primary = primary if primary is not None else engine

    def as_principal(self, principal: Principal) -> MetricsQuery:
        return type(self)(self.engine, principal, primary=self.primary)

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """One pooled connection for every read inside the block: a view of several reads pays one checkout
        (and, on PostgreSQL, one pre-ping and one rollback) instead of one per read."""
        shared = _SHARED.get()
        if shared is not None and shared.conn.engine is self.engine:
            yield shared.conn
            return
        with self.engine.connect() as conn:
            token = _SHARED.set(_Shared(conn))
            try:
                yield conn
            finally:
                _SHARED.reset(token)

    def _serial(self) -> None:
        """No parallel workers for the rest of this block's transaction (PostgreSQL). A union of index ranges
        over many keys gets a Parallel Append whose workers cost more to start than the reads they share."""
        shared = _SHARED.get()
        if shared is not None and not shared.serial:
            shared.conn.exec_driver_sql("SELECT set_config('max_parallel_workers_per_gather', '0', true)")
            shared.serial = True

    # -- scope checks ---------------------------------------------------------------------------------
    def _check_unit(self, unit: str | None) -> None:
        if unit is None:
            return
        u = get_unit(unit)
        if u.kind == "sub_bureau":
            self.principal.require_detail(unit)

    # -- raw sums -------------------------------------------------------------------------------------
    def _sums(self, metrics: tuple[str, ...], window: Window, units: list[str], *, sub_level: bool,
              category: str | None = None, by_category: bool = False, grain: str | None = None) -> list[tuple]:
        """Rows (metric_id, unit_code[, category][, period], value) over the window, one per key.

        With a grain, rows are summed to the first day of their period (days since 1970-01-01); days and
        weeks read every day, longer grains whole months. A category split reads partial months day by day
        so that exactly the (metric, category) pairs with a row in the window come back.
        """
        shape = Shape(sub_level, category is None and not by_category, by_category,
                      None if grain is None else _SQL_PERIOD[grain])
        parts = window_parts(window, days_only=grain in ("day", "week"), complements=not by_category)
        with self.connection() as conn:
            if len(parts) > 1 and len(units) * len(metrics) >= _PARALLEL_KEYS:
                self._serial()
            return sum_rows(conn, shape, parts, metrics, units, category)

    # -- read objects and delegated reads ------------------------------------------------------------
    @property
    def quality(self) -> QualityReads:
        return QualityReads(self.engine, self.principal, primary=self.primary)

    @property
    def briefings(self) -> BriefingReads:
        return BriefingReads(self.primary, self.principal)

    @property
    def targets(self):
        """Targets, their status and the scorecard (metrics.target_reads)."""
        from metrics.target_reads import TargetReads

        return TargetReads(self.engine, self.principal, primary=self.primary)

    @property
    def alerts(self):
        """The principal's notices; the alert store for the system (metrics.target_reads)."""
        from metrics.target_reads import AlertReads

        return AlertReads(self.primary, self.principal)

    def compare(self, req) -> QueryResult:
        from metrics.compare import compare

        return compare(self, req)

    def peer_band(self, req) -> QueryResult:
        from metrics.compare import peer_band

        return peer_band(self, req)

    def funnel(self, req: FunnelRequest):
        from metrics.funnel import funnel

        return funnel(self.engine, req.window, unit=req.unit, records=req.records, principal=self.principal)

    # -- public API -----------------------------------------------------------------------------------
    def totals(self, req: TotalsRequest) -> QueryResult:
        check_metrics(req.metrics)
        self._check_unit(req.unit)
        rows = self._sums(req.metrics, req.window, [_rollup_key(req.unit)], sub_level=_is_sub(req.unit),
                          category=req.category)
        sums = {metric: value for metric, _unit, value in rows}
        metrics = list(req.metrics)
        n = len(metrics)
        frame = pd.DataFrame({
            "metric": metrics,
            "unit": [METRICS[m].unit for m in metrics],
            "value": [int(sums.get(m, 0)) for m in metrics],
            "from": pd.array([req.window.start.isoformat()] * n, dtype="str"),
            "to": pd.array([req.window.end.isoformat()] * n, dtype="str"),
            "region": pd.array([req.unit or NATION] * n, dtype="str"),
        })
        return QueryResult(req, frame)

    def totals_by_window(self, windows: tuple[Window, ...], metrics: tuple[str, ...], *, unit: str,
                         category: str | None = None) -> list[dict[str, int]]:
        """One unit's totals per metric for several windows (windows may overlap) in one statement."""
        check_metrics(metrics)
        self._check_unit(unit)
        shape = Shape(_is_sub(unit), category is None, False, None)
        with self.connection() as conn:
            rows = sum_rows_by_window(conn, shape, [window_parts(w) for w in windows], metrics, [unit], category)
        sums: list[dict[str, int]] = [dict.fromkeys(metrics, 0) for _ in windows]
        for i, metric, _unit, value in rows:
            sums[i][metric] += int(value)
        return sums

    def series(self, req: SeriesRequest) -> QueryResult:
        """One row per metric (and category, when split by it) and period; missing periods are zero.

        `direction` is always a column, so a split by direction is a facet, never a sum of unlike units.
        """
        check_metrics(req.metrics)
        self._check_unit(req.unit)
        _check_grain(req.grain)
        if req.split_by not in ("metric", "category", "direction"):
            raise ValueError(f"unknown split '{req.split_by}'; use metric, category or direction")
        by_category = req.split_by == "category"
        rows = self._sums(req.metrics, req.window, [_rollup_key(req.unit)], sub_level=_is_sub(req.unit),
                          category=req.category, by_category=by_category, grain=req.grain)
        grid = PeriodGrid(req.window, req.grain)
        if by_category:  # the (metric, category) pairs found, in order
            keys = sorted({(r[0], r[2]) for r in rows})
            row_of = {key: i for i, key in enumerate(keys)}
            at = [row_of[(r[0], r[2])] for r in rows]
        else:
            keys = list(dict.fromkeys(req.metrics))
            row_of = {m: i for i, m in enumerate(keys)}
            at = [row_of[r[0]] for r in rows]
        values = np.zeros((len(keys), len(grid)), dtype=np.int64)
        if rows:
            np.add.at(values, (np.asarray(at), grid.columns(np.fromiter((r[-2] for r in rows), np.int64, len(rows)))),
                      np.fromiter((r[-1] for r in rows), np.int64, len(rows)))
        if not by_category:  # every asked metric, in the order asked (repeats included)
            values = values[[row_of[m] for m in req.metrics]]
            keys = list(req.metrics)
        if req.cumulative:
            values = values.cumsum(axis=1)
        n = len(grid)
        metrics = [k[0] for k in keys] if by_category else keys
        columns = {"metric": np.repeat(np.array(metrics, dtype=object), n)}
        if by_category:
            columns["category"] = np.repeat(np.array([k[1] for k in keys], dtype=object), n)
        columns["period"] = np.tile(grid.index.to_numpy(), len(keys))
        columns["value"] = values.reshape(-1)
        if keys:
            columns["direction"] = np.repeat(np.array([int(METRICS[m].direction) for m in metrics]), n)
            columns["label"] = np.tile(np.array(grid.labels, dtype=object), len(keys))
        else:  # the dtypes pandas has always given an empty series
            columns["direction"] = np.array([], dtype=np.float64)
            columns["label"] = pd.array([], dtype="str")
        return QueryResult(req, pd.DataFrame(columns))

    def units_series(self, req: UnitsSeriesRequest) -> QueryResult:
        """One metric's series for several units in one read: periods (index: period, label) x units."""
        check_metrics((req.metric,))
        for code in req.units:
            self._check_unit(code)
        _check_grain(req.grain)
        sub = [c for c in req.units if get_unit(c).kind == "sub_bureau"]
        rest = [c for c in req.units if c not in sub]
        with self.connection():
            rows = [row for codes, is_sub in ((rest, False), (sub, True)) if codes
                    for row in self._sums((req.metric,), req.window, codes, sub_level=is_sub, grain=req.grain)]
        grid = PeriodGrid(req.window, req.grain)
        column_of = {code: i for i, code in enumerate(dict.fromkeys(req.units))}
        values = np.zeros((len(grid), len(column_of)), dtype=np.int64)
        if rows:
            np.add.at(values, (grid.columns(np.fromiter((r[2] for r in rows), np.int64, len(rows))),
                               np.asarray([column_of[r[1]] for r in rows])),
                      np.fromiter((r[3] for r in rows), np.int64, len(rows)))
        # periods and their labels are both unique and ascending: they are the levels, in order
        index = pd.MultiIndex(levels=[grid.index, pd.Index(grid.labels)], codes=[np.arange(len(grid))] * 2,
                              names=["period", "label"], verify_integrity=False)
        columns = pd.Index(list(req.units), name="unit_code")
        return QueryResult(req, pd.DataFrame(values[:, [column_of[c] for c in req.units]], index=index,
                                             columns=columns))

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
        rows = self._sums(req.metrics, req.window, codes, sub_level=req.level == "sub_bureau",
                          category=req.category) if codes else []
        sums = {(unit, metric): value for metric, unit, value in rows}
        metrics, n = list(req.metrics), len(req.metrics)
        if not units or not n:  # the dtypes pandas has always given an empty breakdown
            value, population, gdp = pd.array([], dtype="int64"), np.array([], "float64"), np.array([], "float64")
            names = {"unit_code": [], "name_zh": [], "name_en": [], "metric": []}
        else:  # units x metrics, unit-major
            value = np.array([sums.get((u.code, m), 0) for u in units for m in metrics], dtype=np.int64)
            population = np.repeat(np.array([u.population_10k for u in units], dtype="float64"), n)
            gdp = np.repeat(np.array([u.gdp_100m_yuan for u in units], dtype="float64"), n)
            names = {column: np.repeat(np.array([getattr(u, attr) for u in units], dtype=object), n)
                     for column, attr in (("unit_code", "code"), ("name_zh", "name_zh"), ("name_en", "name_en"))}
            names["metric"] = np.tile(np.array(metrics, dtype=object), len(units))
        frame = pd.DataFrame(names | {
            "value": value, "population_10k": population, "gdp_100m_yuan": gdp,
            "per_10m_residents": value / (population / 1000), "per_100b_gdp": value / (gdp / 1000)})
        return QueryResult(req, frame)

    def annotations(self, window: Window) -> pd.DataFrame:
        from metrics.models import Annotation

        q = select(Annotation.day, Annotation.kind, Annotation.label_zh, Annotation.label_en,
                   Annotation.unit_code).where(Annotation.day.between(window.start, window.end))
        with self.engine.connect() as conn:
            return result_frame(conn.execute(q.order_by(Annotation.day)),
                                ["day", "kind", "label_zh", "label_en", "unit_code"])

    def data_range(self) -> Window | None:
        """First and last day with any fact: what 'campaign to date' means right now."""
        with self.connection() as conn:
            lo = conn.scalar(select(func.min(AggDay.day)).where(AggDay.unit_code == NATION))
            hi = conn.scalar(select(func.max(AggDay.day)).where(AggDay.unit_code == NATION))
        if hi is None:
            return None
        return Window(min(lo or CAMPAIGN_START, CAMPAIGN_START), hi)
