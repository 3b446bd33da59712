"""The store and the query API behave the same on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from metrics.api import (SYSTEM, AccessDenied, BreakdownRequest, CompareRequest, MetricsQuery, Principal, SeriesRequest,
                         TotalsRequest, Window)
from metrics.models import AggDay, AggMonth, DailyFact, ReportingUnit, UnitAlias
from metrics.store import replace_facts

D = dt.date


def facts(*rows):
    return pd.DataFrame(rows, columns=["metric_id", "unit_code", "day", "category", "value"])


def load(engine, source, day_from, day_to, frame):
    with Session(engine) as s, s.begin():
        replace_facts(s, source=source, day_from=day_from, day_to=day_to, facts=frame, run_id=None)


def test_reference_data_is_synced(store_engine):
    with Session(store_engine) as s:
        kinds = dict(s.execute(select(ReportingUnit.kind, func.count()).group_by(ReportingUnit.kind)).all())
        assert kinds["bureau"] == 36 and kinds["hq"] == 1 and kinds["sub_bureau"] > 250
        assert s.get(UnitAlias, "广东金融监管局").code == "440000"
        assert s.get(UnitAlias, "粤").alias_kind == "abbreviation"


def test_totals_combine_months_and_edge_days(store_engine):
    load(store_engine, "s", D(2024, 1, 1), D(2024, 3, 31), facts(
        ("clue_referrals", "440100", D(2024, 1, 15), "other", 3),   # sub-bureau of Guangdong
        ("clue_referrals", "440000", D(2024, 2, 1), "other", 5),    # the bureau itself
        ("clue_referrals", "440300", D(2024, 2, 10), "other", 7),   # Shenzhen is its own bureau
        ("clue_referrals", "000000", D(2024, 3, 30), "", 11),       # HQ
        ("clue_referral_amount", "440100", D(2024, 1, 15), "other", 12_345_678_901),
    ))
    q = MetricsQuery(store_engine, SYSTEM)
    nation = q.totals(TotalsRequest(Window(D(2024, 1, 10), D(2024, 3, 30)))).frame.set_index("metric")
    assert nation.loc["clue_referrals", "value"] == 26
    assert nation.loc["clue_referral_amount", "value"] == 12_345_678_901  # exact integer, no float
    gd = q.totals(TotalsRequest(Window(D(2024, 1, 1), D(2024, 2, 1)), unit="440000")).frame.set_index("metric")
    assert gd.loc["clue_referrals", "value"] == 8
    gz = q.totals(TotalsRequest(Window(D(2024, 1, 15), D(2024, 1, 15)), unit="440100")).frame
    assert gz.set_index("metric").loc["clue_referrals", "value"] == 3
    edge = q.totals(TotalsRequest(Window(D(2024, 1, 16), D(2024, 3, 29)), unit="440000")).frame
    assert edge.set_index("metric").loc["clue_referrals", "value"] == 5


def test_restating_replaces_and_deletes(store_engine):
    load(store_engine, "s", D(2024, 1, 1), D(2024, 1, 31), facts(
        ("clue_referrals", "440100", D(2024, 1, 5), "other", 3),
        ("clue_referrals", "110000", D(2024, 1, 6), "other", 4)))
    load(store_engine, "s", D(2024, 1, 1), D(2024, 1, 31), facts(
        ("clue_referrals", "440100", D(2024, 1, 5), "other", 9)))
    with Session(store_engine) as s:
        assert s.scalar(select(func.count()).select_from(DailyFact)) == 1
        months = {(r.unit_code, r.value) for r in s.scalars(select(AggMonth))}
        assert months == {("440100", 9), ("440000", 9), ("CN", 9)}
        assert {(r.unit_code, r.value) for r in s.scalars(select(AggDay))} == {("440000", 9), ("CN", 9)}


def test_series_grains_and_cumulative(store_engine):
    load(store_engine, "s", D(2024, 1, 1), D(2024, 6, 30), facts(
        ("risk_warnings", "110000", D(2024, 1, 31), "", 1),
        ("risk_warnings", "110000", D(2024, 2, 1), "", 2),
        ("risk_warnings", "120000", D(2024, 5, 20), "", 4)))
    q = MetricsQuery(store_engine, SYSTEM)
    w = Window(D(2024, 1, 15), D(2024, 6, 30))
    monthly = q.series(SeriesRequest(w, ("risk_warnings",), "month")).frame
    assert list(monthly["value"]) == [1, 2, 0, 0, 4, 0]
    quarterly = q.series(SeriesRequest(w, ("risk_warnings",), "quarter", cumulative=True)).frame
    assert list(quarterly["label"]) == ["2024Q1", "2024Q2"] and list(quarterly["value"]) == [3, 7]
    weekly = q.series(SeriesRequest(w, ("risk_warnings",), "week")).frame
    assert weekly["value"].sum() == 7 and len(weekly) == 24 and weekly["value"].iloc[2] == 3


def test_breakdown_and_scoping(store_engine):
    load(store_engine, "s", D(2024, 1, 1), D(2024, 1, 31), facts(
        ("clues_identified", "440100", D(2024, 1, 5), "other", 3),
        ("clues_identified", "440200", D(2024, 1, 6), "other", 4)))
    w = Window(D(2024, 1, 1), D(2024, 1, 31))
    q = MetricsQuery(store_engine, SYSTEM)
    bureaus = q.breakdown(BreakdownRequest(w, ("clues_identified",))).frame.set_index("unit_code")
    assert len(bureaus) == 36 and bureaus.loc["440000", "value"] == 7
    assert bureaus.loc["440000", "per_10m_residents"] == pytest.approx(7 / (bureaus.loc["440000", "population_10k"] / 1000))
    subs = q.breakdown(BreakdownRequest(w, ("clues_identified",), level="sub_bureau", parent="440000")).frame
    assert subs.set_index("unit_code").loc["440200", "value"] == 4
    other = q.as_principal(Principal("bj", "bureau", "110000"))
    with pytest.raises(AccessDenied):
        other.breakdown(BreakdownRequest(w, ("clues_identified",), level="sub_bureau", parent="440000"))
    with pytest.raises(AccessDenied):
        other.totals(TotalsRequest(w, unit="440100"))
    assert other.breakdown(BreakdownRequest(w, ("clues_identified",))).frame["value"].sum() == 7


def test_compare_ranks_and_tiny_base(store_engine):
    rows = [("clue_referrals", code, D(2024, 4, 1), "other", v)
            for code, v in [("440000", 50), ("320000", 40), ("330000", 30), ("540000", 1)]]
    rows += [("clue_referrals", "440000", D(2024, 1, 1), "other", 25), ("clue_referrals", "540000", D(2024, 1, 1), "other", 2)]
    load(store_engine, "s", D(2024, 1, 1), D(2024, 6, 30), facts(*rows))
    q = MetricsQuery(store_engine, SYSTEM)
    frame = q.compare(CompareRequest("440000", Window.quarter("2024Q2"), metrics=("clue_referrals",))).frame
    total = frame[frame["rate"] == "total"].iloc[0]
    assert total["rank"] == 1 and total["of"] == 36 and total["percentile"] == 100.0
    assert total["previous"] == 25 and total["pct_vs_previous"] == pytest.approx(100.0)
    xz = q.compare(CompareRequest("540000", Window.quarter("2024Q2"), metrics=("clue_referrals",))).frame
    assert xz[xz["rate"] == "total"].iloc[0]["pct_vs_previous"] is None  # base of 2 is too small
