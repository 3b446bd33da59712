"""Shared fixtures: a fresh metrics store per test session on SQLite and, when configured, PostgreSQL.

PostgreSQL tests run when IMD_TEST_POSTGRES_URL is set; with IMD_REQUIRE_POSTGRES=1 a missing server fails
the run instead of skipping (CI sets both).
"""
from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from metrics.db import make_engine, upgrade

PG_URL = os.environ.get("IMD_TEST_POSTGRES_URL")
REQUIRE_PG = os.environ.get("IMD_REQUIRE_POSTGRES") == "1"


def _pg_available() -> str | None:
    if not PG_URL:
        return "IMD_TEST_POSTGRES_URL is not set"
    try:
        with create_engine(PG_URL, poolclass=NullPool).connect() as conn:  # no idle connection left behind
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means "not available"
        return f"PostgreSQL at {PG_URL} is unreachable: {exc}".splitlines()[0]
    return None


def require_postgres() -> None:
    reason = _pg_available()
    if reason is None:
        return
    if REQUIRE_PG:
        pytest.fail(f"IMD_REQUIRE_POSTGRES=1 but {reason}")
    pytest.skip(reason)


class PgSchema:
    """A throwaway schema in the shared PostgreSQL database, dropped afterwards."""

    def __init__(self, prefix: str = "imd_test"):
        self.name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        self.admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{self.name}"'))
        # Schemas are dropped when the session ends: an idle pooled connection per schema until then ran the
        # server out of connections ("too many clients") after ~95 PostgreSQL tests.
        self.admin.dispose()

    def drop(self) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg_schema_factory():
    created: list[PgSchema] = []

    def make(prefix: str = "imd_test") -> PgSchema:
        require_postgres()
        schema = PgSchema(prefix)
        created.append(schema)
        return schema

    yield make
    for schema in created:
        schema.drop()


def _new_store(kind: str, tmp_path_factory, pg_schema_factory):
    if kind == "sqlite":
        path = tmp_path_factory.mktemp("store") / "imd.sqlite"
        engine = make_engine(f"sqlite:///{path}")
    else:
        schema = pg_schema_factory()
        engine = make_engine(PG_URL, schema=schema.name)
    upgrade(engine)
    return engine


@pytest.fixture(params=["sqlite", "postgresql"])
def store_engine(request, tmp_path_factory, pg_schema_factory):
    """An empty, migrated metrics store, one per test, on each backend."""
    engine = _new_store(request.param, tmp_path_factory, pg_schema_factory)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"], scope="module")
def module_store_engine(request, tmp_path_factory, pg_schema_factory):
    """Like store_engine but shared by a module's tests (for read-only tests over seeded data)."""
    engine = _new_store(request.param, tmp_path_factory, pg_schema_factory)
    yield engine
    engine.dispose()


# A fresh data folder with one file source and no store yet: what the CLI tests start from.
CLI_SOURCES = """
sources:
  hotline:
    kind: files
    folder: "${IMD_DATA_DIR}/inbox"
    pattern: "*.csv"
    retry: {attempts: 1, backoff_seconds: 0}
    unit: {column: 所属地区}
    fields:
      受理日期: {type: date, formats: "%Y%m%d"}
    metrics:
      clues_identified: {count: true, date: 受理日期}
"""


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """IMD_DATA_DIR and IMD_SOURCES for a CLI run on the embedded default store, which does not exist yet."""
    import app

    sources = tmp_path / "sources.yaml"
    sources.write_text(CLI_SOURCES, encoding="utf-8")
    data = tmp_path / "data"
    monkeypatch.setenv("IMD_DATA_DIR", str(data))
    monkeypatch.setenv("IMD_SOURCES", str(sources))
    monkeypatch.delenv("IMD_DATABASE_URL", raising=False)
    app.get_settings.cache_clear()
    yield data
    app.get_settings.cache_clear()
