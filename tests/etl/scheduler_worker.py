"""A separate process for the exactly-once tests: `python -m tests.etl.scheduler_worker MODE ...`.

once  URL SCHEMA JOB FIRE START OUT     claim one fire at wall time START, record it in OUT if this process won
sched URL SCHEMA JOB SECONDS OUT        run a real BackgroundScheduler firing every second for SECONDS
"""
from __future__ import annotations

import datetime as dt
import os
import sys
import time

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from etl.locks import claim_fire
from etl.scheduler import MISFIRE_GRACE_SECONDS, fire_slot, run_once
from metrics.db import make_engine
from metrics.windows import TZ


def record(out: str, text: str) -> None:
    with open(out, "a", encoding="utf-8") as fh:  # O_APPEND: lines from several processes never interleave
        fh.write(text + "\n")


def main(argv: list[str]) -> int:
    mode, url, schema, job_id = argv[:4]
    engine = make_engine(url, schema=None if schema == "-" else schema)
    if mode == "once":
        fire, start, out = dt.datetime.fromisoformat(argv[4]), float(argv[5]), argv[6]
        time.sleep(max(0.0, start - time.time()))
        with claim_fire(engine, job_id, fire) as owned:
            if owned:
                record(out, f"{fire.isoformat()} {os.getpid()}")
                time.sleep(0.3)  # still running while the others try
        return 0
    seconds, out = float(argv[4]), argv[5]
    trigger = CronTrigger(second="*", timezone=TZ)
    scheduler = BackgroundScheduler(timezone=TZ)

    def job():
        now = dt.datetime.now(dt.timezone.utc)
        run_once(engine, job_id, trigger, lambda: record(out, f"{fire_slot(trigger, now).isoformat()} {os.getpid()}"))

    scheduler.add_job(job, trigger=trigger, id=job_id, replace_existing=True, coalesce=True,
                      misfire_grace_time=MISFIRE_GRACE_SECONDS)
    scheduler.start()
    time.sleep(seconds)
    scheduler.shutdown(wait=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
