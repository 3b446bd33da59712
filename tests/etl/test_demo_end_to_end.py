"""The demo systems, loaded by etl/sources.demo.yaml, reproduce every published figure band of the contract."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import String, cast, distinct, func, select
from sqlalchemy.orm import Session

from etl.config import load_sources
from demo import generate
from etl.jobs import run_sources
from metrics.api import SYSTEM, MetricsQuery, TotalsRequest, Window
from demo.returns import seed_demo_returns
from etl.pipeline import run_source
from metrics.config import Settings, StoreSettings
from metrics.models import DailyFact, EtlRun

EDUCATION = ("education_events", "education_participants", "media_reports")
DEMO_YAML = Path(__file__).resolve().parents[2] / "etl" / "sources.demo.yaml"
BANDS = {  # briefs/demo_contract.md, national sums 2023-06-01..2025-11-30
    "clue_referrals": (4_501, 4_635),
    "clue_referral_amount": (21_000_000_000, 21_630_000_000),
    "institution_reports": (1_701, 1_751),
    "institution_report_amount": (17_000_000_000, 17_510_000_000),
    "major_cases": (5, 9),
    "risk_warnings": (1_101, 1_133),
    "education_events": (1_701, 1_751),
    "media_reports": (301, 309),
    "regulatory_documents": (161, 164),
}


@pytest.fixture(scope="module")
def demo_specs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    generate(folder, until=dt.date(2025, 12, 31))
    return load_sources(DEMO_YAML, {"IMD_DEMO_DIR": str(folder)})


def test_every_demo_source_loads_into_the_published_bands(store_engine, demo_specs, tmp_path):
    results = run_sources(store_engine, demo_specs.values())
    assert {r.source: r.status for r in results} == {name: "success" for name in demo_specs}, \
        [r.error for r in results if r.error]
    with Session(store_engine) as session:
        for run in session.scalars(select(EtlRun).where(EtlRun.source != "education_returns")):  # no returns yet
            assert run.rows_read == run.rows_loaded + run.rows_quarantined > 0
            assert 0 < run.rows_quarantined < 0.05 * run.rows_read  # dirt is a small share, and it is caught

    totals = MetricsQuery(store_engine, SYSTEM).totals(
        TotalsRequest(Window(dt.date(2023, 6, 1), dt.date(2025, 11, 30)))).frame
    value = dict(zip(totals["metric"], totals["value"]))
    for metric, (low, high) in BANDS.items():
        assert low <= value[metric] <= high, f"{metric} = {value[metric]} outside {low}..{high}"
    referrals = value["clue_referrals"]
    assert 2.5 * referrals <= value["clues_identified"] <= 3 * referrals
    assert 0.85 * referrals <= value["referrals_accepted"] <= 0.90 * referrals
    assert 0.60 * value["referrals_accepted"] <= value["cases_filed"] <= 0.70 * value["referrals_accepted"]
    assert 100 <= value["special_inspections"] < 1000
    assert 10_000 <= value["ads_removed"] < 100_000
    assert 1_000_000 <= value["education_participants"] < 10_000_000

    # The demo's returns (from 2025-12) join the spreadsheets: the published figures hold and no unit-month's
    # education is fed by both sources (the spreadsheets leave the returning sub-bureaus out).
    assert seed_demo_returns(Settings(data_dir=tmp_path, store=StoreSettings(url="sqlite://"),
                                      sources_path=DEMO_YAML), store_engine, today=dt.date(2026, 1, 20),
                             say=lambda _line: None) > 0
    assert run_source(store_engine, demo_specs["education_returns"]).rows_loaded > 0
    again = MetricsQuery(store_engine, SYSTEM).totals(
        TotalsRequest(Window(dt.date(2023, 6, 1), dt.date(2025, 11, 30)), EDUCATION)).frame
    assert dict(zip(again["metric"], again["value"])) == {m: value[m] for m in EDUCATION}
    month = func.substr(cast(DailyFact.day, String), 1, 7)
    with Session(store_engine) as session:
        fed = session.execute(select(DailyFact.unit_code, month, func.count(distinct(DailyFact.source)))
                              .where(DailyFact.metric_id.in_(EDUCATION))
                              .group_by(DailyFact.unit_code, month)).all()
        returned = set(session.execute(select(DailyFact.unit_code).where(
            DailyFact.source == "education_returns", DailyFact.metric_id == "education_events")).scalars())
    assert returned and {u[:2] for u in returned} == {"44"}  # the returns did load, for Guangdong's sub-bureaus
    sources = {(unit, m): n for unit, m, n in fed}
    assert {key: n for key, n in sources.items() if n > 1} == {}


def test_first_start_builds_and_loads_the_demo_and_the_append_job_feeds_the_next_run(tmp_path, monkeypatch):
    import time

    from sqlalchemy import func

    import demo
    from demo.bootstrap import ensure_demo_loaded
    from demo.job import add_demo_job
    from etl.jobs import load_specs
    from etl.scheduler import build_scheduler
    from metrics.config import Settings, StoreSettings
    from metrics.db import make_engine, upgrade
    from metrics.models import DailyFact, JobFire

    settings = Settings(data_dir=tmp_path, store=StoreSettings(url=f"sqlite:///{tmp_path / 'imd.sqlite'}"),
                        sources_path=DEMO_YAML)
    engine = make_engine(settings.store.url)
    upgrade(engine)
    said: list[str] = []
    started = time.perf_counter()
    assert ensure_demo_loaded(settings, engine, say=said.append) is True
    assert time.perf_counter() - started < 60, said
    assert any("demo ready" in line for line in said) and not any("failed" in line for line in said), said
    assert ensure_demo_loaded(settings, engine, say=said.append) is False  # the store is no longer empty

    def fact_total() -> int:
        with engine.connect() as conn:
            return conn.execute(select(func.sum(DailyFact.value))
                                .where(DailyFact.metric_id == "clues_identified")).scalar()

    before = fact_total()
    append_recent, intervals = demo.append_recent, []

    def a_days_worth(out_dir, *, every, **kwargs):  # one 5-minute fire of ~14 clues a day usually adds none
        intervals.append(every)
        return append_recent(out_dir, every=dt.timedelta(days=1), **kwargs)

    monkeypatch.setattr(demo, "append_recent", a_days_worth)
    scheduler = build_scheduler(settings, engine)
    add_demo_job(scheduler, settings, engine)
    job = scheduler.get_job("demo:append_recent")
    job.func(*job.args)
    assert intervals == [dt.timedelta(minutes=5)]  # the job passes its real interval
    results = run_sources(engine, load_specs(settings).values(), trigger="scheduled")
    assert all(r.status == "success" for r in results), [r.error for r in results]
    assert fact_total() > before  # the demo systems kept producing, and the incremental run picked it up
    with Session(engine) as session:
        fires = session.scalars(select(JobFire).where(JobFire.job_id == "demo:append_recent")).all()
    assert [f.status for f in fires] == ["done"]  # the append ran under the exactly-once claim
    engine.dispose()
