"""A checksum of what the store holds: facts, rollups, quarantine and watermarks.

Two stores (or one store before and after something) hold the same data exactly when their checksums are equal.
Only content is hashed, not bookkeeping: run ids, load and creation times and surrogate ids are left out, so a
store that ran the same load twice, or was restored from a backup, sums to the same value. Rows are sorted in
Python, so the result does not depend on the backend's collation.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, select

from metrics.models import (AggDay, AggDayTotal, AggMonth, AggMonthTotal, DailyFact, QuarantinedRow,
                            SourceWatermark)

# table -> the columns that are its content
CONTENT = {
    "daily_fact": (DailyFact.metric_id, DailyFact.unit_code, DailyFact.day, DailyFact.category, DailyFact.source,
                   DailyFact.bureau_code, DailyFact.value),
    "agg_day": (AggDay.metric_id, AggDay.unit_code, AggDay.day, AggDay.category, AggDay.value),
    "agg_month": (AggMonth.metric_id, AggMonth.unit_code, AggMonth.month, AggMonth.category, AggMonth.value),
    "agg_day_total": (AggDayTotal.metric_id, AggDayTotal.unit_code, AggDayTotal.day, AggDayTotal.value),
    "agg_month_total": (AggMonthTotal.metric_id, AggMonthTotal.unit_code, AggMonthTotal.month,
                        AggMonthTotal.value),
    "quarantined_row": (QuarantinedRow.source, QuarantinedRow.row_ref, QuarantinedRow.unit_code,
                        QuarantinedRow.reason, QuarantinedRow.raw),
    "source_watermark": (SourceWatermark.source, SourceWatermark.watermark),
}
# '~…' watermark rows are the store's own cache generation tokens (metrics.store), new with every load
WHERE = {"source_watermark": ~SourceWatermark.source.startswith("~")}


@dataclass(frozen=True)
class TableSum:
    rows: int
    sha256: str


@dataclass(frozen=True)
class StoreChecksum:
    tables: dict[str, TableSum]

    @property
    def digest(self) -> str:
        return hashlib.sha256(json.dumps({k: [v.rows, v.sha256] for k, v in sorted(self.tables.items())})
                              .encode()).hexdigest()

    @property
    def empty(self) -> bool:
        return not any(t.rows for t in self.tables.values())

    def to_json(self) -> dict:
        return {"digest": self.digest, "tables": {k: {"rows": v.rows, "sha256": v.sha256}
                                                  for k, v in self.tables.items()}}


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return int(value) if isinstance(value, bool) else value


def table_sum(conn: Connection, columns, where=None) -> TableSum:
    query = select(*columns) if where is None else select(*columns).where(where)
    lines = sorted(json.dumps([_plain(v) for v in row], ensure_ascii=False, default=str)
                   for row in conn.execute(query))
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode())
        digest.update(b"\n")
    return TableSum(len(lines), digest.hexdigest())


def store_checksum(bind: Engine | Connection) -> StoreChecksum:
    """The checksum of the store (read in one transaction when given an engine)."""
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return store_checksum(conn)
    return StoreChecksum({name: table_sum(bind, columns, WHERE.get(name)) for name, columns in CONTENT.items()})
