"""One source run: plan the scope from the watermark, extract → validate → transform, load in one transaction.

The facts of the restated days, the quarantine of the re-read rows, the watermark and the run's counts commit
together, so a failed attempt leaves nothing behind and the next run starts from the old watermark.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.orm import Session
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from etl import guard
from etl.config import SourceSpec
from etl.connectors import Connector, ConnectorError, Scope, open_connector
from etl.connectors.base import day_ranges
from etl.findings import restate_findings
from etl.gc_pause import gc_paused
from etl.lookback import LookbackPrint, since_of
from etl.records import restate_records
from etl.submissions import restate_submissions
from etl.settle import Settlement, empty_outcome
from etl.transform import Outcome, RowTransformer
from etl.unit_lookup import NO_ALIASES, UnitLookup, store_aliases
from etl.validation import parse_day
from metrics.db import session_factory
from metrics.models import DailyFact, EtlRun, QuarantinedRow, SourceWatermark, utcnow
from metrics.store import delete_rows, load_cache, replace_facts

Clock = Callable[[], dt.datetime]
_REFS_PER_DELETE = 500


@dataclass(frozen=True, slots=True)
class RunResult:
    source: str
    run_id: int
    status: str  # success | failed | refused
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    error: str | None = None


def plan_scope(spec: SourceSpec, connector: Connector, watermark: str | None,
               last_print: str | None = None) -> tuple[Scope | None, str | None]:
    """The rows to re-read, or None when nothing changed since the watermark; plus the new watermark.

    `last_print` is the lookback fingerprint the last committed run stored: the same probe rows mean no change.
    """
    if spec.watermark is None or watermark is None:
        return Scope(), None
    since = since_of(watermark, spec.watermark.lookback_days)
    probed = LookbackPrint(spec, probe=True)
    days: list[dt.date] = []
    top: str | None = None
    for chunk in connector.changed(since):
        probed.add(chunk)
        for name in spec.date_fields:
            formats = spec.fields[name].formats
            days.extend(d for d in (parse_day(v, formats) for v in chunk[name]) if d is not None)
        marks = [str(v) for v in chunk[spec.watermark.column] if v is not None]
        if marks:
            top = max(top or "", max(marks))
    if top is None or (last_print is not None and probed.digest(watermark) == last_print):
        return None, None
    return Scope(ranges=day_ranges(days), since=since), top


def _settle_reading(spec: SourceSpec, connector: Connector, scope: Scope, transformer: RowTransformer,
                    first_of_key: dict | None = None, window: LookbackPrint | None = None
                    ) -> tuple[Settlement, str | None]:
    """One pass over the scope (and, on the first pass, the other rows sharing its natural keys)."""
    whole = not connector.pushdown or scope.full  # the whole source is read
    settlement = Settlement(spec, scope, keep_refs=not scope.full, keep_every_ref=whole and not scope.full,
                            count_files=whole, first_of_key=first_of_key)
    top = None
    for chunk in connector.extract(scope):
        if window is not None:
            window.add(chunk)
        narrow, chunk_top = transformer.narrow(chunk, context=False)
        settlement.add(narrow)
        top = max(filter(None, (top, chunk_top)), default=None)
    if first_of_key is None and spec.natural_key and connector.pushdown and not scope.full \
            and settlement.scope_keys:
        # Duplicates are judged against every row with the same key, wherever its days fall.
        for chunk in connector.rows_with_keys(spec.natural_key, sorted(settlement.scope_keys)):
            settlement.add(transformer.narrow(chunk, context=True)[0])
    return settlement, top


def read_scope(spec: SourceSpec, connector: Connector, scope: Scope, lookup: UnitLookup = NO_ALIASES
               ) -> tuple[Outcome, str | None, LookbackPrint | None]:
    transformer = RowTransformer(spec, scope, lookup)
    # Extract covers every row at or after the probe's floor (or the whole source), so it holds the next window.
    window = LookbackPrint(spec) if spec.watermark is not None else None
    settlement, top = _settle_reading(spec, connector, scope, transformer, window=window)
    if settlement.out_of_order:  # the first row of some key came late: judge the scope again, keys now known
        settlement, _ = _settle_reading(spec, connector, scope, transformer, settlement.first_of_key)
    return settlement.outcome(), top, window


def _restated_ranges(session: Session, spec: SourceSpec, scope: Scope, outcome: Outcome):
    if not scope.full:
        return scope.ranges  # empty when only rows with unreadable dates changed: quarantine, restate nothing
    lo, hi = session.execute(select(func.min(DailyFact.day), func.max(DailyFact.day))
                             .where(DailyFact.source == spec.name)).one()
    bounds = [d for d in (lo, hi, *(outcome.days or ())) if d is not None]
    return ((min(bounds), max(bounds)),) if bounds else ()


def load(session: Session, spec: SourceSpec, run_id: int, scope: Scope, outcome: Outcome,
         new_watermark: str | None, clock: Clock, window: LookbackPrint | None = None, *,
         accept: bool = False, findings: list[dict] | None = None) -> None:
    """Write one batch; the caller owns the transaction. Raises RefusedLoad (etl/guard.py) unless `accept`."""
    ranges = _restated_ranges(session, spec, scope, outcome)
    if not accept:
        guard.check(session, spec, ranges, rows_read=outcome.rows_read, rows_quarantined=outcome.rows_quarantined,
                    new_facts=outcome.facts, quarantine=outcome.quarantine)
    for lo, hi in ranges:
        replace_facts(session, source=spec.name, day_from=lo, day_to=hi, facts=outcome.facts.within(lo, hi),
                      run_id=run_id)
    if scope.full:
        delete_rows(session, delete(QuarantinedRow).where(QuarantinedRow.source == spec.name))
    else:
        for start in range(0, len(outcome.refs_read), _REFS_PER_DELETE):
            refs = outcome.refs_read[start:start + _REFS_PER_DELETE]
            delete_rows(session, delete(QuarantinedRow).where(QuarantinedRow.source == spec.name,
                                                         QuarantinedRow.row_ref.in_(refs)))
        if outcome.every_ref is not None:  # the whole source was read: rows gone from it leave the quarantine
            held = set(session.scalars(select(QuarantinedRow.row_ref).where(QuarantinedRow.source == spec.name)))
            gone = sorted(held - outcome.every_ref)
            for start in range(0, len(gone), _REFS_PER_DELETE):
                refs = gone[start:start + _REFS_PER_DELETE]
                delete_rows(session, delete(QuarantinedRow).where(QuarantinedRow.source == spec.name,
                                                             QuarantinedRow.row_ref.in_(refs)))
    now = clock()
    if outcome.quarantine:
        session.execute(insert(QuarantinedRow), [
            {**q, "row_ref": (q["row_ref"] or "")[:256], "source": spec.name, "run_id": run_id, "created_at": now}
            for q in outcome.quarantine])
    restate_records(session, spec, run_id, scope, outcome, ranges)  # record-level tables, same scope
    restate_submissions(session, spec, run_id, outcome, now)  # who sent which monthly file
    restate_findings(session, spec, run_id, findings, now)  # totals rows that disagree with their rows
    if new_watermark is not None:
        mark = session.get(SourceWatermark, spec.name)
        if mark is None:
            mark = SourceWatermark(source=spec.name, watermark=new_watermark, run_id=run_id, updated_at=now)
            session.add(mark)
        elif mark.watermark is None or new_watermark > mark.watermark:
            mark.watermark, mark.run_id, mark.updated_at = new_watermark, run_id, now
        if window is not None:  # the window the next run will probe, as of what this run read
            mark.lookback_print = window.digest(mark.watermark)
    run = session.get(EtlRun, run_id)
    run.rows_read, run.rows_loaded = outcome.rows_read, outcome.rows_loaded
    run.rows_quarantined = outcome.rows_quarantined
    if run.rows_read != run.rows_loaded + run.rows_quarantined:
        raise AssertionError(f"run {run_id} of '{spec.name}': read {run.rows_read} != loaded {run.rows_loaded}"
                             f" + quarantined {run.rows_quarantined}")
    run.window_from = min((lo for lo, _ in ranges), default=None)
    run.window_to = max((hi for _, hi in ranges), default=None)
    run.status, run.finished_at, run.error = "success", now, None


def _attempt(engine: Engine, spec: SourceSpec, run_id: int, **kwargs) -> Outcome:
    with gc_paused():
        return _read_and_load(engine, spec, run_id, **kwargs)


def _read_and_load(engine: Engine, spec: SourceSpec, run_id: int, *,
                   days: tuple[tuple[dt.date, dt.date], ...] | None, full: bool,
                   connector_factory: Callable[[SourceSpec], Connector], clock: Clock,
                   accept: bool = False) -> Outcome:
    sessions = session_factory(engine)
    with sessions() as session:
        mark = session.get(SourceWatermark, spec.name)
        watermark = None if full or mark is None else mark.watermark
        last_print = None if mark is None else mark.lookback_print
        lookup = UnitLookup(spec.unit.aliases, store_aliases(session))
    with connector_factory(spec) as connector:
        if hasattr(connector, "check_columns"):
            connector.check_columns()  # sql: a misnamed column is a configuration error, not an outage
        connector.use_store(engine)
        if days is not None:
            scope, new_watermark = Scope(ranges=days), None  # a backfill restates days; it does not move the mark
        else:
            scope, new_watermark = plan_scope(spec, connector, watermark, last_print)
        window, findings = None, None
        if scope is None:
            outcome = empty_outcome()
        else:
            outcome, top, window = read_scope(spec, connector, scope, lookup)
            if isinstance(getattr(connector, "findings", None), dict):  # files: what the reading found
                findings = list(connector.findings.values())
            if days is None:
                new_watermark = max(filter(None, (new_watermark, top)), default=None)
            else:
                window = None  # a backfill reads some days, not the window
    with sessions() as session, session.begin(), load_cache(session):
        load(session, spec, run_id, scope or Scope(since=""), outcome, new_watermark, clock, window, accept=accept,
             findings=findings)
    return outcome


def run_source(engine: Engine, spec: SourceSpec, *, trigger: str = "scheduled", clock: Clock = utcnow,
               days: tuple[dt.date, dt.date] | None = None, full: bool = False,
               connector_factory: Callable[[SourceSpec], Connector] = open_connector,
               wait_scale: float = 1.0, accept: bool = False,
               ranges: tuple[tuple[dt.date, dt.date], ...] | None = None) -> RunResult:
    """Run one source, retrying connector failures with exponential backoff. Never raises for source faults.

    A run that trips the source's guard is `refused`: nothing of it is kept, the old facts stay.
    `days` (one range) or `ranges` (several) restate those days only and leave the watermark alone.
    """
    ranges = ranges or ((days,) if days else None)
    with session_factory(engine)() as session, session.begin():
        run = EtlRun(source=spec.name, trigger=trigger, status="running", started_at=clock(),
                     window_from=ranges[0][0] if ranges else None, window_to=ranges[-1][1] if ranges else None)
        session.add(run)
        session.flush()
        run_id = run.id
    retrying = Retrying(stop=stop_after_attempt(spec.retry.attempts), reraise=True,
                        retry=retry_if_exception_type(ConnectorError),
                        wait=wait_exponential(multiplier=spec.retry.backoff_seconds * wait_scale, max=60))
    try:
        outcome = retrying(_attempt, engine, spec, run_id, days=ranges, full=full,
                           connector_factory=connector_factory, clock=clock, accept=accept)
    except guard.RefusedLoad as exc:
        with session_factory(engine)() as session, session.begin():
            run = session.get(EtlRun, run_id)
            run.status, run.error, run.finished_at = "refused", str(exc)[:4000], clock()
        return RunResult(spec.name, run_id, "refused", error=str(exc))
    except Exception as exc:  # noqa: BLE001 - any failure fails this source's run only
        attempts = retrying.statistics.get("attempt_number", 1)
        message = f"{type(exc).__name__}: {exc}" + (f" (after {attempts} attempts)" if attempts > 1 else "")
        with session_factory(engine)() as session, session.begin():
            run = session.get(EtlRun, run_id)
            run.status, run.error, run.finished_at = "failed", message[:4000], clock()
        return RunResult(spec.name, run_id, "failed", error=message)
    return RunResult(spec.name, run_id, "success", outcome.rows_read, outcome.rows_loaded, outcome.rows_quarantined)
