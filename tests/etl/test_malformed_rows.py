"""Randomised malformed rows: each one is loaded or quarantined, and read = loaded + quarantined."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from etl.pipeline import run_source
from metrics.db import make_engine, upgrade
from metrics.models import DailyFact, QuarantinedRow
from tests.etl.helpers import CLUE_COLUMNS, clue_spec, sqlite_clue_source, write_rows

dates = st.one_of(st.dates().map(str), st.just("2024-02-30"), st.just("20240315"), st.just(""), st.none(),
                  st.text(max_size=12))
spellings = st.one_of(st.sampled_from(["广东", "粤", "440000", "广东金融监管局", "大连", "210281", "总局机关",
                                       "某某市金融办", "999999", ""]), st.none(), st.text(max_size=8))
amounts = st.one_of(st.integers(-10**12, 10**13).map(str), st.sampled_from(["N/A", "12,3x", "1,234", "1.2万", "3.5",
                                                                             "-5", ""]), st.none(),
                    st.text(max_size=10))
rows = st.lists(st.fixed_dictionaries({
    "identified_on": dates, "bureau": spellings, "sub_bureau": st.one_of(st.none(), spellings),
    "category": st.sampled_from(["车险欺诈", "非法贷款中介", "其他", "未知类别", ""]),
    "found_by": st.sampled_from(["inspection", "big_data_model", "complaint", "rumour"]),
    "amount_yuan": amounts, "referral_no": st.one_of(st.none(), st.sampled_from(["YJ-1", "YJ-2", "YJ-3"])),
    "referred_on": st.one_of(st.none(), dates), "updated_at": st.just("2024-03-01 00:00:00"),
}), min_size=0, max_size=25)


def _store_and_source(tmp_path):
    """An empty store and an empty clue table in a SQLite source database."""
    store = make_engine(f"sqlite:///{tmp_path / 'store.sqlite'}")
    upgrade(store)
    url, source, table = sqlite_clue_source(tmp_path / "source.sqlite", [])
    return store, source, table, url


def test_every_malformed_row_is_loaded_or_quarantined(tmp_path):
    store, source, table, url = _store_and_source(tmp_path)
    spec = clue_spec(url, chunk_rows=7)

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(rows)
    def check(generated):
        with source.begin() as conn:
            conn.execute(delete(table))
        numbered = [{"clue_id": f"XS{i:05d}", **r} for i, r in enumerate(generated)]
        if numbered:
            write_rows(source, table, [{c: r[c] for c in CLUE_COLUMNS} for r in numbered])
        # accept: each example replaces the whole source with random rows, which the load guard would refuse
        result = run_source(store, spec, full=True, accept=True)
        assert result.status == "success", result.error
        assert result.rows_read == len(generated)
        assert result.rows_read == result.rows_loaded + result.rows_quarantined
        with store.connect() as conn:
            reasons = conn.execute(select(QuarantinedRow.row_ref, QuarantinedRow.reason)).all()
            identified = conn.execute(select(func.coalesce(func.sum(DailyFact.value), 0))
                                      .where(DailyFact.metric_id == "clues_identified")).scalar_one()
        assert len(reasons) == result.rows_quarantined and all(reason for _, reason in reasons)
        assert identified == result.rows_loaded  # every loaded row counts once on its day, no more

    check()
    source.dispose()
    store.dispose()


def test_a_valid_far_future_date_is_loaded_on_its_day(tmp_path):
    """Found by hypothesis: a date ordinal past 2^20 (year 2871+) once spilled into the packed category bits."""
    store, source, table, url = _store_and_source(tmp_path)
    write_rows(source, table, [{"clue_id": "XS00000", "identified_on": "2872-01-01", "bureau": "广东",
                                "sub_bureau": None, "category": "车险欺诈", "found_by": "inspection",
                                "amount_yuan": "5", "referral_no": None, "referred_on": None,
                                "updated_at": "2024-03-01 00:00:00"}])
    result = run_source(store, clue_spec(url, chunk_rows=7), full=True)
    assert result.status == "success", result.error
    with store.connect() as conn:
        facts = conn.execute(select(DailyFact.metric_id, DailyFact.unit_code, DailyFact.day, DailyFact.category)).all()
    assert [(m, u, str(d), c) for m, u, d, c in facts] == [
        ("clues_identified", "440000", "2872-01-01", "vehicle_insurance_fraud")]


def test_a_nul_character_is_spelled_out_so_the_row_is_kept_on_every_store(store_engine, tmp_path):
    """PostgreSQL refuses NUL in text: once, one such row failed the whole run there."""
    rows = [{"clue_id": "XS\x0001", "identified_on": "2024-03-01\x00", "bureau": "广东", "sub_bureau": None,
             "category": "车险欺诈", "found_by": "inspection", "amount_yuan": "5", "referral_no": None,
             "referred_on": None, "updated_at": "2024-03-01 00:00:00"},
            {"clue_id": "XS00002", "identified_on": "2024-03-01", "bureau": "广东", "sub_bureau": None,
             "category": "车险欺诈", "found_by": "inspection", "amount_yuan": "5", "referral_no": "YJ-9\x00",
             "referred_on": "2024-03-02", "updated_at": "2024-03-01 00:00:00"}]
    url, source, _ = sqlite_clue_source(tmp_path / "source.sqlite", rows)
    result = run_source(store_engine, clue_spec(url), full=True)
    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("success", 1, 1), result.error
    with store_engine.connect() as conn:
        ref, reason, raw = conn.execute(select(QuarantinedRow.row_ref, QuarantinedRow.reason, QuarantinedRow.raw)).one()
    assert ref == "XS\\x0001" and "'2024-03-01\\x00' in identified_on is not a date" in reason
    assert '"identified_on": "2024-03-01\\\\x00"' in raw  # the raw row keeps where the NUL was
    source.dispose()
