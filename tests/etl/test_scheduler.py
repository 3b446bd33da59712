"""Scheduling: explicit job ids, no quiet-hour fires, and each fire runs once across processes."""
from __future__ import annotations

import collections
import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

from apscheduler.triggers.cron import CronTrigger

from etl.config import load_sources
from demo.job import add_demo_job
from etl.scheduler import MISFIRE_GRACE_SECONDS, build_scheduler, fire_slot
from metrics.config import SchedulerSettings, Settings, StoreSettings
from metrics.windows import TZ

ROOT = Path(__file__).resolve().parents[2]


def _store_args(engine) -> tuple[str, str]:
    url = engine.url.render_as_string(hide_password=False)
    schema = "-"
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
    return url, schema


def _spawn(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.etl.scheduler_worker", *args], cwd=ROOT)


def test_fire_slot_is_the_scheduled_time_every_process_agrees_on():
    trigger = CronTrigger(minute="*/15", hour="0,3-23", timezone=TZ)
    now = dt.datetime(2025, 3, 1, 10, 16, 40, tzinfo=TZ)
    assert fire_slot(trigger, now) == dt.datetime(2025, 3, 1, 10, 15, tzinfo=TZ)
    assert fire_slot(trigger, now.astimezone(dt.timezone.utc)) == dt.datetime(2025, 3, 1, 10, 15, tzinfo=TZ)


def test_the_scheduler_has_one_job_per_source_with_deliberate_settings(tmp_path):
    settings = Settings(data_dir=tmp_path, store=StoreSettings(url="sqlite://"),
                        sources_path=ROOT / "etl" / "sources.demo.yaml")
    specs = load_sources(settings.sources_path, {"IMD_DEMO_DIR": str(tmp_path)})
    scheduler = build_scheduler(settings, engine=None, specs=specs)
    add_demo_job(scheduler, settings, engine=None)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {f"etl:{name}" for name in specs} | {"demo:append_recent"}
    for job in jobs.values():
        assert job.coalesce is True and job.misfire_grace_time == MISFIRE_GRACE_SECONDS and job.max_instances == 1
        at = dt.datetime(2025, 3, 1, tzinfo=TZ)
        for _ in range(100):
            at = job.trigger.get_next_fire_time(None, at + dt.timedelta(seconds=1))
            assert at.hour not in (1, 2), f"{job.id} fires at {at}"
    assert str(scheduler.timezone) == "Asia/Shanghai"
    production = build_scheduler(settings, engine=None, specs=specs)
    assert "demo:append_recent" not in {job.id for job in production.get_jobs()}


def test_the_demo_job_hands_its_cron_step_to_append_recent(tmp_path, monkeypatch):
    import demo
    from metrics.db import make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'imd.sqlite'}")
    upgrade(engine)
    intervals = []
    monkeypatch.setattr(demo, "append_recent", lambda out_dir, **kwargs: intervals.append(kwargs["every"]))
    for minutes in (7, 90):  # 90 is clamped to the hourly cron the trigger actually runs
        settings = Settings(data_dir=tmp_path, store=StoreSettings(url="sqlite://"), sources_path=ROOT,
                            scheduler=SchedulerSettings(demo_append_minutes=minutes))
        scheduler = build_scheduler(settings, engine, specs={})
        add_demo_job(scheduler, settings, engine)
        job = scheduler.get_job("demo:append_recent")
        job.func(engine, settings, f"demo:test-{minutes}", job.trigger)  # own job ids: two fires, two claims
    assert intervals == [dt.timedelta(minutes=7), dt.timedelta(minutes=60)]
    engine.dispose()


def test_three_processes_firing_the_same_slot_run_it_once(store_engine, tmp_path):
    url, schema = _store_args(store_engine)
    out = tmp_path / "ran.txt"
    fire = dt.datetime(2025, 3, 1, 10, 15, tzinfo=TZ).isoformat()
    start = f"{time.time() + 2.5:.3f}"  # all three wake at the same instant, after their imports
    workers = [_spawn("once", url, schema, "etl:clues", fire, start, str(out)) for _ in range(3)]
    assert [w.wait(timeout=60) for w in workers] == [0, 0, 0]
    # A process that reaches the same slot later (a restarted worker) skips it too.
    assert _spawn("once", url, schema, "etl:clues", fire, "0", str(out)).wait(timeout=60) == 0
    lines = out.read_text().splitlines()
    assert len(lines) == 1, lines


def test_three_real_schedulers_run_each_fire_once(store_engine, tmp_path):
    url, schema = _store_args(store_engine)
    out = tmp_path / "fires.txt"
    workers = [_spawn("sched", url, schema, "tick", "4", str(out)) for _ in range(3)]
    assert [w.wait(timeout=90) for w in workers] == [0, 0, 0]
    slots = collections.Counter(line.split()[0] for line in out.read_text().splitlines())
    assert len(slots) >= 2, slots  # the three overlapped for at least two fires
    assert set(slots.values()) == {1}, slots
