"""Peer comparison: rank, percentile, gap to the national median, change on a fair base."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.catalog import METRICS
from metrics.coverage import DEFAULT_THRESHOLD, uncovered_metrics
from metrics.query import (ALL_METRICS, BreakdownRequest, MetricsQuery, QueryResult, TotalsRequest,
                           UnitsSeriesRequest)
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


def _ranks(wide: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rank (1 = highest, ties share the best) and percentile of every unit, per metric column."""
    return wide.rank(ascending=False, method="min"), wide.rank(pct=True, method="max") * 100.0


def _own_totals(query: MetricsQuery, req: CompareRequest, window: Window) -> pd.Series:
    """The unit's own totals per metric: the previous and year-ago bases need no other bureau."""
    frame = query.totals(TotalsRequest(window, req.metrics, unit=req.unit, category=req.category)).frame
    return pd.Series(frame["value"].to_numpy(), index=frame["metric"])


def compare(query: MetricsQuery, req: CompareRequest) -> QueryResult:
    """One row per metric: the unit's value, rates, rank and percentile nationally and among peers."""
    if get_unit(req.unit).kind != "bureau":
        raise ValueError(f"comparison is between bureaus; {req.unit} is not a bureau")
    peers = req.peers or similar_size_peers(req.unit)
    if req.unit not in peers:
        peers = (req.unit, *peers)
    now = query.breakdown(BreakdownRequest(req.window, req.metrics, category=req.category)).frame
    # A breakdown is units x metrics in order, so the three rates reshape to one units x (rate, metric) table
    # and every rank and median is a single vectorised call.
    metrics = list(req.metrics)
    n = len(metrics)
    codes = now["unit_code"].to_numpy()[::n]
    wide = pd.DataFrame(np.hstack([now[column].to_numpy(dtype="float64").reshape(len(codes), n)
                                   for column in RATES.values()]), index=codes)
    ranks, pct = _ranks(wide)
    in_peers = wide.index.isin(peers)
    peer_ranks, _ = _ranks(wide[in_peers])
    medians, peer_medians = wide.median().to_numpy(), wide[in_peers].median().to_numpy()
    own = wide.loc[req.unit].to_numpy()
    parts = []
    for i, rate in enumerate(RATES):
        cols = slice(i * n, (i + 1) * n)
        parts.append(pd.DataFrame({
            "metric": metrics, "rate": rate, "value": own[cols],
            "rank": ranks.loc[req.unit].to_numpy()[cols].astype("int64"), "of": len(wide),
            "percentile": pct.loc[req.unit].to_numpy()[cols],
            "peer_rank": peer_ranks.loc[req.unit].to_numpy()[cols].astype("int64"), "peer_of": len(peers),
            "national_median": medians[cols], "peer_median": peer_medians[cols],
            "gap_to_median": own[cols] - medians[cols]}))
    frame = pd.concat(parts, ignore_index=True)
    totals = now[now["unit_code"] == req.unit].set_index("metric")["value"]
    prev_v = _own_totals(query, req, req.window.previous())
    year_v = _own_totals(query, req, req.window.year_ago())
    frame["previous"] = frame["metric"].map(prev_v)
    frame["year_ago"] = frame["metric"].map(year_v)
    units = frame["metric"].map(lambda m: METRICS[m].unit)
    frame["pct_vs_previous"] = [pct_change(totals[m], prev_v[m], u) for m, u in zip(frame["metric"], units)]
    frame["pct_vs_year_ago"] = [pct_change(totals[m], year_v[m], u) for m, u in zip(frame["metric"], units)]
    # A bureau that has not reported a month is not a bureau with zero activity: no rank on those metrics.
    short = uncovered_metrics(query.engine, req.window, req.unit, threshold=req.coverage_threshold)
    frame["coverage_ok"] = ~frame["metric"].isin(short)
    for column in ("rank", "percentile", "peer_rank"):
        frame[column] = frame[column].astype(object).where(frame["coverage_ok"], None)
    frame.attrs["peers"] = peers
    return QueryResult(req, frame)


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
    rates = wide / np.asarray(divisors, dtype="float64")
    band = rates[[c for c in codes if c in peers]]
    frame = pd.DataFrame({"p25": band.quantile(0.25, axis=1), "median": band.median(axis=1),
                          "p75": band.quantile(0.75, axis=1), "own": rates[req.unit]})
    frame = frame.reset_index()
    frame.attrs.update(peers=peers, rate=req.rate, column=column)
    return QueryResult(req, frame)
