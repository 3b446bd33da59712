"""Crash safety of `python app.py briefing --publish`: SIGKILLed while it builds the snapshot and while it renders
the files of the version it just stored. No half-written version: the stored versions run 1..N, each hashes to
its content hash, and a brief file is either whole or absent; the next publish completes."""
from __future__ import annotations

import os
import random
import time

from metrics.snapshots import BriefingStore
from tests.etl.helpers import clue_spec, sqlite_clue_source
from tests.etl.kill_harness import app_env, kill_at, runs, spawn
from tests.etl.test_kill import source_rows
from etl.pipeline import run_source

KILLS = int(os.environ.get("IMD_BRIEF_KILLS", "4"))
QUARTER = "2024Q4"


def versions(engine) -> list[dict]:
    return BriefingStore(engine).versions(QUARTER)


def assert_whole(engine, out_dir) -> None:
    store = BriefingStore(engine)
    stored = sorted(v["version"] for v in versions(engine))
    assert stored == list(range(1, len(stored) + 1)), stored
    for v in versions(engine):
        assert BriefingStore.verify(store.get(v["id"])), f"version {v['version']} does not hash to its content"
    for pdf in out_dir.rglob("*.pdf"):
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF") and b"%%EOF" in data[-1024:], f"{pdf} is truncated"
    for html in out_dir.rglob("*.html"):
        assert html.read_text(encoding="utf-8").rstrip().endswith("</html>"), f"{html} is truncated"
    for png in out_dir.rglob("*.png"):
        assert png.read_bytes()[-8:] == b"IEND\xaeB`\x82", f"{png} is truncated"


def new_version(engine, known: int):
    """The kill target 'load' for a brief: its INSERT has committed (a new version row exists)."""
    return len(versions(engine)) > known


def test_sigkill_during_briefing_publish_leaves_no_half_version(store_engine, tmp_path):
    url, source, _ = sqlite_clue_source(tmp_path / "clues.sqlite", source_rows()[:600])
    source.dispose()
    assert run_source(store_engine, clue_spec(url)).status == "success"
    out = tmp_path / "briefs"
    env = app_env(store_engine, tmp_path)
    argv = ["briefing", "--quarter", QUARTER, "--lang", "en", "--out", str(out), "--publish", "--force"]
    rng = random.Random(18)
    phases = []
    for i in range(KILLS):
        known = len(versions(store_engine))
        proc = spawn(argv, env)
        if i % 2:  # after the version is stored: while the charts, HTML and PDF are written
            deadline = time.monotonic() + 120
            while not new_version(store_engine, known) and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.02)
        # else: while it starts and builds the snapshot
        kill_at(proc, store_engine, runs(store_engine), "any", rng)
        stored = len(versions(store_engine))
        phases.append("rendering" if stored > known else "building")
        assert stored in (known, known + 1)
        assert_whole(store_engine, out)
    assert {"building", "rendering"} <= set(phases), phases
    # the next publish (without --force: the content is unchanged) completes and renders whole files
    done = spawn(argv[:-1], env)
    assert done.wait(timeout=300) == 0
    assert_whole(store_engine, out)
    latest = BriefingStore(store_engine).latest(QUARTER)
    assert latest.version == len(versions(store_engine))
    assert list(out.rglob("*.pdf")) and list(out.rglob("*.html"))
