"""The quarterly job fires on the configured day after each quarter, 08:00 Asia/Shanghai by default."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler

from metrics.api import TZ
from metrics.config import SchedulerSettings, Settings, StoreSettings

from briefing.service import JOB_ID, add_briefing_job, briefing_trigger


def _settings(**scheduler) -> Settings:
    return Settings(data_dir=Path("/nonexistent"), store=StoreSettings(url="sqlite://"),
                    sources_path=Path("/nonexistent"), scheduler=SchedulerSettings(**scheduler))


def test_default_and_configured_fire_times():
    after = dt.datetime(2025, 12, 31, 12, tzinfo=TZ)
    assert briefing_trigger(_settings()).get_next_fire_time(None, after) == dt.datetime(2026, 1, 10, 8, tzinfo=TZ)
    custom = briefing_trigger(_settings(briefing_day=3, briefing_hour=9))
    assert custom.get_next_fire_time(None, dt.datetime(2026, 1, 10, 9, tzinfo=TZ)) == dt.datetime(2026, 4, 3, 9,
                                                                                                   tzinfo=TZ)


def test_job_is_registered_once_with_a_grace_time():
    scheduler = BackgroundScheduler(timezone=TZ)
    scheduler.start(paused=True)  # replace_existing only dedupes on a started scheduler
    try:
        settings = _settings()
        add_briefing_job(scheduler, settings, engine=None)
        add_briefing_job(scheduler, settings, engine=None)
        jobs = scheduler.get_jobs()
    finally:
        scheduler.shutdown(wait=False)
    assert [j.id for j in jobs] == [JOB_ID]
    assert jobs[0].misfire_grace_time >= 3600 and jobs[0].coalesce
