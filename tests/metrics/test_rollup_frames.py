"""A load that is the only writer of its metrics writes rollups summed from its own facts: they
must equal, row for row, what the database's GROUP BYs make (checked on both backends), and the GROUP BYs must
still run when another source shares a metric in the months a load touches."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from metrics.models import AggDay, AggDayTotal, AggMonth, AggMonthTotal, DailyFact
from metrics.rollup_frames import _sum
from metrics.store import FrameFacts, insert_facts, refresh_rollups, replace_facts, sole_writer, write_rollups
from metrics.units import all_units

D = dt.date
TABLES = (AggDay, AggMonth, AggDayTotal, AggMonthTotal)


def _facts(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    units = np.array(sorted(all_units()))  # bureaus, sub-bureaus and HQ
    days = np.array([D(2024, 1, 20) + dt.timedelta(days=int(d)) for d in range(70)], dtype=object)
    frame = pd.DataFrame({
        "metric_id": rng.choice(["clue_referrals", "clues_identified", "risk_warnings"], n),
        "unit_code": rng.choice(units, n), "day": rng.choice(days, n),
        "category": rng.choice(["", "other", "vehicle_insurance_fraud"], n),
        "value": rng.integers(0, 10**12, n)})
    return frame.drop_duplicates(["metric_id", "unit_code", "day", "category"]).reset_index(drop=True)


def _rows(session) -> dict:
    return {t.__tablename__: sorted(tuple(r) for r in session.execute(select(*t.__table__.columns)))
            for t in TABLES}


def test_rollups_from_the_facts_equal_the_group_bys(store_engine):
    facts = _facts(3000, seed=1)
    window = (D(2024, 1, 20), D(2024, 3, 29))
    with Session(store_engine) as s, s.begin():
        replace_facts(s, source="a", day_from=window[0], day_to=window[1], facts=facts, run_id=None)
        loaded = _rows(s)  # summed here while the database inserted the facts
        metric_ids = sorted(facts["metric_id"].unique())
        assert sole_writer(s, FrameFacts(facts), metric_ids, *window)
        refresh_rollups(s, metric_ids=metric_ids, day_from=window[0], day_to=window[1])
        summed = _rows(s)
        assert loaded == summed
        write_rollups(s, facts=FrameFacts(facts), metric_ids=metric_ids, day_from=window[0], day_to=window[1])
        assert _rows(s) == summed
        assert all(summed.values())


def test_a_shared_metric_is_summed_by_the_database(store_engine):
    window = (D(2024, 1, 20), D(2024, 3, 29))
    other = pd.DataFrame([("clue_referrals", "440100", D(2024, 1, 5), "other", 7)],  # same month, other days
                         columns=["metric_id", "unit_code", "day", "category", "value"])
    facts = _facts(500, seed=2)
    with Session(store_engine) as s, s.begin():
        replace_facts(s, source="b", day_from=D(2024, 1, 1), day_to=D(2024, 1, 10), facts=other, run_id=None)
        replace_facts(s, source="a", day_from=window[0], day_to=window[1], facts=facts, run_id=None)
        assert not sole_writer(s, FrameFacts(facts), sorted(facts["metric_id"].unique()), *window)
        month = s.scalar(select(AggMonth.value).where(AggMonth.metric_id == "clue_referrals",
                                                      AggMonth.unit_code == "440000", AggMonth.month == D(2024, 1, 1),
                                                      AggMonth.category == "other"))
        expect = 7 + int(facts.loc[(facts["metric_id"] == "clue_referrals") & (facts["category"] == "other")
                                   & facts["unit_code"].map(lambda u: u in ("440000", "440100") or
                                                            all_units()[u].parent_code == "440000")
                                   & (facts["day"] < D(2024, 2, 1)), "value"].sum())
        assert month == expect


def test_a_failed_write_leaves_the_facts_and_the_session_usable(store_engine):
    """A write that breaks the primary key fails whole (SQLite stages rows in a temporary table first: it is
    gone afterwards), and the next write in the same session goes through."""
    facts = _facts(200, seed=3)
    window = (D(2024, 1, 20), D(2024, 3, 29))
    with Session(store_engine) as s, s.begin():
        replace_facts(s, source="a", day_from=window[0], day_to=window[1], facts=facts, run_id=None)
        before = _rows(s)
        nested = s.begin_nested()
        with pytest.raises((IntegrityError, store_engine.dialect.dbapi.IntegrityError)):  # the driver's own
            insert_facts(s, source="a", facts=facts.iloc[:5], run_id=None)
        nested.rollback()
        assert _rows(s) == before
        if store_engine.dialect.name == "sqlite":
            assert not s.execute(text("SELECT name FROM sqlite_temp_master")).all()
        replace_facts(s, source="a", day_from=window[0], day_to=window[1], facts=facts.iloc[:100], run_id=None)
        assert s.scalar(select(func.count()).select_from(DailyFact)) == 100
        assert _rows(s) != before


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2**20), st.integers(0, 2**40),
                          st.integers(-10**15, 10**15)), max_size=60))
def test_sums_by_packed_keys_equal_a_groupby(rows):
    """Narrow keys are packed into one int64, wide ones (here 1+21+41 bits) grouped by pandas: both exact."""
    for narrow in (True, False):
        keys = [np.array([r[i] for r in rows], dtype=np.int64) for i in range(3)]
        if narrow:
            keys = [k % 1000 for k in keys]
        values = np.array([r[3] for r in rows], dtype=np.int64)
        expected: dict = {}
        for *key, value in zip(*keys, values):
            expected[tuple(int(k) for k in key)] = expected.get(tuple(int(k) for k in key), 0) + int(value)
        summed_keys, sums = _sum(keys, values)
        assert dict(zip(zip(*(k.tolist() for k in summed_keys)), sums.tolist())) == expected
        assert len(sums) == len(expected)
