from __future__ import annotations

import datetime as dt

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from metrics.quality import anomalies, robust_z, robust_z_rows
from metrics.store import replace_facts


def test_robust_z():
    assert robust_z(np.array([10, 11, 9, 10, 12, 10]), 10) == 0
    assert robust_z(np.array([10, 11, 9, 10, 12, 10]), 60) > 10
    assert robust_z(np.array([10, 11]), 60) is None  # too little history


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 12).flatmap(lambda months: st.lists(
    st.tuples(st.lists(st.integers(0, 60), min_size=months, max_size=months), st.integers(0, 200)),
    min_size=1, max_size=8)))
def test_many_series_at_once_score_as_one_at_a_time(series):
    """Flat histories, a flat history with one step (MAD 0, mean deviation not), short ones: the same as
    robust_z row by row."""
    history = np.array([h for h, _ in series], dtype=float)
    values = np.array([v for _, v in series], dtype=float)
    z, median = robust_z_rows(history, values)
    for row, (h, v) in enumerate(series):
        one = robust_z(h, v)
        assert (one is None) == math.isnan(z[row]), (h, v, one, z[row])
        assert one is None or math.isclose(one, z[row], rel_tol=1e-9, abs_tol=1e-9)
        assert median[row] == float(np.median(h))


def test_spike_is_flagged(store_engine):
    rows = [("education_events", "110000", dt.date(2024, m, 5), "", v)
            for m, v in zip(range(1, 10), [10, 12, 9, 11, 10, 12, 11, 10, 90])]
    rows += [("education_events", "120000", dt.date(2024, m, 5), "", 10 + m % 2) for m in range(1, 10)]
    facts = pd.DataFrame(rows, columns=["metric_id", "unit_code", "day", "category", "value"])
    with Session(store_engine) as s, s.begin():
        replace_facts(s, source="t", day_from=dt.date(2024, 1, 1), day_to=dt.date(2024, 9, 30), facts=facts, run_id=None)
    found = anomalies(store_engine, ["education_events"], [dt.date(2024, 9, 1)], until=dt.date(2024, 9, 30))
    assert list(found["unit_code"]) == ["110000"] and found["value"].iloc[0] == 90


def test_amounts_and_tiny_counts_are_not_flagged(store_engine):
    rows = [("clue_referral_amount", "110000", dt.date(2024, m, 5), "", 10_000 if m < 9 else 900_000_000)
            for m in range(1, 10)]
    rows += [("media_reports", "120000", dt.date(2024, m, 5), "", 0 if m < 9 else 4) for m in range(1, 10)]
    facts = pd.DataFrame(rows, columns=["metric_id", "unit_code", "day", "category", "value"])
    with Session(store_engine) as s, s.begin():
        replace_facts(s, source="t", day_from=dt.date(2024, 1, 1), day_to=dt.date(2024, 9, 30), facts=facts, run_id=None)
    found = anomalies(store_engine, ["clue_referral_amount", "media_reports"], [dt.date(2024, 9, 1)],
                      until=dt.date(2024, 9, 30))
    assert found.empty
