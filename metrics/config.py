"""Settings sections. Only app.py reads the environment; everything else is handed these."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class StoreSettings:
    url: str
    schema: str | None = None  # PostgreSQL search_path, for isolated test runs
    read_url: str | None = None  # a read replica for the query API; None: reads go to `url`


@dataclass(frozen=True, slots=True)
class WebSettings:
    host: str = "127.0.0.1"
    port: int = 8050
    debug: bool = False
    secret_key: str = ""
    admin_password: str | None = None
    redis_url: str | None = None  # shared cache for production workers
    secure_cookies: bool = False


@dataclass(frozen=True, slots=True)
class SchedulerSettings:
    enabled: bool = True
    demo_append_minutes: int = 5  # embedded default only: the demo systems keep producing events
    briefing_day: int = 10  # day of the month after a quarter ends
    briefing_hour: int = 8


@dataclass(frozen=True, slots=True)
class BackupSettings:
    directory: Path | None = None  # None: no scheduled backups
    keep: int = 7  # the newest N daily backups are kept


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    store: StoreSettings
    sources_path: Path
    web: WebSettings = field(default_factory=WebSettings)
    scheduler: SchedulerSettings = field(default_factory=SchedulerSettings)
    # What ${VAR} in the sources YAML may expand to; app.py fills it from the environment.
    source_variables: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    backup: BackupSettings = field(default_factory=BackupSettings)

    @property
    def demo_dir(self) -> Path:
        return self.data_dir / "demo"

    @property
    def briefings_dir(self) -> Path:
        return self.data_dir / "briefings"

    @property
    def embedded(self) -> bool:
        return self.store.url.startswith("sqlite")
