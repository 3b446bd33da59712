"""Reporting coverage over the demo: a missing monthly spreadsheet is "not reported", not zero; its bureau's
rank is withheld and marked; the briefing names it; re-running the ETL leaves the record tables unchanged."""
from __future__ import annotations

import datetime as dt
import os

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from briefing.coverage_text import coverage_notes
from etl.jobs import run_sources
from metrics.api import SYSTEM, AccessDenied, CompareRequest, MetricsQuery, Principal, TotalsRequest, Window
from metrics.compare import compare
from metrics.coverage import coverage_flags, coverage_matrix
from metrics.quarantine import quarantine_rows, quarantine_summary
from metrics.models import PoliceRecord, ReferralRecord, SourceSubmission
from metrics.snapshots.content import BriefingPeriod, build_content
from tests.metrics.funnel_fixtures import MISSING_MONTH, MISSING_UNIT, demo_specs, load_demo, make_demo

MONTH = dt.date.fromisoformat(MISSING_MONTH + "-01")
MAY = Window(MONTH, dt.date(2024, 5, 31))


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return make_demo(tmp_path_factory.mktemp("coverage_demo"))


@pytest.fixture(scope="module")
def loaded(module_store_engine, demo_dir):
    load_demo(module_store_engine, demo_dir)
    return module_store_engine


def _state(matrix, unit, month, source="activity_sheets"):
    hit = matrix[(matrix["source"] == source) & (matrix["unit_code"] == unit) & (matrix["month"] == month)]
    return hit["state"].item()


def test_a_missing_sheet_is_not_reported_not_zero(loaded, demo_dir):
    matrix = coverage_matrix(loaded, Window(dt.date(2023, 6, 1), dt.date(2024, 12, 31)))
    assert _state(matrix, MISSING_UNIT, MONTH) == "not_reported"
    sheets = matrix[matrix["source"] == "activity_sheets"]
    files = {p.name for p in (demo_dir / "activity").glob("*.xlsx")}
    # Every file is a reported month and every reported month is a file; the rest are not reported.
    reported = sheets[sheets["state"] != "not_reported"]
    assert {f"{u}_{m:%Y-%m}.xlsx" for u, m in zip(reported["unit_code"], reported["month"])} == files
    assert (sheets["state"] == "reported_zero").sum() > 0  # sheets with no event rows
    assert set(sheets["state"]) <= {"reported", "reported_zero", "late", "not_reported"}
    # Continuous systems report for every bureau at once.
    clues = matrix[matrix["source"] == "regulator_clues"]
    assert set(clues["state"]) <= {"reported", "reported_zero"} and (clues["state"] == "reported").any()
    flags = coverage_flags(loaded, MAY)
    row = flags[(flags["source"] == "activity_sheets") & (flags["unit_code"] == MISSING_UNIT)].iloc[0]
    assert not row["coverage_ok"] and row["missing_months"] == [MISSING_MONTH] and row["share"] == 0.0
    assert flags[flags["unit_code"] != MISSING_UNIT]["coverage_ok"].sum() >= 30


def test_the_bureau_rank_is_withheld_and_marked(loaded):
    frame = compare(MetricsQuery(loaded, SYSTEM), CompareRequest(MISSING_UNIT, MAY)).frame
    sheets = frame[frame["metric"] == "education_events"]
    assert not sheets["coverage_ok"].any() and sheets["rank"].isna().all() and sheets["peer_rank"].isna().all()
    clues = frame[frame["metric"] == "clue_referrals"]
    assert clues["coverage_ok"].all() and clues["rank"].notna().all()
    # With a threshold of zero, the same month ranks again (the threshold is configurable).
    lenient = compare(MetricsQuery(loaded, SYSTEM), CompareRequest(MISSING_UNIT, MAY, coverage_threshold=0.0)).frame
    assert lenient[lenient["metric"] == "education_events"]["rank"].notna().all()
    from dashboard.callbacks.compare import comparison_rows
    rows = {r["metric"]: r for r in comparison_rows(frame, "total", "en")}
    assert "not reported" in rows["Consumer education events"]["rank_total"]


def test_the_briefing_carries_the_coverage_note(loaded):
    content = build_content(loaded, BriefingPeriod.for_quarter("2024Q2"))
    reporting = content["coverage"]["activity_sheets"]["reporting"]
    assert {"unit": MISSING_UNIT, "month": MISSING_MONTH} in reporting["not_reported"]
    assert 0.9 < reporting["share"] < 1.0
    notes = coverage_notes(content, [], "zh")
    year, month = MISSING_MONTH.split("-")[:2]
    assert any("未报送" in n and f"广东{year}年{int(month)}月" in n for n in notes), notes
    english = coverage_notes(content, [], "en")
    assert any("did not report every month" in n and "Guangdong May 2024" in n for n in english), english


def _tables(engine):
    """Every row of the record tables, run ids aside, in a fixed order."""
    out = {}
    with engine.connect() as conn:
        for model in (ReferralRecord, PoliceRecord, SourceSubmission):
            columns = [c for c in model.__table__.c if c.name != "run_id"]
            out[model.__tablename__] = sorted((tuple(r) for r in conn.execute(select(*columns))), key=repr)
    return out


def test_rerunning_and_a_resent_sheet(store_engine, demo_dir):
    specs = demo_specs(demo_dir)
    chosen = [specs[n] for n in ("regulator_clues", "police_intake", "activity_sheets")]
    run_sources(store_engine, chosen)
    before = _tables(store_engine)
    assert all(before.values())
    run_sources(store_engine, chosen)
    assert _tables(store_engine) == before
    run_sources(store_engine, chosen, full=True)
    assert _tables(store_engine) == before
    # A correction re-sent in place later keeps the first receipt: on time stays on time.
    path = sorted((demo_dir / "activity").glob("110000_2024-0*.xlsx"))[0]
    stat = path.stat()
    try:
        os.utime(path, (stat.st_atime, stat.st_mtime + 86_400 * 90))
        run_sources(store_engine, [specs["activity_sheets"]])
        with Session(store_engine) as session:
            sub = session.scalars(select(SourceSubmission).where(SourceSubmission.file_ref == path.name)).one()
        old = next(r for r in before["source_submission"] if r[3] == path.name)
        assert sub.revised_at is not None and sub.received_at == old[4] and sub.rows == old[6]
    finally:
        os.utime(path, (stat.st_atime, stat.st_mtime))


def test_quarantine_is_scoped(loaded):
    guangdong = Principal("gd", "bureau", "440000")
    everything = quarantine_summary(loaded, SYSTEM)
    assert everything["rows"].sum() == len(quarantine_rows(loaded, SYSTEM, limit=100_000)) > 0
    with pytest.raises(AccessDenied):
        quarantine_rows(loaded, guangdong, unit="110000")
    with pytest.raises(AccessDenied):
        quarantine_summary(loaded, guangdong, unit="110000")
    own = quarantine_rows(loaded, guangdong, limit=100_000)
    assert set(own["unit_code"]) <= {"440000", "440100", "440200", "440400", "440500", "440600", "440700",
                                     "440800", "440900", "441200", "441300", "441400", "441500", "441600",
                                     "441700", "441800", "441900", "442000", "445100", "445200", "445300"}
    assert len(own) < len(quarantine_rows(loaded, SYSTEM, limit=100_000))
