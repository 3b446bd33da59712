"""Peer comparison: rank, percentile, gap to the national median, change on a fair base."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.catalog import METRICS
from metrics.coverage import DEFAULT_THRESHOLD, uncovered_metrics
from metrics.query import ALL_METRICS, BreakdownRequest, MetricsQuery, QueryResult, SeriesRequest
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


def _ranked(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    g = frame.groupby("metric")[column]
    return pd.DataFrame({
        "rank": g.rank(ascending=False, method="min"),
        "percentile": g.rank(pct=True, method="max") * 100.0,
    })


def compare(query: MetricsQuery, req: CompareRequest) -> QueryResult:
    """One row per metric: the unit's value, rates, rank and percentile nationally and among peers."""
    if get_unit(req.unit).kind != "bureau":
        raise ValueError(f"comparison is between bureaus; {req.unit} is not a bureau")
    peers = req.peers or similar_size_peers(req.unit)
    if req.unit not in peers:
        peers = (req.unit, *peers)
    now, prev, year = (query.breakdown(BreakdownRequest(w, req.metrics, category=req.category)).frame
                       for w in (req.window, req.window.previous(), req.window.year_ago()))
    rows = []
    for rate, column in RATES.items():
        ranks = _ranked(now, column)
        peer_rows = now[now["unit_code"].isin(peers)]
        peer_ranks = _ranked(peer_rows, column)
        medians = now.groupby("metric")[column].median()
        peer_medians = peer_rows.groupby("metric")[column].median()
        own = now[now["unit_code"] == req.unit].set_index("metric")
        own_idx = now.index[now["unit_code"] == req.unit]
        for idx, (metric, r) in zip(own_idx, own.iterrows()):
            rows.append({"metric": metric, "rate": rate, "value": r[column],
                         "rank": int(ranks.loc[idx, "rank"]), "of": int(now["unit_code"].nunique()),
                         "percentile": ranks.loc[idx, "percentile"],
                         "peer_rank": int(peer_ranks.loc[idx, "rank"]), "peer_of": len(peers),
                         "national_median": medians[metric], "peer_median": peer_medians[metric],
                         "gap_to_median": r[column] - medians[metric]})
    frame = pd.DataFrame(rows)
    totals = now[now["unit_code"] == req.unit].set_index("metric")["value"]
    prev_v = prev[prev["unit_code"] == req.unit].set_index("metric")["value"]
    year_v = year[year["unit_code"] == req.unit].set_index("metric")["value"]
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
    series = []
    for code in dict.fromkeys((req.unit, *peers)):
        s = query.series(SeriesRequest(req.window, (req.metric,), req.grain, unit=code)).frame
        u = get_unit(code)
        divisor = {"total": 1.0, "per_capita": (u.population_10k or np.nan) / 1000,
                   "per_gdp": (u.gdp_100m_yuan or np.nan) / 1000}[req.rate]
        series.append(s.assign(unit_code=code, rate_value=s["value"] / divisor))
    long = pd.concat(series, ignore_index=True)
    band = long[long["unit_code"].isin(peers)].groupby(["period", "label"])["rate_value"]
    frame = pd.DataFrame({"p25": band.quantile(0.25), "median": band.median(), "p75": band.quantile(0.75)})
    own = long[long["unit_code"] == req.unit].set_index(["period", "label"])["rate_value"]
    frame["own"] = own
    frame = frame.reset_index()
    frame.attrs.update(peers=peers, rate=req.rate, column=column)
    return QueryResult(req, frame)
