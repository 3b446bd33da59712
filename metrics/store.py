"""Writing daily facts and keeping the rollups in step. Used by the ETL and the benchmark builder."""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Protocol

import pandas as pd
from sqlalchemy import Date, and_, cast, delete, func, insert, literal, select, text
from sqlalchemy.orm import Session

from metrics import rollup_frames
from metrics.bulk_rows import bound_values, frame_rows, write_rows
from metrics.models import NATION, AggDay, AggDayTotal, AggMonth, AggMonthTotal, DailyFact, SourceWatermark, utcnow
from metrics.units import all_units

_ROLLUP_WORK_MEM = "128MB"  # transaction-local, for the load's own rollup GROUP BYs
FACT_COLUMNS = ["metric_id", "unit_code", "day", "category", "value"]


@contextmanager
def load_cache(session: Session, mib: int = 128) -> Iterator[None]:
    """A larger SQLite page cache while a load writes, so the fact and rollup index pages it keeps revisiting
    stay in memory (~10-15 % off a 200k-row full load); the connection's own size is restored afterwards."""
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    conn = session.connection()
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size=-{int(mib) * 1024}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(before)}")


def delete_rows(session: Session, statement) -> None:
    """A bulk DELETE without the ORM's RETURNING of every deleted row (it syncs a session that holds none)."""
    session.execute(statement, execution_options={"synchronize_session": False})


def _month_start(column, dialect: str):
    if dialect == "sqlite":
        return func.date(column, "start of month")
    if dialect == "postgresql":
        return cast(func.date_trunc("month", column), Date)
    raise NotImplementedError(f"the metrics store supports SQLite and PostgreSQL, not {dialect}")


class FactSlices(Protocol):
    """Facts handed over a slice at a time (etl.packed.PackedFacts): a large load never exists as one frame."""

    def __len__(self) -> int: ...
    def metric_ids(self) -> set[str]: ...
    def slices(self, rows: int) -> Iterator[pd.DataFrame]: ...  # FACT_COLUMNS, one row per natural key


class FrameFacts:
    """A FACT_COLUMNS DataFrame as FactSlices."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame.loc[:, FACT_COLUMNS]

    def __len__(self) -> int:
        return len(self.frame)

    def metric_ids(self) -> set[str]:
        return set(self.frame["metric_id"].unique())

    def slices(self, rows: int) -> Iterator[pd.DataFrame]:
        for start in range(0, len(self.frame), rows):
            yield self.frame.iloc[start:start + rows]


def replace_facts(session: Session, *, source: str, day_from: dt.date, day_to: dt.date,
                  facts: pd.DataFrame | FactSlices, run_id: int | None,
                  metric_ids: Iterable[str] | None = None) -> int:
    """Restate a source's facts for [day_from, day_to]: whatever the source no longer has disappears.

    `facts` has FACT_COLUMNS, already aggregated to one row per natural key. Runs inside the caller's
    transaction, so the facts, the rollups and the caller's watermark commit together.
    """
    if isinstance(facts, pd.DataFrame):
        if facts.duplicated(["metric_id", "unit_code", "day", "category"]).any():
            raise ValueError("facts must be aggregated to one row per metric, unit, day and category")
        facts = FrameFacts(facts)
    scope = [DailyFact.source == source, DailyFact.day.between(day_from, day_to)]
    if metric_ids is not None:
        scope.append(DailyFact.metric_id.in_(list(metric_ids)))
    touched = set(session.scalars(select(DailyFact.metric_id).where(*scope).distinct()))
    delete_rows(session, delete(DailyFact).where(*scope))
    touched = sorted(touched | facts.metric_ids())
    # The database's GROUP BYs over the facts cost about twice inserting their result (PostgreSQL), or ~1.3x
    # summing here and inserting the rows (SQLite): a load that is all its metrics hold sums them itself.
    if touched and sole_writer(session, facts, touched, day_from, day_to, written=False):
        # This process sums the rollups while the database is still inserting the facts (metrics.bulk_rows).
        frames = insert_facts(session, source=source, facts=facts, run_id=run_id, window=(day_from, day_to),
                              meanwhile=lambda: rollup_frames.rollup_frames(facts.slices(50_000), _bureau_of()))
        write_rollups(session, facts=facts, metric_ids=touched, day_from=day_from, day_to=day_to, frames=frames)
    else:
        insert_facts(session, source=source, facts=facts, run_id=run_id, window=(day_from, day_to))
        if touched:
            refresh_rollups(session, metric_ids=touched, day_from=day_from, day_to=day_to)
    if touched:
        bump_generation(session)
    return len(facts)


def _bureau_of() -> dict[str, str]:
    """Each unit's bureau: a sub-bureau's parent, else the unit itself."""
    return {c: (u.parent_code if u.kind == "sub_bureau" else c) for c, u in all_units().items()}


# A reserved row of source_watermark whose value changes with every load: shared caches key on it, so a
# cached answer dies the moment a load commits (it commits with the load, in the caller's transaction).
GENERATION_KEY = "~store_generation"


def bump_generation(session: Session) -> str:
    token = uuid.uuid4().hex
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert
    stmt = upsert(SourceWatermark).values(source=GENERATION_KEY, watermark=token, updated_at=utcnow())
    session.execute(stmt.on_conflict_do_update(index_elements=["source"],
                                               set_={"watermark": token, "updated_at": utcnow()}))
    return token


def read_generation(conn) -> str:
    """The current generation token ('' before the first load): one primary-key read."""
    token = conn.scalar(select(SourceWatermark.watermark).where(SourceWatermark.source == GENERATION_KEY))
    return token or ""


def insert_facts(session: Session, *, source: str, facts: pd.DataFrame | FactSlices, run_id: int | None,
                 chunk_rows: int = 50_000, window: tuple[dt.date, dt.date] | None = None, meanwhile=None):
    """Bulk-append facts inside the caller's transaction, a slice at a time: binary COPY on PostgreSQL, one
    executemany per slice on SQLite. Facts outside `window` are refused.

    `meanwhile()` runs once every row is sent, while the database is still inserting them; its result is returned.
    """
    if isinstance(facts, pd.DataFrame):
        facts = FrameFacts(facts)
    conn = session.connection()
    table = DailyFact.__table__
    rows = _storage_rows(conn.dialect, table, facts.slices(chunk_rows), window,
                         {"source": source, "run_id": run_id, "loaded_at": utcnow()})
    return write_rows(conn, table, rows, meanwhile)


def _storage_rows(dialect, table, slices: Iterator[pd.DataFrame], window, constant: dict) -> Iterator[list[tuple]]:
    """Each slice as a list of row tuples in storage form, checked: known units, inside the window."""
    bureau = _bureau_of()
    for part in slices:
        if not len(part):
            continue
        if window is not None and ((part["day"] < window[0]) | (part["day"] > window[1])).any():
            raise ValueError(f"facts outside the restated window {window[0]}..{window[1]}")
        part = part.assign(bureau_code=part["unit_code"].map(bureau), value=part["value"].astype("int64"))
        if part["bureau_code"].isna().any():
            bad = part.loc[part["bureau_code"].isna(), "unit_code"].iloc[0]
            raise ValueError(f"fact for unknown reporting unit '{bad}'")
        columns = [bound_values([constant[c.name]] * len(part) if c.name in constant else part[c.name].tolist(),
                                 c.type, dialect) for c in table.columns]
        yield list(zip(*columns))


def _month_bounds(day_from: dt.date, day_to: dt.date) -> tuple[dt.date, dt.date, dt.date]:
    month_from, month_to = day_from.replace(day=1), day_to.replace(day=1)
    return month_from, month_to, (month_to + dt.timedelta(days=32)).replace(day=1)


def sole_writer(session: Session, facts: FactSlices, metric_ids: list[str], day_from: dt.date,
                day_to: dt.date, *, written: bool = True) -> bool:
    """True when these facts are all the store holds (once `written`) for these metrics in the months they
    touch: then the rollups are sums of these facts alone (metrics.rollup_frames), no GROUP BY over the store."""
    if not 0 < len(facts) <= rollup_frames.MAX_FACTS:
        return False
    month_from, _, next_month = _month_bounds(day_from, day_to)
    held = session.scalar(select(func.count()).select_from(DailyFact).where(
        DailyFact.metric_id.in_(metric_ids), DailyFact.day >= month_from, DailyFact.day < next_month))
    return held == (len(facts) if written else 0)


def write_rollups(session: Session, *, facts: FactSlices, metric_ids: list[str], day_from: dt.date,
                  day_to: dt.date, frames: dict[str, pd.DataFrame] | None = None) -> None:
    """refresh_rollups' result computed from the facts (only when sole_writer says they are all there is);
    `frames`: rollup_frames of these facts, when already summed."""
    _delete_rollups(session, metric_ids, day_from, day_to)
    conn = session.connection()
    if frames is None:
        frames = rollup_frames.rollup_frames(facts.slices(50_000), _bureau_of())
    for table, frame in frames.items():
        model = {"agg_day": AggDay, "agg_month": AggMonth, "agg_day_total": AggDayTotal,
                 "agg_month_total": AggMonthTotal}[table]
        write_rows(conn, model.__table__, frame_rows(conn, model.__table__, frame))


def _delete_rollups(session: Session, metric_ids: list[str], day_from: dt.date, day_to: dt.date) -> None:
    month_from, month_to, _ = _month_bounds(day_from, day_to)
    delete_rows(session, delete(AggDay).where(AggDay.metric_id.in_(metric_ids), AggDay.day.between(day_from, day_to)))
    delete_rows(session, delete(AggMonth).where(AggMonth.metric_id.in_(metric_ids),
                                                AggMonth.month.between(month_from, month_to)))
    delete_rows(session, delete(AggDayTotal).where(AggDayTotal.metric_id.in_(metric_ids),
                                                   AggDayTotal.day.between(day_from, day_to)))
    delete_rows(session, delete(AggMonthTotal).where(AggMonthTotal.metric_id.in_(metric_ids),
                                                     AggMonthTotal.month.between(month_from, month_to)))


def refresh_rollups(session: Session, *, metric_ids: list[str], day_from: dt.date, day_to: dt.date) -> None:
    """Recompute agg_day for the days and agg_month for every month the days touch."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":  # the GROUP BYs below hash in memory instead of sorting on disk (4 MB default)
        session.execute(text(f"SET LOCAL work_mem = '{_ROLLUP_WORK_MEM}'"))
    _delete_rollups(session, metric_ids, day_from, day_to)
    in_days = and_(DailyFact.metric_id.in_(metric_ids), DailyFact.day.between(day_from, day_to))
    for unit_col in (DailyFact.bureau_code, literal(NATION)):
        q = (select(DailyFact.metric_id, unit_col, DailyFact.day, DailyFact.category, func.sum(DailyFact.value))
             .where(in_days).group_by(DailyFact.metric_id, unit_col, DailyFact.day, DailyFact.category))
        session.execute(insert(AggDay).from_select(["metric_id", "unit_code", "day", "category", "value"], q))

    month_from, month_to, next_month = _month_bounds(day_from, day_to)
    month_of_day = _month_start(AggDay.day, dialect)
    q = (select(AggDay.metric_id, AggDay.unit_code, month_of_day, AggDay.category, func.sum(AggDay.value))
         .where(AggDay.metric_id.in_(metric_ids), AggDay.day >= month_from, AggDay.day < next_month)
         .group_by(AggDay.metric_id, AggDay.unit_code, month_of_day, AggDay.category))
    session.execute(insert(AggMonth).from_select(["metric_id", "unit_code", "month", "category", "value"], q))
    # Sub-bureaus only exist in the fact table; fold their own months in too.
    fact_month = _month_start(DailyFact.day, dialect)
    q = (select(DailyFact.metric_id, DailyFact.unit_code, fact_month, DailyFact.category, func.sum(DailyFact.value))
         .where(DailyFact.metric_id.in_(metric_ids), DailyFact.day >= month_from, DailyFact.day < next_month,
                DailyFact.unit_code != DailyFact.bureau_code)
         .group_by(DailyFact.metric_id, DailyFact.unit_code, fact_month, DailyFact.category))
    session.execute(insert(AggMonth).from_select(["metric_id", "unit_code", "month", "category", "value"], q))
    _refresh_totals(session, metric_ids, day_from, day_to, month_from, month_to)


def _refresh_totals(session: Session, metric_ids: list[str], day_from: dt.date, day_to: dt.date,
                    month_from: dt.date, month_to: dt.date) -> None:
    """The category-summed rollups, recomputed from the rollups just written."""
    q = (select(AggDay.metric_id, AggDay.unit_code, AggDay.day, func.sum(AggDay.value))
         .where(AggDay.metric_id.in_(metric_ids), AggDay.day.between(day_from, day_to))
         .group_by(AggDay.metric_id, AggDay.unit_code, AggDay.day))
    session.execute(insert(AggDayTotal).from_select(["metric_id", "unit_code", "day", "value"], q))
    q = (select(AggMonth.metric_id, AggMonth.unit_code, AggMonth.month, func.sum(AggMonth.value))
         .where(AggMonth.metric_id.in_(metric_ids), AggMonth.month.between(month_from, month_to))
         .group_by(AggMonth.metric_id, AggMonth.unit_code, AggMonth.month))
    session.execute(insert(AggMonthTotal).from_select(["metric_id", "unit_code", "month", "value"], q))
