"""The daily alerts job: one job id, replaced not doubled, a grace time that survives a restart, and fire
times clear of the 01:00-03:00 window."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler

from alerts.job import JOB_ID, TRIGGER, add_alerts_job
from metrics.api import TZ
from metrics.config import Settings, StoreSettings


def test_registered_once_daily_outside_the_quiet_hours():
    settings = Settings(data_dir=Path("/nonexistent"), store=StoreSettings(url="sqlite://"),
                        sources_path=Path("/nonexistent"))
    scheduler = BackgroundScheduler(timezone=TZ)
    scheduler.start(paused=True)  # replace_existing only dedupes on a started scheduler
    try:
        add_alerts_job(scheduler, settings, engine=None)
        add_alerts_job(scheduler, settings, engine=None)
        jobs = scheduler.get_jobs()
    finally:
        scheduler.shutdown(wait=False)
    assert [j.id for j in jobs] == [JOB_ID]
    assert jobs[0].coalesce and jobs[0].misfire_grace_time >= 3600 and jobs[0].max_instances == 1
    fire, fires = dt.datetime(2026, 3, 1, tzinfo=TZ), []
    for _ in range(10):
        fire = TRIGGER.get_next_fire_time(None, fire + dt.timedelta(seconds=1))
        fires.append(fire)
    assert all(not 1 <= f.hour < 3 for f in fires)
    assert [(b - a) for a, b in zip(fires, fires[1:])] == [dt.timedelta(days=1)] * 9


def test_the_application_scheduler_carries_the_alerts_job(tmp_path):
    import app

    settings = Settings(data_dir=tmp_path, store=StoreSettings(url=f"sqlite:///{tmp_path / 'imd.sqlite'}"),
                        sources_path=Path(app.ROOT) / "etl" / "sources.demo.yaml",
                        source_variables=(("IMD_DEMO_DIR", str(tmp_path / "demo")),))
    scheduler = app.build_app_scheduler(settings, engine=None)
    assert JOB_ID in {job.id for job in scheduler.get_jobs()}
