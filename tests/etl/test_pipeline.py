"""The pipeline on a SQLite source into SQLite and PostgreSQL stores: idempotent, restating, nothing lost."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from etl.pipeline import run_source
from metrics.models import EtlRun, SourceWatermark
from tests.etl.helpers import clue, delete_row, dump_store, quarantine, set_row, total, write_rows

D = dt.date


def _runs(store) -> list[EtlRun]:
    with Session(store) as session:
        return list(session.scalars(select(EtlRun).order_by(EtlRun.id)))


def test_first_run_loads_valid_rows_and_quarantines_the_rest_with_reasons(store_engine, source):
    _, _, spec = source
    result = run_source(store_engine, spec)
    assert result.status == "success"
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (8, 3, 5)
    reasons = quarantine(store_engine)
    assert reasons["XS00003"] == "date '2024-02-30' in identified_on is not a date (expected %Y-%m-%d)"
    assert reasons["XS00004"] == "unknown region '某某市金融办'"
    assert reasons["XS00005"] == "duplicate of referral_no 'YJ-2' (first seen in row XS00002)"
    assert reasons["XS00006"] == "amount 'N/A' in amount_yuan is not a number"
    assert reasons["XS00008"] == "'广州' in sub_bureau is not part of '北京' in bureau"
    assert total(store_engine, "clues_identified") == 3
    assert total(store_engine, "clue_referrals") == 2
    assert total(store_engine, "clue_referral_amount") == 200_001_000  # "1,000" parsed; the duplicate not added
    assert total(store_engine, "major_cases") == 1
    run = _runs(store_engine)[-1]
    assert run.rows_read == run.rows_loaded + run.rows_quarantined


def test_running_twice_leaves_an_identical_store(store_engine, source):
    _, _, spec = source
    run_source(store_engine, spec)
    first = dump_store(store_engine)
    run_source(store_engine, spec)                       # incremental from the watermark
    assert dump_store(store_engine) == first
    run_source(store_engine, spec, full=True)            # and a full restatement
    assert dump_store(store_engine) == first
    run_source(store_engine, spec, trigger="backfill", days=(D(2024, 2, 1), D(2024, 3, 31)))
    assert dump_store(store_engine) == first
    assert all(r.rows_read == r.rows_loaded + r.rows_quarantined for r in _runs(store_engine))


def test_a_restated_day_replaces_the_old_value(store_engine, source):
    src, table, spec = source
    run_source(store_engine, spec)
    assert total(store_engine, "clue_referral_amount", D(2024, 3, 3)) == 1000
    set_row(src, table, "XS00002", amount_yuan="5000", updated_at="2024-03-08 09:00:00")
    result = run_source(store_engine, spec)
    assert result.status == "success"
    assert total(store_engine, "clue_referral_amount", D(2024, 3, 3)) == 5000
    assert total(store_engine, "clue_referral_amount") == 200_005_000


def test_a_deleted_row_disappears_from_its_day(store_engine, source):
    src, table, spec = source
    write_rows(src, table, [clue(9, "2024-03-06", bureau="广东")])
    run_source(store_engine, spec)
    assert total(store_engine, "clues_identified", D(2024, 3, 6)) == 2
    delete_row(src, table, "XS00009")
    # The delete itself leaves no trace in updated_at; the day is re-read because another row of it changed.
    set_row(src, table, "XS00007", updated_at="2024-03-09 09:00:00")
    run_source(store_engine, spec)
    assert total(store_engine, "clues_identified", D(2024, 3, 6)) == 1
    # A backfill restates days whatever changed.
    delete_row(src, table, "XS00001")
    run_source(store_engine, spec, trigger="backfill", days=(D(2024, 3, 1), D(2024, 3, 31)))
    assert total(store_engine, "major_cases") == 0
    assert total(store_engine, "clues_identified", D(2024, 3, 1)) == 1


def test_rerunning_does_not_duplicate_quarantine_and_a_fixed_row_leaves_it(store_engine, source):
    src, table, spec = source
    run_source(store_engine, spec)
    run_source(store_engine, spec, full=True)
    assert len(quarantine(store_engine)) == 5
    set_row(src, table, "XS00004", bureau="大连", updated_at="2024-03-10 08:00:00")
    set_row(src, table, "XS00003", identified_on="2024-02-28", updated_at="2024-03-10 08:00:00")
    result = run_source(store_engine, spec)
    assert "XS00004" not in quarantine(store_engine) and "XS00003" not in quarantine(store_engine)
    assert len(quarantine(store_engine)) == 3
    assert result.rows_read == result.rows_loaded + result.rows_quarantined
    assert total(store_engine, "clues_identified", D(2024, 3, 5)) == 1
    with store_engine.connect() as conn:
        mark = conn.execute(select(SourceWatermark.watermark).where(SourceWatermark.source == "clues")).scalar_one()
    assert mark == "2024-03-10 08:00:00"


def test_a_duplicate_is_judged_against_rows_outside_the_reread_days(store_engine, source):
    src, table, spec = source
    run_source(store_engine, spec)
    # A second submission of YJ-1 weeks later: its days alone would not show the original.
    write_rows(src, table, [clue(10, "2024-04-20", referral="YJ-1", referred="2024-04-21",
                                 updated="2024-04-21 10:00:00")])
    result = run_source(store_engine, spec)
    assert result.rows_read == result.rows_loaded + result.rows_quarantined
    assert quarantine(store_engine)["XS00010"].startswith("duplicate of referral_no 'YJ-1'")
    assert total(store_engine, "clue_referrals") == 2


def test_nothing_changed_reads_nothing(store_engine, source):
    _, _, spec = source
    run_source(store_engine, spec)
    spec_no_lookback = spec.model_copy(update={"watermark": spec.watermark.model_copy(update={"lookback_days": 0})})
    result = run_source(store_engine, spec_no_lookback)
    assert (result.status, result.rows_read) == ("success", 0)
