"""When and how a source runs: its schedule (never in the quiet hours), its retries and its watermark."""
from __future__ import annotations

import datetime as dt

from pydantic import Field, model_validator

from etl.config_onboarding import _Block
from metrics.windows import TZ

QUIET_HOURS = (1, 2)  # 01:00-03:00 Asia/Shanghai: backups and maintenance; nothing is scheduled then


class WatermarkSpec(_Block):
    column: str  # ISO date/timestamp of the row's last change (files: the file's modification time)
    lookback_days: int = Field(default=2, ge=0)


class ScheduleSpec(_Block):
    cron: str | None = None  # crontab with 5 fields, Asia/Shanghai
    every_minutes: int | None = Field(default=None, ge=1, le=720)

    @model_validator(mode="after")
    def _one_way(self):
        if (self.cron is None) == (self.every_minutes is None):
            raise ValueError("give exactly one of 'cron' or 'every_minutes'")
        return self

    def trigger(self):
        from apscheduler.triggers.cron import CronTrigger

        if self.cron is not None:
            return CronTrigger.from_crontab(self.cron, timezone=TZ)
        # Interval schedules are cron-aligned so every process computes the same fire slots and the quiet
        # hours are skipped.
        minute = f"*/{self.every_minutes}" if self.every_minutes < 60 else "0"
        hours = "0,3-23" if self.every_minutes < 60 else f"{3}-23/{self.every_minutes // 60}"
        return CronTrigger(minute=minute, hour=hours, timezone=TZ)

    @model_validator(mode="after")
    def _not_in_quiet_hours(self):
        trigger = self.trigger()
        at = dt.datetime(2025, 1, 6, tzinfo=TZ)
        for _ in range(2000):
            at = trigger.get_next_fire_time(None, at + dt.timedelta(seconds=1))
            if at is None or at > dt.datetime(2025, 1, 8, tzinfo=TZ):
                break
            if at.hour in QUIET_HOURS:
                raise ValueError(f"fires at {at:%H:%M}; nothing may run between 01:00 and 03:00")
        return self


class RetrySpec(_Block):
    attempts: int = Field(default=3, ge=1, le=10)
    backoff_seconds: float = Field(default=2.0, ge=0)
