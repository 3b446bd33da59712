"""APScheduler 3.x in Asia/Shanghai: one job per source (app.py adds the demo's append job and the briefing).

Every job body runs inside claim_fire(job id, scheduled fire time), so N schedulers (web workers started by
mistake, a second `python app.py scheduler`) still run each fire once.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy import Engine

from etl.config import SourceSpec
from etl.jobs import load_specs, scheduled_source_run
from etl.locks import claim_fire
from metrics.config import Settings
from metrics.models import utcnow
from metrics.windows import TZ

log = logging.getLogger("imd.scheduler")

# A fire that starts up to 10 minutes late (process busy, machine suspended, restart) still runs; a later one is
# dropped because the next fire catches up from the watermark anyway. The 3.x default of 1 s would silently
# skip fires whenever the process is briefly busy.
MISFIRE_GRACE_SECONDS = 600


def fire_slot(trigger, now: dt.datetime, grace_seconds: int = MISFIRE_GRACE_SECONDS) -> dt.datetime:
    """The scheduled time of the fire running now: the trigger's latest fire time at or before `now`.

    APScheduler 3 does not hand the scheduled time to the job, but every process computes the same slot
    from the same trigger, which is all the lock needs.
    """
    now = now.astimezone(TZ)
    slot = None
    candidate = trigger.get_next_fire_time(None, now - dt.timedelta(seconds=grace_seconds))
    while candidate is not None and candidate <= now:
        slot = candidate
        candidate = trigger.get_next_fire_time(candidate, candidate + dt.timedelta(microseconds=1))
    return slot or now.replace(microsecond=0)


def run_once(engine: Engine, job_id: str, trigger, body: Callable[[], object],
             clock: Callable[[], dt.datetime] = utcnow) -> bool:
    """Run `body` if this process wins the current fire of `job_id`; True when it ran."""
    slot = fire_slot(trigger, clock())
    with claim_fire(engine, job_id, slot) as owned:
        if not owned:
            log.info("job %s fire %s already taken by another process", job_id, slot.isoformat())
            return False
        body()
    return True


def _source_job(engine: Engine, spec: SourceSpec, job_id: str, trigger) -> None:
    run_once(engine, job_id, trigger, lambda: scheduled_source_run(engine, spec))


def add_job(scheduler: BaseScheduler, job_id: str, trigger, func, *args) -> None:
    scheduler.add_job(func, trigger=trigger, args=(*args, job_id, trigger), id=job_id, name=job_id,
                      replace_existing=True, coalesce=True, max_instances=1,
                      misfire_grace_time=MISFIRE_GRACE_SECONDS)


def expected_intervals(specs: dict[str, SourceSpec], now: dt.datetime) -> dict[str, dt.timedelta]:
    """How often each source is expected to load, for freshness: the gap between its next two fires."""
    expected = {}
    for name, spec in specs.items():
        trigger = spec.schedule.trigger()
        first = trigger.get_next_fire_time(None, now)
        second = trigger.get_next_fire_time(first, first + dt.timedelta(seconds=1))
        expected[name] = max(second - first, dt.timedelta(hours=2))  # the quiet hours stretch one gap
    return expected


def build_scheduler(settings: Settings, engine: Engine, *,
                    scheduler_class: type[BaseScheduler] = BackgroundScheduler,
                    specs: dict[str, SourceSpec] | None = None) -> BaseScheduler:
    """The application's scheduler; `python app.py scheduler` passes BlockingScheduler."""
    scheduler = scheduler_class(timezone=TZ)
    for name, spec in (specs if specs is not None else load_specs(settings)).items():
        add_job(scheduler, f"etl:{name}", spec.schedule.trigger(), _source_job, engine, spec)
    return scheduler
