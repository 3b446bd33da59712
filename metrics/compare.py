"""Peer comparison: rank, percentile, gap to the national median, change on a fair base."""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.catalog import METRICS
from metrics.coverage import DEFAULT_THRESHOLD, metrics_of, short_sources
from metrics.query import MetricsQuery
from metrics.requests import ALL_METRICS, BreakdownRequest, QueryResult, UnitsSeriesRequest
from metrics.units import bureaus, get_unit
from metrics.windows import Window

# Below these bases a percentage change says more about noise than about the bureau.
MIN_BASE = {"count": 20, "people": 2_000, "yuan": 50_000_000}
RATES = {"total": "value", "per_capita": "per_10m_residents", "per_gdp": "per_100b_gdp"}


@dataclass(frozen=True, slots=True)
class CompareRequest:
    unit: str
    window: Window
    peers: tuple[str, ...] | None = None  # None = bureaus of similar economic size
    metrics: tuple[str, ...] = ALL_METRICS
    category: str | None = None
    coverage_threshold: float = DEFAULT_THRESHOLD  # below it the unit's rank on that source's metrics is withheld


@dataclass(frozen=True, slots=True)
class PeerBandRequest:
    unit: str
    metric: str
    window: Window
    peers: tuple[str, ...] | None = None
    grain: str = "month"
    rate: str = "per_capita"  # total | per_capita | per_gdp


def pct_change(current: float, base: float, unit: str) -> float | None:
    """Percentage change, or None when the base is too small for a percentage to mean anything."""
    if base is None or abs(base) < MIN_BASE.get(unit, 20):
        return None
    return (current - base) / base * 100.0


def similar_size_peers(unit: str, size: int = 8) -> tuple[str, ...]:
    """The bureau and its nearest neighbours by GDP (log scale), `size` in all."""
    own = get_unit(unit)
    if own.kind != "bureau" or not own.gdp_100m_yuan:
        raise ValueError(f"peer groups are formed of bureaus; {unit} is a {own.kind}")
    others = sorted((abs(math.log(b.gdp_100m_yuan) - math.log(own.gdp_100m_yuan)), b.code)
                    for b in bureaus() if b.code != unit and b.gdp_100m_yuan)
    return (unit, *[code for _, code in others[: size - 1]])


def _rank_of(values: np.ndarray, row: int) -> tuple[np.ndarray, np.ndarray]:
    """Rank (1 = highest, ties share the best) and percentile (ties share the highest) of one row of a
    units x columns table, per column; NaN cells are not ranked. What pandas' rank(method="min" / "max",
    pct=True) gives for that row, without ranking every other row."""
    own = values[row]
    rank = 1.0 + (values > own).sum(axis=0)
    pct = (values <= own).sum(axis=0) / (~np.isnan(values)).sum(axis=0) * 100.0
    return rank, pct


def _median(values: np.ndarray) -> np.ndarray:
    """Per column median, NaN cells left out (np.median is the fast path when there are none)."""
    return np.nanmedian(values, axis=0) if np.isnan(values).any() else np.median(values, axis=0)


def compare(query: MetricsQuery, req: CompareRequest) -> QueryResult:
    """One row per metric: the unit's value, rates, rank and percentile nationally and among peers."""
    if get_unit(req.unit).kind != "bureau":
        raise ValueError(f"comparison is between bureaus; {req.unit} is not a bureau")
    peers = req.peers or similar_size_peers(req.unit)
    if req.unit not in peers:
        peers = (req.unit, *peers)
    with query.connection() as conn:  # the breakdown, the bases and the coverage check on one connection
        now = query.breakdown(BreakdownRequest(req.window, req.metrics, category=req.category)).frame
        # Both bases in one statement: they need no other bureau.
        prev_v, year_v = query.totals_by_window((req.window.previous(), req.window.year_ago()), req.metrics,
                                                unit=req.unit, category=req.category)
        # A bureau that has not reported a month is not a bureau with zero activity: no rank on those metrics.
        sources = {METRICS[m].source_system for m in req.metrics}
        short = metrics_of(short_sources(conn, req.window, req.unit, threshold=req.coverage_threshold,
                                         as_of=None, sources=sources), req.metrics)
    # A breakdown is units x metrics in order, so the three rates reshape to one units x (rate, metric) array
    # and every rank and median is a single vectorised call (plain numpy: 36 rows are too few for pandas).
    metrics = list(req.metrics)
    n = len(metrics)
    codes = now["unit_code"].to_numpy()[::n]
    wide = np.hstack([now[column].to_numpy(dtype="float64").reshape(len(codes), n) for column in RATES.values()])
    own_row = list(codes).index(req.unit)
    in_peers = np.isin(codes, peers)
    ranks, pct = _rank_of(wide, own_row)
    peer_ranks, _ = _rank_of(wide[in_peers], int(np.flatnonzero(codes[in_peers] == req.unit)[0]))
    medians, peer_medians = _median(wide), _median(wide[in_peers])
    own = wide[own_row]
    own_total = dict(zip(metrics, now["value"].to_numpy()[own_row * n:(own_row + 1) * n].tolist()))
    rows = metrics * len(RATES)  # rate-major (every metric for the first rate, then the next): the flat order
    ok = [m not in short for m in rows]

    def withheld(values: np.ndarray) -> np.ndarray:
        return np.array([v if keep else None for v, keep in zip(values.tolist(), ok)], dtype=object)

    frame = pd.DataFrame({
        "metric": rows, "rate": [rate for rate in RATES for _ in metrics], "value": own,
        "rank": withheld(ranks.astype("int64")), "of": len(wide), "percentile": withheld(pct),
        "peer_rank": withheld(peer_ranks.astype("int64")), "peer_of": len(peers),
        "national_median": medians, "peer_median": peer_medians, "gap_to_median": own - medians,
        "previous": [prev_v[m] for m in rows], "year_ago": [year_v[m] for m in rows],
        "pct_vs_previous": [pct_change(own_total[m], prev_v[m], METRICS[m].unit) for m in rows],
        "pct_vs_year_ago": [pct_change(own_total[m], year_v[m], METRICS[m].unit) for m in rows],
        "coverage_ok": ok})
    frame.attrs["peers"] = peers
    return QueryResult(req, frame)


def _quantile(values: np.ndarray, q: float) -> np.ndarray:
    """Per row, the q-quantile of the non-NaN values (linear interpolation): DataFrame.quantile(axis=1)."""
    nan = np.isnan(values)
    if not nan.any():
        return np.quantile(values, q, axis=1) if values.shape[1] else np.full(len(values), np.nan)
    return np.array([np.quantile(row[~gap], q) if (~gap).any() else np.nan for row, gap in zip(values, nan)])


def peer_band(query: MetricsQuery, req: PeerBandRequest) -> QueryResult:
    """The unit's series against the 25th-75th percentile band and median of its peers."""
    peers = req.peers or similar_size_peers(req.unit)
    column = RATES[req.rate]
    codes = list(dict.fromkeys((req.unit, *peers)))
    # Every unit's series in one read (one scope check per unit, one query for all of them).
    wide = query.units_series(UnitsSeriesRequest(req.window, req.metric, req.grain, tuple(codes))).frame
    divisors = []
    for code in codes:
        u = get_unit(code)
        divisors.append({"total": 1.0, "per_capita": (u.population_10k or np.nan) / 1000,
                         "per_gdp": (u.gdp_100m_yuan or np.nan) / 1000}[req.rate])
    # periods x units in plain numpy: the band of 8 units over a few dozen periods is too small for pandas
    rates = wide.to_numpy(dtype="float64") / np.asarray(divisors, dtype="float64")
    band = rates[:, [i for i, c in enumerate(codes) if c in peers]]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "All-NaN slice encountered", RuntimeWarning)
        median = _median(band.T) if band.shape[1] else np.full(len(band), np.nan)
    frame = pd.DataFrame({"period": wide.index.get_level_values("period"),
                          "label": wide.index.get_level_values("label"),
                          "p25": _quantile(band, 0.25), "median": median, "p75": _quantile(band, 0.75),
                          "own": rates[:, codes.index(req.unit)]})
    frame.attrs.update(peers=peers, rate=req.rate, column=column)
    return QueryResult(req, frame)
