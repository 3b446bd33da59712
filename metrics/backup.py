"""Backups of the metrics store and restoring them.

SQLite (the embedded store): the online backup API copies a consistent image while readers and the ETL go on.
PostgreSQL: `pg_dump` custom format, taken inside an exported snapshot so the checksum written beside the dump
describes exactly the rows in it; `pg_restore --clean --single-transaction` restores all or nothing.

Beside each backup FILE sits FILE.json: backend, time, migration revision and the store checksum
(metrics.checksum). A restore recomputes the checksum and fails loudly when it differs.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from metrics.checksum import StoreChecksum, store_checksum

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class BackupError(RuntimeError):
    """A backup or restore that cannot be done (one line for the user)."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    backend: str
    bytes: int
    checksum: StoreChecksum
    seconds: float


def meta_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _libpq_url(engine: Engine) -> str:
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _schema(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return conn.execute(text("SELECT current_schema()")).scalar()


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian package postgresql-client, the server's major version)")
    return found


def _revision(conn) -> str | None:
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def backup(engine: Engine, out: Path, *, now: dt.datetime) -> BackupResult:
    """Write a consistent backup of the store to `out` (and its checksum to out.json)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")  # never leave a half-written file under the real name
    partial.unlink(missing_ok=True)
    started, schema = dt.datetime.now(dt.timezone.utc), None
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()
        try:
            target = sqlite3.connect(partial)
            with target:
                raw.driver_connection.backup(target)
            target.close()
        finally:
            raw.close()
        copy = create_engine(f"sqlite:///{partial}")
        with copy.connect() as conn:
            checksum, revision = store_checksum(conn), _revision(conn)
        copy.dispose()
    elif engine.dialect.name == "postgresql":
        schema = _schema(engine)
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
            with conn.begin():
                snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar()
                argv = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                        f"--snapshot={snapshot}", f"--schema={schema}", f"--file={partial}", _libpq_url(engine)]
                dump = subprocess.Popen(argv, stderr=subprocess.PIPE, text=True)
                checksum, revision = store_checksum(conn), _revision(conn)  # the same snapshot pg_dump reads
                _, err = dump.communicate()
        if dump.returncode:
            partial.unlink(missing_ok=True)
            raise BackupError(f"pg_dump failed: {err.strip().splitlines()[-1] if err.strip() else dump.returncode}")
    else:
        raise BackupError(f"backups of a {engine.dialect.name} store are not supported")
    partial.replace(out)
    meta = {"backend": engine.dialect.name, "created_at": now.isoformat(), "revision": revision,
            "schema": schema if engine.dialect.name == "postgresql" else None, "checksum": checksum.to_json()}
    meta_path(out).write_text(json.dumps(meta, indent=2), encoding="utf-8")
    seconds = (dt.datetime.now(dt.timezone.utc) - started).total_seconds()
    return BackupResult(out, engine.dialect.name, out.stat().st_size, checksum, seconds)


def has_data(engine: Engine) -> bool:
    """Whether the store holds anything a restore would lose (reference data does not count)."""
    with engine.connect() as conn:
        tables = set(conn.dialect.get_table_names(conn))
        for table in ("daily_fact", "quarantined_row", "etl_run", "briefing_snapshot", "source_watermark"):
            if table in tables and conn.execute(text(f"SELECT 1 FROM {table} LIMIT 1")).first():
                return True
    return False


def _read_meta(path: Path) -> dict:
    meta = meta_path(path)
    return json.loads(meta.read_text(encoding="utf-8")) if meta.is_file() else {}


def _kind(path: Path) -> str:
    with open(path, "rb") as f:
        head = f.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is neither a SQLite backup nor a pg_dump custom-format file")


def restore(engine: Engine, path: Path, *, force: bool = False) -> StoreChecksum:
    """Replace the store's contents with the backup at `path`, then check the checksum written beside it.

    Refuses a store that holds data unless `force`. Returns the restored store's checksum."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"no backup at {path}")
    kind = _kind(path)
    if kind != engine.dialect.name:
        raise BackupError(f"{path} is a {kind} backup; the store is {engine.dialect.name}")
    meta = _read_meta(path)
    if kind == "postgresql" and meta.get("schema") and meta["schema"] != _schema(engine):
        raise BackupError(f"{path} holds schema {meta['schema']}; the store uses {_schema(engine)}")
    if not force and has_data(engine):
        raise BackupError("the store already holds data; restore into an empty store, or pass --force to replace it")
    if kind == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        raw = engine.raw_connection()
        try:
            source.backup(raw.driver_connection)
        finally:
            raw.close()
            source.close()
        engine.dispose()  # pooled connections cached the old schema
    else:
        argv = [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
                "--single-transaction", "--exit-on-error", f"--dbname={_libpq_url(engine)}", str(path)]
        done = subprocess.run(argv, capture_output=True, text=True)
        if done.returncode:
            raise BackupError(f"pg_restore failed: {done.stderr.strip().splitlines()[-1]}")
        engine.dispose()
    restored = store_checksum(engine)
    if meta:
        expected = meta["checksum"]["digest"]
        if restored.digest != expected:
            raise BackupError(f"restored store's checksum {restored.digest[:16]} differs from the backup's "
                              f"{expected[:16]}")
    return restored
