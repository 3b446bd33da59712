"""Thin jobs: load the source blocks, run sources one by one, backfill by month. Sources never block each other."""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from etl.config import SourceConfigError, SourceSpec, load_sources
from metrics.config import Settings
from metrics.models import utcnow
from metrics.windows import add_months, month_end

if TYPE_CHECKING:  # the pipeline is imported when a run starts, so `etl status` need not load it
    from etl.pipeline import Clock, RunResult

log = logging.getLogger("imd.etl")


class UnknownSourceError(SourceConfigError):
    pass


def source_variables(settings: Settings, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """What ${VAR} may name in the sources file: the variables app.py handed over, plus the data folders."""
    given = dict(environ if environ is not None else settings.source_variables)
    given.setdefault("IMD_DATA_DIR", str(settings.data_dir))
    given.setdefault("IMD_DEMO_DIR", str(settings.demo_dir))
    return given


def load_specs(settings: Settings, environ: Mapping[str, str] | None = None) -> dict[str, SourceSpec]:
    return load_sources(settings.sources_path, source_variables(settings, environ))


def pick(specs: Mapping[str, SourceSpec], name: str | None) -> list[SourceSpec]:
    if name is None:
        return list(specs.values())
    if name not in specs:
        raise UnknownSourceError(f"unknown source '{name}'; configured sources: {', '.join(specs) or 'none'}")
    return [specs[name]]


def run_sources(engine: Engine, specs: Iterable[SourceSpec], *, trigger: str = "manual", clock: Clock = utcnow,
                full: bool = False, on_done: Callable[[RunResult], None] | None = None,
                accept: bool = False) -> list[RunResult]:
    from etl.pipeline import run_source

    results = []
    for spec in specs:
        result = run_source(engine, spec, trigger=trigger, clock=clock, full=full, accept=accept)
        log.log(logging.INFO if result.status == "success" else logging.ERROR,
                "source %s: %s, read %d, loaded %d, quarantined %d%s", spec.name, result.status, result.rows_read,
                result.rows_loaded, result.rows_quarantined, f" ({result.error})" if result.error else "")
        if on_done is not None:
            on_done(result)
        results.append(result)
    return results


def month_windows(day_from: dt.date, day_to: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Calendar-month batches: each is one transaction, so a long backfill commits as it goes."""
    windows, start = [], day_from
    while start <= day_to:
        end = min(month_end(start), day_to)
        windows.append((start, end))
        start = add_months(start.replace(day=1), 1)
    return windows


def backfill(engine: Engine, specs: Iterable[SourceSpec], day_from: dt.date, day_to: dt.date, *,
             clock: Clock = utcnow, progress: Callable[[RunResult], None] | None = None,
             accept: bool = False) -> list[RunResult]:
    from etl.pipeline import run_source

    results = []
    for spec in specs:
        for window in month_windows(day_from, day_to):
            result = run_source(engine, spec, trigger="backfill", clock=clock, days=window, accept=accept)
            results.append(result)
            if progress is not None:
                progress(result)
    return results


def scheduled_source_run(engine: Engine, spec: SourceSpec) -> RunResult:
    """The body of a source's scheduled job (the lock around it lives in etl.scheduler)."""
    return run_sources(engine, [spec], trigger="scheduled")[0]
