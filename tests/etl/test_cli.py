"""`etl run|backfill|status|quarantine` through app.py's parser, on a small SQLite source."""
from __future__ import annotations

import csv
import io
import json

import pytest

import app
from metrics.config import Settings, StoreSettings
from metrics.db import make_engine, upgrade
from tests.etl.helpers import CLUE_BLOCK, SAMPLE, sqlite_clue_source


@pytest.fixture
def settings(tmp_path):
    source_url, engine, _ = sqlite_clue_source(tmp_path / "clues.sqlite", SAMPLE)
    engine.dispose()
    sources = tmp_path / "sources.yaml"
    sources.write_text(CLUE_BLOCK.format(name="clues", url="${SRC}", table="clue", chunk_rows=100, schema=""),
                       encoding="utf-8")
    built = Settings(data_dir=tmp_path, store=StoreSettings(url=f"sqlite:///{tmp_path / 'store.sqlite'}"),
                     sources_path=sources, source_variables=(("SRC", source_url),))
    store = make_engine(built.store.url)
    upgrade(store)
    store.dispose()
    return built


def run(settings, *argv) -> int:
    args = app.build_parser(settings).parse_args(list(argv))
    return args.func(args, settings)


def test_run_status_and_quarantine(settings, capsys):
    assert run(settings, "etl", "run") == 0
    assert "clues: success, read 8, loaded 3, quarantined 5" in capsys.readouterr().out
    assert run(settings, "etl", "status", "--format", "json") == 0
    [status] = json.loads(capsys.readouterr().out)
    assert {"source", "status", "finished_at", "rows_read", "rows_loaded", "rows_quarantined", "last_success_at",
            "age_hours", "stale"} <= set(status)
    assert (status["source"], status["status"], status["rows_read"], status["stale"]) == ("clues", "success", 8, False)
    assert run(settings, "etl", "quarantine", "--format", "csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 5 and {"source", "row_ref", "reason", "raw"} <= set(rows[0])
    assert run(settings, "etl", "quarantine") == 0
    assert "unknown region '某某市金融办'" in capsys.readouterr().out


def test_backfill_shows_progress_and_restates(settings, capsys):
    assert run(settings, "etl", "backfill", "--from", "2024-02-01", "--to", "2024-03-31") == 0
    captured = capsys.readouterr()
    assert "backfill 2024-02-01..2024-03-31: 2 batches, loaded 3, quarantined 5, failed 0" in captured.out
    assert "2/2" in captured.err  # the tqdm bar


@pytest.mark.parametrize("argv", [("etl", "run", "--source", "nope"), ("etl", "quarantine", "--source", "nope"),
                                  ("etl", "backfill", "--from", "2024-01-01", "--to", "2024-01-31", "--source", "x")])
def test_an_unknown_source_is_one_line_and_exit_code_2(settings, capsys, argv):
    assert run(settings, *argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown source" in err and "clues" in err
