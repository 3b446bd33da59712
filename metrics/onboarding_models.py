"""Store tables for onboarding unseen sources (migration 0009): store-wide unit aliases and file findings."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from metrics.models import Base, UTCDateTime, utcnow


class LocalUnitAlias(Base):
    """A spelling an administrator mapped to a reporting unit (`units alias add`); audited in audit_event."""

    __tablename__ = "local_unit_alias"

    spelling: Mapped[str] = mapped_column(String(200), primary_key=True)  # normalised as resolve_unit looks up
    unit_code: Mapped[str] = mapped_column(String(6))
    added_by: Mapped[str | None] = mapped_column(String(64))
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class FileFinding(Base):
    """Something wrong with a whole file rather than one row (a 合计 row that disagrees with its rows)."""

    __tablename__ = "file_finding"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(64), index=True)
    file_ref: Mapped[str] = mapped_column(String(256))
    unit_code: Mapped[str | None] = mapped_column(String(6))
    month: Mapped[dt.date | None] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(32))  # totals_mismatch
    detail: Mapped[str] = mapped_column(Text)
    run_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
