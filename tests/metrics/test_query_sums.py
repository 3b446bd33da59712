"""The query API's sums equal the same sums taken straight from the loaded facts, for random requests.

Random facts (units of every kind, categories, days around month edges) go in through the store's own load
path; every answer is then checked against pandas over the facts frame. This covers how a window is cut into
whole months, edge days and whole months minus the days outside (metrics.window_parts).
"""
from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pandas as pd
import pytest
from sqlalchemy.orm import Session

from metrics.api import (SYSTEM, ALL_METRICS, CATEGORIES, BreakdownRequest, MetricsQuery, SeriesRequest, TotalsRequest,
                         Window, bureaus, children)
from metrics.requests import UnitsSeriesRequest
from metrics.store import replace_facts
from metrics.units import all_units
from metrics.period_grid import period_start

FIRST, LAST = dt.date(2024, 1, 1), dt.date(2024, 9, 30)
UNITS = all_units()
BUREAU_OF = {c: (u.parent_code if u.kind == "sub_bureau" else c) for c, u in UNITS.items()}


def _facts(seed: int = 7, n: int = 4000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    codes = np.array(sorted(UNITS))
    frame = pd.DataFrame({
        "metric_id": rng.choice(np.array(ALL_METRICS[:6]), n),
        "unit_code": rng.choice(codes, n),
        "day": [FIRST + dt.timedelta(days=int(d)) for d in rng.integers(0, (LAST - FIRST).days + 1, n)],
        "category": rng.choice(np.array(["", *list(CATEGORIES)[:3]]), n),
        "value": rng.integers(1, 1000, n),
    })
    return frame.groupby(["metric_id", "unit_code", "day", "category"], as_index=False)["value"].sum()


@pytest.fixture(scope="module")
def loaded(module_store_engine):
    facts = _facts()
    with Session(module_store_engine) as s, s.begin():
        replace_facts(s, source="s", day_from=FIRST, day_to=LAST, facts=facts, run_id=None)
    facts["bureau"] = facts["unit_code"].map(BUREAU_OF)
    facts["day"] = pd.to_datetime(facts["day"])
    return MetricsQuery(module_store_engine, SYSTEM), facts


def _windows(n: int, seed: int):
    rng = random.Random(seed)
    for _ in range(n):
        start = FIRST - dt.timedelta(days=20) + dt.timedelta(days=rng.randint(0, 300))
        yield Window(start, start + dt.timedelta(days=rng.choice([0, 1, rng.randint(2, 45), rng.randint(20, 300)])))


def _in(facts: pd.DataFrame, window: Window, unit: str | None = None, category: str | None = None):
    rows = facts[(facts["day"] >= pd.Timestamp(window.start)) & (facts["day"] <= pd.Timestamp(window.end))]
    if unit is not None:
        rows = rows[rows["unit_code"] == unit] if UNITS[unit].kind == "sub_bureau" else rows[rows["bureau"] == unit]
    return rows if category is None else rows[rows["category"] == category]


def test_totals_and_breakdowns_match_the_facts(loaded):
    query, facts = loaded
    rng = random.Random(1)
    for window in _windows(60, seed=2):
        unit = rng.choice([None, "440000", "440100", "110000", "000000"])
        category = rng.choice([None, None, "", list(CATEGORIES)[0]])
        metrics = tuple(rng.sample(ALL_METRICS[:6], 3))
        got = query.totals(TotalsRequest(window, metrics, unit=unit, category=category)).frame
        want = _in(facts, window, unit, category).groupby("metric_id")["value"].sum()
        assert got.set_index("metric")["value"].to_dict() == {m: int(want.get(m, 0)) for m in metrics}, window
        level, parent = rng.choice([("bureau", None), ("sub_bureau", "440000"), ("sub_bureau", "320000")])
        got = query.breakdown(BreakdownRequest(window, metrics, level=level, parent=parent, category=category)).frame
        key = "bureau" if level == "bureau" else "unit_code"
        want = _in(facts, window, category=category).groupby([key, "metric_id"])["value"].sum()
        codes = [b.code for b in bureaus()] if level == "bureau" else [c.code for c in children(parent)]
        assert {(r.unit_code, r.metric): r.value for r in got.itertuples()} == {
            (c, m): int(want.get((c, m), 0)) for c in codes for m in metrics}, (window, level)


@pytest.mark.parametrize("grain", ["day", "week", "month", "quarter", "year"])
def test_series_match_the_facts(loaded, grain):
    query, facts = loaded
    rng = random.Random(grain)
    for window in _windows(25, seed=3):
        unit = rng.choice([None, "440000", "440100"])
        split = rng.choice(["metric", "category"])
        metrics = tuple(rng.sample(ALL_METRICS[:6], 2))
        got = query.series(SeriesRequest(window, metrics, grain, unit=unit, split_by=split)).frame
        rows = _in(facts, window, unit)
        rows = rows[rows["metric_id"].isin(metrics)].assign(period=lambda f: period_start(f["day"], grain))
        keys = ["metric_id"] + (["category"] if split == "category" else [])
        want = {k: v for k, v in rows.groupby(keys + ["period"])["value"].sum().items()}
        got_keys = ["metric"] + (["category"] if split == "category" else [])
        nonzero = {tuple(r[:-1]): r[-1] for r in got[got_keys + ["period", "value"]].itertuples(index=False, name=None)
                   if r[-1]}
        assert nonzero == {k: int(v) for k, v in want.items() if v}, (window, grain, split)


def test_units_series_match_the_facts(loaded):
    query, facts = loaded
    codes = ("440000", "110000", "440100", "320000")
    for window in _windows(20, seed=4):
        for grain in ("week", "month", "quarter"):
            got = query.units_series(UnitsSeriesRequest(window, ALL_METRICS[0], grain, codes)).frame
            for code in codes:
                rows = _in(facts, window, code)
                rows = rows[rows["metric_id"] == ALL_METRICS[0]]
                want = rows.groupby(period_start(rows["day"], grain))["value"].sum()
                column = got[code].droplevel("label")
                assert {p: int(v) for p, v in column.items() if v} == {p: int(v) for p, v in want.items()}, (
                    window, grain, code)
