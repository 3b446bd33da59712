"""Data quality read models: anomalous bureau-months (robust z-score against the bureau's own history)."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy import BigInteger, Engine, cast, func, select

from metrics.catalog import METRICS
from metrics.models import AggMonth
from metrics.units import bureaus

ANOMALY_Z = 3.5  # Iglewicz & Hoaglin's cut-off for the modified z-score
MIN_HISTORY_MONTHS = 6
# A month of 3 events against a median of 0 is noise, not a reporting problem.
MIN_FLAGGED_VALUE = 10


def monthly_by_bureau(engine: Engine, metrics: list[str], until: dt.date) -> pd.DataFrame:
    codes = [b.code for b in bureaus()]
    q = (select(AggMonth.metric_id, AggMonth.unit_code, AggMonth.month,
                cast(func.sum(AggMonth.value), BigInteger).label("value"))
         .where(AggMonth.metric_id.in_(metrics), AggMonth.unit_code.in_(codes), AggMonth.month <= until)
         .group_by(AggMonth.metric_id, AggMonth.unit_code, AggMonth.month))
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(q).all(), columns=["metric", "unit_code", "month", "value"])


def robust_z(history: np.ndarray, value: float) -> float | None:
    """Modified z-score of `value` against `history`; None when the history is too short or flat."""
    if len(history) < MIN_HISTORY_MONTHS:
        return None
    median = float(np.median(history))
    mad = float(np.median(np.abs(history - median)))
    if mad == 0:
        mad = float(np.mean(np.abs(history - median))) * 1.2533  # fall back to the mean absolute deviation
        if mad == 0:
            return None
        return (value - median) / mad
    return 0.6745 * (value - median) / mad


def anomalies(engine: Engine, metrics: list[str], months: list[dt.date], *, until: dt.date) -> pd.DataFrame:
    """Bureau-months in `months` whose value is far outside the same bureau's earlier months (zeros included).

    Amount metrics are left out: one heavy-tailed case moves them by design (a 900-million-yuan referral is
    news, not a data-quality problem). Counts and people reached are checked.
    """
    metrics = [m for m in metrics if METRICS[m].unit != "yuan"]
    if not metrics:
        return pd.DataFrame(columns=["metric", "unit_code", "month", "value", "median", "z"])
    data = monthly_by_bureau(engine, metrics, until)
    rows = []
    if data.empty:
        return pd.DataFrame(columns=["metric", "unit_code", "month", "value", "median", "z"])
    all_months = sorted(data["month"].unique())
    full = (data.set_index(["metric", "unit_code", "month"])["value"]
            .unstack("month").reindex(columns=all_months, fill_value=0).fillna(0))
    for (metric, unit), series in full.iterrows():
        for month in months:
            if month not in series.index:
                continue
            history = series[[m for m in all_months if m < month]].to_numpy(dtype=float)
            z = robust_z(history, float(series[month]))
            big_enough = max(float(series[month]), float(np.median(history)) if len(history) else 0) >= MIN_FLAGGED_VALUE
            if z is not None and abs(z) >= ANOMALY_Z and big_enough:
                rows.append({"metric": metric, "unit_code": unit, "month": month, "value": int(series[month]),
                             "median": float(np.median(history)), "z": round(z, 2)})
    return pd.DataFrame(rows, columns=["metric", "unit_code", "month", "value", "median", "z"])
