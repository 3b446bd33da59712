"""Crash safety: `python app.py etl run` SIGKILLed 20 times at random points (while starting, while reading and
validating chunks, inside the load transaction) on SQLite and PostgreSQL. After every kill the store's checksum
(metrics.checksum: facts, rollups, quarantine, watermarks) is the state before the run or the state after a
complete run, never in between; the next run then completes and lands on the complete state, nothing doubled.
"""
from __future__ import annotations

import datetime as dt
import os
import random

import pytest

from etl.pipeline import run_source
from metrics.checksum import store_checksum
from tests.etl.helpers import CLUE_BLOCK, clue, clue_spec, sqlite_clue_source
from tests.etl.kill_harness import app_env, kill_at, runs, spawn, wipe

KILLS = int(os.environ.get("IMD_KILL_RUNS", "20"))
ROWS = 2000
CHUNK = 50  # 40 chunks to be killed between
BUREAUS = ("广东", "粤", "北京", "440000", "浙江金融监管局", "辽宁省大连市金融办")  # the last one is quarantined


def source_rows() -> list[dict]:
    rows = []
    for n in range(1, ROWS + 1):
        day = (dt.date(2023, 6, 1) + dt.timedelta(days=n * 7 % 900)).isoformat()
        referred = n % 3 == 0
        rows.append(clue(n, day, bureau=BUREAUS[n % len(BUREAUS)], amount="N/A" if n % 41 == 0 else str(1000 + n),
                         category=("车险欺诈", "其他", "非法贷款中介")[n % 3],
                         referral=f"YJ-{n}" if referred else None, referred=day if referred else None))
    return rows


@pytest.fixture
def killable(store_engine, tmp_path):
    url, source, _ = sqlite_clue_source(tmp_path / "clues.sqlite", source_rows())
    source.dispose()
    sources = tmp_path / "sources.yaml"
    sources.write_text(CLUE_BLOCK.format(name="clues", url=url, table="clue", chunk_rows=CHUNK, schema=""),
                       encoding="utf-8")
    spec = clue_spec(url, chunk_rows=CHUNK)
    assert run_source(store_engine, spec).status == "success"
    complete = store_checksum(store_engine)  # the state a complete run leaves
    assert complete.tables["daily_fact"].rows > 1000 and complete.tables["quarantined_row"].rows > 0
    wipe(store_engine)
    return store_engine, spec, complete, app_env(store_engine, tmp_path, IMD_SOURCES=str(sources))


def test_sigkill_during_etl_run_leaves_before_or_after(killable):
    engine, spec, complete, env = killable
    empty = store_checksum(engine)
    assert empty.empty
    rng = random.Random(18)
    phases = []
    for i in range(KILLS):
        full = i % 2 == 1  # odd kills hit a full restatement of the complete store the last run left
        if not full:
            wipe(engine)
        before = store_checksum(engine)
        runs_before = runs(engine)
        proc = spawn(["etl", "run", *(["--full"] if full else [])], env)
        kill = kill_at(proc, engine, runs_before, ("extract", "load", "any")[i % 3], rng)
        phases.append(kill.phase)
        after_kill = store_checksum(engine)
        assert after_kill in (before, complete), f"kill {i} in phase {kill.phase} left a partial store"
        # the next run completes and lands on the complete state: nothing doubled, nothing lost
        assert run_source(engine, spec).status == "success"
        assert store_checksum(engine) == complete, f"the run after kill {i} ({kill.phase}) differs"
    # the kills really hit the reading and the writing, not only the start-up
    assert {"extract", "load"} <= set(phases), phases
