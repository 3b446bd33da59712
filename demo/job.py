"""The live demo's append job: the stand-in systems keep producing events while the embedded default runs."""
from __future__ import annotations

import datetime as dt

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Engine

from etl.scheduler import add_job, run_once
from metrics.config import Settings
from metrics.models import utcnow
from metrics.windows import TZ

JOB_ID = "demo:append_recent"


def _demo_append_job(engine: Engine, settings: Settings, job_id: str, trigger) -> None:
    import demo  # looked up at fire time, so a test can stand in for append_recent

    def body():
        now = utcnow()
        every = dt.timedelta(minutes=demo_minutes(settings))
        demo.append_recent(settings.demo_dir, now=now, seed=int(now.timestamp()) // 60, every=every)

    run_once(engine, job_id, trigger, body)


def demo_minutes(settings: Settings) -> int:
    """The demo job's step: its cron runs every N minutes below an hour, hourly from there."""
    return min(60, max(1, settings.scheduler.demo_append_minutes))


def add_demo_job(scheduler: BaseScheduler, settings: Settings, engine: Engine) -> None:
    minutes = demo_minutes(settings)
    # Like the source schedules: cron-aligned so all processes agree on slots, nothing at 01:00-03:00.
    trigger = CronTrigger(minute=f"*/{minutes}" if minutes < 60 else "0", hour="0,3-23", timezone=TZ)
    add_job(scheduler, JOB_ID, trigger, _demo_append_job, engine, settings)
