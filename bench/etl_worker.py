"""One ETL measurement in its own process (see bench.etl): full load, no-op incremental, daily incremental.

Prints one JSON line of timings and row counts; the parent samples the process's RSS.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import time

from sqlalchemy import create_engine, text

from bench.etl import SOURCE_DAYS, append_sqlite, copy_pg, source_rows, sources_yaml
from etl.config import parse_sources
from etl.pipeline import run_source
from metrics.db import make_engine


def _timed_run(engine, spec, **kwargs):
    start = time.perf_counter()
    result = run_source(engine, spec, trigger="manual", **kwargs)
    elapsed = time.perf_counter() - start
    if result.status != "success":
        raise RuntimeError(f"ETL run failed: {result.error}")
    return result, elapsed


def _append_one_day(url: str, schema: str | None) -> None:
    """The next day's events, as a daily feed would bring them."""
    if url.startswith("sqlite"):
        with sqlite3.connect(url.split("///", 1)[1]) as conn:
            first = conn.execute("SELECT max(event_id) FROM event").fetchone()[0] + 1
            n = max(1, conn.execute("SELECT count(*) FROM event").fetchone()[0] // SOURCE_DAYS)
            append_sqlite(conn, source_rows(n, first_id=first, day_offset=SOURCE_DAYS - 1))
        return
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        first, count = conn.execute(text(f'SELECT max(event_id) + 1, count(*) FROM "{schema}".event')).one()
        copy_pg(conn.connection.dbapi_connection, schema,
                source_rows(max(1, count // SOURCE_DAYS), first_id=first, day_offset=SOURCE_DAYS - 1))
    engine.dispose()


_ROLLUPS = ("agg_day", "agg_month", "agg_day_total", "agg_month_total")


def _engine_ceiling(engine) -> float:
    """Seconds the database itself takes to write this load's facts and rollup rows again (INSERT .. SELECT
    into emptied tables, no Python per row): the floor under any loader that keeps those tables. Rolled back.

    Emptied with TRUNCATE on PostgreSQL: after a DELETE in the same transaction every insert would first visit
    the dead row with its key (~2.5x slower here), which a load into an empty store never pays."""
    empty = "TRUNCATE {}" if engine.dialect.name == "postgresql" else "DELETE FROM {}"  # SQLite: truncate path
    elapsed = 0.0
    with engine.connect() as conn:
        with conn.begin() as tx:
            for table in ("daily_fact", *_ROLLUPS):
                conn.execute(text(f"CREATE TEMP TABLE bench_{table} AS SELECT * FROM {table}"))
                conn.execute(text(empty.format(table)))
                start = time.perf_counter()
                conn.execute(text(f"INSERT INTO {table} SELECT * FROM bench_{table}"))
                elapsed += time.perf_counter() - start
            tx.rollback()
    return elapsed


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--store-url", required=True)
    p.add_argument("--store-schema", default="")
    p.add_argument("--source-url", required=True)
    p.add_argument("--source-schema", default="")
    p.add_argument("--workdir", required=True)
    p.add_argument("--full-only", action="store_true", help="only the full load (the backfill memory figure)")
    args = p.parse_args()
    engine = make_engine(args.store_url, schema=args.store_schema or None)
    spec = parse_sources(sources_yaml(args.source_url, args.source_schema or None), {},
                         origin="bench")["bench_events"]
    full, full_s = _timed_run(engine, spec, full=True)
    with engine.connect() as conn:
        facts = conn.execute(text("SELECT count(*) FROM daily_fact")).scalar_one()
        rollup_rows = sum(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in _ROLLUPS)
    if args.full_only:
        print(json.dumps({"full_rows_read": full.rows_read, "full_rows_loaded": full.rows_loaded,
                          "full_seconds": full_s, "full_facts": facts}))
        return
    noop, noop_s = _timed_run(engine, spec)
    _append_one_day(args.source_url, args.source_schema or None)
    daily, daily_s = _timed_run(engine, spec)
    print(json.dumps({
        "full_rows_read": full.rows_read, "full_rows_loaded": full.rows_loaded, "full_seconds": full_s,
        "full_facts": facts, "rollup_rows": rollup_rows, "ceiling_seconds": _engine_ceiling(engine),
        "noop_rows_read": noop.rows_read, "noop_seconds": noop_s,
        "daily_rows_read": daily.rows_read, "daily_seconds": daily_s,
    }))


if __name__ == "__main__":
    main()
