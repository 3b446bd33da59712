"""One ETL measurement in its own process (see bench.etl): full load, no-op incremental, daily incremental.

Prints one JSON line of timings and row counts; the parent samples the process's RSS.
"""
from __future__ import annotations

import argparse
import os
import functools
import json
import resource
import sqlite3
import time

import pandas as pd
import pandera.pandas as pa
from sqlalchemy import create_engine, event, text

from bench.etl import SOURCE_DAYS, append_sqlite, copy_pg, source_rows, sources_yaml
import etl.pipeline
from etl.config import parse_sources
from etl.pipeline import run_source
from metrics.db import make_engine
from metrics.models import Base


class CpuMeter:
    """CPU seconds of this process and of the store's PostgreSQL backends (read from /proc: the server runs
    on this machine), per stage of a run: where a load's time goes besides the database's own writing."""

    def __init__(self, engine):
        self.pids: set[int] = set()
        self.stages: dict[str, list[float]] = {}
        if engine.dialect.name == "postgresql":
            event.listen(engine, "connect", self._backend)
            engine.dispose()  # connections opened from now on are watched

    def _backend(self, dbapi_conn, _record) -> None:
        with dbapi_conn.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            self.pids.add(cur.fetchone()[0])

    def now(self) -> tuple[float, float]:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        server = 0.0
        for pid in self.pids:
            try:
                fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            except OSError:
                continue  # a backend that ended
            server += (int(fields[11]) + int(fields[12])) / _TICKS
        return usage.ru_utime + usage.ru_stime, server

    def stage(self, name: str, fn):
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            before, start = self.now(), time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                after = self.now()
                total = self.stages.setdefault(name, [0.0, 0.0, 0.0])
                total[0] += after[0] - before[0]
                total[1] += after[1] - before[1]
                total[2] += time.perf_counter() - start
        return timed


_TICKS = os.sysconf("SC_CLK_TCK")


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


def _engine_ceiling(engine, meter: CpuMeter | None = None) -> tuple[float, float]:
    """Seconds the database itself takes to write this load's facts and rollup rows again (INSERT .. SELECT
    into emptied tables, no Python per row): the floor under any loader that keeps those tables. Rolled back.

    Emptied with TRUNCATE on PostgreSQL: after a DELETE in the same transaction every insert would first visit
    the dead row with its key (~2.5x slower here), which a load into an empty store never pays.
    Returns the seconds and the CPU seconds (this process plus the PostgreSQL backend) the inserts took."""
    empty = "TRUNCATE {}" if engine.dialect.name == "postgresql" else "DELETE FROM {}"  # SQLite: truncate path
    elapsed = cpu = 0.0
    with engine.connect() as conn:
        with conn.begin() as tx:
            for table in ("daily_fact", *_ROLLUPS):
                key = ", ".join(c.name for c in Base.metadata.tables[table].primary_key.columns)
                # In key order, the database's best case: each insert lands next to the last in the B-tree.
                conn.execute(text(f"CREATE TEMP TABLE bench_{table} AS SELECT * FROM {table} ORDER BY {key}"))
                conn.execute(text(empty.format(table)))
                start, used = time.perf_counter(), sum(meter.now()) if meter else 0.0
                conn.execute(text(f"INSERT INTO {table} SELECT * FROM bench_{table}"))
                elapsed += time.perf_counter() - start
                cpu += sum(meter.now()) - used if meter else 0.0
            tx.rollback()
    return elapsed, cpu


def _bind_floor(engine) -> float:
    """SQLite: seconds sqlite3 takes just to take this load's fact and rollup rows from Python (executemany
    into index-less temporary tables). The ceiling's INSERT .. SELECT never pays it; a loader in Python,
    writing inside its own process, always does. Rolled back."""
    elapsed = 0.0
    with engine.connect() as conn:
        reader, writer = conn.connection.cursor(), conn.connection.cursor()
        with conn.begin() as tx:
            for table in ("daily_fact", *_ROLLUPS):
                width = len(Base.metadata.tables[table].columns)
                writer.execute(f"CREATE TEMP TABLE bind_{table} AS SELECT * FROM {table} WHERE 0")
                reader.execute(f"SELECT * FROM {table}")
                while rows := reader.fetchmany(50_000):  # as the loader hands them over: a slice at a time
                    start = time.perf_counter()
                    writer.executemany(f"INSERT INTO bind_{table} VALUES ({', '.join('?' * width)})", rows)
                    elapsed += time.perf_counter() - start
            tx.rollback()
        reader.close()
        writer.close()
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
    meter = CpuMeter(engine)
    etl.pipeline.read_scope = meter.stage("read", etl.pipeline.read_scope)  # extract, validate, aggregate
    etl.pipeline.load = meter.stage("write", etl.pipeline.load)  # facts, rollups, quarantine, watermark
    spec = parse_sources(sources_yaml(args.source_url, args.source_schema or None), {},
                         origin="bench")["bench_events"]
    # Pandera sets up its pandas backend on its first validation, importing hypothesis when installed (the
    # test extras are, here): a one-off import of the process, not the loader's work, like the imports above.
    pa.DataFrameSchema({}).validate(pd.DataFrame())
    before = meter.now()
    full, full_s = _timed_run(engine, spec, full=True)
    full_cpu = [b - a for a, b in zip(before, meter.now())]
    stages = {name: {"client": c, "server": srv, "wall": wall} for name, (c, srv, wall) in meter.stages.items()}
    with engine.connect() as conn:
        facts = conn.execute(text("SELECT count(*) FROM daily_fact")).scalar_one()
        rollup_rows = sum(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in _ROLLUPS)
    if args.full_only:
        print(json.dumps({"full_rows_read": full.rows_read, "full_rows_loaded": full.rows_loaded,
                          "full_seconds": full_s, "full_facts": facts}))
        return
    ceiling_s, ceiling_cpu = _engine_ceiling(engine, meter)
    bind_s = _bind_floor(engine) if engine.dialect.name == "sqlite" else 0.0
    noop, noop_s = _timed_run(engine, spec)
    _append_one_day(args.source_url, args.source_schema or None)
    daily, daily_s = _timed_run(engine, spec)
    print(json.dumps({
        "full_rows_read": full.rows_read, "full_rows_loaded": full.rows_loaded, "full_seconds": full_s,
        "full_facts": facts, "rollup_rows": rollup_rows, "ceiling_seconds": ceiling_s,
        "ceiling_cpu": ceiling_cpu, "bind_seconds": bind_s, "stages_cpu": stages, "full_cpu": full_cpu,
        "noop_rows_read": noop.rows_read, "noop_seconds": noop_s,
        "daily_rows_read": daily.rows_read, "daily_seconds": daily_s,
    }))


if __name__ == "__main__":
    main()
