"""Reporting units, daily facts and their rollups, and chart annotations."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from metrics.models.base import Base, UTCDateTime, utcnow


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


class Annotation(Base):
    __tablename__ = "annotation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    day: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(32), default="milestone")
    label_zh: Mapped[str] = mapped_column(String(256))
    label_en: Mapped[str] = mapped_column(String(256))
    unit_code: Mapped[str | None] = mapped_column(String(6))
