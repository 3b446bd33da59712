"""ETL runs, quarantined rows, source watermarks and the scheduler's fire claims."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from metrics.models.base import Base, UTCDateTime, utcnow


class EtlRun(Base):
    __tablename__ = "etl_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(64), index=True)
    trigger: Mapped[str] = mapped_column(String(16), default="scheduled")  # scheduled | manual | backfill
    # running | success | failed | refused (tripped the source's guard: nothing kept, etl/guard.py)
    status: Mapped[str] = mapped_column(String(16), default="running")
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    window_from: Mapped[dt.date | None] = mapped_column(Date)
    window_to: Mapped[dt.date | None] = mapped_column(Date)
    rows_read: Mapped[int] = mapped_column(BigInteger, default=0)
    rows_loaded: Mapped[int] = mapped_column(BigInteger, default=0)
    rows_quarantined: Mapped[int] = mapped_column(BigInteger, default=0)
    error: Mapped[str | None] = mapped_column(Text)


class QuarantinedRow(Base):
    __tablename__ = "quarantined_row"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("etl_run.id"), index=True)
    source: Mapped[str] = mapped_column(String(64), index=True)
    unit_code: Mapped[str | None] = mapped_column(String(6), index=True)  # when the row's unit was resolvable
    row_ref: Mapped[str | None] = mapped_column(String(256))
    raw: Mapped[str] = mapped_column(Text)  # JSON of the source row as read
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class SourceWatermark(Base):
    __tablename__ = "source_watermark"

    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    watermark: Mapped[str | None] = mapped_column(String(64))
    # `since|count|hash` of the rows the next incremental probe should find: the same answer means nothing
    # changed and the run is a no-op (etl/lookback.py).
    lookback_print: Mapped[str | None] = mapped_column(String(160))
    run_id: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class JobFire(Base):
    """One scheduled fire of one job, claimed by the first process to reach it (see etl/locks.py)."""

    __tablename__ = "job_fire"

    job_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    fire_time: Mapped[dt.datetime] = mapped_column(UTCDateTime, primary_key=True)
    owner: Mapped[str] = mapped_column(String(128))  # host:pid of the process that ran it
    status: Mapped[str] = mapped_column(String(16), default="running")  # running | done | failed
    claimed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
