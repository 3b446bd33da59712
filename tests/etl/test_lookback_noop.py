"""An incremental run whose lookback probe finds the same rows as last time is a no-op; any change is not."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from etl.pipeline import run_source
from metrics.models import DailyFact, EtlRun, SourceWatermark
from tests.etl.helpers import clue, dump_store, set_row, total, write_rows

D = dt.date


def _state(store) -> tuple[dict, list, tuple]:
    """The dumped store, which run wrote each fact, and the source's watermark row."""
    with Session(store) as session:
        fact_runs = sorted(session.execute(select(DailyFact.metric_id, DailyFact.day, DailyFact.run_id)).all())
        mark = session.get(SourceWatermark, "clues")
        return dump_store(store), fact_runs, (mark.watermark, mark.run_id, mark.lookback_print)


def _last_run(store) -> EtlRun:
    with Session(store) as session:
        return session.scalars(select(EtlRun).order_by(EtlRun.id.desc())).first()


def test_a_second_run_with_nothing_new_reads_nothing_and_changes_nothing(store_engine, source):
    _, _, spec = source
    first = run_source(store_engine, spec)
    assert first.rows_read == 8
    before = _state(store_engine)
    assert before[2][2] is not None  # the lookback fingerprint was stored with the watermark
    for _ in range(2):
        again = run_source(store_engine, spec)
        assert (again.status, again.rows_read, again.rows_loaded, again.rows_quarantined) == ("success", 0, 0, 0)
        run = _last_run(store_engine)
        assert (run.status, run.rows_read, run.window_from, run.window_to) == ("success", 0, None, None)
        assert _state(store_engine) == before  # no fact rewritten, not even with the same value


def test_a_full_load_stores_the_window_so_the_next_run_is_a_no_op(store_engine, source):
    _, _, spec = source
    run_source(store_engine, spec, full=True)
    assert run_source(store_engine, spec).rows_read == 0


def test_a_late_row_with_an_old_watermark_inside_the_lookback_is_still_loaded(store_engine, source):
    src, table, spec = source
    run_source(store_engine, spec)
    mark_before = _state(store_engine)[2][0]
    assert mark_before == "2024-03-07 12:00:00"
    assert total(store_engine, "clues_identified", D(2024, 3, 6)) == 1
    # Committed at the source after the last run, stamped before the watermark but within the 1-day lookback.
    write_rows(src, table, [clue(9, "2024-03-06", category="其他", updated="2024-03-07 08:00:00")])
    late = run_source(store_engine, spec)
    assert late.status == "success" and late.rows_read > 0
    assert late.rows_read == late.rows_loaded + late.rows_quarantined
    assert total(store_engine, "clues_identified", D(2024, 3, 6)) == 2
    assert _state(store_engine)[2][0] == mark_before  # the watermark did not move, the fingerprint did
    assert run_source(store_engine, spec).rows_read == 0  # and now nothing is new again


def test_an_updated_row_inside_the_lookback_is_restated(store_engine, source):
    src, table, spec = source
    run_source(store_engine, spec)
    assert run_source(store_engine, spec).rows_read == 0
    # A correction re-stamped inside the window, not past the watermark.
    set_row(src, table, "XS00007", category="车险欺诈", updated_at="2024-03-06 18:00:00")
    result = run_source(store_engine, spec)
    assert result.rows_read > 0
    with Session(store_engine) as session:
        categories = set(session.scalars(select(DailyFact.category).where(DailyFact.day == D(2024, 3, 6))))
    assert categories == {"vehicle_insurance_fraud"}
