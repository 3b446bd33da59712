"""ETL throughput through the real pipeline (etl.pipeline.run_source): a SQLite source and a PostgreSQL source,
each loaded into a SQLite store and a PostgreSQL store.

Each combination runs in its own subprocess (bench.etl_worker) so its peak RSS is its own: a full load, an
incremental run with nothing new, then one new day of rows picked up by a 7-day-lookback daily run.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
from sqlalchemy import create_engine, text

from bench.report import Figure, figure
from bench.stores import fresh_store
from metrics.units import all_units

FIRST_DAY = dt.date(2023, 6, 1)
SOURCE_DAYS = 1276  # through 2026-11-27, like the synthetic store
CATEGORIES_ZH = ("非法贷款中介", "车险欺诈", "代理维权/代理退保", "反催收", "征信修复", "两卡", "非法集资", "其他")
_BUILD_ROWS = 1_000_000
TARGETS = {"sqlite": ">= 150000", "postgresql": ">= 300000"}
CEILING_SHARE_TARGET = ">= 0.8"

SOURCE_YAML = """
sources:
  bench_events:
    kind: sql
    connection: "{url}"
    table: event
    {schema_line}
    row_ref: event_id
    chunk_rows: 50000
    watermark: {{column: updated_at, lookback_days: 7}}
    schedule: {{every_minutes: 15}}
    unit: {{column: region_code}}
    category: {{column: category, map: {{{categories}}}}}
    fields:
      event_day: {{type: date, formats: "%Y-%m-%d"}}
      amount_yuan: {{type: amount, multiplier: yuan}}
    metrics:
      clues_identified: {{count: true, date: event_day}}
      clue_referral_amount: {{sum: amount_yuan, date: event_day}}
"""


def source_rows(n: int, *, first_id: int = 1, day_offset: int | None = None, seed: int = 9) -> pd.DataFrame:
    """n source events spread over the campaign (or all on day `day_offset`), updated the day after."""
    rng = np.random.default_rng(seed + first_id)
    codes = np.array(list(all_units()))
    days = (np.full(n, day_offset) if day_offset is not None else rng.integers(0, SOURCE_DAYS - 1, n))
    day = np.datetime64(FIRST_DAY.isoformat(), "D") + days.astype("timedelta64[D]")
    return pd.DataFrame({
        "event_id": np.arange(first_id, first_id + n),
        "event_day": np.datetime_as_string(day),
        "region_code": codes[rng.integers(0, len(codes), n)],
        "category": np.array(CATEGORIES_ZH)[rng.integers(0, len(CATEGORIES_ZH), n)],
        "amount_yuan": rng.integers(10_000, 50_000_000, n),
        "updated_at": np.char.add(np.datetime_as_string(day + np.timedelta64(1, "D")), "T08:00:00"),
    })


_DDL = ("CREATE TABLE event (event_id BIGINT PRIMARY KEY, event_day TEXT NOT NULL, region_code TEXT NOT NULL,"
        " category TEXT NOT NULL, amount_yuan BIGINT NOT NULL, updated_at TEXT NOT NULL)")


def build_sqlite_source(path: Path, n: int) -> str:
    path.unlink(missing_ok=True)
    with sqlite3.connect(path) as conn:
        conn.execute(_DDL)
        conn.execute("CREATE INDEX ix_event_updated ON event (updated_at)")
        for first in range(1, n + 1, _BUILD_ROWS):  # a slice at a time: a 10M-row source never sits in memory
            append_sqlite(conn, source_rows(min(_BUILD_ROWS, n + 1 - first), first_id=first))
    return f"sqlite:///{path}"


def append_sqlite(conn, rows: pd.DataFrame) -> None:
    conn.executemany("INSERT INTO event VALUES (?, ?, ?, ?, ?, ?)", rows.itertuples(index=False, name=None))
    conn.commit()


def build_pg_source(pg_url: str, n: int) -> str:
    schema = f"imd_bench_src_{uuid.uuid4().hex[:8]}"
    engine = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        conn.execute(text(f'SET search_path TO "{schema}"'))
        conn.execute(text(_DDL))
        conn.execute(text("CREATE INDEX ix_event_updated ON event (updated_at)"))
        for first in range(1, n + 1, _BUILD_ROWS):
            copy_pg(conn.connection.dbapi_connection, schema, source_rows(min(_BUILD_ROWS, n + 1 - first),
                                                                          first_id=first))
    engine.dispose()
    return schema


def copy_pg(raw, schema: str, rows: pd.DataFrame) -> None:
    buf = io.StringIO()
    rows.to_csv(buf, header=False, index=False)
    with raw.cursor() as cur, cur.copy(f'COPY "{schema}".event FROM STDIN WITH (FORMAT csv)') as copy:
        copy.write(buf.getvalue())
    if not raw.autocommit:
        raw.commit()


def drop_pg_schema(pg_url: str, schema: str) -> None:
    engine = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def sources_yaml(url: str, schema: str | None) -> str:
    categories = ", ".join(f'"{zh}": {key}' for zh, key in zip(CATEGORIES_ZH, (
        "illegal_loan_intermediary", "vehicle_insurance_fraud", "fake_rights_protection", "anti_debt_collection",
        "fake_credit_repair", "account_card_trading", "illegal_fundraising", "other")))
    return SOURCE_YAML.format(url=url, schema_line=f"schema: {schema}" if schema else "", categories=categories)


def _run_worker(args: list[str]) -> dict:
    """Run bench.etl_worker, sampling its RSS with psutil; returns its JSON plus the sampled peak."""
    proc = subprocess.Popen([sys.executable, "-m", "bench.etl_worker", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    watched = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            peak = max(peak, watched.memory_info().rss)
        except psutil.NoSuchProcess:
            break
        time.sleep(0.05)
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"etl worker failed ({proc.returncode}): {err.strip().splitlines()[-1:]}")
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_rss_sampled"] = peak
    return result


def etl_figures(ctx, backends: tuple[str, ...]) -> list[Figure]:
    n = ctx.etl_rows
    out: list[Figure] = []
    sources: dict[str, tuple[str, str | None]] = {}
    if "sqlite" in backends:
        sources["sqlite"] = (build_sqlite_source(ctx.workdir / "etl_source.sqlite", n), None)
    pg_schema = None
    if "postgresql" in backends:
        pg_schema = build_pg_source(ctx.pg_url, n)
        sources["postgresql"] = (ctx.pg_url, pg_schema)
    try:
        for src_kind, (src_url, src_schema) in sources.items():
            for store_kind in backends:
                with fresh_store(store_kind, ctx.workdir, pg_url=ctx.pg_url, label=f"etl_{src_kind}") as store:
                    r = _run_worker(["--store-url", store.url, "--store-schema", store.schema or "",
                                     "--source-url", src_url, "--source-schema", src_schema or "",
                                     "--workdir", str(ctx.workdir)])
                out.extend(_figures(src_kind, store_kind, n, r))
    finally:
        if pg_schema:
            drop_pg_schema(ctx.pg_url, pg_schema)
    return out + backfill_figures(ctx)


def _figures(src: str, store: str, n: int, r: dict) -> list[Figure]:
    name = f"etl.{src}_source.into_{store}"
    # Sampled from outside: ru_maxrss would include the parent's footprint, which Linux carries across exec.
    peak_mb = r["peak_rss_sampled"] / 2**20
    ok_note = f"{r['full_rows_read']:,} rows read into {r['full_facts']:,} daily facts"
    return [
        figure(f"{name}.full_load", r["full_rows_read"] / r["full_seconds"], "rows/s", TARGETS[store], note=ok_note),
        figure(f"{name}.full_load_facts", r["full_facts"] / r["full_seconds"], "facts/s",
               note=f"daily facts written per second, plus {r['rollup_rows']:,} rollup rows"),
        figure(f"{name}.engine_ceiling", r["full_rows_read"] / r["ceiling_seconds"], "rows/s",
               note=f"the database alone writing these facts and rollup rows again ({r['ceiling_seconds']:.2f} s):"
                    f" no loader that keeps them passes this"),
        figure(f"{name}.ceiling_share", r["ceiling_seconds"] / r["full_seconds"], "x", CEILING_SHARE_TARGET,
               note="full load ÷ engine ceiling (rows/s): how close the loader comes to the database alone"),
        *_cpu_figures(name, store, r),
        figure(f"{name}.incremental_no_new_data", r["noop_seconds"], "s", "<= 0.5"),
        figure(f"{name}.daily_incremental_7d_lookback", r["daily_seconds"], "s",
               note=f"{r['daily_rows_read']:,} rows re-read"),
        figure(f"{name}.peak_rss", peak_mb, "MB", note=f"whole worker process, {n:,}-row full load"),
    ]


def _cpu_figures(name: str, store: str, r: dict) -> list[Figure]:
    """Where the full load's CPU goes (this process; PostgreSQL's backend for the store's side), against the
    CPU of the engine ceiling: on a loaded 2-core machine CPU, not waiting, sets both times."""
    read, write = r["stages_cpu"]["read"], r["stages_cpu"]["write"]
    client, server = r["full_cpu"]
    figures = [
        figure(f"{name}.cpu.read", read["client"], "s", note="extract + validate + aggregate (the loader)"),
        figure(f"{name}.cpu.write_loader", write["client"], "s",
               note="facts, rollups, quarantine, watermark: the loader's process"
                    + (" (SQLite writes inside it)" if store == "sqlite" else "")),
    ]
    if store == "postgresql":
        figures.append(figure(f"{name}.cpu.write_server", write["server"], "s", note="the PostgreSQL backend"))
    figures += [
        figure(f"{name}.cpu.ceiling", r["ceiling_cpu"], "s", note="the engine ceiling's inserts"),
        figure(f"{name}.cpu_share", r["ceiling_cpu"] / (client + server), "x",
               note=f"ceiling CPU ÷ full-load CPU ({client + server:.2f} s): the share with no waiting and no"
                    f" overlap"),
    ]
    bind = r.get("bind_seconds", 0.0)
    if store == "sqlite":
        figures.append(figure(f"{name}.bind_floor", bind, "s",
                              note="sqlite3 taking the load's fact and rollup rows from Python (executemany into"
                                   " index-less tables): paid by any loader in Python, never by the ceiling"))
    figures += [
        # Why ceiling_share stays below its target: a full load writes its facts only after its last row is read
        # (any chunk adds to any fact; duplicates are judged over the whole scope), so reading cannot overlap
        # the write. Even a write that cost no more than the ceiling's would leave this share.
        figure(f"{name}.ceiling_share_max", r["ceiling_cpu"] / (read["client"] + bind + r["ceiling_cpu"]), "x",
               note="ceiling CPU ÷ (read CPU + " + ("bind floor + " if store == "sqlite" else "") +
                    "ceiling CPU): the most a load that reads before it writes can reach"),
        figure(f"{name}.write_share", r["ceiling_seconds"] / write["wall"], "x",
               note=f"engine ceiling ÷ the load's write alone ({write['wall']:.2f} s; reading took"
                    f" {read['wall']:.2f} s): 1 when writing costs what the database alone takes"),
    ]
    return figures


def backfill_figures(ctx, store_kind: str = "sqlite") -> list[Figure]:
    """Peak RSS of loading a source as large as the store (10M rows at SIZE=10m) in one batch: `etl run
    --full`, the worst case (`etl backfill` restates month by month and holds one month at a time).
    """
    n = ctx.n_facts
    url = build_sqlite_source(ctx.workdir / "backfill_source.sqlite", n)
    try:
        with fresh_store(store_kind, ctx.workdir, pg_url=ctx.pg_url, label="etl_backfill") as store:
            r = _run_worker(["--store-url", store.url, "--store-schema", store.schema or "", "--source-url", url,
                             "--source-schema", "", "--workdir", str(ctx.workdir), "--full-only"])
    finally:
        (ctx.workdir / "backfill_source.sqlite").unlink(missing_ok=True)
    size = f"{n // 1_000_000}m" if n % 1_000_000 == 0 else f"{n // 1000}k"
    name = f"etl.backfill_{size}_rows.into_{store_kind}"
    return [
        figure(f"{name}.peak_rss", r["peak_rss_sampled"] / 2**20, "MB", "<= 1024",
               note=f"{n:,} source rows in one full load, whole worker process"),
        figure(f"{name}.rows_per_s", r["full_rows_read"] / r["full_seconds"], "rows/s",
               note=f"into {r['full_facts']:,} daily facts"),
    ]
