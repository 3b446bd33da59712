"""Kill a real `python app.py ...` process at a chosen moment and say where it was.

The process (and its children, e.g. a brief's chromium) runs in its own session. To kill it at a known phase the
harness first freezes it with SIGSTOP, looks at the store from outside (is its run row there? does it hold the
write lock of the load transaction?), then sends SIGKILL: nothing can change between the look and the kill.
"""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text

ROOT = Path(__file__).resolve().parents[2]
ETL_TABLES = ("quarantined_row", "daily_fact", "agg_day", "agg_month", "agg_day_total", "agg_month_total",
              "source_watermark", "referral_record", "police_record", "source_submission", "job_fire", "etl_run")


def app_env(engine: Engine, tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of an app.py process on `engine`'s store."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMD_")}
    env.update(IMD_DATA_DIR=str(tmp_path), IMD_DATABASE_URL=engine.url.render_as_string(hide_password=False),
               **extra)
    if engine.dialect.name == "postgresql":
        env["IMD_DATABASE_SCHEMA"] = current_schema(engine)
    return env


def current_schema(engine: Engine) -> str:
    with engine.connect() as conn:
        return conn.execute(text("SELECT current_schema()")).scalar()


def wipe(engine: Engine) -> None:
    """Empty every table an ETL run writes (reference data and users stay)."""
    with engine.begin() as conn:
        for table in ETL_TABLES:
            conn.execute(text(f"DELETE FROM {table}"))


def runs(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM etl_run")).scalar()


def writer_active(engine: Engine) -> bool:
    """Whether another process is inside a write transaction on the store's facts."""
    if engine.dialect.name == "sqlite":
        probe = sqlite3.connect(engine.url.database, timeout=0)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:  # database is locked: the writer holds it
            return True
        finally:
            probe.close()
    schema = current_schema(engine)
    with engine.connect() as conn:
        return bool(conn.execute(text(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :schema "
            "AND c.relname IN ('daily_fact', 'quarantined_row', 'briefing_snapshot') "
            "AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()"), {"schema": schema}).scalar())


@dataclass
class Kill:
    phase: str  # starting | extract | load | finished
    seconds: float


def spawn(argv: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "app.py"), *argv], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def kill_at(proc: subprocess.Popen, engine: Engine, runs_before: int, target: str, rng: random.Random,
            *, timeout: float = 120) -> Kill:
    """Wait for `target` (extract: the run row is written and no load yet; load: the load transaction holds
    the write lock; any: a random moment), freeze the process, name the phase it is in, then SIGKILL it."""
    started = time.monotonic()
    delay = {"any": rng.uniform(0.2, 4.0), "extract": rng.uniform(0.0, 0.4), "load": rng.uniform(0.0, 0.03)}[target]
    reached_at = started if target == "any" else None
    while proc.poll() is None and time.monotonic() - started < timeout:
        if reached_at is None:
            if target == "load" and writer_active(engine) and runs(engine) > runs_before:
                reached_at = time.monotonic()
            elif target == "extract" and runs(engine) > runs_before and not writer_active(engine):
                reached_at = time.monotonic()
        if reached_at is not None and time.monotonic() - reached_at >= delay:
            break
        time.sleep(0.003)
    if proc.poll() is not None:
        return Kill("finished", time.monotonic() - started)
    os.killpg(proc.pid, signal.SIGSTOP)
    phase = ("load" if writer_active(engine) else "extract") if runs(engine) > runs_before else "starting"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    return Kill(phase, time.monotonic() - started)
