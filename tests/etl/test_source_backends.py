"""The same source table on SQLite, PostgreSQL and MariaDB loads the same facts, incrementally and restated."""
from __future__ import annotations

import datetime as dt
import os
import uuid

import pytest
from sqlalchemy import MetaData, create_engine, text

from etl.pipeline import run_source
from metrics.db import make_engine, upgrade
from tests.conftest import PG_URL
from tests.etl.helpers import (SAMPLE, clue, clue_spec, clue_table, delete_row, dump_store, quarantine, set_row,
                               total, write_rows)

MARIADB_URL = os.environ.get("IMD_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306")
REQUIRE_MARIADB = os.environ.get("IMD_REQUIRE_MARIADB") == "1"


@pytest.fixture(scope="module")
def mariadb_database():
    name = f"imd_etl_{uuid.uuid4().hex[:10]}"
    admin = create_engine(f"{MARIADB_URL}/test")
    try:
        with admin.begin() as conn:
            conn.execute(text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4"))
    except Exception as exc:  # noqa: BLE001 - any failure means the server is not there
        admin.dispose()
        if REQUIRE_MARIADB:
            pytest.fail(f"IMD_REQUIRE_MARIADB=1 but MariaDB is unreachable: {exc}".splitlines()[0])
        pytest.skip(f"MariaDB unreachable: {exc}".splitlines()[0])
    yield f"{MARIADB_URL}/{name}?charset=utf8mb4"
    with admin.begin() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql", "mariadb"])
def backend_source(request, tmp_path, pg_schema_factory):
    schema = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'clues.sqlite'}"
    elif request.param == "postgresql":
        schema = pg_schema_factory("imd_src").name
        url = PG_URL
    else:
        url = request.getfixturevalue("mariadb_database")
    table_name = f"clue_{uuid.uuid4().hex[:6]}"
    engine = create_engine(url)
    table = clue_table(MetaData(), table_name, schema=schema)
    table.metadata.create_all(engine)
    write_rows(engine, table, SAMPLE)
    yield engine, table, clue_spec(url, table=table_name, schema=schema, chunk_rows=2)
    table.metadata.drop_all(engine)
    engine.dispose()


@pytest.fixture
def sqlite_store(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'store.sqlite'}")
    upgrade(engine)
    yield engine
    engine.dispose()


def test_every_backend_loads_restates_and_forgets_deleted_rows(backend_source, sqlite_store):
    src, table, spec = backend_source
    first = run_source(sqlite_store, spec)
    counts = (first.status, first.rows_read, first.rows_loaded, first.rows_quarantined)
    assert counts == ("success", 8, 3, 5), first.error
    assert quarantine(sqlite_store)["XS00004"] == "unknown region '某某市金融办'"
    reference = dump_store(sqlite_store)
    assert run_source(sqlite_store, spec).status == "success"
    assert dump_store(sqlite_store) == reference

    set_row(src, table, "XS00002", amount_yuan="7000", updated_at="2024-03-09 10:00:00")
    write_rows(src, table, [clue(11, "2024-04-20", referral="YJ-1", referred="2024-04-21",
                                 updated="2024-04-21 10:00:00")])
    delete_row(src, table, "XS00007")
    set_row(src, table, "XS00005", updated_at="2024-04-21 11:00:00")  # re-reads 2024-03-05/06 with it
    result = run_source(sqlite_store, spec)
    assert result.status == "success" and result.rows_read == result.rows_loaded + result.rows_quarantined
    assert total(sqlite_store, "clue_referral_amount", dt.date(2024, 3, 3)) == 7000
    assert total(sqlite_store, "clues_identified", dt.date(2024, 3, 6)) == 0  # XS00007 deleted at the source
    assert quarantine(sqlite_store)["XS00011"].startswith("duplicate of referral_no 'YJ-1'")
    after = dump_store(sqlite_store)
    run_source(sqlite_store, spec, full=True)
    assert dump_store(sqlite_store) == after
