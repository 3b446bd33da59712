"""Backup and restore of the store on SQLite and PostgreSQL: the round trip keeps the checksum of facts,
rollups, quarantine and watermarks; a store with data is refused without force; the daily job keeps N."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import text

from etl.backup_job import JOB_ID, add_backup_job
from etl.pipeline import run_source
from metrics.access import SYSTEM
from metrics.backup import BackupError, backup, has_data, restore
from metrics.backup_rotation import list_backups, rotate_backup
from metrics.checksum import store_checksum
from metrics.config import BackupSettings, Settings, StoreSettings
from metrics.db import make_engine, upgrade
from tests.etl.helpers import SAMPLE, clue_spec, sqlite_clue_source

ROOT = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2026, 12, 4, 3, 30, tzinfo=dt.timezone.utc)


def loaded(engine, tmp_path):
    url, source, _ = sqlite_clue_source(tmp_path / "clues.sqlite", SAMPLE)
    source.dispose()
    assert run_source(engine, clue_spec(url)).status == "success"
    return engine


def emptied(engine):
    """The same store, dropped and migrated again: empty but for reference data."""
    if engine.dialect.name == "sqlite":
        path = Path(engine.url.database)
        engine.dispose()
        for f in path.parent.glob(path.name + "*"):
            f.unlink()
        fresh = make_engine(f"sqlite:///{path}")
    else:
        with engine.connect() as conn:
            schema = conn.execute(text("SELECT current_schema()")).scalar()
        engine.dispose()
        with make_engine(engine.url.render_as_string(hide_password=False)).connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            conn.commit()
        fresh = make_engine(engine.url.render_as_string(hide_password=False), schema=schema)
    upgrade(fresh)
    return fresh


def test_round_trip_keeps_the_checksum_and_refuses_a_store_with_data(store_engine, tmp_path):
    engine = loaded(store_engine, tmp_path)
    before = store_checksum(engine)
    assert before.tables["daily_fact"].rows > 0 and before.tables["quarantined_row"].rows == 5
    result = backup(engine, tmp_path / "store.bak", now=NOW)
    assert result.checksum == before and result.path.stat().st_size > 0

    with pytest.raises(BackupError, match="already holds data"):
        restore(engine, result.path)

    empty = emptied(engine)
    assert not has_data(empty) and store_checksum(empty).empty
    restored = restore(empty, result.path)
    assert restored == before == store_checksum(empty)
    assert restore(empty, result.path, force=True) == before  # force replaces, nothing doubled
    empty.dispose()


def test_a_damaged_backup_is_refused(store_engine, tmp_path):
    engine = loaded(store_engine, tmp_path)
    result = backup(engine, tmp_path / "store.bak", now=NOW)
    meta = result.path.with_name(result.path.name + ".json")
    meta.write_text(meta.read_text().replace(result.checksum.digest, "0" * 64))
    with pytest.raises(BackupError, match="differs from the backup"):
        restore(engine, result.path, force=True)
    (tmp_path / "junk.bak").write_bytes(b"not a backup at all")
    with pytest.raises(BackupError, match="neither a SQLite backup nor a pg_dump"):
        restore(engine, tmp_path / "junk.bak", force=True)


def test_daily_job_keeps_the_newest_and_lists_them(store_engine, tmp_path):
    engine = loaded(store_engine, tmp_path)
    folder = tmp_path / "backups"
    for hours in range(3):
        rotate_backup(engine, folder, keep=2, now=NOW + dt.timedelta(days=hours))
    listed = list_backups(SYSTEM, folder)
    assert [b.created_at for b in listed] == [NOW + dt.timedelta(days=2), NOW + dt.timedelta(days=1)]
    assert len(list(folder.iterdir())) == 4  # two backups and their checksum files
    assert listed[0].facts == store_checksum(engine).tables["daily_fact"].rows
    assert list_backups(SYSTEM, None) == [] and list_backups(SYSTEM, tmp_path / "missing") == []


def test_the_backup_job_is_scheduled_only_with_a_folder(tmp_path):
    base = Settings(data_dir=tmp_path, store=StoreSettings(url="sqlite://"), sources_path=tmp_path / "s.yaml")
    scheduler = BackgroundScheduler()
    assert not add_backup_job(scheduler, base, None) and scheduler.get_job(JOB_ID) is None
    with_folder = Settings(data_dir=tmp_path, store=base.store, sources_path=base.sources_path,
                           backup=BackupSettings(directory=tmp_path / "b", keep=3))
    assert add_backup_job(scheduler, with_folder, None)
    fields = {f.name: str(f) for f in scheduler.get_job(JOB_ID).trigger.fields}
    assert (fields["hour"], fields["minute"]) == ("3", "30")


def test_cli_backup_and_restore_on_the_embedded_store(tmp_path):
    def app(data_dir, *argv):
        env = {**os.environ, "IMD_DATA_DIR": str(data_dir)}
        env.pop("IMD_DATABASE_URL", None)
        return subprocess.run([sys.executable, str(ROOT / "app.py"), *argv], capture_output=True, text=True,
                              env=env, timeout=120)

    first, second = tmp_path / "a", tmp_path / "b"
    assert app(first, "db", "upgrade").returncode == 0
    loaded(make_engine(f"sqlite:///{first / 'imd.sqlite'}"), tmp_path).dispose()
    out = tmp_path / "out" / "imd.sqlite"
    done = app(first, "db", "backup", "--out", str(out))
    assert done.returncode == 0 and "backup of the sqlite store" in done.stdout, done.stderr
    assert app(second, "db", "upgrade").returncode == 0
    done = app(second, "db", "restore", str(out))
    assert done.returncode == 0 and "matches the backup" in done.stdout, done.stderr
    refused = app(second, "db", "restore", str(out))
    assert refused.returncode == 2 and len(refused.stderr.strip().splitlines()) == 1
    assert "--force" in refused.stderr and "Traceback" not in refused.stderr
    assert app(second, "db", "restore", str(out), "--force").returncode == 0
