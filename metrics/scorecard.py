"""A fair scorecard: a composite standing of the 36 bureaus over declared, weighted indicators.

Each indicator's values are scaled to 0-100 across the bureaus (between two declared percentiles, so one
outlier does not squash everyone else), then weighted; a bureau's contributions add up to its score. An
indicator a bureau has no value for (no target set) is left out and its other weights scaled up, so the
score stays on 0-100. A bureau whose reporting on an indicator's source is below the coverage threshold
keeps its score but gets no rank, as in the peer comparison.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from sqlalchemy import Engine

from metrics.access import SYSTEM, Principal
from metrics.catalog import METRICS
from metrics.coverage import below_coverage, metrics_of
from metrics.query import MetricsQuery
from metrics.requests import BreakdownRequest
from metrics.target_status import target_status
from metrics.units import bureaus
from metrics.windows import CAMPAIGN_START, Window

CONFIG_PATH = Path(__file__).with_name("scorecard.yaml")
BASES = {"total": "value", "per_10m_residents": "per_10m_residents", "per_100b_gdp": "per_100b_gdp",
         "attainment": None}
WINDOWS = ("year_to_date", "campaign_to_date")
CONTRIBUTION_COLUMNS = ["unit_code", "indicator", "metric", "basis", "weight", "value", "scaled", "contribution"]
BUREAU_COLUMNS = ["unit_code", "name_zh", "name_en", "score", "rank", "ranked_of", "withheld_metrics",
                  "move_indicator", "move_to_value", "move_needed", "move_rank"]


class ScorecardConfigError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Indicator:
    metric: str
    basis: str
    weight: float

    @property
    def id(self) -> str:
        return f"{self.metric}:{self.basis}"


@dataclass(frozen=True, slots=True)
class ScorecardConfig:
    indicators: tuple[Indicator, ...]
    window: str = "year_to_date"
    low_percentile: float = 5
    high_percentile: float = 95
    coverage_threshold: float = 0.9

    def window_for(self, as_of: dt.date) -> Window:
        return Window(dt.date(as_of.year, 1, 1) if self.window == "year_to_date" else CAMPAIGN_START, as_of)


def parse_config(data: dict, origin: str = "scorecard") -> ScorecardConfig:
    indicators = []
    for i, item in enumerate(data.get("indicators") or []):
        metric, basis, weight = item.get("metric"), item.get("basis"), item.get("weight")
        if metric not in METRICS:
            raise ScorecardConfigError(f"{origin}: indicators[{i}].metric '{metric}' is not in the catalog")
        if basis not in BASES:
            raise ScorecardConfigError(f"{origin}: indicators[{i}].basis '{basis}' is not one of {', '.join(BASES)}")
        if not isinstance(weight, (int, float)) or weight <= 0:
            raise ScorecardConfigError(f"{origin}: indicators[{i}].weight must be a positive number")
        indicators.append(Indicator(metric, basis, float(weight)))
    if not indicators:
        raise ScorecardConfigError(f"{origin}: no indicators")
    if len({x.id for x in indicators}) != len(indicators):
        raise ScorecardConfigError(f"{origin}: an indicator (metric and basis) is declared twice")
    if abs(sum(x.weight for x in indicators) - 1.0) > 1e-6:
        raise ScorecardConfigError(f"{origin}: weights add up to {sum(x.weight for x in indicators):g}, not 1")
    if data.get("window", "year_to_date") not in WINDOWS:
        raise ScorecardConfigError(f"{origin}: window must be one of {', '.join(WINDOWS)}")
    scale = data.get("scale") or {}
    return ScorecardConfig(tuple(indicators), data.get("window", "year_to_date"),
                           float(scale.get("low_percentile", 5)), float(scale.get("high_percentile", 95)),
                           float(data.get("coverage_threshold", 0.9)))


@cache
def load_config(path: Path = CONFIG_PATH) -> ScorecardConfig:
    with open(path, encoding="utf-8") as fh:
        return parse_config(yaml.safe_load(fh) or {}, str(path))


@dataclass(frozen=True, slots=True)
class Scorecard:
    as_of: dt.date
    window: Window
    config: ScorecardConfig
    bureaus: pd.DataFrame  # BUREAU_COLUMNS, best score first
    contributions: pd.DataFrame  # CONTRIBUTION_COLUMNS

    def to_records(self) -> list[dict]:
        """Per bureau: score, rank, contributions and the move that would change its rank most (JSON-ready)."""
        parts = {code: g for code, g in self.contributions.groupby("unit_code")}
        out = []
        for row in self.bureaus.itertuples(index=False):
            g = parts[row.unit_code]
            out.append({
                "unit_code": row.unit_code, "name_zh": row.name_zh, "name_en": row.name_en,
                "score": round(float(row.score), 4), "rank": None if pd.isna(row.rank) else int(row.rank),
                "ranked_of": int(row.ranked_of), "rank_withheld_for": list(row.withheld_metrics),
                "contributions": [{"indicator": c.indicator, "weight": round(float(c.weight), 4),
                                   "value": None if pd.isna(c.value) else float(c.value),
                                   "scaled": None if pd.isna(c.scaled) else round(float(c.scaled), 4),
                                   "contribution": round(float(c.contribution), 4)}
                                  for c in g.itertuples(index=False)],
                "best_move": None if not isinstance(row.move_indicator, str) else {
                    "indicator": row.move_indicator, "reach_value": float(row.move_to_value),
                    "needed": float(row.move_needed), "rank_after": int(row.move_rank)}})
        return out


def _scale(values: np.ndarray, low: float, high: float) -> tuple[np.ndarray, float, float]:
    known = values[~np.isnan(values)]
    if not len(known):
        return np.full(len(values), np.nan), 0.0, 0.0
    lo, hi = np.percentile(known, low), np.percentile(known, high)
    if hi <= lo:
        return np.where(np.isnan(values), np.nan, 50.0), float(lo), float(hi)
    return np.clip((values - lo) / (hi - lo), 0, 1) * 100, float(lo), float(hi)


def _indicator_values(engine: Engine, principal: Principal, config: ScorecardConfig, window: Window,
                      as_of: dt.date, codes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """bureaus x indicators: each indicator's value, and what one unit of it costs in the metric's own units."""
    metrics = tuple(sorted({x.metric for x in config.indicators if x.basis != "attainment"}))
    frame = MetricsQuery(engine, principal).breakdown(BreakdownRequest(window, metrics)).frame if metrics else None
    # The attainment of every bureau is part of the standing; the targets themselves stay scoped (a bureau
    # reads only the ratio of others, never their targets).
    attained = sorted({x.metric for x in config.indicators if x.basis == "attainment"})
    status = pd.concat([target_status(engine, SYSTEM, as_of=as_of, metric=m) for m in attained]) if attained \
        else pd.DataFrame(columns=["metric", "unit_code", "ratio_to_expected", "expected"])
    values = np.full((len(codes), len(config.indicators)), np.nan)
    per_unit = np.ones_like(values)
    at = {c: i for i, c in enumerate(codes)}
    for j, ind in enumerate(config.indicators):
        if ind.basis == "attainment":
            for s in status[status["metric"] == ind.metric].itertuples(index=False):
                if s.unit_code in at and s.ratio_to_expected is not None and not pd.isna(s.ratio_to_expected):
                    values[at[s.unit_code], j] = s.ratio_to_expected
                    per_unit[at[s.unit_code], j] = s.expected
            continue
        part = frame[frame["metric"] == ind.metric]
        for code, v, pop, gdp in zip(part["unit_code"], part[BASES[ind.basis]], part["population_10k"],
                                     part["gdp_100m_yuan"]):
            values[at[code], j] = v
            per_unit[at[code], j] = {"total": 1.0, "per_10m_residents": pop / 1000, "per_100b_gdp": gdp / 1000}[ind.basis]
    return values, per_unit


def _ranks(scores: np.ndarray, ranked: np.ndarray) -> np.ndarray:
    out = np.full(len(scores), np.nan)
    for i in np.flatnonzero(ranked):
        out[i] = 1 + int((scores[ranked] > scores[i] + 1e-9).sum())
    return out


def scorecard(engine: Engine, principal: Principal, *, as_of: dt.date,
              config: ScorecardConfig | None = None) -> Scorecard:
    config = config or load_config()
    window = config.window_for(as_of)
    units = bureaus()
    codes = [u.code for u in units]
    values, per_unit = _indicator_values(engine, principal, config, window, as_of, codes)
    scaled = np.empty_like(values)
    bounds = []
    for j in range(values.shape[1]):
        scaled[:, j], lo, hi = _scale(values[:, j], config.low_percentile, config.high_percentile)
        bounds.append((lo, hi))
    weights = np.array([x.weight for x in config.indicators])
    present = ~np.isnan(scaled)
    eff_w = np.where(present, weights, 0.0)
    eff_w = eff_w / np.where(eff_w.sum(axis=1, keepdims=True) > 0, eff_w.sum(axis=1, keepdims=True), 1)
    contrib = np.where(present, eff_w * np.nan_to_num(scaled), 0.0)
    scores = contrib.sum(axis=1)
    short = below_coverage(engine, window, threshold=config.coverage_threshold, as_of=as_of)
    wanted = tuple(sorted({x.metric for x in config.indicators}))
    withheld = [sorted(metrics_of({s for s, bad in short.items() if code in bad}, wanted)) for code in codes]
    ranked = np.array([not w for w in withheld])
    ranks = _ranks(scores, ranked)
    moves = [_best_move(i, scores, ranked, values, scaled, eff_w, per_unit, bounds, config) if ranked[i]
             else (None, np.nan, np.nan, np.nan) for i in range(len(codes))]
    table = pd.DataFrame({"unit_code": codes, "name_zh": [u.name_zh for u in units],
                          "name_en": [u.name_en for u in units], "score": scores, "rank": ranks,
                          "ranked_of": int(ranked.sum()), "withheld_metrics": withheld,
                          "move_indicator": [m[0] for m in moves], "move_to_value": [m[1] for m in moves],
                          "move_needed": [m[2] for m in moves], "move_rank": [m[3] for m in moves]},
                         columns=BUREAU_COLUMNS)
    table = table.sort_values(["score", "unit_code"], ascending=[False, True], kind="stable").reset_index(drop=True)
    long = pd.DataFrame([{"unit_code": code, "indicator": ind.id, "metric": ind.metric, "basis": ind.basis,
                          "weight": eff_w[i, j], "value": values[i, j], "scaled": scaled[i, j],
                          "contribution": contrib[i, j]}
                         for i, code in enumerate(codes) for j, ind in enumerate(config.indicators)],
                        columns=CONTRIBUTION_COLUMNS)
    return Scorecard(as_of, window, config, table, long)


def _best_move(i, scores, ranked, values, scaled, eff_w, per_unit, bounds, config):
    """The indicator whose rise to the top-quarter level (or, above it, to the top of the scale) would lift
    the bureau most places: (indicator, value to reach, how much more in the metric's units, rank after)."""
    best = (None, np.nan, np.nan, np.nan)
    current = 1 + int((scores[ranked] > scores[i] + 1e-9).sum())
    for j, ind in enumerate(config.indicators):
        if np.isnan(values[i, j]) or scaled[i, j] >= 100:
            continue
        column = values[:, j][~np.isnan(values[:, j])]
        reach = float(np.percentile(column, 75))
        if values[i, j] >= reach:
            reach = bounds[j][1]
        lo, hi = bounds[j]
        new_scaled = 50.0 if hi <= lo else min(max((reach - lo) / (hi - lo), 0), 1) * 100
        new_score = scores[i] + eff_w[i, j] * (new_scaled - scaled[i, j])
        others = ranked.copy()
        others[i] = False
        rank_after = 1 + int((scores[others] > new_score + 1e-9).sum())
        needed = (reach - values[i, j]) * per_unit[i, j]
        if rank_after < current and (best[0] is None or rank_after < best[3]):
            best = (ind.id, reach, needed, rank_after)
    return best
