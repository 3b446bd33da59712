"""Time to generate one quarter's briefing from the synthetic store: snapshot, HTML, PDF and PNGs, zh and en."""
from __future__ import annotations

import datetime as dt
import shutil
import time

from bench.report import Figure, figure
from bench.stores import BenchStore

QUARTER = "2026Q3"
NOW = dt.datetime(2026, 11, 27, 2, 0, tzinfo=dt.timezone.utc)


def briefing_figures(store: BenchStore, ctx) -> list[Figure]:
    from briefing.service import generate_briefing
    from metrics.api import BriefingPeriod

    out_dir = ctx.workdir / f"briefings-{store.backend}"
    shutil.rmtree(out_dir, ignore_errors=True)  # rendered files are reused when present: start clean
    start = time.perf_counter()
    outcome = generate_briefing(store.engine, BriefingPeriod.for_quarter(QUARTER), out_dir=out_dir, now=NOW,
                                publish=True)
    elapsed = time.perf_counter() - start
    files = sorted(p.suffix for p in out_dir.rglob("*") if p.is_file())
    kinds = ", ".join(f"{files.count(s)} {s}" for s in sorted(set(files)))
    return [figure(f"briefing.{store.backend}.{QUARTER}", elapsed, "s", "<= 10",
                   note=f"publish + render, both languages: {kinds}; outcome {type(outcome).__name__}")]
