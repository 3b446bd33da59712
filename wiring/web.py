"""The web process: its session key, the first admin, the Dash app, and `serve` (embedded or gunicorn)."""
from __future__ import annotations

import dataclasses
import functools
import os
import secrets
import sys

from metrics.config import Settings

from wiring.jobs import build_app_scheduler, freshness_intervals
from wiring.settings import ROOT, make_store_engine, web_workers

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


def exec_gunicorn(args, settings: Settings) -> int:
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
    workers = web_workers()
    argv = [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py"), "--chdir", str(ROOT),
            "--workers", str(workers), "--bind", f"{args.host}:{args.port}", "wsgi:server"]
    print(f"serving with gunicorn, {workers} workers, on {args.host}:{args.port}; "
          "run the scheduler as its own process: python app.py scheduler", file=sys.stderr, flush=True)
    os.execv(sys.executable, argv)
    return 0  # not reached


def serve(args, settings: Settings) -> int:
    if args.prod:
        return exec_gunicorn(args, settings)
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
