"""Frozen briefing snapshots."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from metrics.models.base import Base, UTCDateTime, utcnow


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
