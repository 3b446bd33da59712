"""The measurement sections and what they need. Each returns a list of figures.

Per-store sections run against the synthetic store of each backend; standalone sections build their own.
A section whose dependency has not landed reports one figure with no value and says why.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text

from bench.report import Figure, figure, median, timed_ms
from bench.stores import BenchStore
from bench.synth import LAST_DAY, Facts
from bench.views import VIEWS, random_calls

NAIVE_RATIO_TARGET = ">= 50"
DUCKDB_RATIO_TARGET = "> 1"


@dataclass
class Context:
    n_facts: int
    workdir: Path
    pg_url: str
    calls: int
    naive_calls: int
    etl_rows: int
    naive_views: tuple[str, ...] = VIEWS
    facts: Facts | None = None
    parquet: str | None = None
    api_medians: dict[tuple[str, str], float] = field(default_factory=dict)


def check_totals(store: BenchStore, facts: Facts) -> list[Figure]:
    """The store holds exactly the generated rows, and the national rollups add up to them."""
    with store.engine.connect() as conn:
        count, total = conn.execute(text("SELECT count(*), sum(value) FROM daily_fact")).one()
        rollup = conn.execute(text("SELECT sum(value) FROM agg_month WHERE unit_code = 'CN'")).scalar()
    expected = int(facts.value.sum())
    ok = int(count) == len(facts) and int(total) == expected and int(rollup) == expected
    return [Figure(f"synth.{store.backend}.totals_match", int(ok), "bool", "== 1", ok,
                   note=f"{int(count):,} rows, sum {int(total):,}, rollup {int(rollup):,}, generated {expected:,}")]


def queries(store: BenchStore, ctx: Context) -> list[Figure]:
    from bench.queries import query_figures, view_latencies

    samples = view_latencies(store.engine, calls_per_view=ctx.calls, last_day=LAST_DAY)
    for view, ms in samples.items():
        ctx.api_medians[(store.backend, view)] = median(ms)
    return query_figures(store.backend, samples)


def naive(store: BenchStore, ctx: Context) -> list[Figure]:
    from bench.naive import duckdb_call, duckdb_connection, pandas_call

    out = []
    con = duckdb_connection(ctx.parquet) if ctx.parquet else None
    for view in ctx.naive_views:
        api = ctx.api_medians.get((store.backend, view))
        calls = random_calls(view, ctx.naive_calls, seed=7, last_day=LAST_DAY)
        pandas_ms = median([timed_ms(lambda c=c: pandas_call(store.engine, c)) for c in calls])
        out.append(figure(f"naive.{store.backend}.{view}.pandas", pandas_ms, "ms", note="read_sql of the fact table"))
        if api:
            out.append(figure(f"naive.{store.backend}.{view}.speedup_vs_pandas", pandas_ms / api, "x",
                              NAIVE_RATIO_TARGET, note="pandas median / query-API median"))
        if con is None:
            continue
        duck_calls = random_calls(view, max(5, ctx.naive_calls), seed=7, last_day=LAST_DAY)
        duckdb_call(con, duck_calls[0])  # warm the Parquet metadata
        duck_ms = median([timed_ms(lambda c=c: duckdb_call(con, c)) for c in duck_calls])
        if store.backend == "sqlite":  # DuckDB reads the Parquet copy, the same for both backends
            out.append(figure(f"naive.duckdb.{view}", duck_ms, "ms", note="DuckDB scan of the facts in Parquet"))
        if api:
            out.append(figure(f"naive.{store.backend}.{view}.speedup_vs_duckdb", duck_ms / api, "x",
                              DUCKDB_RATIO_TARGET, note="DuckDB median / query-API median"))
    if con is not None:
        con.close()
    return out


def http(store: BenchStore, ctx: Context) -> list[Figure]:
    from bench.http import http_figures

    return http_figures(store, ctx)


def locust(store: BenchStore, ctx: Context) -> list[Figure]:
    from bench.loadtest import locust_figures

    return locust_figures(store, ctx)


def etl(ctx: Context, backends: tuple[str, ...]) -> list[Figure]:
    from bench.etl import etl_figures

    return etl_figures(ctx, backends)


def briefing(store: BenchStore, ctx: Context) -> list[Figure]:
    from bench.briefing import briefing_figures

    return briefing_figures(store, ctx)


def cli(ctx: Context, backends: tuple[str, ...]) -> list[Figure]:
    from bench.cli import cli_figures

    return cli_figures(ctx.workdir)


def browser(ctx: Context, backends: tuple[str, ...]) -> list[Figure]:
    from bench.browser import browser_figures

    return browser_figures(ctx.workdir)


def flatness(figures: list[Figure], baseline: dict[str, Figure]) -> list[Figure]:
    """Query p95 at this size over the same figure in the baseline run (1.0 = perfectly flat)."""
    out = []
    for f in figures:
        if f.name.startswith("query.") and f.name.endswith(".p95") and f.name in baseline and f.value:
            base = baseline[f.name].value
            if base:
                out.append(figure(f"flatness.{f.name[len('query.'):-len('.p95')]}", f.value / base, "x",
                                  note="p95 at this size / p95 in the baseline run"))
    return out


PER_STORE = {"queries": queries, "naive": naive, "http": http, "briefing": briefing, "locust": locust}
STANDALONE = {"etl": etl, "cli": cli, "browser": browser}
