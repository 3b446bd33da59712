"""The daily alerts job on the application's one scheduler."""
from __future__ import annotations

import datetime as dt
import logging

from apscheduler.triggers.cron import CronTrigger

from alerts.mail import parse_smtp_url
from alerts.run import run_alerts
from etl.jobs import load_specs
from etl.locks import claim_fire
from etl.scheduler import expected_intervals, fire_slot
from metrics.api import TZ
from metrics.config import Settings

log = logging.getLogger("imd.alerts")
JOB_ID = "alerts:daily"
# A digest that is a few hours late is still today's digest; later than that, the next day's run carries it.
MISFIRE_GRACE_SECONDS = 6 * 3600
TRIGGER = CronTrigger(hour=7, minute=30, timezone=TZ)  # before the working day, clear of 01:00-03:00


def run_now(settings: Settings, engine, now: dt.datetime):
    smtp = parse_smtp_url(settings.smtp_url) if settings.smtp_url else None
    return run_alerts(engine, now=now, smtp=smtp, expected_every=expected_intervals(load_specs(settings), now))


def _scheduled(settings: Settings, engine) -> None:
    now = dt.datetime.now(dt.timezone.utc)  # the job's edge: read the clock
    with claim_fire(engine, JOB_ID, fire_slot(TRIGGER, now, MISFIRE_GRACE_SECONDS)) as owned:
        if owned:
            log.info("alerts: %s", run_now(settings, engine, now).line())


def add_alerts_job(scheduler, settings: Settings, engine) -> None:
    scheduler.add_job(_scheduled, trigger=TRIGGER, args=(settings, engine), id=JOB_ID, name=JOB_ID,
                      replace_existing=True, coalesce=True, max_instances=1,
                      misfire_grace_time=MISFIRE_GRACE_SECONDS)
