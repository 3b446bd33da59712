"""The Data page names the newest scheduled backup and how many are kept (metrics.api.list_backups)."""
from __future__ import annotations

import datetime as dt

from dashboard import create_app
from dashboard.backups_note import backup_note
from metrics.api import MetricsStore
from metrics.backup_rotation import rotate_backup
from metrics.config import BackupSettings, Settings, StoreSettings, WebSettings
from tests.auth_helpers import acting_as
from tests.dashboard import seed_data

NOW = dt.datetime(2026, 12, 3, 19, 30, tzinfo=dt.timezone.utc)  # 03:30 on 12-04 in Asia/Shanghai


def _app(engine, tmp_path, directory):
    settings = Settings(data_dir=tmp_path, store=StoreSettings(url="sqlite://"), sources_path=tmp_path / "none.yaml",
                        web=WebSettings(secret_key="a-test-secret-key"),
                        backup=BackupSettings(directory=directory, keep=2))
    return create_app(settings, MetricsStore(engine), clock=lambda: seed_data.CLOCK_NOW)


def test_data_page_shows_the_latest_backup(seeded, tmp_path):
    engine, _ = seeded
    folder = tmp_path / "backups"
    app = _app(engine, tmp_path, folder)
    with acting_as(app, engine, "gd"):
        assert backup_note("en") == "No scheduled backup has run yet"
    rotate_backup(engine, folder, 2, now=NOW - dt.timedelta(days=1))
    result = rotate_backup(engine, folder, 2, now=NOW)
    facts = result.checksum.tables["daily_fact"].rows
    with acting_as(app, engine, "gd"):
        note = backup_note("en")
        assert note.startswith("Latest backup: 2026-12-04 03:30 (") and note.endswith("; 2 backups kept")
        assert f"{facts:,} facts" in note
        assert "最近一次备份：2026-12-04 03:30" in backup_note("zh")
        from dashboard.pages.data import layout  # a page module is imported once an app exists

        assert "Latest backup: 2026-12-04 03:30" in str(layout("en"))


def test_without_a_backup_folder_the_page_says_so(seeded, tmp_path):
    engine, _ = seeded
    with acting_as(_app(engine, tmp_path, None), engine, "lead"):
        assert backup_note("en") == "No scheduled backups (IMD_BACKUP_DIR is not set)"
