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

    def trigger(self, end_date: dt.datetime | None = None):
        from apscheduler.triggers.cron import CronTrigger

        if self.cron is not None:
            fields = self.cron.split()  # as CronTrigger.from_crontab splits them, which takes no end date
            if len(fields) != 5:
                raise ValueError(f"Wrong number of fields; got {len(fields)}, expected 5")
            minute, hour, day, month, day_of_week = fields
            return CronTrigger(minute=minute, hour=hour, day=day, month=month, day_of_week=day_of_week,
                               timezone=TZ, end_date=end_date)
        # Interval schedules are cron-aligned so every process computes the same fire slots and the quiet
        # hours are skipped.
        minute = f"*/{self.every_minutes}" if self.every_minutes < 60 else "0"
        hours = "0,3-23" if self.every_minutes < 60 else f"{3}-23/{self.every_minutes // 60}"
        return CronTrigger(minute=minute, hour=hours, timezone=TZ, end_date=end_date)

    @model_validator(mode="after")
    def _not_in_quiet_hours(self):
        # Day by day, the first fire from 01:00 is the one that would fall in the quiet hours. A week covers a
        # schedule that fires on any day of the month; one restricted to some days or months is followed for a
        # year (days without a fire are skipped, so this stays a few dozen steps). The end date keeps APScheduler
        # from searching to the year 9999 for a date that never comes (31 February).
        every_day = self.cron is None or self.cron.split()[2:4] == ["*", "*"]
        day, end = dt.date(2025, 1, 6), dt.date(2025, 1, 13) if every_day else dt.date(2026, 1, 6)
        trigger = self.trigger(end_date=dt.datetime.combine(end, dt.time(), TZ))
        while day < end:
            at = trigger.get_next_fire_time(None, dt.datetime.combine(day, dt.time(QUIET_HOURS[0]), TZ))
            if at is None:
                if day == dt.date(2025, 1, 6):
                    raise ValueError("never fires within a year")
                break
            if at.hour in QUIET_HOURS:
                raise ValueError(f"fires at {at:%H:%M}; nothing may run between 01:00 and 03:00")
            day = max(at.date(), day + dt.timedelta(days=1))
        return self


class RetrySpec(_Block):
    attempts: int = Field(default=3, ge=1, le=10)
    backoff_seconds: float = Field(default=2.0, ge=0)
