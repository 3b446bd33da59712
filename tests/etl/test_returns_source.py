"""The `returns` source kind: only HQ-approved returns become facts, through the ordinary pipeline."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from etl.config import load_sources
from etl.pipeline import run_source
from metrics.api import SYSTEM, MetricsQuery, TotalsRequest, Window
from metrics.models import EtlRun
from metrics.store import read_generation
from tests.metrics.returns_fixtures import BUREAU, EDU, GUANGDONG, GUANGZHOU, HQ, SUB, desk, figures

DEMO_YAML = Path(__file__).resolve().parents[2] / "etl" / "sources.demo.yaml"
OCTOBER = Window(dt.date(2025, 10, 1), dt.date(2025, 10, 31))


def spec():
    return load_sources(DEMO_YAML, {"IMD_DEMO_DIR": "/unused"})["education_returns"]


def events(engine, unit: str) -> int:
    req = TotalsRequest(OCTOBER, ("education_events",), unit=unit)
    return int(MetricsQuery(engine, SYSTEM).totals(req).frame["value"].iloc[0])


def generation(engine) -> str:
    with engine.connect() as conn:
        return read_generation(conn)


def test_only_approved_figures_load_and_a_new_version_restates(store_engine):
    d = desk(store_engine)
    rid = d.save(SUB, EDU, GUANGZHOU, "2025-10", figures(events="7"), submit=True)
    d.approve(BUREAU, rid)
    first = run_source(store_engine, spec())
    assert (first.status, first.rows_read) == ("success", 0)  # at the bureau, not yet at HQ: nothing loads
    assert events(store_engine, GUANGZHOU) == 0

    d.approve(HQ, rid)
    before = generation(store_engine)
    loaded = run_source(store_engine, spec())
    assert loaded.status == "success" and loaded.rows_read == loaded.rows_loaded + loaded.rows_quarantined == 5
    assert events(store_engine, GUANGZHOU) == 7 and events(store_engine, GUANGDONG) == 7  # rolls up to the bureau
    assert generation(store_engine) != before  # cached answers retire as for any load

    again = run_source(store_engine, spec())
    assert events(store_engine, GUANGZHOU) == 7, again  # an unchanged store restates nothing twice

    d.save(SUB, EDU, GUANGZHOU, "2025-10", figures(events="11"), submit=True)  # a correction: version 2
    run_source(store_engine, spec())
    assert events(store_engine, GUANGZHOU) == 7  # under review: the approved version still counts
    d.approve(BUREAU, rid)
    d.approve(HQ, rid)
    run_source(store_engine, spec())
    assert events(store_engine, GUANGZHOU) == 11  # restated, not added
    with Session(store_engine) as s:
        runs = s.scalars(select(EtlRun).where(EtlRun.source == "education_returns")).all()
    assert all(r.status == "success" and r.rows_read == r.rows_loaded + r.rows_quarantined for r in runs)
