"""The one scheduler (ETL, live demo, quarterly brief, backups, alerts) and its own process."""
from __future__ import annotations

from metrics.config import Settings

from wiring.settings import make_store_engine


def build_app_scheduler(settings: Settings, engine, scheduler_class=None):
    """The one scheduler: every source's ETL job, the live demo job (embedded only) and the quarterly briefing."""
    from apscheduler.schedulers.background import BackgroundScheduler

    from briefing.service import add_briefing_job
    from etl.backup_job import add_backup_job
    from etl.scheduler import build_scheduler

    scheduler = build_scheduler(settings, engine, scheduler_class=scheduler_class or BackgroundScheduler)
    if settings.embedded:
        from demo.job import add_demo_job

        add_demo_job(scheduler, settings, engine)
    add_briefing_job(scheduler, settings, engine)
    add_backup_job(scheduler, settings, engine)
    from alerts.job import add_alerts_job

    add_alerts_job(scheduler, settings, engine)
    return scheduler


def freshness_intervals(settings: Settings) -> dict:
    import datetime as dt

    from etl.jobs import load_specs
    from etl.scheduler import expected_intervals

    return expected_intervals(load_specs(settings), dt.datetime.now(dt.timezone.utc))


def run_scheduler(args, settings: Settings) -> int:
    from apscheduler.schedulers.blocking import BlockingScheduler

    from metrics.db import upgrade

    engine = make_store_engine(settings)
    upgrade(engine)
    scheduler = build_app_scheduler(settings, engine, BlockingScheduler)
    print(f"scheduler running {len(scheduler.get_jobs())} jobs (Asia/Shanghai); Ctrl-C stops it", flush=True)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    return 0
