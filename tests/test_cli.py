"""The CLI: bad input gets one line on stderr and exit code 2; summary prints national totals."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(args, tmp_path, **env):
    full_env = {**os.environ, "IMD_DATA_DIR": str(tmp_path), **env}
    return subprocess.run([sys.executable, str(ROOT / "app.py"), *args], capture_output=True, text=True,
                          env=full_env, timeout=120)


@pytest.mark.parametrize("args, message", [
    (["summary", "--from", "2025-02-30", "--to", "2025-03-01"], "'2025-02-30' is not a date"),
    (["summary", "--from", "2025-03-02", "--to", "2025-03-01"], "is later than to"),
    (["summary", "--from", "2025-01-01", "--to", "2025-03-01", "--unit", "999999"], "unknown reporting unit '999999'"),
    (["summary", "--from", "2025-01-01"], "required"),
    (["nonsense"], "invalid choice"),
    (["users", "add", "x", "--role", "bureau"], "needs --unit"),
])
def test_bad_input_is_one_line_and_exit_2(args, message, tmp_path):
    assert run(["db", "upgrade"], tmp_path).returncode == 0
    result = run(args, tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.stderr


def test_unreachable_database_is_exit_2(tmp_path):
    result = run(["summary", "--from", "2025-01-01", "--to", "2025-03-01"], tmp_path,
                 IMD_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:1/nowhere")
    assert result.returncode == 2 and "cannot reach the metrics store" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_summary_json_shape(tmp_path):
    assert run(["db", "upgrade"], tmp_path).returncode == 0
    result = run(["summary", "--from", "2023-06-01", "--to", "2025-11-30", "--format", "json"], tmp_path)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {r["metric"] for r in rows} >= {"clue_referrals", "regulatory_documents"}
    assert set(rows[0]) == {"metric", "unit", "value", "from", "to", "region"}
    assert rows[0]["from"] == "2023-06-01" and rows[0]["region"] == "CN"


def test_every_subcommand_has_help(tmp_path):
    for args in (["--help"], ["summary", "--help"], ["db", "upgrade", "--help"], ["users", "add", "--help"]):
        result = run(args, tmp_path)
        assert result.returncode == 0 and "usage" in result.stdout.lower(), args


def test_a_reader_that_leaves_early_gets_no_traceback(tmp_path):
    """`imd summary ... | head -1`: the pipe closes before the output is written; exit 1, nothing on stderr."""
    assert run(["db", "upgrade"], tmp_path).returncode == 0
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the command writes
    try:
        result = subprocess.run([sys.executable, str(ROOT / "app.py"), "summary", "--from", "2023-06-01", "--to",
                                 "2025-11-30", "--format", "json"], stdout=write_end, stderr=subprocess.PIPE,
                                text=True, env={**os.environ, "IMD_DATA_DIR": str(tmp_path)}, timeout=120)
    finally:
        os.close(write_end)
    assert result.returncode == 1 and result.stderr == ""
