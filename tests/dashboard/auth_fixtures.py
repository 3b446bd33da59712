"""An app wired like app.py wires it (settings, brief routes, a real ETL runner) over the seeded store.

The ETL runner loads tests/etl's small clue table (rows of 广东 and 北京, some malformed) through the real
pipeline, so a run by the admin leaves etl_run and quarantined_row rows behind.
"""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import MetaData, create_engine

from tests.dashboard import seed_data
from dashboard import create_app
from etl.jobs import run_sources
from metrics.api import MetricsStore
from metrics.config import Settings, StoreSettings, WebSettings
from tests.etl.helpers import SAMPLE, clue_spec, clue_table, write_rows


@pytest.fixture(scope="module")
def secured(seeded, tmp_path_factory):
    engine, facts = seeded
    root = tmp_path_factory.mktemp("secured")
    url = f"sqlite:///{root / 'clues.sqlite'}"
    source = create_engine(url)
    table = clue_table(MetaData())
    table.metadata.create_all(source)
    write_rows(source, table, SAMPLE)
    spec = clue_spec(url)

    def run_etl() -> list[dict]:
        return [{"source": r.source, "status": r.status, "rows_loaded": r.rows_loaded,
                 "rows_quarantined": r.rows_quarantined} for r in run_sources(engine, [spec], trigger="manual")]

    settings = Settings(data_dir=root, store=StoreSettings(url="sqlite://"), sources_path=root / "none.yaml",
                        web=WebSettings(secret_key="a-test-secret-key"))
    app = create_app(settings, MetricsStore(engine), clock=lambda: seed_data.CLOCK_NOW, expected_every=seed_data.EXPECTED_EVERY,
                     run_etl=run_etl)
    yield SimpleNamespace(app=app, engine=engine, facts=facts, settings=settings, run_etl=run_etl)
    source.dispose()
