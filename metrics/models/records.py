"""Record-level reconciliation rows and reporting-coverage submissions."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from metrics.models.base import Base, UTCDateTime, utcnow


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
