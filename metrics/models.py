"""SQLAlchemy 2 typed models of the metrics store."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (BigInteger, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text,
                        TypeDecorator)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NATION = "CN"  # rollup key for the national total (HQ + 36 bureaus); not a reporting unit


class UTCDateTime(TypeDecorator):
    """Stores UTC; always returns an aware datetime, even from SQLite which drops the zone."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Base(DeclarativeBase):
    pass


class ReportingUnit(Base):
    __tablename__ = "reporting_unit"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # hq | bureau | sub_bureau
    parent_code: Mapped[str | None] = mapped_column(String(6), index=True)
    name_zh: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(128))
    short_zh: Mapped[str | None] = mapped_column(String(8))
    tile_row: Mapped[int | None] = mapped_column(Integer)
    tile_col: Mapped[int | None] = mapped_column(Integer)
    population_10k: Mapped[float | None]
    gdp_100m_yuan: Mapped[float | None]
    institutions: Mapped[int | None] = mapped_column(Integer)
    denominator_year: Mapped[int | None] = mapped_column(Integer)
    denominator_source: Mapped[str | None] = mapped_column(Text)


class UnitAlias(Base):
    __tablename__ = "unit_alias"

    alias: Mapped[str] = mapped_column(String(128), primary_key=True)
    code: Mapped[str] = mapped_column(ForeignKey("reporting_unit.code"))
    alias_kind: Mapped[str] = mapped_column(String(32))


class DailyFact(Base):
    """One metric value for one unit, day, category and source. The primary key is the natural key."""

    __tablename__ = "daily_fact"

    metric_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    category: Mapped[str] = mapped_column(String(40), primary_key=True)
    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    bureau_code: Mapped[str] = mapped_column(String(6))  # denormalised so rollups need no join
    value: Mapped[int] = mapped_column(BigInteger)
    run_id: Mapped[int | None] = mapped_column(Integer)
    loaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_daily_fact_source_day", "source", "day"),)


class AggDay(Base):
    """Daily rollup at bureau (and HQ) level plus the nation; sub-bureaus are folded into their bureau."""

    __tablename__ = "agg_day"

    metric_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    category: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (Index("ix_agg_day_day", "day", "metric_id"),)


class AggMonth(Base):
    """Monthly rollup for every unit (sub-bureaus included), every bureau and the nation."""

    __tablename__ = "agg_month"

    metric_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    category: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (Index("ix_agg_month_month", "month", "metric_id"),)


class AggDayTotal(Base):
    """agg_day summed over categories: what every view without a category filter or split reads."""

    __tablename__ = "agg_day_total"

    metric_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)

    # value in the index: range sums are read from the index alone; on PostgreSQL a few days of every bureau
    # are one range per metric (migration 0008)
    __table_args__ = (Index("ix_agg_day_total_value", "metric_id", "unit_code", "day", "value"),
                      Index("ix_agg_day_total_metric_day", "metric_id", "day", "unit_code", "value")
                      .ddl_if(dialect="postgresql"))


class AggMonthTotal(Base):
    """agg_month summed over categories (sub-bureaus included)."""

    __tablename__ = "agg_month_total"

    metric_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (Index("ix_agg_month_total_value", "metric_id", "unit_code", "month", "value"),)


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


class BriefingSnapshot(Base):
    """A frozen briefing. Rows are only ever inserted; a published row is never updated."""

    __tablename__ = "briefing_snapshot"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    period: Mapped[str] = mapped_column(String(16), index=True)  # 2025Q4 or 2025-11-30
    as_of: Mapped[dt.date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    content_hash: Mapped[str] = mapped_column(String(64))
    definitions_fingerprint: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON
    revision_note: Mapped[str | None] = mapped_column(Text)


class Annotation(Base):
    __tablename__ = "annotation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    day: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(32), default="milestone")
    label_zh: Mapped[str] = mapped_column(String(256))
    label_en: Mapped[str] = mapped_column(String(256))
    unit_code: Mapped[str | None] = mapped_column(String(6))


class User(Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))  # admin | leadership | bureau
    unit_code: Mapped[str | None] = mapped_column(ForeignKey("reporting_unit.code"))
    password_hash: Mapped[str] = mapped_column(String(256))  # argon2id; never the password
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ApiToken(Base):
    """A machine client's token. Only its SHA-256 is kept; the token itself is shown once."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    client: Mapped[str] = mapped_column(String(64))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEvent(Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32), index=True)  # login_ok | login_failed | download | api | ...
    detail: Mapped[str | None] = mapped_column(Text)
    remote_addr: Mapped[str | None] = mapped_column(String(64))


__all__ = ["User", "ApiToken", "AuditEvent", "Base", "NATION", "ReportingUnit", "UnitAlias", "DailyFact", "AggDay", "AggMonth", "AggDayTotal", "AggMonthTotal", "EtlRun",
           "QuarantinedRow", "SourceWatermark", "JobFire", "BriefingSnapshot", "Annotation", "UTCDateTime", "utcnow"]


# -- record-level reconciliation and reporting coverage (issue #8) ------------------------------------------
class ReferralRecord(Base):
    """One clue of the regulator's system as loaded (valid, not a duplicate); referred ones carry a number."""

    __tablename__ = "referral_record"

    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    clue_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    referral_no: Mapped[str | None] = mapped_column(String(64), index=True)
    unit_code: Mapped[str] = mapped_column(String(6))
    bureau_code: Mapped[str] = mapped_column(String(6), index=True)
    identified_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    referred_on: Mapped[dt.date | None] = mapped_column(Date)
    amount_yuan: Mapped[int | None] = mapped_column(BigInteger)
    police_unit: Mapped[str | None] = mapped_column(String(128))
    run_id: Mapped[int | None] = mapped_column(Integer)


class PoliceRecord(Base):
    """One police case intake as loaded; cited_referral_no is the regulator's number when the police keyed it."""

    __tablename__ = "police_record"

    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    intake_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    cited_referral_no: Mapped[str | None] = mapped_column(String(64), index=True)
    unit_code: Mapped[str] = mapped_column(String(6))
    bureau_code: Mapped[str] = mapped_column(String(6), index=True)
    received_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    accepted_on: Mapped[dt.date | None] = mapped_column(Date)
    filed_on: Mapped[dt.date | None] = mapped_column(Date)
    run_id: Mapped[int | None] = mapped_column(Integer)


class SubmissionRule(Base):
    """What a periodic-submission source expects: one submission per bureau per month, due by a day."""

    __tablename__ = "submission_rule"

    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    deadline_day: Mapped[int] = mapped_column(Integer)  # day of the month after the reported month
    first_month: Mapped[dt.date] = mapped_column(Date)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class SourceSubmission(Base):
    """One received submission (e.g. a bureau's monthly spreadsheet). No row = not reported."""

    __tablename__ = "source_submission"

    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    file_ref: Mapped[str] = mapped_column(String(256))
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # first time seen (file time)
    revised_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # latest re-send, when re-sent
    rows: Mapped[int] = mapped_column(Integer)  # event rows in the submission (0 = reported zero)
    run_id: Mapped[int | None] = mapped_column(Integer)


__all__ += ["ReferralRecord", "PoliceRecord", "SubmissionRule", "SourceSubmission"]
