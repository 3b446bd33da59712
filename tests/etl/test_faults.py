"""A source that dies mid-run, is missing or returns garbage fails its own run only, and the next run catches up."""
from __future__ import annotations

import http.server
import json
import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from etl.config import parse_sources
from etl.connectors.base import SourceUnavailableError
from etl.connectors.sql import SqlConnector
from etl.jobs import run_sources
from etl.pipeline import run_source
from metrics.models import DailyFact, EtlRun, QuarantinedRow, SourceWatermark
from tests.etl.helpers import SAMPLE, clue_spec, dump_store, sqlite_clue_source


class DiesAfterFirstChunk(SqlConnector):
    """A real SQL connector whose connection drops after it delivered one chunk."""

    attempts = 0

    def extract(self, scope):
        type(self).attempts += 1
        for number, chunk in enumerate(super().extract(scope)):
            if number == 1:
                raise SourceUnavailableError(f"source '{self.spec.name}': connection lost after 1 chunk")
            yield chunk


@pytest.fixture
def clue_source(tmp_path):
    url, engine, _ = sqlite_clue_source(tmp_path / "clues.sqlite", SAMPLE)
    engine.dispose()
    return clue_spec(url, chunk_rows=3)


def _count(store, model) -> int:
    with store.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def test_a_source_killed_mid_run_leaves_no_partial_data_and_the_next_run_completes(store_engine, clue_source):
    DiesAfterFirstChunk.attempts = 0
    result = run_source(store_engine, clue_source, connector_factory=DiesAfterFirstChunk)
    assert result.status == "failed"
    assert DiesAfterFirstChunk.attempts == 2  # retried with backoff (attempts: 2 in the block)
    assert "connection lost after 1 chunk" in result.error and "after 2 attempts" in result.error
    assert _count(store_engine, DailyFact) == 0 and _count(store_engine, QuarantinedRow) == 0
    with Session(store_engine) as session:
        run = session.get(EtlRun, result.run_id)
        assert (run.status, run.finished_at is not None) == ("failed", True)
        assert "connection lost" in run.error
        marks = session.scalars(select(SourceWatermark).where(SourceWatermark.source == clue_source.name)).all()
        assert marks == []

    after = run_source(store_engine, clue_source)
    assert (after.status, after.rows_read, after.rows_loaded, after.rows_quarantined) == ("success", 8, 3, 5)
    reference = dump_store(store_engine)
    run_source(store_engine, clue_source, full=True)
    assert dump_store(store_engine) == reference


def test_a_missing_source_fails_alone_and_the_others_carry_on(store_engine, clue_source, tmp_path):
    missing = clue_spec(f"sqlite:///{tmp_path / 'gone.sqlite'}", name="gone")
    results = {r.source: r for r in run_sources(store_engine, [missing, clue_source])}
    assert results["gone"].status == "failed"
    assert "gone.sqlite does not exist" in results["gone"].error
    assert not (tmp_path / "gone.sqlite").exists()  # never created as an empty database
    assert results["clues"].status == "success" and results["clues"].rows_loaded == 3


PUBLICATIONS = """
sources:
  pubs:
    kind: http
    url: "{url}"
    records: items
    row_ref: id
    timeout_seconds: 2
    retry: {{attempts: 2, backoff_seconds: 0}}
    watermark: {{column: updated_at, lookback_days: 0}}
    unit: {{column: issuer}}
    fields:
      published_on: {{type: date}}
      ads: {{type: integer, required: false}}
    metrics:
      risk_warnings: {{count: true, date: published_on, where: "type != 'ad_takedown'"}}
      ads_removed: {{sum: ads, date: published_on, where: "type == 'ad_takedown'"}}
"""


@pytest.fixture
def http_server():
    state = {"body": b"", "status": 200}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(state["status"])
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(state["body"])

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_address[1]}/export.json"
    server.shutdown()


def test_http_garbage_and_errors_fail_the_run_and_a_good_answer_catches_up(store_engine, http_server):
    state, url = http_server
    spec = parse_sources(PUBLICATIONS.format(url=url), {})["pubs"]
    state["body"] = b"<html>maintenance</html>"
    failed = run_source(store_engine, spec, wait_scale=0)
    assert failed.status == "failed" and "is not JSON" in failed.error
    state["status"] = 503
    assert "HTTP 503" in run_source(store_engine, spec).error
    state["status"] = 200
    state["body"] = json.dumps({"items": [
        {"id": "P1", "type": "risk_warning", "published_on": "2024-05-01", "issuer": "总局机关",
         "updated_at": "2024-05-01 09:00:00"},
        {"id": "P2", "type": "ad_takedown", "published_on": "2024-05-02", "issuer": "粤", "ads": 40,
         "updated_at": "2024-05-02 09:00:00"},
        {"id": "P3", "type": "ad_takedown", "published_on": "2024-05-02", "issuer": "粤", "ads": -3,
         "updated_at": "2024-05-02 09:00:00"}]}).encode()
    ok = run_source(store_engine, spec)
    assert ok.error is None, ok.error
    assert (ok.status, ok.rows_read, ok.rows_loaded, ok.rows_quarantined) == ("success", 3, 2, 1)
    with store_engine.connect() as conn:
        ads = conn.execute(select(func.sum(DailyFact.value)).where(DailyFact.metric_id == "ads_removed")).scalar()
        assert ads == 40
        assert conn.execute(select(QuarantinedRow.reason)).scalar() == "ads '-3' is below 0"
