"""Settings from the environment: the one place that reads IMD_* variables."""
from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from metrics.config import BackupSettings, SchedulerSettings, Settings, StoreSettings, WebSettings

ROOT = Path(__file__).resolve().parents[1]


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


def web_workers() -> int:
    """Gunicorn workers of `serve --prod`: IMD_WEB_WORKERS, or 2 x cores + 1."""
    return int(os.environ.get("IMD_WEB_WORKERS") or 2 * (os.cpu_count() or 1) + 1)


def make_store_engine(settings: Settings):
    from metrics.db import store_engine

    return store_engine(settings)
