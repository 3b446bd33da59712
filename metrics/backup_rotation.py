"""The daily backup job's files: one backup per run in a folder, the newest N kept, and the list the Data page
shows."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from metrics.access import Principal
from metrics.backup import BackupResult, backup, meta_path

PREFIX = "imd-"
SUFFIX = {"sqlite": ".sqlite", "postgresql": ".dump"}


@dataclass(frozen=True)
class BackupInfo:
    name: str
    created_at: dt.datetime
    bytes: int
    backend: str
    facts: int
    digest: str


def _backups(directory: Path) -> list[Path]:
    """Completed backups (their checksum file written last), oldest first."""
    found = [p for p in Path(directory).glob(f"{PREFIX}*") if p.suffix in SUFFIX.values() and meta_path(p).is_file()]
    return sorted(found, key=lambda p: p.name)


def rotate_backup(engine: Engine, directory: Path, keep: int, *, now: dt.datetime) -> BackupResult:
    """Write today's backup into `directory`, then delete all but the newest `keep`."""
    if keep < 1:
        raise ValueError("keep at least one backup")
    name = f"{PREFIX}{now.astimezone(dt.timezone.utc):%Y%m%dT%H%M%SZ}{SUFFIX[engine.dialect.name]}"
    result = backup(engine, Path(directory) / name, now=now)
    for old in _backups(directory)[:-keep]:
        meta_path(old).unlink(missing_ok=True)
        old.unlink(missing_ok=True)
    return result


def list_backups(principal: Principal, directory: Path | None) -> list[BackupInfo]:
    """The kept backups, newest first (nothing when no backup folder is configured). Every signed-in user
    may see that backups exist; their content is not exposed here."""
    del principal  # no data scope applies: names, times and sizes only
    if directory is None or not Path(directory).is_dir():
        return []
    out = []
    for path in reversed(_backups(directory)):
        meta = json.loads(meta_path(path).read_text(encoding="utf-8"))
        out.append(BackupInfo(path.name, dt.datetime.fromisoformat(meta["created_at"]), path.stat().st_size,
                              meta["backend"], int(meta["checksum"]["tables"]["daily_fact"]["rows"]),
                              meta["checksum"]["digest"]))
    return out
