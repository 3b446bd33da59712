"""Tables of bureau returns: filings, their versions, every workflow step, in-app notices and sign-offs."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from metrics.models import Base, UTCDateTime, utcnow


class ReturnFiling(Base):
    """One unit's return of one type for one period; its figures live in versions."""

    __tablename__ = "return_filing"
    __table_args__ = (UniqueConstraint("return_type", "unit_code", "period_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    return_type: Mapped[str] = mapped_column(String(64))
    unit_code: Mapped[str] = mapped_column(ForeignKey("reporting_unit.code"), index=True)
    period_start: Mapped[dt.date] = mapped_column(Date, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReturnVersion(Base):
    """A version of a filing's figures. A correction after HQ approval is the next version."""

    __tablename__ = "return_version"
    __table_args__ = (UniqueConstraint("filing_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("return_filing.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))  # draft | submitted | sent_back | bureau_approved | approved
    figures: Mapped[str] = mapped_column(Text)  # JSON {row: {field: int}}
    created_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_by: Mapped[str | None] = mapped_column(String(64))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    first_submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # for "late"
    approved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)  # HQ approval


class ReturnStep(Base):
    """Every step of the workflow: who, when, what and what changed. Only ever inserted."""

    __tablename__ = "return_step"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("return_filing.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))  # save | submit | approve | send_back
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    changes: Mapped[str | None] = mapped_column(Text)  # JSON [{row, field, old, new}]


class ReturnNotice(Base):
    """An in-app notice to a unit's users (a send-back, a reminder); email arrives with alerts."""

    __tablename__ = "return_notice"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    unit_code: Mapped[str] = mapped_column(String(6), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # sent_back | reminder | approved
    filing_id: Mapped[int | None] = mapped_column(ForeignKey("return_filing.id"))
    sender: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)  # JSON
    read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ReturnSignatory(Base):
    """A bureau user who may confirm its bureau's quarter (the bureau's head)."""

    __tablename__ = "return_signatory"

    user_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    granted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class QuarterSignoff(Base):
    """A bureau's confirmation of its quarter's figures, with their fingerprint. Only ever inserted."""

    __tablename__ = "quarter_signoff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    bureau_code: Mapped[str] = mapped_column(String(6), index=True)
    quarter: Mapped[str] = mapped_column(String(8), index=True)
    signed_by: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    fingerprint: Mapped[str] = mapped_column(String(64))
    figures: Mapped[str] = mapped_column(Text)  # JSON {metric: value}: what was confirmed


class ReturnRule(Base):
    """What a declared return type expects, kept in the store so coverage reads need no YAML: which units fill it
    in, for which periods, by which deadline, and the metrics it feeds (written by ReturnsDesk.publish_types)."""

    __tablename__ = "return_rule"

    return_type: Mapped[str] = mapped_column(String(64), primary_key=True)
    level: Mapped[str] = mapped_column(String(16))  # bureau | sub_bureau
    period: Mapped[str] = mapped_column(String(8))  # month | quarter
    deadline_day: Mapped[int] = mapped_column(Integer)
    first_period: Mapped[dt.date] = mapped_column(Date)
    metrics: Mapped[str] = mapped_column(Text)  # JSON [metric id, ...]
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
