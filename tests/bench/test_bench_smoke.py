"""The benchmark harness end to end at a tiny size: JSON shape, and the synthetic store holds what was generated.

Correctness only; timings at this size mean nothing and are not asserted.
"""
from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from bench.__main__ import main
from bench.naive import pandas_call
from bench.stores import fresh_store
from bench.synth import FIRST_DAY, LAST_DAY, generate, load_postgres, load_sqlite
from bench.views import Call, run_api
from metrics.api import SYSTEM, ALL_METRICS, MetricsQuery, Window
from tests.conftest import PG_URL, require_postgres

SMALL = 20_000


@pytest.fixture(scope="module")
def facts():
    return generate(SMALL, seed=5)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_synthetic_store_totals_equal_a_direct_sum(backend, facts, tmp_path):
    if backend == "postgresql":
        require_postgres()
    with fresh_store(backend, tmp_path, pg_url=PG_URL or "") as store:
        (load_sqlite if backend == "sqlite" else load_postgres)(store.engine, facts)
        with store.engine.connect() as conn:
            count, total = conn.execute(text("SELECT count(*), sum(value) FROM daily_fact")).one()
            by_metric = dict(conn.execute(text("SELECT metric_id, sum(value) FROM daily_fact GROUP BY metric_id")).all())
        assert count == len(facts) == SMALL
        assert int(total) == int(facts.value.sum())
        # The query API over the rollups agrees with the fact table, and with the naive pandas answer.
        call = Call("overview", Window(FIRST_DAY, LAST_DAY), ALL_METRICS)
        api = run_api(MetricsQuery(store.engine, SYSTEM), call)[0].set_index("metric")["value"]
        assert {m: int(v) for m, v in by_metric.items()} == {m: int(api[m]) for m in by_metric}
        naive = pandas_call(store.engine, call)[0]
        assert {m: int(v) for m, v in naive.items()} == {m: int(api[m]) for m in naive.index}


def test_cli_writes_figures_with_the_documented_keys(tmp_path):
    backends = "sqlite,postgresql" if PG_URL else "sqlite"
    if PG_URL:
        require_postgres()
    out = tmp_path / "bench.json"
    argv = ["--size", str(SMALL), "--out", str(out), "--backends", backends, "--only", "queries,naive",
            "--calls", "5", "--workdir", str(tmp_path / "work")]
    if PG_URL:
        argv += ["--pg-url", PG_URL]
    assert main(argv) == 0
    records = json.loads(out.read_text())
    assert records and all(set(r) >= {"name", "value", "unit", "target", "ok"} for r in records)
    names = {r["name"] for r in records}
    for backend in backends.split(","):
        assert f"query.{backend}.overview.p95" in names and f"naive.{backend}.overview.speedup_vs_pandas" in names
        match = next(r for r in records if r["name"] == f"synth.{backend}.totals_match")
        assert match["ok"] is True
    for r in records:
        if r["target"] is not None:
            assert isinstance(r["ok"], bool)


def test_bad_arguments_exit_2(tmp_path, capsys):
    assert main(["--size", "huge", "--out", str(tmp_path / "x.json")]) == 2
    assert "unknown size" in capsys.readouterr().err


def test_etl_section_loads_every_source_row_into_the_expected_facts(tmp_path):
    """The ETL figures come from real loads: the facts written equal the distinct (unit, day, category) of the
    source rows, twice (a count and an amount metric), and the backfill figure carries the 1 GB target."""
    from bench.etl import source_rows

    out = tmp_path / "bench.json"
    argv = ["--size", "3000", "--out", str(out), "--backends", "sqlite", "--only", "etl", "--etl-rows", "2000",
            "--workdir", str(tmp_path / "work")]
    assert main(argv) == 0
    records = {r["name"]: r for r in json.loads(out.read_text())}
    expected = 2 * len(source_rows(2000).drop_duplicates(["region_code", "event_day", "category"]))
    full = records["etl.sqlite_source.into_sqlite.full_load"]
    assert full["note"] == f"2,000 rows read into {expected:,} daily facts" and isinstance(full["ok"], bool)
    assert records["etl.sqlite_source.into_sqlite.incremental_no_new_data"]["target"] == "<= 0.5"
    # The database writing the same facts and rollups on its own is faster than the whole load through Python.
    assert records["etl.sqlite_source.into_sqlite.engine_ceiling"]["value"] > full["value"]
    share = records["etl.sqlite_source.into_sqlite.ceiling_share"]
    ceiling = records["etl.sqlite_source.into_sqlite.engine_ceiling"]["value"]
    assert share["target"] == ">= 0.8" and share["value"] == pytest.approx(full["value"] / ceiling, abs=0.002)
    # Where the CPU went: the reading and the writing each took some, and the ceiling took less than the load.
    cpu = {k.rsplit(".", 1)[1]: r["value"] for k, r in records.items()
           if k.startswith("etl.sqlite_source.into_sqlite.cpu.")}
    assert set(cpu) == {"read", "write_loader", "ceiling"} and all(v > 0 for v in cpu.values())
    assert 0 < records["etl.sqlite_source.into_sqlite.cpu_share"]["value"] < 1
    # The share a load that reads before it writes could reach at most, from the same CPU figures and, on
    # SQLite, the rows' binding that a loader in Python pays and the ceiling does not.
    bind = records["etl.sqlite_source.into_sqlite.bind_floor"]["value"]
    bound = records["etl.sqlite_source.into_sqlite.ceiling_share_max"]["value"]
    assert bind > 0
    assert bound == pytest.approx(cpu["ceiling"] / (cpu["read"] + bind + cpu["ceiling"]), abs=0.01) and 0 < bound < 1
    backfill = records["etl.backfill_3k_rows.into_sqlite.peak_rss"]
    assert backfill["target"] == "<= 1024" and 50 < backfill["value"] < 1024
