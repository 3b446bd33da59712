"""Entry point: `python app.py [command]` (also the `imd` console script).

Builds settings, engine, scheduler and the Dash app. Nothing else reads environment variables.
"""
from __future__ import annotations

import argparse
import dataclasses
import functools
import json
import os
import secrets
import sys
from functools import cache
from pathlib import Path

from metrics.config import BackupSettings, SchedulerSettings, Settings, StoreSettings, WebSettings

ROOT = Path(__file__).resolve().parent


class UsageError(Exception):
    """Bad input from the command line: one line on stderr, exit code 2."""


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "on")


@cache
def get_settings() -> Settings:
    data_dir = Path(os.environ.get("IMD_DATA_DIR", ROOT / "var")).resolve()
    default_url = f"sqlite:///{data_dir / 'imd.sqlite'}"
    return Settings(
        data_dir=data_dir,
        store=StoreSettings(url=os.environ.get("IMD_DATABASE_URL", default_url),
                            schema=os.environ.get("IMD_DATABASE_SCHEMA") or None,
                            read_url=os.environ.get("IMD_READ_DATABASE_URL") or None),
        sources_path=Path(os.environ.get("IMD_SOURCES", ROOT / "etl" / "sources.demo.yaml")),
        source_variables=tuple(sorted({"IMD_DEMO_DIR": str(data_dir / "demo"), **os.environ}.items())),
        web=WebSettings(
            host=os.environ.get("IMD_HOST", "127.0.0.1"),
            port=int(os.environ.get("IMD_PORT", "8050")),
            debug=_env_bool("IMD_DEBUG", False),
            secret_key=os.environ.get("IMD_SECRET_KEY") or "",  # empty: web_settings() keeps one in the data dir
            admin_password=os.environ.get("IMD_ADMIN_PASSWORD") or None,
            redis_url=os.environ.get("IMD_REDIS_URL") or None,
            secure_cookies=_env_bool("IMD_SECURE_COOKIES", False),
        ),
        scheduler=SchedulerSettings(
            enabled=_env_bool("IMD_SCHEDULER", True),
            demo_append_minutes=int(os.environ.get("IMD_DEMO_APPEND_MINUTES", "5")),
            briefing_day=int(os.environ.get("IMD_BRIEFING_DAY", "10")),
            briefing_hour=int(os.environ.get("IMD_BRIEFING_HOUR", "8")),
        ),
        backup=BackupSettings(directory=Path(os.environ["IMD_BACKUP_DIR"]).resolve() if os.environ.get("IMD_BACKUP_DIR")
                              else None, keep=int(os.environ.get("IMD_BACKUP_KEEP", "7"))),
        smtp_url=os.environ.get("IMD_SMTP_URL") or None,
    )


def make_store_engine(settings: Settings):
    from metrics.db import store_engine

    return store_engine(settings)


# -- commands --------------------------------------------------------------------------------------------
def cmd_db_upgrade(args, settings: Settings) -> int:
    from metrics.db import upgrade

    upgrade(make_store_engine(settings))
    print("metrics store is at the latest schema")
    return 0


def cmd_summary(args, settings: Settings) -> int:
    # The query API's own modules, not the whole metrics.api facade: the command starts in well under 1 s.
    from metrics.access import SYSTEM
    from metrics.db import store_engine
    from metrics.query import MetricsQuery
    from metrics.requests import TotalsRequest
    from metrics.units import get_unit
    from metrics.windows import Window, parse_date

    window = Window(parse_date(args.date_from), parse_date(args.date_to))
    if args.unit:
        get_unit(args.unit)
    engine = store_engine(settings, check=True)
    frame = MetricsQuery(engine, SYSTEM).totals(TotalsRequest(window, unit=args.unit)).frame
    if args.format == "json":
        print(json.dumps(frame.to_dict("records"), ensure_ascii=False, indent=2))
    elif args.format == "csv":
        sys.stdout.write(frame.to_csv(index=False))
    else:
        print(frame.to_string(index=False))
    return 0


def web_settings(settings: Settings) -> Settings:
    """Settings for a web process: without IMD_SECRET_KEY, a key generated once and kept in the data dir
    (mode 0600), so every worker and restart signs sessions alike."""
    if settings.web.secret_key:
        return settings
    path = settings.data_dir / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
    except FileExistsError:
        pass  # made by an earlier start or another worker
    key = path.read_text().strip()
    return dataclasses.replace(settings, web=dataclasses.replace(settings.web, secret_key=key))


def ensure_admin_user(settings: Settings, engine) -> None:
    """First start: create 'admin' (IMD_ADMIN_PASSWORD, or a random password printed once to stderr)."""
    from sqlalchemy.exc import IntegrityError

    from metrics.cli import ensure_first_admin
    from metrics.users import UserError, has_users

    try:
        password = ensure_first_admin(engine, settings.web.admin_password)
    except (UserError, IntegrityError):
        if not has_users(engine):  # a real error (a too-short IMD_ADMIN_PASSWORD), not a lost race
            raise
        return
    if password:
        print(f"created admin user 'admin' with password {password} (shown once)", file=sys.stderr, flush=True)


def etl_runner(settings: Settings, engine):
    """What the dashboard's admin-only "run ETL now" calls: every configured source once."""
    def run() -> list[dict]:
        from etl.jobs import load_specs, run_sources

        results = run_sources(engine, load_specs(settings).values(), trigger="manual")
        return [{"source": r.source, "status": r.status, "rows_read": r.rows_read, "rows_loaded": r.rows_loaded,
                 "rows_quarantined": r.rows_quarantined, "error": r.error} for r in results]
    return run


def build_web_app(settings: Settings):
    """The Dash app of one production web worker (wsgi.py): no migrations, no scheduler.

    With IMD_REDIS_URL set, query-API answers are shared by every worker through Flask-Caching on Redis and
    retired when a load commits (metrics.cache). With IMD_READ_DATABASE_URL set, the query API reads a
    replica; sign-in, users, tokens, audit and the ETL stay on the primary.
    """
    from dashboard import create_app
    from etl.returns_cli import build_desk as build_returns_desk
    from metrics.api import MetricsStore
    from metrics.db import store_engine

    settings = web_settings(settings)
    engine = make_store_engine(settings)
    ensure_admin_user(settings, engine)
    # The cache key's store generation is read from the same replica as the data, so a lagging replica
    # never serves (or caches) an answer under a newer generation than its rows.
    reads = store_engine(settings, read=True) if settings.store.read_url else engine
    common = {"run_etl": etl_runner(settings, engine), "expected_every": freshness_intervals(settings),
              "returns": build_returns_desk(settings, engine)}
    if not settings.web.redis_url:
        return create_app(settings, MetricsStore(engine, reads=reads), **common)
    from flask_caching import Cache

    from metrics.cache import CachedMetricsQuery

    cache = Cache(config={"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": settings.web.redis_url,
                          "CACHE_KEY_PREFIX": "imd:", "CACHE_DEFAULT_TIMEOUT": 3600,
                          # Redis gone: a request waits at most this long before it reads the store instead
                          "CACHE_OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}})
    store = MetricsStore(engine, reads=reads, queries=functools.partial(CachedMetricsQuery, cache=cache))
    app = create_app(settings, store, **common)
    cache.init_app(app.server)
    return app


def seed_demo_targets(engine) -> None:
    """Embedded demo: national and bureau targets for 2025/2026 from the data, once, so statuses show."""
    from demo.targets import ensure_demo_targets
    from metrics.windows import today_shanghai

    ensure_demo_targets(engine, today_shanghai())


def _exec_gunicorn(args, settings: Settings) -> int:
    """Migrate once, then replace this process with gunicorn serving wsgi:server with N workers."""
    from metrics.db import upgrade

    engine = make_store_engine(settings)
    upgrade(engine)
    ensure_admin_user(settings, engine)  # once, here: the workers then find it
    web_settings(settings)  # the shared session key exists before the workers start
    if settings.embedded:
        from demo.bootstrap import ensure_demo_loaded

        ensure_demo_loaded(settings, engine)
        seed_demo_targets(engine)
    engine.dispose()
    workers = int(os.environ.get("IMD_WEB_WORKERS") or 2 * (os.cpu_count() or 1) + 1)
    argv = [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py"), "--chdir", str(ROOT),
            "--workers", str(workers), "--bind", f"{args.host}:{args.port}", "wsgi:server"]
    print(f"serving with gunicorn, {workers} workers, on {args.host}:{args.port}; "
          "run the scheduler as its own process: python app.py scheduler", file=sys.stderr, flush=True)
    os.execv(sys.executable, argv)
    return 0  # not reached


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


def cmd_scheduler(args, settings: Settings) -> int:
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


def cmd_serve(args, settings: Settings) -> int:
    if args.prod:
        return _exec_gunicorn(args, settings)
    from dashboard import create_app
    from dashboard.web.serving import serve_embedded
    from demo.bootstrap import ensure_demo_loaded
    from etl.returns_cli import build_desk as build_returns_desk
    from metrics.api import MetricsStore
    from metrics.db import upgrade

    settings = web_settings(settings)
    engine = make_store_engine(settings)
    upgrade(engine)
    ensure_admin_user(settings, engine)
    if settings.embedded:
        ensure_demo_loaded(settings, engine)
        seed_demo_targets(engine)
    scheduler = None
    if settings.scheduler.enabled and not args.no_scheduler:
        scheduler = build_app_scheduler(settings, engine)
        scheduler.start()
    app = create_app(settings, MetricsStore(engine), run_etl=etl_runner(settings, engine),
                     expected_every=freshness_intervals(settings), returns=build_returns_desk(settings, engine))
    try:
        serve_embedded(app, host=args.host, port=args.port, debug=settings.web.debug)
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
    return 0


# -- parser ----------------------------------------------------------------------------------------------
class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit code 2, no usage dump
        raise UsageError(f"{self.prog}: {message}")


def build_parser(settings: Settings, argv: list[str] | None = None) -> argparse.ArgumentParser:
    parser = _Parser(prog="imd", description="Interagency Metrics Dashboard")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    serve = sub.add_parser("serve", help="serve the dashboard (default)")
    serve.add_argument("--host", default=settings.web.host)
    serve.add_argument("--port", type=int, default=settings.web.port)
    serve.add_argument("--no-scheduler", action="store_true", help="do not run the scheduler in this process")
    serve.add_argument("--prod", action="store_true",
                       help="gunicorn with IMD_WEB_WORKERS workers (default 2*cores+1), no scheduler")
    serve.set_defaults(func=cmd_serve)

    db = sub.add_parser("db", help="metrics store administration")
    db_sub = db.add_subparsers(dest="db_command", required=True, parser_class=_Parser)
    db_sub.add_parser("upgrade", help="apply migrations and sync reference data").set_defaults(func=cmd_db_upgrade)
    backup = db_sub.add_parser("backup", help="write a consistent backup of the store (SQLite file or pg_dump)")
    backup.add_argument("--out", required=True, metavar="FILE")
    backup.set_defaults(func=_lazy("metrics.cli_backup", "cmd_backup"))
    restore = db_sub.add_parser("restore", help="restore a backup into an empty store, checked by its checksum")
    restore.add_argument("file", metavar="FILE")
    restore.add_argument("--force", action="store_true", help="replace a store that already holds data")
    restore.set_defaults(func=_lazy("metrics.cli_backup", "cmd_restore"))

    summary = sub.add_parser("summary", help="total of every metric over a window")
    summary.add_argument("--from", dest="date_from", required=True, metavar="DATE")
    summary.add_argument("--to", dest="date_to", required=True, metavar="DATE")
    summary.add_argument("--unit", metavar="CODE", help="reporting unit code (default: the nation)")
    summary.add_argument("--format", choices=("table", "json", "csv"), default="table")
    summary.set_defaults(func=cmd_summary)

    sub.add_parser("scheduler", help="run the scheduler as its own process (production)").set_defaults(
        func=cmd_scheduler)

    import importlib

    # Only the package of the command being run is imported (all of them when argv is not given), so
    # `--help` and the light commands start at once; the others get a placeholder holding their help line.
    loaded = set(COMMAND_MODULES.values()) if argv is None else {COMMAND_MODULES.get(_command_word(argv))} - {None}
    for name, module in COMMAND_MODULES.items():
        if module not in loaded:
            sub.add_parser(name, help=COMMAND_HELP[name])
    for module in dict.fromkeys(m for m in COMMAND_MODULES.values() if m in loaded):
        importlib.import_module(module).add_commands(sub, _Parser)
    return parser


# Subcommands contributed by packages (each module exposes add_commands(subparsers, parser_class)).
COMMAND_MODULES = {"users": "metrics.cli", "reconcile": "metrics.cli_reconcile", "etl": "etl.cli",
                   "demo": "demo.cli", "briefing": "briefing.cli", "units": "metrics.cli_units",
                   "metrics": "metrics.cli_units", "returns": "etl.returns_cli",
                   "targets": "metrics.cli_targets", "scorecard": "metrics.cli_targets", "alerts": "alerts.cli"}
COMMAND_HELP = {  # the same lines as the modules' own (tests/test_cli_lazy.py checks)
    "users": "manage sign-in users and API tokens",
    "reconcile": "the referral funnel and the records matched on one side only",
    "etl": "load the source systems into the metrics store",
    "demo": "demo operational systems",
    "briefing": "quarterly brief: HTML, PDF, Word and PNG charts, zh and en",
    "units": "reporting units: how spellings resolve, store-wide aliases",
    "metrics": "the metric catalog",
    "returns": "bureau returns: list, overdue, signatories",
    "targets": "annual and campaign-phase targets",
    "scorecard": "the composite standing of the 36 bureaus",
    "alerts": "alert rules, subscriptions and the daily digest",
}


def _lazy(module: str, name: str):
    """A command handler imported when it runs."""
    def handler(args, settings: Settings) -> int:
        import importlib

        return getattr(importlib.import_module(module), name)(args, settings)
    return handler


def _command_word(argv: list[str]) -> str | None:
    return next((word for word in argv if not word.startswith("-")), None)


def _usage_errors() -> tuple[type[Exception], ...]:
    """Errors that are bad input, not bugs; imported only once one was raised (they pull in the store)."""
    from metrics.api import AccessDenied, InvalidWindowError, UnknownMetricError, UnknownUnitError
    from metrics.backup import BackupError
    from metrics.db import StoreUnavailableError
    from metrics.users import UserError

    return (InvalidWindowError, UnknownMetricError, UnknownUnitError, StoreUnavailableError, AccessDenied, UserError,
            BackupError)


def main(argv: list[str] | None = None) -> int:
    settings = get_settings()
    argv = list(sys.argv[1:] if argv is None else argv) or ["serve"]
    try:
        parser = build_parser(settings, argv)
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return 2
        return args.func(args, settings) or 0
    except Exception as exc:
        if not isinstance(exc, (UsageError, *_usage_errors())):
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
