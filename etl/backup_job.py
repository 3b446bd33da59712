"""The daily backup job on the application's one scheduler (03:30 Asia/Shanghai, outside the quiet hours'
loads), run once per fire however many schedulers there are."""
from __future__ import annotations

import logging

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Engine

from etl.scheduler import add_job, run_once
from metrics.backup_rotation import rotate_backup
from metrics.config import Settings
from metrics.models import utcnow
from metrics.windows import TZ

log = logging.getLogger("imd.backup")
JOB_ID = "backup:daily"


def backup_trigger() -> CronTrigger:
    return CronTrigger(hour=3, minute=30, timezone=TZ)


def _backup_job(engine: Engine, settings: Settings, job_id: str, trigger) -> None:
    def body():
        result = rotate_backup(engine, settings.backup.directory, settings.backup.keep, now=utcnow())
        log.info("backup %s: %d bytes, %d facts, checksum %s, %.1f s", result.path.name, result.bytes,
                 result.checksum.tables["daily_fact"].rows, result.checksum.digest[:16], result.seconds)

    run_once(engine, job_id, trigger, body)


def add_backup_job(scheduler: BaseScheduler, settings: Settings, engine: Engine) -> bool:
    """Register the daily backup when a backup folder is configured; True when it was added."""
    if settings.backup.directory is None:
        return False
    add_job(scheduler, JOB_ID, backup_trigger(), _backup_job, engine, settings)
    return True
