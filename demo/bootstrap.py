"""First start of the embedded default: build the demo systems if needed and load every source once."""
from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import Engine, exists, select

from etl.jobs import load_specs, run_sources
from metrics.config import Settings
from metrics.models import DailyFact, EtlRun
from metrics.windows import today_shanghai


def store_is_empty(engine: Engine) -> bool:
    with engine.connect() as conn:
        return not conn.execute(select(exists().where(DailyFact.day.isnot(None)))).scalar() and \
            not conn.execute(select(exists().where(EtlRun.id.isnot(None)))).scalar()


def ensure_demo_loaded(settings: Settings, engine: Engine, *, say: Callable[[str], None] = print) -> bool:
    """True when it loaded something. Does nothing if the store already has facts or runs."""
    if not store_is_empty(engine):
        return False
    started = time.perf_counter()
    folder = settings.demo_dir
    if not folder.is_dir() or not any(folder.iterdir()):
        from demo import generate

        say(f"generating the demo source systems in {folder} ...")
        generate(folder, until=today_shanghai())
        say(f"  done in {time.perf_counter() - started:.1f} s")
    from demo.returns import seed_demo_returns

    seed_demo_returns(settings, engine, today=today_shanghai(), say=say)  # approved ones load in this first run
    specs = load_specs(settings)
    say(f"loading {len(specs)} demo sources into the metrics store ...")

    def report(result) -> None:
        detail = (f"read {result.rows_read}, loaded {result.rows_loaded}, quarantined {result.rows_quarantined}"
                  if result.status == "success" else result.error)
        say(f"  {result.source}: {result.status} ({detail})")

    run_sources(engine, specs.values(), trigger="manual", on_done=report)
    say(f"demo ready in {time.perf_counter() - started:.1f} s")
    return True
