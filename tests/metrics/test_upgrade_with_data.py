"""Upgrades with data: a store created at the first migration, holding facts, rollups, runs, quarantine and
watermarks, is migrated to head on SQLite and PostgreSQL, and every figure reads as it did before."""
from __future__ import annotations

import datetime as dt

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData, Table, insert, select, text

from etl.pipeline import run_source
from metrics.access import SYSTEM
from metrics.checksum import store_checksum
from metrics.db import MIGRATIONS_DIR, make_engine, upgrade
from metrics.query import MetricsQuery
from metrics.requests import SeriesRequest, TotalsRequest
from metrics.windows import CAMPAIGN_START, Window
from tests.conftest import PG_URL
from tests.etl.helpers import clue, clue_spec, sqlite_clue_source

# what a store at 0001 holds (the other tables came later)
FIRST_TABLES = ("etl_run", "daily_fact", "agg_day", "agg_month", "quarantined_row", "source_watermark")
WINDOW = Window(CAMPAIGN_START, dt.date(2026, 12, 31))


def migrate(engine, revision: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def old_store(kind, tmp_path, pg_schema_factory):
    if kind == "sqlite":
        return make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    return make_engine(PG_URL, schema=pg_schema_factory().name)


def copy_first_tables(source, target) -> None:
    """The source store's rows, limited to the columns each table had at 0001."""
    old, new = MetaData(), MetaData()
    with source.connect() as src, target.begin() as dst:
        for name in FIRST_TABLES:
            old_table = Table(name, old, autoload_with=dst)
            new_table = Table(name, new, autoload_with=src)
            columns = [c.name for c in old_table.columns if c.name in new_table.c]
            rows = [dict(r) for r in src.execute(select(*(new_table.c[c] for c in columns))).mappings()]
            if rows:
                dst.execute(insert(old_table), rows)


def raw_totals(engine, bureau: str | None = None) -> dict[str, int]:
    """Sums straight from the fact table, the way the store at 0001 defined them."""
    where = "" if bureau is None else "WHERE bureau_code = :bureau"
    with engine.connect() as conn:
        return {m: int(v) for m, v in conn.execute(
            text(f"SELECT metric_id, sum(value) FROM daily_fact {where} GROUP BY metric_id"), {"bureau": bureau})}


def test_a_store_from_the_first_migration_upgrades_with_its_figures(store_engine, tmp_path, pg_schema_factory):
    rows = [clue(n, (dt.date(2023, 6, 1) + dt.timedelta(days=n * 11 % 900)).isoformat(),
                 bureau=("广东", "北京", "浙江", "某某银监分局")[n % 4], amount="N/A" if n % 29 == 0 else str(500 * n),
                 referral=f"YJ-{n}" if n % 3 else None, referred=None) for n in range(1, 400)]
    for row in rows:
        row["referred_on"] = row["identified_on"] if row["referral_no"] else None
    url, source, _ = sqlite_clue_source(tmp_path / "clues.sqlite", rows)
    source.dispose()
    assert run_source(store_engine, clue_spec(url)).status == "success"

    engine = old_store(store_engine.dialect.name, tmp_path, pg_schema_factory)
    migrate(engine, "0001")
    copy_first_tables(store_engine, engine)
    national, guangdong = raw_totals(engine), raw_totals(engine, "440000")
    assert national["clues_identified"] > 0 and guangdong["clue_referral_amount"] > 0
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"

    upgrade(engine)  # what `python app.py db upgrade` runs

    query = MetricsQuery(engine, SYSTEM)
    totals = query.totals(TotalsRequest(WINDOW)).frame.set_index("metric")["value"]
    assert {m: int(totals[m]) for m in national} == national
    gd = query.totals(TotalsRequest(WINDOW, unit="440000")).frame.set_index("metric")["value"]
    assert {m: int(gd[m]) for m in guangdong} == guangdong
    monthly = query.series(SeriesRequest(WINDOW, ("clues_identified",), grain="month")).frame
    assert int(monthly["value"].sum()) == national["clues_identified"]
    # and the upgraded store holds exactly what a store made at head does, totals tables included
    assert store_checksum(engine) == store_checksum(store_engine)
    engine.dispose()
