"""Query-API latency per dashboard view: p50 and p95 over randomised calls against the synthetic store."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from bench.report import Figure, figure, median, percentile, timed_ms
from bench.views import VIEWS, random_calls, run_api
from metrics.api import SYSTEM, MetricsQuery

P95_TARGET_MS = "<= 20"


def view_latencies(engine: Engine, *, calls_per_view: int, last_day: dt.date, seed: int = 1,
                   views: tuple[str, ...] = VIEWS) -> dict[str, list[float]]:
    """Milliseconds per call, by view. A few warm-up calls first so the pool and caches are primed."""
    query = MetricsQuery(engine, SYSTEM)
    samples: dict[str, list[float]] = {}
    for view in views:
        for call in random_calls(view, 3, seed=seed + 1000, last_day=last_day):
            run_api(query, call)
        samples[view] = [timed_ms(lambda c=call: run_api(query, c))
                         for call in random_calls(view, calls_per_view, seed=seed, last_day=last_day)]
    return samples


def query_figures(backend: str, samples: dict[str, list[float]]) -> list[Figure]:
    out = []
    for view, ms in samples.items():
        out.append(figure(f"query.{backend}.{view}.p50", median(ms), "ms"))
        out.append(figure(f"query.{backend}.{view}.p95", percentile(ms, 95), "ms", P95_TARGET_MS,
                          note=f"{len(ms)} randomised calls"))
    return out
