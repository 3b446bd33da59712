"""The category-summed rollups always equal the per-category rollups, through loads and restatements."""
from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from metrics.api import SYSTEM, BreakdownRequest, MetricsQuery, SeriesRequest, TotalsRequest, Window
from metrics.models import AggDay, AggDayTotal, AggMonth, AggMonthTotal
from metrics.store import read_generation, replace_facts

D = dt.date


def _load(engine, rows, day_from=D(2024, 1, 1), day_to=D(2024, 3, 31)):
    frame = pd.DataFrame(rows, columns=["metric_id", "unit_code", "day", "category", "value"])
    with Session(engine) as s, s.begin():
        replace_facts(s, source="s", day_from=day_from, day_to=day_to, facts=frame, run_id=None)


def _grouped(session, table, date_col):
    q = select(table.metric_id, table.unit_code, date_col, func.sum(table.value)).group_by(
        table.metric_id, table.unit_code, date_col)
    return {tuple(r[:3]): int(r[3]) for r in session.execute(q)}


def _assert_totals_match(engine):
    with Session(engine) as s:
        assert _grouped(s, AggDay, AggDay.day) == _grouped(s, AggDayTotal, AggDayTotal.day)
        assert _grouped(s, AggMonth, AggMonth.month) == _grouped(s, AggMonthTotal, AggMonthTotal.month)


def test_totals_follow_loads_and_restatements(store_engine):
    _load(store_engine, [
        ("clue_referrals", "440100", D(2024, 1, 15), "other", 3),
        ("clue_referrals", "440100", D(2024, 1, 15), "vehicle_insurance_fraud", 4),
        ("clue_referrals", "440000", D(2024, 2, 1), "other", 5),
        ("risk_warnings", "000000", D(2024, 3, 30), "", 11)])
    _assert_totals_match(store_engine)
    q = MetricsQuery(store_engine, SYSTEM)
    w = Window(D(2024, 1, 10), D(2024, 3, 30))
    by_cat = q.series(SeriesRequest(w, ("clue_referrals",), "month", split_by="category")).frame
    plain = q.series(SeriesRequest(w, ("clue_referrals",), "month")).frame
    assert by_cat.groupby("period")["value"].sum().tolist() == plain["value"].tolist() == [7, 5, 0]
    with store_engine.connect() as conn:
        first = read_generation(conn)
    _load(store_engine, [("clue_referrals", "440100", D(2024, 1, 15), "other", 9)])
    _assert_totals_match(store_engine)
    with store_engine.connect() as conn:
        assert read_generation(conn) != first  # a load retires cached answers
    gd = q.breakdown(BreakdownRequest(Window(D(2024, 1, 1), D(2024, 3, 31)), ("clue_referrals",)))
    assert gd.frame.set_index("unit_code").loc["440000", "value"] == 9
    nation = q.totals(TotalsRequest(Window(D(2024, 1, 1), D(2024, 3, 31)), ("clue_referrals", "risk_warnings")))
    assert nation.frame.set_index("metric")["value"].to_dict() == {"clue_referrals": 9, "risk_warnings": 0}


def test_load_cache_is_larger_during_a_load_and_restored_after(tmp_path):
    from metrics.db import make_engine
    from metrics.store import load_cache

    engine = make_engine(f"sqlite:///{tmp_path / 'cache.sqlite'}")
    with Session(engine) as session, session.begin():
        before = session.connection().exec_driver_sql("PRAGMA cache_size").scalar()
        with load_cache(session, mib=64):
            assert session.connection().exec_driver_sql("PRAGMA cache_size").scalar() == -64 * 1024
        assert session.connection().exec_driver_sql("PRAGMA cache_size").scalar() == before != -64 * 1024
