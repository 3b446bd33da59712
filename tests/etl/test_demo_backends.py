"""The clue system can live in any SQLAlchemy database: PostgreSQL (a throwaway schema) and MariaDB."""
from __future__ import annotations

import datetime as dt
import os
import uuid
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PG_URL
from demo import generate

UNTIL = dt.date(2023, 8, 31)
MARIADB_ROOT = os.environ.get("IMD_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306")
REQUIRE_MARIADB = os.environ.get("IMD_REQUIRE_MARIADB") == "1"


def _clues(url: str) -> list[tuple]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text("SELECT * FROM clue ORDER BY clue_id"))]
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def sqlite_clues(tmp_path_factory) -> list[tuple]:
    folder = tmp_path_factory.mktemp("demo_sqlite")
    generate(folder, until=UNTIL, scale=0.3)
    return _clues(f"sqlite:///{folder / 'regulator.sqlite'}")


def test_clue_system_on_postgresql(pg_schema_factory, tmp_path, sqlite_clues):
    schema = pg_schema_factory("imd_demo")
    url = f"{PG_URL}?options={quote(f'-csearch_path={schema.name}')}"
    generate(tmp_path, until=UNTIL, scale=0.3, clue_db_url=url)
    assert not (tmp_path / "regulator.sqlite").exists()
    assert _clues(url) == sqlite_clues
    with schema.admin.connect() as conn:
        tables = conn.execute(text("SELECT table_name FROM information_schema.tables WHERE table_schema = :s"),
                              {"s": schema.name}).scalars().all()
    assert tables == ["clue"]


@pytest.fixture
def mariadb_url():
    database = f"imd_demo_{uuid.uuid4().hex[:10]}"
    try:
        admin = create_engine(MARIADB_ROOT, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"))
    except Exception as exc:  # noqa: BLE001 - any failure means "not available"
        message = f"MariaDB at {MARIADB_ROOT} is unavailable: {str(exc).splitlines()[0]}"
        if REQUIRE_MARIADB:
            pytest.fail(f"IMD_REQUIRE_MARIADB=1 but {message}")
        pytest.skip(message)
    yield f"{MARIADB_ROOT}/{database}?charset=utf8mb4"
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS `{database}`"))
    admin.dispose()


def test_clue_system_on_mariadb(mariadb_url, tmp_path, sqlite_clues):
    generate(tmp_path, until=UNTIL, scale=0.3, clue_db_url=mariadb_url)
    assert _clues(mariadb_url) == sqlite_clues
    generate(tmp_path, until=UNTIL, scale=0.3, clue_db_url=mariadb_url)  # re-generating replaces the table
    assert _clues(mariadb_url) == sqlite_clues
