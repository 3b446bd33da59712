"""`python -m bench --size 1m|10m --out PATH [--backends sqlite,postgresql] [--only NAMES]`

Builds the synthetic store once per backend, runs each measurement section and writes the figures as JSON.
Sections whose dependency has not landed (the dashboard, the ETL, briefings) report a skipped figure.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench import sections
from bench.report import figure, print_table, read_json, write_json
from bench.stores import DEFAULT_PG_URL, fresh_store
from bench.views import VIEWS
from bench.synth import generate, load_postgres, load_sqlite, parse_size, write_parquet

SECTIONS = ("queries", "naive", "http", "etl", "briefing", "locust", "cli", "browser")
DEFAULT_SECTIONS = ("queries", "naive", "http", "etl", "briefing", "cli", "browser")  # the 60 s load test is asked for by name
BACKENDS = ("sqlite", "postgresql")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    p.add_argument("--size", default="1m", help="facts in the synthetic store: 1m, 10m or a number")
    p.add_argument("--out", type=Path, default=Path("var/bench.json"))
    p.add_argument("--backends", default=",".join(BACKENDS))
    p.add_argument("--only", default=",".join(DEFAULT_SECTIONS), help=f"comma-separated sections of {', '.join(SECTIONS)}")
    p.add_argument("--calls", type=int, default=200, help="randomised query-API calls per view")
    p.add_argument("--naive-calls", type=int, default=1, help="naive (full read_sql) calls per view")
    p.add_argument("--naive-views", default=",".join(VIEWS),
                   help="views measured the naive way (each call reads the whole fact table)")
    p.add_argument("--etl-rows", default="200k", help="source rows for the ETL full-load measurement")
    p.add_argument("--baseline", type=Path, help="an earlier JSON (e.g. the 1m run) for the flatness ratios")
    p.add_argument("--pg-url", default=DEFAULT_PG_URL)
    p.add_argument("--workdir", type=Path, help="where stores and files go (default: a temporary directory)")
    p.add_argument("--keep", action="store_true", help="keep the synthetic stores afterwards")
    return p


def _split(text: str, allowed: tuple[str, ...], what: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    bad = [n for n in names if n not in allowed]
    if bad:
        raise ValueError(f"unknown {what} {', '.join(bad)}; use {', '.join(allowed)}")
    return names


def run(args: argparse.Namespace) -> list:
    n_facts = parse_size(args.size)
    backends = _split(args.backends, BACKENDS, "backend")
    only = _split(args.only, SECTIONS, "section")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="imd-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    ctx = sections.Context(n_facts=n_facts, workdir=workdir, pg_url=args.pg_url, calls=args.calls,
                           naive_calls=args.naive_calls,
                           naive_views=_split(args.naive_views, VIEWS, "view"), etl_rows=parse_size(args.etl_rows))
    started = time.perf_counter()
    figures = []
    # The synthetic stores serve the per-store sections; the ETL builds its own sources.
    store_backends = backends if any(name in sections.PER_STORE for name in only) else ()
    if store_backends:
        t0 = time.perf_counter()
        ctx.facts = facts = generate(n_facts)
        figures.append(figure("synth.generate", time.perf_counter() - t0, "s", note=f"{n_facts:,} facts"))
    if "naive" in only:
        ctx.parquet = str(workdir / "facts.parquet")
        write_parquet(facts, ctx.parquet)
    for backend in store_backends:
        with fresh_store(backend, workdir, pg_url=args.pg_url, keep=args.keep, label=f"synth_{args.size}") as store:
            t0 = time.perf_counter()
            (load_sqlite if backend == "sqlite" else load_postgres)(store.engine, facts)
            build = time.perf_counter() - t0
            figures.append(figure(f"synth.{backend}.build", build, "s", note="bulk load + rollups + ANALYZE"))
            figures.extend(sections.check_totals(store, facts))
            for name in only:
                if name in sections.PER_STORE:
                    figures.extend(sections.PER_STORE[name](store, ctx))
    for name in only:
        if name in sections.STANDALONE:
            figures.extend(sections.STANDALONE[name](ctx, backends))
    if args.baseline and args.baseline.exists():
        figures.extend(sections.flatness(figures, read_json(args.baseline)))
    figures.append(figure("bench.wall_time", time.perf_counter() - started, "s"))
    return figures


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        figures = run(args)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print_table(figures)
    write_json(figures, args.out)
    print(f"wrote {len(figures)} figures to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
