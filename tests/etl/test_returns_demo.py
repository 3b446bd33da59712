"""The demo's returns: every state present, approved ones load, nothing inside the published window."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from etl.pipeline import run_source
from demo.returns import seed_demo_returns
from metrics.api import SYSTEM, MetricsQuery, TotalsRequest, Window
from metrics.config import Settings, StoreSettings
from tests.etl.test_returns_source import spec
from tests.metrics.returns_fixtures import HQ, desk


def test_the_demo_shows_every_state_and_loads_the_approved(store_engine, tmp_path):
    settings = Settings(data_dir=tmp_path, store=StoreSettings(url="sqlite://"), sources_path=Path("none.yaml"))
    said: list[str] = []
    made = seed_demo_returns(settings, store_engine, today=dt.date(2026, 3, 15), say=said.append)
    assert made > 0 and sum("shown once" in line for line in said) == 4
    listed = desk(store_engine).list(HQ)
    assert set(listed["status"]) == {"draft", "submitted", "sent_back", "bureau_approved", "approved"}
    assert min(listed["period"]) == "2025-12" and max(listed["period"]) == "2026-02"
    assert not listed["late"].any()  # every step dated before its deadline
    assert run_source(store_engine, spec()).status == "success"
    q = MetricsQuery(store_engine, SYSTEM)
    loaded = q.totals(TotalsRequest(Window(dt.date(2025, 12, 1), dt.date(2026, 2, 28)), ("education_events",),
                                    unit="440000")).frame["value"].iloc[0]
    assert loaded > 0
    assert seed_demo_returns(settings, store_engine, today=dt.date(2025, 12, 20), say=said.append) == 0
