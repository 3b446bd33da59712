"""`etl reprocess`: after an alias (or a block fix), load the quarantined rows that now pass.

The days those rows count on are restated from the source as a backfill would (facts of those days replaced,
the quarantine of the re-read rows replaced), so read = loaded + quarantined holds and nothing doubles. Rows
whose day cannot be read from the quarantine (a bad date) need `etl run --full`.
"""
from __future__ import annotations

import json

from sqlalchemy import Engine, select

from etl.config import SourceSpec
from etl.connectors.base import day_ranges
from etl.pipeline import Clock, RunResult, run_source
from etl.validation import parse_day
from metrics.models import QuarantinedRow, utcnow


def quarantined_days(engine: Engine, spec: SourceSpec, kind: str | None):
    """(days of the matching rows, how many rows matched, how many had no readable day)."""
    query = select(QuarantinedRow.raw, QuarantinedRow.reason).where(QuarantinedRow.source == spec.name)
    days, matched, dayless = [], 0, 0
    with engine.connect() as conn:
        for raw, reason in conn.execute(query):
            if kind and kind not in reason:
                continue
            matched += 1
            try:
                row = json.loads(raw)
            except ValueError:
                row = {}
            found = [d for d in (parse_day(row.get(f), spec.fields[f].formats) for f in spec.date_fields)
                     if d is not None]
            days.extend(found)
            dayless += not found
    return days, matched, dayless


def reprocess(engine: Engine, spec: SourceSpec, *, kind: str | None = None, clock: Clock = utcnow,
              accept: bool = False) -> tuple[RunResult | None, int, int]:
    """Restate the days of the source's quarantined rows whose reason contains `kind` (all when None).

    Returns (the run, or None when no row matched; rows matched; rows without a readable day)."""
    days, matched, dayless = quarantined_days(engine, spec, kind)
    if not days:
        return None, matched, dayless
    result = run_source(engine, spec, trigger="reprocess", clock=clock, ranges=day_ranges(days), accept=accept)
    return result, matched, dayless
