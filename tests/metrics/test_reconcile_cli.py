"""`python app.py reconcile`: the JSON shape, the table, bad input (one line, exit 2) and a bureau user's scope."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from metrics.db import make_engine, upgrade
from metrics.users import add_user
from tests.metrics.funnel_fixtures import load_demo, make_demo

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def store_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reconcile")
    url = f"sqlite:///{folder / 'imd.sqlite'}"
    engine = make_engine(url)
    upgrade(engine)
    load_demo(engine, make_demo(folder / "demo"))
    add_user(engine, "gd", "bureau", "secret-password-1", unit_code="440000")
    engine.dispose()
    return url


def _run(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "IMD_DATABASE_URL": url, "IMD_SCHEDULER": "0"}
    return subprocess.run([sys.executable, str(ROOT / "app.py"), "reconcile", *args], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120)


def test_json_shape(store_url):
    done = _run(store_url, "--from", "2024-01-01", "--to", "2024-06-30", "--format", "json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert [s["stage"] for s in out["stages"]] == ["identified", "referred", "received", "accepted", "case_filed"]
    counts = [s["count"] for s in out["stages"]]
    assert all(isinstance(c, int) for c in counts) and all(b <= a for a, b in zip(counts, counts[1:]))
    assert set(out["unmatched"]) == {"regulator_only", "police_only"}
    for side in ("regulator_only", "police_only"):
        assert len(out["unmatched_records"][side]) == out["unmatched"][side]
    assert out["unmatched"]["police_only"] > 0
    assert {"clue_id", "referral_no", "referred_on"} <= set(out["unmatched_records"]["regulator_only"][0]) \
        if out["unmatched"]["regulator_only"] else True
    assert {"intake_id", "cited_referral_no", "received_on", "reason"} <= set(out["unmatched_records"]["police_only"][0])
    assert out["unmatched"]["regulator_only"] == counts[1] - counts[2]


def test_table_and_unit(store_url):
    done = _run(store_url, "--from", "2024-01-01", "--to", "2024-06-30", "--unit", "440000")
    assert done.returncode == 0, done.stderr
    assert "identified" in done.stdout and "regulator_only:" in done.stdout and "police_only:" in done.stdout


@pytest.mark.parametrize("args", [
    ("--from", "2024-02-30", "--to", "2024-06-30"),
    ("--from", "2024-06-30", "--to", "2024-01-01"),
    ("--from", "2024-01-01", "--to", "2024-06-30", "--unit", "999"),
    ("--from", "2024-01-01", "--to", "2024-06-30", "--format", "xml"),
    ("--to", "2024-06-30",),
    ("--from", "2024-01-01", "--to", "2024-06-30", "--unit", "110000", "--user", "gd"),
])
def test_bad_input_is_one_line_and_exit_2(store_url, args):
    done = _run(store_url, *args)
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_a_bureau_user_sees_its_own_unit(store_url):
    done = _run(store_url, "--from", "2024-01-01", "--to", "2024-06-30", "--unit", "440000", "--user", "gd",
                "--format", "json")
    assert done.returncode == 0, done.stderr
    records = json.loads(done.stdout)["unmatched_records"]
    assert all(r["bureau_code"] == "440000" for side in records.values() for r in side)
